"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

from localhttp import LocalServer, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Debian's Chromium (CI installs it with apt); CHROMIUM_PATH points elsewhere.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]

# Records every CSP violation and uncaught error before any page script runs.
RECORDER = """
window.__problems = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__problems.push('CSP: ' + e.violatedDirective + ' blocked ' + e.blockedURI));
window.addEventListener('error', e => window.__problems.push('error: ' + e.message));
"""


# axe-core from npm (`npm ci`), and the rules every page is held to: WCAG 2.2 A and AA, and
# axe's best practices.
AXE = Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page: Page) -> list[str]:
    """What axe finds on the page as it is now, one line per rule with the elements it
    names. Injecting axe needs an inline script: open the page with `bypass_csp=True`.
    Skipped without axe-core (failed in CI: conftest.require)."""
    from conftest import require

    require(AXE.is_file(), "axe-core (npm ci --ignore-scripts)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async tags => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""",
        AXE_TAGS,
    )


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under its base path, as GitHub Pages would."""

    base = "/"
    compress = False  # gzip text files, as GitHub Pages does
    COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".wasm")

    def do_GET(self) -> None:
        if self.compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            address = self.path.split("?")[0].split("#")[0]
            path = Path(self.translate_path(address))
            if path.is_dir() and address.endswith("/"):
                path = path / "index.html"
            if path.is_file() and path.suffix in self.COMPRESSED:
                body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super().do_GET()

    def translate_path(self, path: str) -> str:
        if path.startswith(self.base):
            path = "/" + path[len(self.base):]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory, "404.html")
        if code == 404 and not_found.is_file():
            body = not_found.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def recording_page(browser: Browser, **options) -> Iterator[Page]:
    """A page in a fresh context that records its console errors, CSP violations and
    uncaught errors (RECORDER) from the start: read them with `problems`."""
    context = browser.new_context(**options)
    context.add_init_script(RECORDER)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    try:
        yield page
    finally:
        context.close()


def problems(page: Page) -> list[str]:
    """What `recording_page` recorded: console errors, CSP violations, uncaught errors."""
    return page.console_errors + page.evaluate("window.__problems")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright; the test is skipped without it
    (failed in CI: conftest.require)."""
    from conftest import require
    from playwright.sync_api import sync_playwright

    require(os.path.exists(CHROMIUM), f"Chromium ({CHROMIUM}; set CHROMIUM_PATH for another)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve(site: Path, base: str = "/", *, compress: bool = False) -> Iterator[str]:
    """The site's root URL, served from a thread until the block ends; with `compress`,
    text files are sent gzipped to a browser that accepts it, as GitHub Pages sends them."""
    handler = type("Handler", (_Handler,), {"base": base, "compress": compress})
    with serving(LocalServer(partial(handler, directory=str(site)))) as address:
        yield address + base
