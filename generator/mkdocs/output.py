"""The files written after the pages: feeds, robots.txt and the manifest."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig

from ..site import feeds, manifest
from ..site.pipeline import PreparedSite


def site_url(config: MkDocsConfig) -> str:
    url = config.site_url or "/"
    return url if url.endswith("/") else url + "/"


def write_feeds_and_robots(prepared: PreparedSite, config: MkDocsConfig, *, article_html: dict[str, str],
                           limit: int) -> None:
    """`article_html`: the rendered bodies of the articles in the feeds, by slug."""
    site_dir, url = Path(config.site_dir), site_url(config)
    for name, text in feeds.build_feeds(
        prepared.graph.published, site_url=url, site_name=config.site_name,
        site_description=config.site_description or "", authors=prepared.content.authors,
        content_html=article_html, limit=limit, lead_images=prepared.lead_images,
    ).items():
        (site_dir / name).write_text(text, encoding="utf-8")
    # The editors' CMS (/admin/) is no page for readers or search engines.
    admin_path = urlsplit(url).path + "admin/"
    (site_dir / "robots.txt").write_text(f"User-agent: *\nAllow: /\nDisallow: {admin_path}\n\nSitemap: {url}sitemap.xml\n",
                                         encoding="utf-8")


def write_manifest(config: MkDocsConfig) -> None:
    """Last: a hash of every file, so CI can list the pages a pull request changes."""
    manifest.write_manifest(Path(config.site_dir))
