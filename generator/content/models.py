"""One model per content type: the single source of truth for what editors may write.

Validation, the messages editors read, and template access all come from these models.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from pydantic_core import PydanticCustomError

from .errors import ContentError
from .regions import EU, REGIONS
from .yamlsource import Loc, SourceMap, field_name

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ICON_PATTERN = r"^[a-z0-9-]+/[a-z0-9-]+$"
MAX_TAGS = 12  # of one article: ours have at most 5
MAX_FACT_VALUES = 50  # of one fact: a rate that changes every year for half a century
# The years a date in content may name. Nothing this publication publishes, reviews, cites
# or checks predates the web (1990), and no schedule reaches past 2100, which also keeps
# every date inside what the site's files can record: a gzip header (sitemap.xml.gz) holds
# a 32-bit time, which ends on 2106-02-07.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# The statuses Material styles (`md-status--new`, `md-status--deprecated`): it prints the
# value into a class attribute unescaped, so nothing else may reach it.
MATERIAL_STATUSES = ("new", "deprecated")
# What `hide` can hide: each value Material's templates look for in `page.meta.hide`.
MATERIAL_HIDEABLE = ("navigation", "toc", "footer", "path", "tags", "feedback")


def _Problem(code: str, message: str) -> PydanticCustomError:
    """A validation error that carries its catalogue code as its type."""
    # Braces would be read as placeholders by pydantic's message template.
    return PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}"))


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise _Problem("bad-date", f"must be a date written YYYY-MM-DD (got {value!r})")
    else:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError as error:
            raise _Problem("bad-date", f"{value} is not a real date ({error})") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _Problem("date-range", f"{day.isoformat()} is not a plausible date: the year must be "
                                     f"{FIRST_YEAR} to {LAST_YEAR}; check for a typo")
    return day


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _Problem("bad-url", f"must start with https:// or http:// and name a host (got {value!r})")
    return value


def _https_url(value: str) -> str:
    if urlsplit(value).scheme != "https" or not urlsplit(value).netloc:
        raise _Problem("bad-url", f"must start with https:// and name a host (got {value!r})")
    return value


def _region(value: str) -> str:
    if value not in REGIONS:
        # The one code editors reach for that is not ISO's: the United Kingdom is `gb`.
        close = ["gb"] if value.lower() == "uk" else difflib.get_close_matches(value.lower(), list(REGIONS), n=1)
        hint = f": did you mean `{close[0]}` ({REGIONS[close[0]]})?" if close else ""
        raise _Problem("bad-region", f"{value!r} is not an ISO 3166-1 country code, such as `us` or `gb`{hint}")
    return value


def _fact_region(value: str) -> str:
    # A fact may hold for the whole European Union, which is no country: `eu`, as readers know it.
    return value if value == EU else _region(value)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=64)]
Tag = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=24)]
HttpsUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_https_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https://[^/]"}),
]
Region = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_region),
    WithJsonSchema({"type": "string", "enum": sorted(REGIONS)}),
]
FactRegion = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_fact_region),
    WithJsonSchema({"type": "string", "enum": sorted([*REGIONS, EU])}),
]
IsoDate = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    # The years FIRST_YEAR to LAST_YEAR: 1990 to 2100.
    WithJsonSchema({"type": "string", "format": "date",
                    "pattern": r"^(199\d|20\d\d|2100)-\d{2}-\d{2}$"}),
]
HttpUrl = Annotated[
    str,
    StringConstraints(strip_whitespace=True),
    AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://[^/]"}),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # An error about an absent field points at the field that asked for it.
    anchors: ClassVar[dict[str, str]] = {}
    # Where the entry was read, so that later checks (lint) can point at its fields too.
    _source: tuple[SourceMap, Loc] | None = PrivateAttr(default=None)

    def problem(self, field: str | Loc, message: str, code: str, fallback_path: str = "") -> ContentError:
        """A ContentError at this entry's `field` (or a path inside it, like `("sources", 0, "url")`),
        as written in its file."""
        loc = field if isinstance(field, tuple) else (field,)
        name = field_name(loc)
        if self._source is None:
            return ContentError(fallback_path, 1, 1, name, message, code)
        where, base = self._source
        return where.error(base + loc, name, message, code)

    def source_path(self) -> str | None:
        """The file this entry was read from; None if it was not read from one."""
        return None if self._source is None else self._source[0].path

    def first_line(self) -> int | None:
        """The line this entry starts on in its file; None if it was not read from one."""
        if self._source is None:
            return None
        where, base = self._source
        return where.value(base).line


class Author(Model):
    """An editorial desk of the publication, keyed by id in `authors.yml`."""

    name: Text = Field(description="The desk's name as readers see it, e.g. Careers Desk.")
    bio: Text = Field(description="One or two plain sentences on what the desk covers.")
    avatar: Text | None = Field(default=None, description="An image path, optional.")
    url: HttpUrl | None = Field(default=None, description="A page about the desk, optional.")


class Benefit(Model):
    """A benefit of internships; `benefits.yml` order is display order."""

    id: Slug = Field(description="Lowercase words and hyphens; used in URLs and by articles and resources.")
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    summary: Text = Field(description="One paragraph; Markdown allowed.")
    icon: Annotated[str, StringConstraints(pattern=ICON_PATTERN)] | None = Field(
        default=None, description="A Material icon name, for example material/briefcase-outline."
    )


class Category(Model):
    """A group of resources on the resources page."""

    id: Slug
    title: Text
    description: Text


class Resource(Model):
    """A link worth a reader's time."""

    title: Text
    url: HttpUrl = Field(description="The resource's address, https:// preferred.")
    category: Slug = Field(description="A category id from categories.yml.")
    description: Text = Field(description="One or two plain sentences: what it is and why it helps.")
    cost: Literal["free", "paid", "mixed"]
    last_checked: IsoDate = Field(description="The day someone last visited the link, YYYY-MM-DD.")
    benefits: list[Slug] = Field(default=[], description="Benefit ids from benefits.yml.")
    audience: Text | None = Field(default=None, description="Who it is for, e.g. US college students.")


class Source(Model):
    """A primary source an article's facts come from (a statute, an agency's page, a survey)."""

    title: Text = Field(description="The page's or document's title, as its publisher gives it.")
    url: HttpsUrl = Field(description="Its https:// address.")
    publisher: Text = Field(description="Who publishes it, e.g. U.S. Department of Labor.")
    accessed: IsoDate = Field(description="The day it was last read to check the article, YYYY-MM-DD.")


class FactSource(Source):
    """The primary source that states a fact's values (a statute, an agency's page, a survey)."""


class FactValue(Model):
    """One value of a fact and the days it applies: from `from`, to `until` (inclusive) or the next value."""

    # Readers see it where an article names the fact: as written in prose, unit or currency included.
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] = Field(
        description='As written in prose, with its unit or currency: "£12.71", "$7.25", "20 hours", "18 months".')
    from_: IsoDate = Field(alias="from", description="The day it takes effect, YYYY-MM-DD.")
    until: IsoDate | None = Field(default=None, description="The last day it applies (inclusive), where known.")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("until")
    @classmethod
    def _not_before_from(cls, until: dt.date | None, info: ValidationInfo) -> dt.date | None:
        starts = info.data.get("from_")
        if until is not None and starts is not None and until < starts:
            raise _Problem("date-order", f"{until} is before `from` ({starts}): a value ends on or after the day "
                                         "it takes effect")
        return until


class FactChart(Model):
    """Where a fact is drawn: a bar of its group's chart (charts.py)."""

    group: Slug = Field(description="The chart the fact is a bar of; articles write [title](chart:<group>). "
                                    "Facts of one group share a unit or currency.")
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] = Field(
        description='The bar\'s short name, e.g. "21 and over".')
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)] | None = Field(
        default=None, description="The chart's title on the key figures page (one fact of the group gives it).")


class Fact(Model):
    """A figure articles name instead of typing it (content/data/facts/*.yml): its values, dated, and its source."""

    id: Slug = Field(description="Lowercase words and hyphens, unique across every facts file; articles "
                                 "write [label](fact:<id>).")
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)] = Field(
        description="What a reader reads as its name, e.g. UK National Living Wage (21 and over).")
    region: FactRegion = Field(description="Where it applies: a lowercase ISO 3166-1 code (us, gb...), or eu.")
    values: Annotated[list[FactValue], Field(min_length=1, max_length=MAX_FACT_VALUES)] = Field(
        description="Oldest first, none overlapping; a value that starts in the future is a scheduled change.")
    source: FactSource
    review_by: IsoDate = Field(description="The day someone must look again (before the next known change).")
    note: Text | None = Field(default=None, description="One line for editors; readers never see it.")
    chart: FactChart | None = Field(default=None, description="Optional: draw the fact as a bar of a chart.")


class ArticleMeta(Model):
    """The front matter of `content/articles/<slug>.md`."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=50, max_length=160)] = Field(
        description="The summary in listings and search results: 50 to 160 characters.")
    date: IsoDate = Field(description="Publication date, YYYY-MM-DD; a future date schedules the article.")
    updated: IsoDate | None = Field(default=None, description="Last significant update, not before date.")
    authors: Annotated[list[Slug], Field(min_length=1)] = Field(description="Author ids from authors.yml.")
    benefits: list[Slug] = Field(default=[], description="Benefit ids from benefits.yml.")
    # Each new tag is a page of the site (/tags/<tag>/): without a bound, one article's
    # front matter made 5,000 pages and a build ten times as long.
    tags: Annotated[list[Tag], Field(max_length=MAX_TAGS)] = Field(
        default=[], description=f"Short lowercase words, hyphens allowed: at most {MAX_TAGS}.")
    draft: StrictBool = Field(default=False, description="true keeps the article out of the published site.")
    reviewed: IsoDate | None = Field(default=None, description="The day the article was last fact-checked "
                                                               "against its sources, not before date.")
    regions: list[Region] = Field(default=[], description="ISO 3166-1 codes of the countries the advice "
                                                         "applies to, lowercase: us, gb, ca...")
    sources: list[Source] = Field(default=[], description="The primary sources of the article's facts: "
                                                          "at least two.")
    image: Text | None = Field(default=None, description="A lead image, optional: a PNG, JPEG, WebP, AVIF or GIF "
                                                         "file in content/, written relative to the article, "
                                                         "like ../images/desk.jpg.")
    image_alt: Text | None = Field(default=None, validate_default=True,
                                   description="Required with image: what the image shows.")
    image_credit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)] | None = \
        Field(default=None, description="Who made the image, shown under it, e.g. Photo: Ana Ruiz.")

    anchors: ClassVar[dict[str, str]] = {"image_alt": "image"}

    @field_validator("updated", "reviewed")
    @classmethod
    def _not_before_date(cls, updated: dt.date | None, info: ValidationInfo) -> dt.date | None:
        published = info.data.get("date")
        if updated is not None and published is not None and updated < published:
            raise _Problem("date-order", f"{updated} is before the publication date {published}")
        return updated

    @field_validator("image_alt")
    @classmethod
    def _alt_with_image(cls, image_alt: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("image") and not image_alt:
            raise _Problem("image-alt-missing",
                           "is required when `image` is set: describe the image for readers who cannot see it")
        return image_alt

    @field_validator("image_credit")
    @classmethod
    def _credit_with_image(cls, image_credit: str | None, info: ValidationInfo) -> str | None:
        if image_credit and "image" not in info.data:
            return image_credit  # `image` itself is invalid: reported already
        if image_credit and not info.data.get("image"):
            raise _Problem("image-credit-without-image",
                           "credits a lead image, but there is no `image`: add the image, or remove the credit")
        return image_credit


# Exactly the fields Material's templates read from a page's metadata, each of a type that
# cannot carry markup where Material prints it: its templates do not escape `page.meta`
# (the plugin escapes the text fields, and this model refuses anything else). No
# `template`: the generator chooses each page's template (Material's redirect.html would
# print `location` into a script).
class PageMeta(Model):
    """The front matter of a page that is not an article: content/index.md, content/about.md."""

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)] | None = Field(
        default=None, description="The page's title; without it, the page's first heading.")
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=50, max_length=160)] | None = \
        Field(default=None, description="The summary search engines show: 50 to 160 characters.")
    subtitle: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)] | None = Field(
        default=None, description="Shown under the page's title in the navigation.")
    icon: Annotated[str, StringConstraints(pattern=ICON_PATTERN)] | None = Field(
        default=None, description="A Material icon shown beside the page in the navigation, "
                                  "for example material/information-outline.")
    status: Literal[MATERIAL_STATUSES] | None = Field(  # type: ignore[valid-type]
        default=None, description="A badge beside the page in the navigation: new or deprecated.")
    hide: list[Literal[MATERIAL_HIDEABLE]] = Field(  # type: ignore[valid-type]
        default=[], description="Parts of the page to leave out: navigation, toc, footer, path, tags, feedback.")


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# Pydantic's error types, by the catalogue code editors see.
_CODES = {
    "missing": "missing-field",
    "extra_forbidden": "unknown-field",
    "string_too_short": "length",
    "string_too_long": "length",
    "too_short": "length",
    "too_long": "length",
    "literal_error": "bad-choice",
}


def _code(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind in _CODES:
        return _CODES[kind]
    if kind == "string_pattern_mismatch":
        return "not-a-slug" if error.get("ctx", {}).get("pattern") == SLUG_PATTERN else "bad-icon"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return "wrong-type"
    return kind  # our own PydanticCustomError types are catalogue codes already


def _message(error: dict[str, Any], model: type[BaseModel], loc: Loc) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if kind == "missing":
        return f"is required: add `{loc[-1]}:`"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if close:
            return f"unknown field: did you mean `{close[0]}`?"
        return "unknown field: allowed fields are " + ", ".join(allowed)
    if kind == "string_type":
        return f"must be text (got {_describe(given)}); put it in quotes if it should be text"
    if kind == "list_type":
        return f"must be a list, like [a, b] (got {_describe(given)})"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of fields (got {_describe(given)})"
    if kind == "bool_type":
        return f"must be true or false (got {_describe(given)})"
    if kind == "string_too_short":
        if ctx.get("min_length", 1) <= 1:
            return "must not be empty"
        return f"must be at least {ctx['min_length']} characters (got {len(given)})"
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters (got {len(given)})"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} item"
    if kind == "too_long":
        return f"must have at most {ctx['max_length']} items (got {ctx.get('actual_length', len(given))})"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG_PATTERN:
            return f"must be lowercase letters, digits and hyphens, like `career-clarity` (got {_describe(given)})"
        return f"must be an icon name like `material/briefcase` (got {_describe(given)})"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')} (got {_describe(given)})"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"{error['msg']} (got {_describe(given)})"
    return error["msg"]


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc`, as written (aliases): a fact's values and source nest."""
    for step in loc:
        if isinstance(step, int):
            continue
        field = next((f for name, f in model.model_fields.items() if (f.alias or name) == step), None)
        nested = _nested_model(field.annotation) if field is not None else None
        if nested is None:
            break
        model = nested
    return [field.alias or name for name, field in model.model_fields.items()]


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model inside `annotation` (`Source`, `list[FactValue]`, `Source | None`), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _nested_model(argument)
        if found is not None:
            return found
    return None


def validate(
    model: type[Model], data: Any, where: SourceMap, base: Loc = ()
) -> tuple[Model | None, list[ContentError]]:
    """Validate `data` (found at `base` in the document) into `model`.

    Returns the instance, or None and one ContentError per problem.
    """
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else _describe(data)
        names = ", ".join(f"`{name}`" for name in model.model_fields)
        return None, [where.error(base, field_name(base), f"must be a mapping with {names} (got {kind})",
                                  "wrong-type")]
    try:
        instance = model.model_validate(data)
        instance._source = (where, base)
        return instance, []
    except ValidationError as invalid:
        errors = []
        for error in invalid.errors(include_url=False):
            loc = tuple(error["loc"])
            if loc and loc[0] not in data and loc[0] in model.anchors:
                full = base + (model.anchors[loc[0]],)
            else:
                full = base + loc
            errors.append(
                where.error(
                    full,
                    field_name(loc) if loc else field_name(base),
                    _message(error, model, loc),
                    _code(error),
                    at_key=error["type"] == "extra_forbidden",
                )
            )
        return None, errors
