"""The editors' CMS page, /admin/: Decap CMS from node_modules, our page and config.

Decap's files come only from the npm package (`npm ci` checks them against
package-lock.json), never from content/. Without node_modules (the README's pip-only
preview) the site is built without /admin/, said in one info line. The page is left out
of search, the sitemap and the feeds (it is no MkDocs page), robots.txt disallows it, and
it carries its own CSP (ADMIN_POLICY), the only page whose policy differs from csp.py's.
"""

from __future__ import annotations

import html
import logging
import re
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from ..content import decap

log = logging.getLogger("mkdocs.plugins.field_guide")

SOURCE = Path("admin")  # our page, script and generated config, beside mkdocs.yml
FOLDER = "admin"  # in the site
DECAP_DIST = Path("node_modules/decap-cms/dist")
JS_YAML = Path("node_modules/js-yaml/dist/js-yaml.min.js")
# decap-cms.js and the chunks it loads on demand (by number), never the source maps or
# the second copy (cms.js) the package also ships.
_DECAP_FILE = re.compile(r"(?:\d+\.)?decap-cms\.js")
# The strictest policy Decap runs under, found by running it in Chromium with each source
# taken away in turn (SECURITY.md): 'unsafe-eval' for its config validator (ajv compiles
# schemas with new Function: without it, no login), 'unsafe-inline' styles for its
# CSS-in-JS (emotion: without it, an unstyled page); GitHub's API and avatars for the
# GitHub backend. The preview pane is a frame without an address, which frame-src does
# not govern; GitHub's sign-in is a pop-up window, which no directive governs.
ADMIN_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https://avatars.githubusercontent.com",
    "font-src 'self'",
    "connect-src 'self' https://api.github.com",
    "frame-src 'none'",
    "worker-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
])
# The site's style sheets the preview pane is given: Material's, built with a hash in its
# name, and ours.
PREVIEW_STYLES = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/palette.*.min.css",
                  "assets/ifg/site.css")


def write_admin(config: MkDocsConfig, root: Path, cms) -> bool:
    """Write site/admin/; False (and one info line) if Decap is not installed."""
    dist = root / DECAP_DIST
    if not (dist / "decap-cms.js").is_file() or not (root / JS_YAML).is_file():
        log.info("Decap CMS is not installed (run `npm ci --ignore-scripts`): the site is built without /admin/.")
        return False
    if not all((root / SOURCE / name).is_file() for name in ("index.html", "cms.js", "config.yml")):
        log.info(f"No {SOURCE}/index.html, cms.js and config.yml beside mkdocs.yml: the site is built without /admin/.")
        return False
    site_dir = Path(config.site_dir)
    folder = site_dir / FOLDER
    folder.mkdir(exist_ok=True)
    for path in sorted(dist.iterdir()):
        if _DECAP_FILE.fullmatch(path.name):
            shutil.copyfile(path, folder / path.name)
    shutil.copyfile(root / JS_YAML, folder / "js-yaml.min.js")
    shutil.copyfile(root / SOURCE / "cms.js", folder / "cms.js")
    committed = (root / decap.CONFIG_PATH).read_text(encoding="utf-8")
    (folder / "config.yml").write_text(
        decap.with_backend(committed, repo=cms.repo, branch=cms.branch, base_url=cms.auth_url), encoding="utf-8")
    styles = [f"../{path.relative_to(site_dir).as_posix()}"
              for pattern in PREVIEW_STYLES for path in sorted(site_dir.glob(pattern))]
    page = (root / SOURCE / "index.html").read_text(encoding="utf-8")
    page = (page.replace("{policy}", ADMIN_POLICY)
            .replace("{site_name}", html.escape(config.site_name))
            .replace("{preview_styles}", "\n".join(f'  <link rel="preview-style" href="{html.escape(href)}">'
                                                   for href in styles)))
    (folder / "index.html").write_text(page, encoding="utf-8")
    return True
