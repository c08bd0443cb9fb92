"""Bounded work per article: hostile Markdown under the size limit is checked and converted
in time that grows linearly, or refused by a structural limit naming the file and line."""

from __future__ import annotations

import functools
import io
import sys
import time
from pathlib import Path

import markdown.treeprocessors
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markdown import gfm
from generator.content import limits
from generator.editors.cli import main
from generator.content.reader import split_front_matter
from generator.content.policy import check_markdown, mask_code
from sitekit import REPO, article, logged, make_site

sys.path.insert(0, str(REPO / "bench"))
from pathological import CASES, largest_allowed  # noqa: E402  (the benchmark's hostile inputs)

# Each case: (name, N). The largest N within the byte limit (at most 40,000).
LARGEST = {name: min(40_000, limits.MAX_MARKDOWN_BYTES // len(make(1).encode())) for name, (_, make) in CASES.items()}


@functools.cache
def site_converter():
    """Markdown to HTML with the repository's settings, as the build converts a page."""
    from generator.mkdocs.config import load

    return load(REPO)[1].markdown.converter()


def stock_converter():
    """The same, with Python-Markdown's own inline treeprocessor and link scans (what
    gfm.py replaces), to compare outputs with."""
    from generator.mkdocs.config import load

    settings = load(REPO)[1].markdown
    md = markdown.Markdown(extensions=settings.extensions, extension_configs=settings.configs)
    for processor in md.treeprocessors:
        if type(processor) is gfm._LinearInlineProcessor:
            processor.__class__ = markdown.treeprocessors.InlineProcessor
    for pattern in md.inlinePatterns:
        for name in ("getText", "getLink", "evalId"):
            pattern.__dict__.pop(name, None)
    assert not any(type(p) is gfm._LinearInlineProcessor for p in md.treeprocessors)
    return lambda text: md.reset().convert(text)


def body_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    parts = split_front_matter(text)
    return parts[1] if parts else text


def best_cpu_seconds(work, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_hostile_article_at_the_size_limit_is_checked_or_refused_at_a_line(name):
    body = CASES[name][1](LARGEST[name])
    started = time.process_time()
    problems = check_markdown(body, path="content/articles/hostile.md", first_line=12)
    assert time.process_time() - started < 2, "the source scans are linear: milliseconds, even at the limit"
    for problem in problems:
        assert problem.path == "content/articles/hostile.md" and problem.line >= 12, problem
        assert problem.code in ("markdown-too-large", "markdown-too-deep", "markdown-too-complex",
                                "raw-html", "unsafe-url"), problem


# The cases that were quadratic (or crashed) in Python-Markdown, at the largest size the
# limits allow: each converts, without an error, as it would be in the build.
CONVERTED = ["link", "amp", "a", "bracket", "image", "star", "backtick-a", "list", "footnote", "refuse",
             "refdef-js", "autolink", "backslash", "heading", "comment", "quote"]


@pytest.mark.slow
@pytest.mark.parametrize("name", CONVERTED)
def test_every_hostile_article_the_limits_allow_converts_in_a_few_seconds(name):
    make = CASES[name][1]
    n = largest_allowed(make)
    assert n > 0
    started = time.process_time()
    html = site_converter()(make(n))
    # A generous bound for a slow machine: quadratic paths took minutes here.
    assert time.process_time() - started < 10, (name, n)
    assert html is not None


# Slow: it converts each input a dozen times to time it (5 s of the unit run's 25 s).
@pytest.mark.slow
@pytest.mark.parametrize("name, make", [
    ("amp", lambda n: "&amp;" * n),
    ("link", lambda n: "[x](" * n),
    ("image", lambda n: "![x](" * n),
    ("star", lambda n: "*a" * n),
    ("headings", lambda n: ("# h\n" * 100 + "\n") * (n // 100)),
    ("list items", lambda n: ("- x\n" * 100 + "\n") * (n // 100)),
    ("references", lambda n: ("[x]:\n  /a\n" * 50 + "\n") * (n // 50)),
])
def test_conversion_time_grows_linearly(name, make):
    """Four times the input takes about four times as long (eight allowed: quadratic is sixteen)."""
    convert = site_converter()
    small, large = 500, 2_000
    convert(make(small))  # warm up
    ratios = []
    for _ in range(3):  # the best of three tries: the machine is shared
        ratios.append(best_cpu_seconds(lambda: convert(make(large)))
                      / max(best_cpu_seconds(lambda: convert(make(small))), 1e-3))
        if ratios[-1] < 8:
            break
    assert min(ratios) < 8, (name, ratios)


def test_the_copied_python_markdown_methods_are_the_ones_installed():
    """gfm._LinearInlineProcessor copies two methods of Python-Markdown 3.11's InlineProcessor
    with three changes; a release that changes them must be copied again."""
    import hashlib
    import inspect

    copied = {"run": "f6c93631f2871499", "_InlineProcessor__processPlaceholders": "3f4a6088e773c996"}
    for name, digest in copied.items():
        source = inspect.getsource(getattr(markdown.treeprocessors.InlineProcessor, name))
        assert hashlib.sha256(source.encode()).hexdigest()[:16] == digest, \
            f"Python-Markdown {markdown.__version__} changed InlineProcessor.{name}: copy it into gfm.py again"


def test_link_scans_stop_within_their_bound():
    """A `[` or `(` never closed is read at most MAX_LINK_TEXT or MAX_LINK_TARGET
    characters on, not to the end of the paragraph: counted, not timed."""
    md = markdown.Markdown(extensions=[gfm.GfmExtension()])
    md.convert("Text.")  # the scans read the stash of a conversion
    link = md.inlinePatterns["link"]
    read = []

    class Counting(str):
        def __getitem__(self, key):
            value = str.__getitem__(self, key)
            read.append(len(value) if isinstance(key, slice) else 1)
            return value

    text = "[" + "x" * 50_000 + "]"
    assert link.getText(text, 1)[2] is False  # the `]` is past the bound: not a link
    assert link.getText("[x] y", 1) == ("x", 3, True)
    assert link.getLink("(" + "a" * 50_000 + ")", 0)[3] is False
    assert link.getLink("(https://example.org/ \"Title\") and more", 0)[:2] == ("https://example.org/", "Title")
    data = Counting("[x](" * 10_000)
    link.getLink(data, 3)
    assert sum(read) <= gfm.MAX_LINK_TARGET + 4


def test_the_linear_converter_gives_the_same_html_as_python_markdown():
    """Byte for byte, on every shipped page and on odd input small enough for the stock one."""
    ours, stock = site_converter(), stock_converter()
    bodies = {str(path.relative_to(REPO)): body_of(path) for path in sorted((REPO / "content").rglob("*.md"))}
    for piece in ["[x](", "&amp;", "<a ", "![x](", "*a", "_a", "`a", "[^1]", ":smile:", "[a][]", "a\\\n", "# h\n",
                  "'q' ", "\\*", "&copy; ", "<b>x</b> ", "[a](b) ", "**a** ", "- x\n", "> q\n", "a  \n",
                  "[[a]](b) ", '[a](b "t") ', "[a](b(c)) ", "<http://a> ", "- [ ] task\n"]:
        bodies[f"{piece!r} x 200"] = piece * 200 + "\n\n[a]: /b\n\n[^1]: A note.\n"
    assert len(bodies) > 40
    for name, body in bodies.items():
        assert ours(body) == stock(body), name


def test_repeated_headings_are_numbered_as_before_in_linear_time():
    ids = gfm.HeadingIds()
    ids.used = {"pay-2"}
    assert [ids("Pay") for _ in range(4)] == ["pay", "pay-1", "pay-3", "pay-4"]
    assert ids("Pay 1") == "pay-1-1"


def test_nesting_is_counted_from_markers_and_indentation():
    assert limits._nesting("- - > 1. x") == 4
    assert limits._nesting("        - x") == 5
    assert limits._nesting("    code") == 2
    deep = "- " * 40 + "x\n"
    [problem] = check_markdown("Text.\n\n" + deep, path="p.md", first_line=10)
    assert (problem.line, problem.column, problem.code) == (12, 1, "markdown-too-deep")
    assert "nested about 40 levels deep" in problem.message and "at most 32" in problem.message
    indented = "".join("  " * level + "- x\n" for level in range(40))
    [problem] = check_markdown(indented, path="p.md")
    assert problem.code == "markdown-too-deep" and problem.line == 33


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t>+*-.)0123456789٣x", max_size=80))
def test_no_line_is_deeper_than_twice_its_run_of_indentation_and_markers(line):
    """What lets `problems` skip the line-by-line count: a line can be too deep only if it
    starts with a run of MAX_NESTING // 2 + 1 such characters, which one search finds."""
    run = len(line) - len(line.lstrip(" \t>+*-.)0123456789٣"))
    assert limits._nesting(line) <= 2 * run
    text = "Text.\n\n" + line
    found = list(limits.problems(text, text))
    if limits._nesting(line) > limits.MAX_NESTING:
        assert [code for *_, code in found] == ["markdown-too-deep"]
    else:
        assert found == []


def test_the_shortest_run_that_is_too_deep_is_found_on_the_first_line_and_after():
    shortest = "\t" * (limits.MAX_NESTING // 2) + ">x"  # 17 characters, 33 levels: 16 tabs of 2, a quote
    assert limits._nesting(shortest) == limits.MAX_NESTING + 1
    assert [(p.line, p.code) for p in check_markdown(shortest, path="p.md")] == [(1, "markdown-too-deep")]
    assert [p.line for p in check_markdown("Text.\n\n" + shortest, path="p.md")] == [3]
    just = "\t" * (limits.MAX_NESTING // 2) + "x"  # 32 levels: allowed
    assert check_markdown(just + "\n\n" + just, path="p.md") == []


def test_a_fence_does_not_count_toward_the_limits():
    code = "```\n" + "[" * (limits.MAX_BRACKETS + 10) + "\n" + "- " * 100 + "\n```\n"
    assert check_markdown(code, path="p.md") == []


def test_limits_name_the_line_of_the_first_mark_past_them():
    body = "Intro.\n\n" + "[a] " * 10 + "\n" + "[" * limits.MAX_BRACKETS + "\n"
    [problem] = check_markdown(body, path="p.md", first_line=5)
    assert problem.code == "markdown-too-complex" and problem.line == 8
    assert f"more than {limits.MAX_BRACKETS:,} `[`" in problem.message
    block = "line\n" * (limits.MAX_BLOCK_LINES + 1)
    [problem] = check_markdown(block, path="p.md")
    assert problem.line == limits.MAX_BLOCK_LINES + 1 and "blank line" in problem.message
    assert check_markdown("line\n" * limits.MAX_BLOCK_LINES, path="p.md") == []


def test_too_large_markdown_is_one_error_at_the_first_line():
    body = "word " * (limits.MAX_MARKDOWN_BYTES // 5 + 1)
    [problem] = check_markdown(body, path="p.md", first_line=12)
    assert (problem.line, problem.code) == (12, "markdown-too-large")
    assert "200,005 bytes; at most 200,000" in problem.message


@pytest.mark.parametrize("body, line", [
    ("Text.\n\n[x]:\n  javascript:alert(1)\n\nSee [this][x].\n", 4),
    ("[x]: <javascript:alert(1)>\n", 1),
    ("> [x]:\n> javascript:alert(1)\n\n[y][x]\n", 2),
    ("- [x]: javascript:alert(1)\n\n[y][x]\n", 1),
    ("[x\ny]: javascript:alert(1)\n\n[z][x y]\n", 2),
    ("<vbscript:msgbox>\n", 1),
    ("[x](  java&#115;cript:alert(1))\n", 1),
])
def test_a_script_url_in_any_link_form_is_an_error_at_its_line(body, line):
    problems = check_markdown(body, path="p.md")
    assert [(p.line, p.code) for p in problems] == [(line, "unsafe-url")], problems


@pytest.fixture(autouse=True)
def _a_day_near_the_articles(monkeypatch):
    """`check`'s day, near the test articles' dates (2026-10-01): no review falls due and no
    resource goes stale whatever day the tests run (`.ci/run --faketime +3653d`)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01


def run_check(site) -> tuple[int, str]:
    out = io.StringIO()
    return main(["check"], out=out, cwd=site.root), out.getvalue()


def test_check_refuses_a_script_url_on_the_line_after_its_reference(tmp_path):
    site = make_site(tmp_path, articles={"hostile": article(
        "Hostile", "2026-10-01", body="Read [this][x].\n\n[x]:\n  javascript:alert(1)\n")})
    code, out = run_check(site)
    assert code == 1
    # Warnings are reported in the same run (GitHub shows the reference's text as a paragraph).
    assert [line for line in out.splitlines() if ": warning: " not in line] == [
        "content/articles/hostile.md:15:3: body: the link 'javascript:alert(1)' uses the javascript: scheme: "
        "link to an https:// address instead [unsafe-url]"]


@pytest.mark.slow
@pytest.mark.parametrize("body, expected", [
    ("- " * 10_000 + "deep\n", "content/articles/hostile.md:12:1: body: this line is nested about 10,000 levels "
                               "deep (lists, quotes and their indentation); at most 32 are allowed: flatten it "
                               "[markdown-too-deep]"),
    ("".join("  " * level + "- x\n" for level in range(300)),
     "content/articles/hostile.md:44:1: body: this line is nested about 33 levels deep (lists, quotes and their "
     "indentation); at most 32 are allowed: flatten it [markdown-too-deep]"),
    ("Read [this][x].\n\n[x]:\n  javascript:alert(1)\n",
     "content/articles/hostile.md:15:3: body: the link 'javascript:alert(1)' uses the javascript: scheme: link "
     "to an https:// address instead [unsafe-url]"),
])
def test_build_and_check_refuse_what_crashed_the_build_with_the_same_error(tmp_path, body, expected):
    site = make_site(tmp_path, articles={"hostile": article("Hostile", "2026-10-01", body=body)}, markdown=True)
    code, out = run_check(site)
    assert code == 1 and expected in out.splitlines(), out
    result = site.build()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    # The same errors, and the same warnings (check prints those in the same run, marked).
    checked = out.splitlines()
    assert [line for line in logged(result.stderr) if line.startswith("content/")] == \
        [line for line in checked if ": warning: " not in line]
    assert [line for line in logged(result.stderr, "WARNING") if line.startswith("content/")] == \
        [line.replace(": warning: ", ": ", 1) for line in checked if ": warning: " in line]
    assert not (site.root / "site").exists()


@pytest.mark.parametrize("body, code", [
    # past the tag limit, the body was still converted for the GitHub and sanitizer
    # comparisons, each unclosed `<a` rescanning the rest: check ran for minutes
    ("<a \n" * 40_000, "markdown-too-complex"),
    # under every other limit, each one-line block was converted on its own: 40 s
    ("<\n\n" * 60_000, "markdown-too-complex"),
    ("<\n\n" * (limits.MAX_BLOCKS - 10), None),
])
def test_check_of_many_small_blocks_takes_seconds(tmp_path, body, code):
    site = make_site(tmp_path, markdown=True, articles={"many": article("Many blocks", "2026-10-01", body=body)})
    started = time.process_time()
    status, out = run_check(site)
    assert time.process_time() - started < 10
    codes = [line.rsplit("[", 1)[-1].rstrip("]") for line in out.splitlines() if line.startswith("content/")]
    assert set(codes) == ({code} if code else set()) and status == (1 if code else 0), out


def test_a_benefit_summary_is_bounded_like_a_page(tmp_path):
    site = make_site(tmp_path)
    benefits = yaml.safe_load((site.root / "content/data/benefits.yml").read_text(encoding="utf-8"))
    benefits[1]["summary"] = "[" * (limits.MAX_BRACKETS + 1)
    site.write_data("benefits.yml", benefits)
    code, out = run_check(site)
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("content/data/benefits.yml:7:") and line.endswith("[markdown-too-complex]"), line


@pytest.mark.parametrize("line, masked", [
    ("`a` <b>", "    <b>"),
    ("``a`b`` x", "        x"),
    ("\\`<i>` x", "\\`<i>` x"),  # an escaped backtick opens nothing: the tag is HTML
    ("\\\\`<i>` x", "\\\\      x"),  # an escaped backslash does not escape the backtick
    ("``<i>` x", "       x"),  # the opener gives up a backtick to close with the shorter run
    ("a```b``c", "a      c"),
])
def test_code_spans_are_masked_as_python_markdown_reads_them(line, masked):
    assert mask_code(line) == masked


def test_code_span_masking_is_linear_on_a_line_of_backticks():
    """A regular expression took cubic time on `a` and 40,000 backticks: count the work
    by the time of a line 40 times longer than one that takes no time at all."""
    small = best_cpu_seconds(lambda: mask_code("a" + "`" * 1_000))
    large = best_cpu_seconds(lambda: mask_code("a" + "`" * 40_000 + "a`b" * 20_000))
    assert large < max(small, 1e-3) * 400 and large < 1, (small, large)


def test_an_unsafe_link_the_lint_missed_is_emptied_not_removed():
    """MkDocs asserts that every <a> has an href and every <img> a src: removing an unsafe
    one crashed the build with a traceback."""
    from bs4 import BeautifulSoup

    from generator.markdown.mdext import SafeLinksExtension

    html = markdown.Markdown(extensions=[SafeLinksExtension()]).convert(
        "[x](javascript:alert(1)) ![y](data:image/png;base64,AAAA)")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.a["href"] == "" and soup.img["src"] == ""
