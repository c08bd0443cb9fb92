"""Read everything under `content/` into validated models, reporting every problem at once.

A reader never renders: this module only loads, validates and cross-checks.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .errors import ContentError, ContentErrors
from . import charts
from .facts import unknown_references
from .inventory import DATA_DIR, FACTS_DIR, Inventory, open_regular, take_inventory
from .models import ArticleMeta, Author, Benefit, Category, Fact, Model, PageMeta, Resource, validate
from .policy import Allowance, check_markdown, mask_code
from .yamlsource import SourceMap, YamlDocument, field_name, load_yaml

ARTICLES_DIR = "articles"
WORDS_PER_MINUTE = 220
# Slugs that would collide with the URLs of generated listing pages.
RESERVED_SLUGS = {"index", "page"}
# Entries of each data file: benefits, categories and authors each have a page and appear
# on others (5,000 benefits took the build from seconds to two minutes).
MAX_DATA_ENTRIES = {"benefits.yml": 100, "categories.yml": 100, "authors.yml": 200, "resources.yml": 2_000}
# Facts in one facts file: each is a row of the key figures page and a pattern `check` looks
# for in every article (fact-copy).
MAX_FACTS_PER_FILE = 500
# Top folders of the site that the theme and the search index write: content there could
# replace the theme's own files (MkDocs lets content win), such as its icons.
THEME_FOLDERS = {"assets/": "the theme's scripts, styles and icons", "pagefind/": "the search index"}
MAX_FILE_BYTES = 1_000_000  # far beyond any article or data file; refuses accidents and attacks
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_URL_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FrontMatter:
    """An article's front matter as read."""

    text: str  # the YAML between the two lines
    data: dict[str, Any]
    where: SourceMap


@dataclass(frozen=True)
class Article:
    slug: str
    meta: ArticleMeta
    body: str
    path: str  # relative to the repository, for messages
    src_uri: str  # relative to the content folder, as MkDocs names it
    words: int
    body_line: int = 1  # the file line the body starts on, for positions in lint messages
    # The body with code blanked (policy.mask_code): made once, read by the policy check and lint.
    masked_body: str = field(default="", repr=False, compare=False)
    # The front matter as read, and where it is: handed to MkDocs, which need not read the
    # file again (mkdocs/sources.py). None unless the file starts with a `---` line and the
    # front matter ends with a `---` or `...` line, with nothing else on them.
    front_matter: FrontMatter | None = field(default=None, repr=False, compare=False)

    @property
    def url(self) -> str:
        return f"{ARTICLES_DIR}/{self.slug}/"

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


@dataclass(frozen=True)
class Page:
    """A Markdown page that is not an article (the home page's introduction, about)."""

    src_uri: str  # relative to the content folder, as MkDocs names it
    path: str  # relative to the repository, for messages
    meta: PageMeta


@dataclass(frozen=True)
class ArticleBody:
    """An article whose front matter has errors: left out of the site graph, but its body
    is still linted and its page still exists for links, so one run reports everything."""

    slug: str
    body: str
    path: str
    src_uri: str
    body_line: int
    masked_body: str = field(repr=False)
    draft: bool  # `draft: true` as written, so its findings are notes like a draft's


@dataclass
class Content:
    articles: list[Article] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)  # by src_uri: the other Markdown pages, valid
    # What of content/ may be published, by src_uri: the Markdown pages and checked images
    # (the file set drops anything else MkDocs finds, see mkdocs/files.py).
    files: frozenset[str] = frozenset()
    refused_images: dict[str, str] = field(default_factory=dict)  # by src_uri: why the inventory refused it
    benefits: list[Benefit] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    authors: dict[str, Author] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)  # every valid fact, files in name order
    # Every id a facts file names, valid entry or not: a link to an invalid fact is not a
    # second error. None where a facts file could not be read at all.
    fact_ids: list[str] | None = field(default_factory=list)
    # Articles read but not valid (read_content only; load_content raises instead).
    invalid_articles: list[ArticleBody] = field(default_factory=list)

    @cached_property
    def article_sources(self) -> frozenset[str]:
        """The src_uri of every article."""
        return frozenset(article.src_uri for article in self.articles)


def article_files(content_dir: Path) -> list[Path]:
    """The articles' files, before the content is checked (for the build cache and the
    workers): regular files only, never a link or a named pipe, which a read would follow
    or wait on. The check refuses those."""
    folder = content_dir / ARTICLES_DIR
    return [path for path in sorted(folder.glob("*.md")) if not path.is_symlink() and path.is_file()]


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, first line of body)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def page_url(src_uri: str) -> str:
    """The URL MkDocs gives a Markdown source (directory URLs): `a/b.md` -> `a/b/`, `a/index.md` -> `a/`."""
    folder, _, name = src_uri.rpartition("/")
    stem = name.removesuffix(".md")
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return prefix
    return f"{prefix}{stem}/"


class _Loader:
    def __init__(self, root: Path, content_dir: Path, icon_exists: Callable[[str], bool] | None,
                 allow_html: Sequence[Allowance]):
        self.root = root
        self.content_dir = content_dir
        self.icon_exists = icon_exists
        self.allow_html = allow_html
        self.errors: list[ContentError] = []
        self.pages: dict[str, Page] = {}
        self.fact_ids: list[str] | None = []  # as `facts` read them: what a page's fact links may name
        self.chart_groups: list[str] = []  # likewise, what its chart links may name
        # Every file is classified before any is read: links and special files are never opened.
        self.inventory: Inventory = take_inventory(content_dir, self.relative)
        self.errors.extend(self.inventory.errors)

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def read_text(self, path: Path) -> str | None:
        """The file's text, or None after reporting why it cannot be used."""
        relative = self.relative(path)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.errors.append(ContentError(
                    relative, 1, 1, "(file)",
                    f"too large: {size:,} bytes, the limit is {MAX_FILE_BYTES:,}; split it", "file-too-large"))
                return None
            with open_regular(path) as file:
                return file.read().decode("utf-8")
        except UnicodeDecodeError as error:
            self.errors.append(ContentError(
                relative, 1, 1, "(file)", f"not UTF-8 text ({error.reason}): save it as UTF-8", "file-unreadable"))
        except OSError as error:
            self.errors.append(ContentError(
                relative, 1, 1, "(file)", f"cannot be read: {error.strerror}", "file-unreadable"))
        return None

    def read_yaml(self, path: Path, text: str | None = None, first_line: int = 1) -> YamlDocument | None:
        if text is None:
            text = self.read_text(path)
            if text is None:
                return None
        try:
            return load_yaml(text, self.relative(path), first_line=first_line)
        except ContentErrors as invalid:
            self.errors.extend(invalid.errors)
        return None

    def data_file(self, name: str, top: type, *, optional: bool = False) -> tuple[Any, SourceMap] | None:
        path = self.content_dir / DATA_DIR / name
        if f"{DATA_DIR}/{name}" not in self.inventory.data:
            if optional:
                return None
            if os.path.lexists(path):
                return None  # there, but refused by the inventory (a link...): said already
            self.errors.append(ContentError(
                self.relative(path), 1, 1, "(file)",
                "is missing: create it (an empty list `[]` is fine)" if top is list else
                "is missing: create it (an empty mapping `{}` is fine)",
                "data-file-missing",
            ))
            return None
        document = self.read_yaml(path)
        if document is None:
            return None
        data = document.data if document.data is not None else top()
        if not isinstance(data, top):
            shape = "a list of items, each starting with `- `" if top is list else "a mapping of ids to entries"
            self.errors.append(document.where.error((), "(file)", f"must be {shape}", "data-file-shape"))
            return None
        limit = MAX_DATA_ENTRIES.get(name, MAX_FACTS_PER_FILE)
        if len(data) > limit:
            first_over = (list(data)[limit] if isinstance(data, dict) else limit,)
            self.errors.append(document.where.error(
                first_over, "(file)", f"holds {len(data):,} entries; at most {limit:,} are allowed: each is a page of "
                                      "the site or shows on many, and the build's time grows faster than their number",
                "length"))
        return data, document.where

    def facts(self, content: Content) -> None:
        """Every facts file (content/data/facts/*.yml): each fact valid, ids unique across the
        files, each fact's values in order and not overlapping."""
        raw_ids: list[str] = []
        first_place: dict[str, str] = {}  # by id: where it is defined first, for the duplicate's message
        unreadable = False
        for src_uri in (src for src in self.inventory.data if src.startswith(f"{FACTS_DIR}/")):
            loaded = self.data_file(src_uri.removeprefix(f"{DATA_DIR}/"), list, optional=True)
            if loaded is None:
                unreadable = True
                continue
            data, where = loaded
            raw_ids += _ids(data)
            for index, item in enumerate(data[:MAX_FACTS_PER_FILE]):
                fact, errors = validate(Fact, item, where, (index,))
                self.errors.extend(errors)
                if not isinstance(fact, Fact):
                    continue
                place = f"{where.path}:{where.value((index, 'id')).line}"
                if fact.id in first_place:
                    self.errors.append(where.error(
                        (index, "id"), "id", f"duplicate fact id {fact.id!r}: {first_place[fact.id]} already "
                                             "defines it; ids are unique across every facts file", "duplicate-id"))
                    continue
                first_place[fact.id] = place
                order = _order_problems(fact)
                self.errors.extend(order)
                if not order:
                    content.facts.append(fact)
        content.fact_ids = self.fact_ids = None if unreadable else list(dict.fromkeys(raw_ids))
        self.chart_groups = list(charts.groups(content.facts))

    def items(self, name: str, model: type[Model]) -> tuple[list[tuple[Any, SourceMap, int]], list[Any], SourceMap | None]:
        """Validate each item of a list data file, keeping its index for positions.

        Also returns the raw items, for reference checks that should run even on an
        item that failed validation, so that every problem is reported in one run.
        """
        loaded = self.data_file(name, list)
        if loaded is None:
            return [], [], None
        data, where = loaded
        valid = []
        for index, item in enumerate(data):
            instance, errors = validate(model, item, where, (index,))
            self.errors.extend(errors)
            if instance is not None:
                valid.append((instance, where, index))
        return valid, data, where

    def unique(self, items: list[tuple[Any, SourceMap, int]], key: str, what: str) -> list[Any]:
        seen: dict[Any, int] = {}
        kept = []
        for instance, where, index in items:
            value = getattr(instance, key)
            if value in seen:
                self.errors.append(where.error(
                    (index, key), key,
                    f"duplicate {what} {value!r}: item {seen[value] + 1} already uses it",
                    "duplicate-id",
                ))
                continue
            seen[value] = index
            kept.append(instance)
        return kept

    def check_refs(self, raw: Any, key: str, known: list[str] | None, where: SourceMap,
                   base: tuple, what: str, defined_in: str) -> None:
        """Report each id under `raw[key]` (one id or a list) that is not `known`.

        `known` is None when the file defining the ids could not be read: nothing to check against.
        """
        if known is None or not isinstance(raw, dict):
            return
        value = raw.get(key)
        if isinstance(value, str):
            references = [((key,), value)]
        elif isinstance(value, list):
            references = [((key, i), item) for i, item in enumerate(value) if isinstance(item, str)]
        else:
            return
        for loc, reference in references:
            if reference in known:
                continue
            close = difflib.get_close_matches(reference, known, n=1, cutoff=0.6)
            if close:
                hint = f"did you mean {close[0]!r}?"
            else:
                hint = f"known ids: {', '.join(known)}" if known else "none is defined yet"
            self.errors.append(where.error(
                base + loc, field_name(loc), f"unknown {what} {reference!r}: {hint} (see {defined_in})",
                "unknown-reference",
            ))

    def check_paths(self) -> None:
        """Every file name must be a safe URL segment, no two files may share a URL (case
        aside), and none may be in a folder of the theme's."""
        pages: dict[str, tuple[str, str]] = {}  # (URL, file) by the URL without case
        markdown = set(self.inventory.pages)
        published = self.inventory.published
        for src in self.inventory.named:
            path = self.content_dir / src
            bad = [part for part in src.split("/") if not _URL_SEGMENT.fullmatch(part)]
            is_article = path.suffix == ".md" and path.parent == self.content_dir / ARTICLES_DIR
            in_articles = src.startswith(f"{ARTICLES_DIR}/")  # a misplaced article is said so already
            if bad and not is_article:  # articles get a more precise message about their slug
                self.errors.append(ContentError(
                    self.relative(path), 1, 1, "(file name)",
                    f"{bad[0]!r} is not safe in a URL: use letters, digits, hyphens and dots only",
                    "bad-file-name",
                ))
                continue
            if src in markdown:
                if not in_articles:  # articles are checked as they are read
                    self.check_page(path)
            if src not in published:  # refused already, or a data file
                continue
            top = src.split("/", 1)[0] + "/" if "/" in src else ""
            if top in THEME_FOLDERS:
                self.errors.append(ContentError(
                    self.relative(path), 1, 1, "(file)",
                    f"content/{top} is the site's own ({THEME_FOLDERS[top]}): a file here could replace one "
                    "of them; put it beside the page that shows it", "url-clash",
                ))
                continue
            # Without case: on a disk that ignores it (a checkout on macOS or Windows),
            # About.md and about.md are one file, and /About/ one page with /about/.
            url = page_url(src) if src in markdown else src
            if url.casefold() not in pages:
                pages[url.casefold()] = (url, self.relative(path))
                continue
            other_url, other = pages[url.casefold()]
            self.errors.append(ContentError(
                self.relative(path), 1, 1, "(file)",
                f"would be published at /{url}, like {other}: keep one of them", "url-clash",
            ))
            if other_url != url:  # a clash of case alone: which name is the intruder, only the editor knows
                self.errors.append(ContentError(
                    other, 1, 1, "(file)", f"would be published at /{other_url}, like {self.relative(path)} "
                                           "(letter case aside): keep one of them", "url-clash",
                ))

    def check_page(self, path: Path) -> None:
        """Validate a Markdown page that is not an article (home, about): its front matter
        into PageMeta, its icon, and its body under the raw HTML policy."""
        text = self.read_text(path)
        if text is None:
            return
        relative = self.relative(path)
        parts = split_front_matter(text)
        body, first_line = (parts[1], parts[2]) if parts else (text, 1)
        self.errors.extend(check_markdown(body, path=relative, first_line=first_line, allow=self.allow_html))
        if self.fact_ids is not None:  # the build fills in facts on these pages too
            self.errors.extend(unknown_references(relative, body, mask_code(body), first_line, self.fact_ids))
            self.errors.extend(charts.unknown_groups(relative, mask_code(body), first_line, self.chart_groups))
        if parts is None:  # no front matter: the page's first heading is its title
            meta: Model | None = PageMeta()
        else:
            document = self.read_yaml(path, parts[0], first_line=2)
            if document is None:
                return
            meta, errors = validate(PageMeta, document.data if document.data is not None else {}, document.where)
            self.errors.extend(errors)
        if not isinstance(meta, PageMeta):
            return
        if meta.icon and self.icon_exists is not None and not self.icon_exists(meta.icon):
            self.errors.append(meta.problem(
                "icon", f"no icon named {meta.icon!r}: pick one from Material's icon set, "
                        "like material/information-outline", "unknown-icon", relative))
            return
        src_uri = path.relative_to(self.content_dir).as_posix()
        self.pages[src_uri] = Page(src_uri, relative, meta)

    def article(self, path: Path) -> tuple[Article | ArticleBody | None, Any, SourceMap] | None:
        """The article (its body alone if the front matter is invalid), its raw front matter
        and positions; None if unreadable or without front matter."""
        relative = self.relative(path)
        slug = path.stem
        if not _SLUG.fullmatch(slug) or slug in RESERVED_SLUGS:
            reason = "is reserved for a listing page" if slug in RESERVED_SLUGS else \
                "must be lowercase letters, digits and hyphens"
            suggestion = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "my-article"
            self.errors.append(ContentError(
                relative, 1, 1, "(file name)",
                f"the slug {slug!r} {reason}: rename the file, for example to {suggestion}.md",
                "bad-file-name",
            ))
        text = self.read_text(path)
        if text is None:
            return None
        parts = split_front_matter(text)
        if parts is None:
            self.errors.append(ContentError(
                relative, 1, 1, "(front matter)",
                "missing: start the file with a `---` line, the fields (title, description, date, "
                "authors), and a closing `---` line",
                "front-matter-missing",
            ))
            return None
        front_matter, body, body_line = parts
        masked = mask_code(body)
        self.errors.extend(check_markdown(body, path=relative, first_line=body_line, allow=self.allow_html,
                                          masked=masked))
        src_uri = path.relative_to(self.content_dir).as_posix()
        document = self.read_yaml(path, front_matter, first_line=2)
        if document is None:
            return ArticleBody(slug, body, relative, src_uri, body_line, masked, draft=False), {}, None
        data = document.data if document.data is not None else {}
        meta, errors = validate(ArticleMeta, data, document.where)
        self.errors.extend(errors)
        if meta is None:
            draft = isinstance(data, dict) and data.get("draft") is True
            return ArticleBody(slug, body, relative, src_uri, body_line, masked, draft), data, document.where
        words = len(_WORD.findall(body))
        plain = text.startswith("---\n") and \
            text[4 + len(front_matter):4 + len(front_matter) + 4] in ("---\n", "...\n") and isinstance(data, dict)
        as_read = FrontMatter(front_matter, data, document.where) if plain else None
        return Article(slug, meta, body, relative, src_uri, words, body_line, masked, as_read), data, document.where


def load_content(root: Path | str, content_dir: Path | str | None = None,
                 *, icon_exists: Callable[[str], bool] | None = None,
                 allow_html: Sequence[Allowance] = ()) -> Content:
    """Load and validate all content; raise ContentErrors listing every problem."""
    content, errors = read_content(root, content_dir, icon_exists=icon_exists, allow_html=allow_html)
    if errors:
        raise ContentErrors(errors)
    return content


def read_content(root: Path | str, content_dir: Path | str | None = None,
                 *, icon_exists: Callable[[str], bool] | None = None,
                 allow_html: Sequence[Allowance] = ()) -> tuple[Content, list[ContentError]]:
    """Every problem of the content, and the valid part of it: entries that are invalid, or
    that name an entry that is, are left out, so the rest can still be linted (the site
    graph needs every reference resolved). An article left out keeps its body
    (`invalid_articles`), whose links and headings are still checked."""
    root = Path(root).resolve()
    content_dir = (root / "content") if content_dir is None else (root / content_dir)
    if content_dir.resolve() != Path(os.path.abspath(content_dir)):  # a link on the way to it
        raise ContentErrors([ContentError(
            Path(os.path.relpath(os.path.abspath(content_dir), root)).as_posix(), 1, 1, "(folder)",
            "is a symbolic link, or inside one: the content folder is a folder of the repository", "symlink")])
    content_dir = content_dir.resolve()
    loader = _Loader(root, content_dir, icon_exists, allow_html)

    benefit_items, raw_benefits, benefits_where = loader.items("benefits.yml", Benefit)
    category_items, raw_categories, categories_where = loader.items("categories.yml", Category)
    resource_items, raw_resources, resources_where = loader.items("resources.yml", Resource)
    content = Content(
        benefits=loader.unique(benefit_items, "id", "benefit id"),
        categories=loader.unique(category_items, "id", "category id"),
        resources=loader.unique(resource_items, "url", "resource url"),
    )

    loader.facts(content)

    loaded_authors = loader.data_file("authors.yml", dict)
    if loaded_authors is not None:
        data, where = loaded_authors
        for author_id, entry in data.items():
            if not isinstance(author_id, str) or not _SLUG.fullmatch(author_id):
                loader.errors.append(where.error(
                    (author_id,), str(author_id),
                    "an author id must be lowercase letters, digits and hyphens, like `careers-desk`",
                    "not-a-slug", at_key=True,
                ))
                continue
            author, errors = validate(Author, entry, where, (author_id,))
            loader.errors.extend(errors)
            if author is not None:
                content.authors[author_id] = author

    for benefit, where, index in benefit_items:
        # Summaries are Markdown too: their raw HTML is escaped when rendered, but links are not.
        position = where.value((index, "summary"))
        loader.errors.extend(
            dataclasses.replace(error, line=position.line, column=position.column)
            for error in check_markdown(benefit.summary, path=where.path, field="summary")
            if error.code == "unsafe-url" or error.code.startswith("markdown-too-")
        )

    if loader.icon_exists is not None:
        for benefit, where, index in benefit_items:
            if benefit.icon and not loader.icon_exists(benefit.icon):
                loader.errors.append(where.error(
                    (index, "icon"), "icon",
                    f"no icon named {benefit.icon!r}: pick one from Material's icon set, "
                    "like material/briefcase-outline",
                    "unknown-icon",
                ))

    # Ids that a file names, valid entry or not: a reference to an invalid entry is not
    # a second error. None where the file itself could not be read.
    benefit_ids = None if benefits_where is None else _ids(raw_benefits)
    category_ids = None if categories_where is None else _ids(raw_categories)
    author_ids = None if loaded_authors is None else [str(key) for key in loaded_authors[0]]
    data_dir = loader.relative(content_dir / DATA_DIR)
    benefits_file, categories_file = f"{data_dir}/benefits.yml", f"{data_dir}/categories.yml"

    for index, raw in enumerate(raw_resources):
        assert resources_where is not None
        loader.check_refs(raw, "category", category_ids, resources_where, (index,), "category", categories_file)
        loader.check_refs(raw, "benefits", benefit_ids, resources_where, (index,), "benefit", benefits_file)

    articles_dir = content_dir / ARTICLES_DIR
    paths = [content_dir / src for src in loader.inventory.pages if src.startswith(f"{ARTICLES_DIR}/")]
    for path in paths:
        if path.parent != articles_dir:
            loader.errors.append(ContentError(
                loader.relative(path), 1, 1, "(file)",
                f"articles live directly in {loader.relative(articles_dir)}/: move the file there",
                "misplaced-article",
            ))
            continue
        loaded = loader.article(path)
        if loaded is None:
            continue
        article, raw, where = loaded
        if where is not None:
            loader.check_refs(raw, "authors", author_ids, where, (), "author", f"{data_dir}/authors.yml")
            loader.check_refs(raw, "benefits", benefit_ids, where, (), "benefit", benefits_file)
        if isinstance(article, Article):
            content.articles.append(article)
        elif article is not None:
            content.invalid_articles.append(article)

    loader.check_paths()
    if loader.errors:
        _keep_what_resolves(content)
    content.pages = loader.pages
    content.files = loader.inventory.published
    content.refused_images = loader.inventory.refused_images
    return content, loader.errors


def _keep_what_resolves(content: Content) -> None:
    """After errors: leave out each resource and article that names a category, benefit or
    author that is not a valid entry (reported already, as unknown or as invalid)."""
    benefits = {benefit.id for benefit in content.benefits}
    categories = {category.id for category in content.categories}
    content.resources = [resource for resource in content.resources
                         if resource.category in categories and set(resource.benefits) <= benefits]
    articles, content.articles = content.articles, []
    for article in articles:
        if set(article.meta.benefits) <= benefits and set(article.meta.authors) <= set(content.authors):
            content.articles.append(article)
        else:
            content.invalid_articles.append(ArticleBody(
                article.slug, article.body, article.path, article.src_uri, article.body_line,
                article.masked_body or mask_code(article.body), article.meta.draft))


def _order_problems(fact: Fact) -> list[ContentError]:
    """A fact's values must be oldest first, each ending before the next takes effect."""
    found = []
    for index in range(1, len(fact.values)):
        before, value = fact.values[index - 1], fact.values[index]
        if value.from_ <= before.from_:
            found.append(fact.problem(("values", index, "from"), f"{value.from_} is not after the previous value's "
                                      f"`from` ({before.from_}): list the values oldest first", "date-order"))
        elif before.until is not None and before.until >= value.from_:
            found.append(fact.problem(("values", index, "from"), f"{value.from_} is not after the previous value's "
                                      f"`until` ({before.until}): two values would apply on one day", "date-order"))
    return found


def _ids(raw_items: list[Any]) -> list[str]:
    return list(dict.fromkeys(
        item["id"] for item in raw_items if isinstance(item, dict) and isinstance(item.get("id"), str)
    ))
