"""The live preview (`mkdocs serve`): the generator reloaded, and `--dirty` rebuilds that
render only the pages an edit changes (which pages: `../site/incremental.py`)."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from ..content import charts, decap, errors, facts, inventory, limits, models, policy, reader, regions, yamlsource
from ..markdown import gfm, markup, mdext, parity, rewrites, sanitize, settings
from ..site import (csp, feeds, figures, graph, htmlfix, incremental, lint, manifest, media, pages, pipeline, searchindex,
                    seo, social)
from ..site.pipeline import PreparedSite
from . import internals
from .files import GeneratedPage, nav_paths

log = logging.getLogger("mkdocs.plugins.field_guide")

# The plain-Python pipeline, in import order. The preview reloads it before each
# rebuild, so an edit to the generator shows like an edit to content. (This package is
# not reloaded: MkDocs keeps the plugin object from one rebuild to the next.)
# tests/test_reload.py checks that it holds every module the plugin imports, in order.
PIPELINE = (errors, regions, yamlsource, models, limits, facts, charts, policy, inventory, reader, decap,  # content/
            sanitize, mdext, gfm, settings, markup, parity, rewrites,  # markdown/
            media, graph, pages, incremental, lint, figures, pipeline, csp, social, seo, feeds, htmlfix,  # site/
            searchindex, manifest)
GENERATOR = Path(__file__).resolve().parent.parent


def reload_pipeline(config: MkDocsConfig | None = None) -> None:
    """Reload the pipeline; with `config`, what its Markdown settings name of it
    (`!!python/name:generator.markdown.gfm.github_emoji`, read before the reload) is taken from the
    reloaded modules, so the preview converts with the code as edited."""
    for module in PIPELINE:
        importlib.reload(module)
    if config is None:
        return
    reloaded = {module.__name__: module for module in PIPELINE}
    for settings in (config.mdx_configs or {}).values():
        for name, value in settings.items():
            module = reloaded.get(getattr(value, "__module__", None)) if callable(value) else None
            fresh = getattr(module, getattr(value, "__name__", ""), None) if module is not None else None
            if fresh is not None:
                settings[name] = fresh


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory from one preview rebuild to the next: MkDocs
    makes a new Jinja environment per build, which would compile every template again.
    Jinja checks each template's source, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.code.clear()


@dataclass
class Built:
    """What a preview build rendered: the next dirty rebuild compares against it."""

    fingerprints: dict[str, str]  # by src_uri: see incremental.fingerprints
    shared: Any  # what every page is rendered with
    sources: set[str]  # the src_uri of every page
    outputs: set[str]  # every file the build wrote for a page, relative to site_dir
    urls: set[str]  # every page's URL


class DirtyPreview:
    """`mkdocs serve --dirty`: what the last good build rendered, to render only what changed."""

    def __init__(self) -> None:
        self.built: Built | None = None
        self.building: Built | None = None
        self.rendered: set[str] = set()  # URLs of the pages rendered by this build
        self.compiled_templates = CompiledTemplates()

    def start(self) -> None:
        # MkDocs warns that a dirty build may leave pages stale: ours renders every page an
        # edit changes, so the warning would only alarm editors at every rebuild.
        internals.hide_dirty_build_warning()

    def choose_pages_to_render(self, files: Files, config: MkDocsConfig, prepared: PreparedSite,
                               prints: dict[str, str], outputs: set[str]) -> None:
        """Mark the pages this dirty rebuild renders: those whose fingerprint changed, the
        articles that link to a page just added or removed, or every page when something
        they all share changed. MkDocs adds the pages whose source file was edited.
        `prints`: each page's `incremental.fingerprints`; `outputs`: the files other than
        pages that the build writes (the social cards)."""
        documents = files.documentation_pages()
        shared = {
            "files": incremental.tree_signature(
                [config.config_file_path, *([config.theme.custom_dir] if config.theme.custom_dir else []),
                 GENERATOR]),
            "unpublished": sorted(prepared.graph.unpublished_slugs),
        }
        sources = {file.src_uri for file in documents}
        # A nav entry without a title shows its page's title on every page.
        untitled = set(nav_paths(config.nav or [], untitled_only=True))
        self.building = Built(prints, shared, sources, outputs={file.dest_uri for file in documents} | outputs,
                              urls={file.url for file in documents})
        previous = self.built
        everything = (previous is None or previous.shared != shared
                      or any(file.src_uri in untitled and not isinstance(file, GeneratedPage)
                             and file.is_modified() for file in documents))
        stale = set() if everything else incremental.changed(previous.fingerprints, prints)
        if previous is not None and (appeared_or_gone := sources ^ previous.sources):
            stale |= incremental.linking_to(prepared.graph.articles, appeared_or_gone)
            # Pages written by hand may link to it too; there are few of them.
            stale |= {file.src_uri for file in documents
                      if not isinstance(file, GeneratedPage) and file.src_uri not in prepared.pages}
        if everything:  # the generator may have changed how templates compile (autoescaping)
            self.compiled_templates.clear()
        for file in documents:
            render = everything or file.src_uri in stale
            if isinstance(file, GeneratedPage):
                file.rebuild = render
            elif render:  # MkDocs renders a page whose output is missing
                Path(file.abs_dest_path).unlink(missing_ok=True)

    def finish(self, site_dir: Path) -> None:
        """Once the build has written everything: forget what is gone, keep what was built."""
        if self.building is None:
            return
        if self.built is not None:
            self._forget_removed_pages(site_dir)
            log.info(f"Rendered {len(self.rendered)} of {len(self.building.urls)} pages: the others did not change.")
        self.built, self.building = self.building, None

    def _forget_removed_pages(self, site_dir: Path) -> None:
        """Delete what the last build wrote for pages that are gone (a renamed article, a
        listing page fewer): a dirty build leaves them, and the preview would serve them."""
        assert self.built is not None and self.building is not None
        for output in self.built.outputs - self.building.outputs:
            path = site_dir / output
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == site_dir or not folder.is_relative_to(site_dir) or any(folder.iterdir()):
                    break
                folder.rmdir()
