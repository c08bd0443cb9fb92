"""How long the live preview takes to show an edit, on a synthetic corpus of N articles.

    .venv/bin/python bench/rebuild.py                 # N = 1000, `mkdocs serve --dirty`
    .venv/bin/python bench/rebuild.py --size 4000
    .venv/bin/python bench/rebuild.py --also-clean    # and plain `mkdocs serve`, for comparison

It writes the corpus of bench/run.py, starts the preview, makes the edits an editor
makes (an article's text, its title, its tags, a data file) one after the other, and
prints for each the seconds from saving the file to the preview serving the changed
page, and how many pages the rebuild rendered. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

import corpus
from run import SEED, BenchError, child_env, positive, progress

TARGET_SECONDS = 3.0  # from saving an article to the preview showing it, at N = 1000
DEFAULT_SIZE = 1000
FIRST_BUILD_TIMEOUT = 900
EDIT_TIMEOUT = 300
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Edit:
    name: str
    make: Callable[[], None]  # changes the corpus
    url: str  # the page to watch, relative to the site's address
    shows: str  # what that page shows once the preview has the edit
    of_one_article: bool = True  # the 3 s target is for editing one article


@dataclass(frozen=True)
class Timing:
    edit: str
    seconds: float
    rendered: str  # the preview's "Rendered N of M pages", or "every page" without --dirty
    of_one_article: bool


class Preview:
    """`mkdocs serve` on a corpus, on a free port, with its log in a file."""

    def __init__(self, site: Path, options: Sequence[str], env: dict[str, str]):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.log_path = site.parent / f"serve{'-dirty' if '--dirty' in options else ''}.log"
        self.log = self.log_path.open("w", encoding="utf-8")
        self.base = f"http://127.0.0.1:{port}{_mount_path(site)}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}"],
            cwd=site, env=env, stdout=subprocess.DEVNULL, stderr=self.log,
        )

    def page(self, url: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + url, timeout=60) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return None

    def wait_until(self, url: str, shows: str, timeout: float) -> float:
        """Seconds until the page at `url` contains `shows`."""
        started = time.perf_counter()
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise BenchError(f"the preview stopped; the end of {self.log_path}:\n{self.log_tail()}")
            if shows in (self.page(url) or ""):
                return time.perf_counter() - started
            time.sleep(POLL_SECONDS)
        raise BenchError(f"{url} did not show {shows!r} within {timeout:.0f} s; the end of {self.log_path}:\n"
                         f"{self.log_tail()}")

    def rendered(self) -> str:
        lines = [line for line in self.log_path.read_text(encoding="utf-8").splitlines() if "Rendered " in line]
        return re.sub(r"^.*?(Rendered \d+ of \d+) pages.*$", r"\1", lines[-1]) if lines else "every page"

    def log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _mount_path(site: Path) -> str:
    url = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or "/"
    path = urllib.parse.urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def _rewrite(path: Path, pattern: str, new: str) -> None:
    """Replace the first line that matches `pattern` (a regular expression) with `new`."""
    text, count = re.subn(pattern, lambda _: new, path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    if not count:
        raise BenchError(f"{path} has no line matching {pattern!r} to change")
    path.write_text(text, encoding="utf-8")


def edits(site: Path, round_number: int) -> list[Edit]:
    """The edits of one round, each with a change of its own, so every round shows something new."""
    articles = site / "content" / "articles"
    newest_first = sorted(articles.glob("*.md"), key=lambda p: (-_front_matter(p)["date"].toordinal(), p.stem))
    newest, second, middle = newest_first[0], newest_first[1], newest_first[len(newest_first) // 2]
    marker = f"Edited in round {round_number} of the rebuild benchmark"
    new_title = f"Retitled in round {round_number} of the rebuild benchmark"
    new_tag = f"bench-round-{round_number}"
    new_benefit = f"Benefit renamed in round {round_number}"
    return [
        Edit("an article's text", lambda: middle.write_text(
            middle.read_text(encoding="utf-8") + f"\n{marker}.\n", encoding="utf-8"),
            f"articles/{middle.stem}/", marker),
        # Shows in listings, tags and on the neighbouring article's "Next" link.
        Edit("the newest article's title", lambda: _rewrite(newest, r"^title: .*$", f"title: {new_title}"),
             f"articles/{second.stem}/", new_title),
        Edit("an article's tags", lambda: _rewrite(middle, r"^tags:$", f"tags:\n- {new_tag}"),
             f"tags/{new_tag}/", middle.stem),
        Edit("a benefit in benefits.yml", lambda: _rewrite(
            site / "content/data/benefits.yml", r"^  title: .*$", f"  title: {new_benefit}"),
            "benefits/", new_benefit, of_one_article=False),
    ]


def measure(site: Path, options: Sequence[str], env: dict[str, str], round_number: int,
            only_first: bool = False) -> tuple[float, list[Timing]]:
    """Start the preview, wait for its first build, then time each edit."""
    progress(f"starting `{' '.join(['mkdocs', 'serve', *options])}`")
    started = time.perf_counter()
    preview = Preview(site, options, env)
    try:
        preview.wait_until("", "<html", FIRST_BUILD_TIMEOUT)
        first = time.perf_counter() - started
        timings = []
        for edit in edits(site, round_number)[:1 if only_first else None]:
            progress(f"  editing {edit.name}")
            edit.make()
            seconds = preview.wait_until(edit.url, edit.shows, EDIT_TIMEOUT)
            timings.append(Timing(edit.name, seconds, preview.rendered(), edit.of_one_article))
            time.sleep(1)  # let the preview settle: the next edit starts from rest
        return first, timings
    finally:
        preview.stop()


def format_timings(title: str, first: float, timings: list[Timing]) -> str:
    lines = [title, f"{'edit':<32}{'seconds':>9}  pages rendered",
             f"{'(first build, server start)':<32}{first:>9.2f}  every page"]
    lines += [f"{t.edit:<32}{t.seconds:>9.2f}  {t.rendered}" for t in timings]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/rebuild.py", description=__doc__.split("\n\n")[0],
                                     epilog="Details: bench/README.md")
    parser.add_argument("--size", type=positive, default=DEFAULT_SIZE, metavar="N",
                        help=f"number of articles (default: {DEFAULT_SIZE})")
    parser.add_argument("--also-clean", action="store_true",
                        help="also time plain `mkdocs serve`, which renders every page again (one edit)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"the corpus's random seed (default: {SEED})")
    args = parser.parse_args(argv)
    today = dt.date.today()
    workspace = Path(tempfile.mkdtemp(prefix="field-guide-rebuild-"))
    try:
        progress(f"N={args.size}: writing the corpus")
        written = corpus.write_corpus(workspace, args.size, seed=args.seed, today=today)
        env = child_env(today)
        first, timings = measure(written.root, ["--dirty"], env, 1)
        print(format_timings(f"N = {args.size}: mkdocs serve --dirty", first, timings), flush=True)
        slowest = max(t.seconds for t in timings if t.of_one_article)
        verdict = "PASS" if slowest <= TARGET_SECONDS else "FAIL"
        print(f"{verdict}  editing one article: shown in {slowest:.2f} s at most "
              f"(target: {TARGET_SECONDS:.0f} s at N = 1000)")
        if args.also_clean:
            first, timings = measure(written.root, [], env, 2, only_first=True)
            print("\n" + format_timings(f"N = {args.size}: mkdocs serve (no --dirty)", first, timings))
        return 0
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
