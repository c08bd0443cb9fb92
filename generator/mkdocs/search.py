"""Search: the Pagefind index of the pages the build wrote (indexing: `../site/searchindex.py`).

Material's search plugin is not used: it puts the text of every page into one file that
every reader downloads on their first visit. The site's search box and results are
theme/partials/ifg/search.html and theme/assets/ifg/search.js.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from ..content import reader
from ..site import searchindex
from ..site.pipeline import PreparedSite

log = logging.getLogger("mkdocs.plugins.field_guide")


def plugins_problem(config: MkDocsConfig) -> str | None:
    """What is wrong with `plugins` for search: Material's search plugin beside ours."""
    if not any(name in ("search", "material/search") for name in config.plugins):
        return None
    return ("remove `search`: the site's search is Pagefind, written by the field-guide plugin; "
            "Material's search plugin would send the full text of every page to every reader")


def check(config: MkDocsConfig) -> None:
    """Before the build writes anything: Material's search is not configured beside ours,
    and the indexer runs."""
    problem = plugins_problem(config)
    if problem is not None:
        raise PluginError(f"mkdocs.yml: plugins: {problem}.")
    try:
        searchindex.check_indexer()
    except searchindex.SearchIndexError as error:
        raise PluginError(f"{error}. The site was not built.") from None


def start_index(config: MkDocsConfig, prepared: PreparedSite, *, preview: bool) -> searchindex.Indexing | None:
    """Start indexing the written site (the build goes on meanwhile); None if there is
    nothing to index, or (in the preview) it failed to start, said why."""
    site_dir = Path(config.site_dir)
    expected = len(prepared.graph.published)
    try:
        if expected == 0:  # nothing to search: Pagefind would index every page instead
            shutil.rmtree(site_dir / searchindex.BUNDLE_DIR, ignore_errors=True)
            return None
        # Articles' pages only: articles/<slug>/index.html (or articles/<slug>.html).
        pages = f"{reader.ARTICLES_DIR}/*/index.html" if config.use_directory_urls else f"{reader.ARTICLES_DIR}/*.html"
        return searchindex.start_index(site_dir, language=config.theme.get("language") or "en", expected=expected,
                                       pages=pages)
    except searchindex.SearchIndexError as error:
        _failed(error, preview=preview)
        return None


def finish_index(indexing: searchindex.Indexing | None, config: MkDocsConfig, *, preview: bool) -> None:
    """Check that the index holds exactly the published articles.

    A build that fails here is not published (`publish.py`): a site without search must
    not be. (The preview keeps its pages, and says why search is out of date.)
    """
    if indexing is None:
        return
    try:
        indexing.finish()
    except searchindex.SearchIndexError as error:
        _failed(error, preview=preview)
        return
    log.info(f"Search index: {indexing.expected} articles.")


def _failed(error: searchindex.SearchIndexError, *, preview: bool) -> None:
    if preview:
        log.error(f"Search is out of date: {error}")
        return
    raise PluginError(f"{error}. The site was not built.") from None
