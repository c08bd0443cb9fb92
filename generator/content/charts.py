"""Charts: facts of one group drawn as a horizontal bar chart (inline SVG), a table beside it.

A fact joins a group with `chart: {group: uk-minimum-wage, label: "21 and over"}` in its
facts file. An article shows the group's chart with a paragraph that is only a link:

    [UK minimum wage by age](chart:uk-minimum-wage)

GitHub's preview shows the link's text; the site shows the chart of the values in force on
the build's day. As for facts (facts.py), the conversion only marks the place (mdext.py), and
the chart is drawn after the sanitizer and the build cache (`resolve_html`), so a warm build
on the day a value changes shows the new bar. The key figures page draws one chart per group.

The markup is ours, written after the sanitizer: every text is escaped here, and no `style`
attribute is written (the CSP forbids inline styles; colours come from site.css).
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import ContentError
from .facts import long_date, value_on
from .limits import LineIndex
from .models import Fact, FactValue

SCHEME = "chart:"
CLASS = "ifg-chart"
# The placeholder the conversion leaves in a paragraph of its own (mdext.py).
_PLACEHOLDER = re.compile(r'<p><span class="ifg-chart" title="chart:([a-z0-9-]{1,64})">([^<]*)</span></p>')
# A paragraph that is only a chart link, in an article's Markdown (code blanked).
_LINK = re.compile(r"^[ \t]{0,3}\[([^\[\]\n]*)\]\([ \t]*<?chart:([^)\s>]*)>?[ \t]*\)[ \t]*$", re.MULTILINE)
# A value's number, and what is written before and after it ("£" and "", or "" and " hours").
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")

# The drawing's units (the SVG scales to its box): a row is a label line above its bar.
WIDTH = 420
BAR_SPACE = 330  # the longest bar; the rest of the width holds its value
ROW = 48
LABEL_Y = 16
BAR_Y = 22
BAR_HEIGHT = 18


def split_value(value: str) -> tuple[str, float, str] | None:
    """("£", 12.71, "") for "£12.71"; None where the value has no number."""
    match = _NUMBER.search(value)
    if match is None:
        return None
    return value[:match.start()].strip(), float(match.group(0).replace(",", "")), value[match.end():].strip()


def groups(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """The facts of each chart group, in the order the facts files list them."""
    found: dict[str, list[Fact]] = {}
    for fact in facts:
        if fact.chart is not None:
            found.setdefault(fact.chart.group, []).append(fact)
    return found


def group_problems(facts: Iterable[Fact]) -> list[ContentError]:
    """`chart-value` at each value of a charted fact that has no number, or whose unit or
    currency differs from the group's first value: bars of "£" and "$" are not comparable."""
    found = []
    for group, members in groups(facts).items():
        unit: tuple[str, str] | None = None
        for fact in members:
            for index, value in enumerate(fact.values):
                parts = split_value(value.value)
                if parts is None:
                    found.append(fact.problem(("values", index, "value"),
                                              f"{value.value!r} has no number: a fact of chart group {group!r} "
                                              "is drawn as a bar, so each of its values needs one", "chart-value"))
                    continue
                if unit is None:
                    unit = (parts[0], parts[2])
                elif (parts[0], parts[2]) != unit:
                    found.append(fact.problem(("values", index, "value"),
                                              f"{value.value!r} is not in the unit of chart group {group!r} "
                                              f"(written {unit[0]}…{unit[1] or ''} like its first value): "
                                              "bars compare one unit", "chart-value"))
    return found


@dataclass(frozen=True)
class ChartLink:
    line: int
    column: int
    group: str


def chart_links(masked: str, first_line: int) -> list[ChartLink]:
    if SCHEME not in masked:  # most bodies: no line index to build, no pattern to run
        return []
    lines = LineIndex(masked)
    found = []
    for match in _LINK.finditer(masked):
        line, column = lines.place(match.start(2))
        found.append(ChartLink(first_line + line - 1, column + 1 - len(SCHEME), match.group(2)))
    return found


def unknown_groups(path: str, masked: str, first_line: int, known: Sequence[str]) -> list[ContentError]:
    """`chart-unknown` at each chart link to a group no fact belongs to, with the closest group."""
    found = []
    for link in chart_links(masked, first_line):
        if link.group in known:
            continue
        close = difflib.get_close_matches(link.group, known, n=1, cutoff=0.6)
        hint = f"did you mean `chart:{close[0]}`?" if close else \
            "no fact has this chart group" + ("" if known else " (no charts are defined yet)")
        found.append(ContentError(path, link.line, link.column, "body",
                                  f"unknown chart `chart:{link.group}`: {hint} (see `chart:` in "
                                  "content/data/facts/)", "chart-unknown"))
    return found


# Drawing


def title_of(group: str, facts: Sequence[Fact]) -> str:
    """A group's title where no link names it (the key figures page)."""
    return next((fact.chart.title for fact in facts if fact.chart and fact.chart.title), group.replace("-", " "))


def chart_html(group: str, facts: Sequence[Fact], day: dt.date, *, title: str) -> str:
    """A figure: the SVG bar chart of the group's values in force on `day`, and a table of
    the same figures with each fact's source. `title` is plain text."""
    bars = []
    for fact in facts:
        value = value_on(fact, day)
        parts = split_value(value.value) if value is not None else None
        bars.append((fact, value, parts[1] if parts else 0.0))
    largest = max((number for _, _, number in bars), default=0.0)
    ident = f"ifg-chart-{group}"
    height = ROW * len(bars)
    rows = []
    for index, (fact, value, number) in enumerate(bars):
        top = index * ROW
        width = round(BAR_SPACE * number / largest, 1) if largest > 0 else 0
        shown = value.value if value is not None else "none in force"
        label = fact.chart.label if fact.chart else fact.label
        rows.append(
            f'<g class="ifg-chart__row">'
            f'<text class="ifg-chart__label" x="0" y="{top + LABEL_Y}">{html.escape(label)}</text>'
            f'<rect class="ifg-chart__bar" x="0" y="{top + BAR_Y}" width="{width}" height="{BAR_HEIGHT}"></rect>'
            f'<text class="ifg-chart__value" x="{width + 6}" y="{top + BAR_Y + BAR_HEIGHT - 4}">'
            f'{html.escape(shown)}</text></g>')
    svg = (f'<svg class="ifg-chart__svg" role="img" aria-labelledby="{ident}-title" '
           f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg">'
           f'<title id="{ident}-title">{html.escape(title)}, in force on {long_date(day)}</title>'
           + "".join(rows) + "</svg>")
    return (f'<figure class="{CLASS}" id="{ident}">'
            f'<figcaption class="ifg-chart__caption">{html.escape(title)}</figcaption>'
            f'<div class="ifg-chart__body"><div class="ifg-chart__drawing">{svg}</div>'
            f'{_table(bars, day)}</div></figure>')


def _table(bars: list[tuple[Fact, FactValue | None, float]], day: dt.date) -> str:
    rows = []
    for fact, value, _ in bars:
        label = fact.chart.label if fact.chart else fact.label
        shown = html.escape(value.value) if value is not None else "None in force"
        url = fact.source.url if urlsplit(fact.source.url).scheme == "https" else ""
        source = html.escape(fact.source.publisher)
        if url:
            source = f'<a href="{html.escape(url, quote=True)}">{source}</a>'
        rows.append(f'<tr><th scope="row">{html.escape(label)}</th><td>{shown}</td><td>{source}</td></tr>')
    return ('<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table><thead>'
            '<tr><th scope="col">Figure</th>'
            f'<th scope="col">Value on {long_date(day)}</th><th scope="col">Source</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div></div>')


# The conversion's side and the build's


def is_chart_url(url: str | None) -> bool:
    return url is not None and url.startswith(SCHEME)


def placeholder_attributes(url: str) -> dict[str, str]:
    return {"class": CLASS, "title": url.strip()}


def resolve_html(page_html: str, by_group: dict[str, list[Fact]], day: dt.date) -> str:
    """The page's HTML with each chart placeholder replaced by its chart as of `day`."""
    if CLASS not in page_html:
        return page_html

    def replace(match: re.Match[str]) -> str:
        facts = by_group.get(match.group(1))
        if not facts:  # unknown groups stop the build; one that reached here is shown as its text
            return f"<p>{match.group(2)}</p>"
        return chart_html(match.group(1), facts, day, title=html.unescape(match.group(2)))

    return _PLACEHOLDER.sub(replace, page_html)
