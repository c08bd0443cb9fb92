"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from localhttp import LocalServer, serving

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


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under its base path, as GitHub Pages would."""

    base = "/"

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
def serve(site: Path, base: str = "/") -> Iterator[str]:
    """The site's root URL, served from a thread until the block ends."""
    handler = type("Handler", (_Handler,), {"base": base})
    with serving(LocalServer(partial(handler, directory=str(site)))) as address:
        yield address + base
