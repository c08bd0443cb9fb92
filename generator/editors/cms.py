"""`python -m generator cms`: edit in the browser, locally, without GitHub.

Decap CMS's `decap-server` (MODE=git) commits each save to a branch `cms/<collection>/<slug>`.
In git mode it checks branches out and runs `git add .` in the folder it serves, so it
never serves the editor's own working tree (it would sweep uncommitted work into a CMS
commit): it serves a separate git worktree, `.cache/cms/worktree`, on its own branch
(BASE_BRANCH), made from the current commit the first time. Its branches are the
repository's branches: push one and open a pull request.

One server on 127.0.0.1 serves the built site (with /admin/) and forwards the CMS's API
calls (/api/v1) to decap-server, also on 127.0.0.1: the page talks to its own origin only,
and a request another site makes through the editor's browser is refused.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

import yaml

from ..content.decap import render

WORKTREE = Path(".cache/cms/worktree")
BASE_BRANCH = "cms-editing"  # not under cms/, which decap-server lists as the entries' branches
DECAP_SERVER = Path("node_modules/decap-server/dist/index.js")
HOST = "127.0.0.1"


class CmsUnavailable(Exception):
    """What is missing to edit locally, said for the editor."""


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise CmsUnavailable(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def ensure_worktree(root: Path) -> Path:
    """The worktree decap-server edits, made from the current commit if it is not there."""
    worktree = root / WORKTREE
    if (worktree / ".git").exists():
        return worktree
    _git("worktree", "prune", cwd=root)
    worktree.parent.mkdir(parents=True, exist_ok=True)
    if _git("branch", "--list", BASE_BRANCH, cwd=root):
        _git("worktree", "add", str(worktree), BASE_BRANCH, cwd=root)
    else:
        _git("worktree", "add", "-b", BASE_BRANCH, str(worktree), "HEAD", cwd=root)
    return worktree


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class _Handler(SimpleHTTPRequestHandler):
    """The built site; /admin/config.yml pointed at the worktree's branch; /api/v1 forwarded."""

    api = ""  # decap-server's address
    config: dict = {}  # admin/config.yml, as built

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the signature is http.server's
        pass

    def _own_origin(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}"

    def _from_elsewhere(self) -> bool:
        """A request another site made through the editor's browser (a form posted to
        127.0.0.1, or a host name rebound to it): decap-server would commit what it says."""
        origin = self.headers.get("Origin")
        return self.headers.get("Host") != self._own_origin().removeprefix("http://") or \
            (origin is not None and origin != self._own_origin())

    def do_GET(self) -> None:
        if self._from_elsewhere():
            self._send(403, "text/plain", b"Forbidden")
            return
        if self.path.split("?")[0] == "/admin/config.yml":
            # The worktree's branch, and the API on this origin (Decap wants an absolute URL).
            local = {**self.config, "local_backend": {"url": f"http://{HOST}:{self.server.server_address[1]}/api/v1"},
                     "backend": {**self.config["backend"], "branch": BASE_BRANCH}}
            self._send(200, "text/yaml; charset=utf-8", render(local).encode())
            return
        super().do_GET()

    def do_POST(self) -> None:
        if self._from_elsewhere() or self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            # JSON only: another site cannot send it without a preflight this server refuses.
            self._send(403, "text/plain", b"Forbidden")
            return
        if self.path.split("?")[0] != "/api/v1":
            self._send(404, "text/plain", b"Not found")
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        request = urllib.request.Request(self.api, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                self._send(answer.status, answer.headers.get("Content-Type", "application/json"), answer.read())
        except urllib.error.HTTPError as error:
            self._send(error.code, error.headers.get("Content-Type", "application/json"), error.read())

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Editing:
    url: str  # the editor: <url>admin/
    worktree: Path


def _wait_for(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CmsUnavailable(f"decap-server stopped (exit {process.returncode})")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise CmsUnavailable(f"decap-server did not answer on {HOST}:{port} within {timeout:.0f} s")


@contextmanager
def editing(root: Path, site_dir: Path, *, port: int = 0, log: TextIO | None = None) -> Iterator[Editing]:
    """decap-server on the worktree and the site served, until the block ends."""
    node = shutil.which("node")
    if node is None or not (root / DECAP_SERVER).is_file():
        raise CmsUnavailable("decap-server is not installed: run `npm ci --ignore-scripts`")
    if not (site_dir / "admin/index.html").is_file():
        raise CmsUnavailable(f"{site_dir.name}/admin/ is missing: run `mkdocs build` (after `npm ci --ignore-scripts`)")
    worktree = ensure_worktree(root)
    api_port = _free_port()
    env = {**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(worktree), "PORT": str(api_port),
           "BIND_HOST": HOST, "LOG_LEVEL": "warn"}
    server_process = subprocess.Popen([node, str(root / DECAP_SERVER)], env=env, cwd=worktree,
                                      stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    try:
        _wait_for(api_port, server_process)
        config = yaml.safe_load((site_dir / "admin/config.yml").read_text(encoding="utf-8"))
        handler = type("Handler", (_Handler,), {"api": f"http://{HOST}:{api_port}/api/v1", "config": config})
        server = ThreadingHTTPServer((HOST, port), partial(handler, directory=str(site_dir)))
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield Editing(f"http://{HOST}:{server.server_address[1]}/", worktree)
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
    finally:
        server_process.terminate()
        try:
            server_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server_process.kill()
            server_process.wait()


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(root: Path, *, port: int, out: TextIO) -> int:
    """The command: serve until Ctrl-C (or SIGTERM), then stop decap-server too."""
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        with editing(root, root / "site", port=port, log=sys.stderr) as session:
            print(f"Editor: {session.url}admin/ (Ctrl-C stops it). Saves are commits on branches "
                  f"cms/<collection>/<slug> of this repository, made in {WORKTREE}; push one and open "
                  "a pull request.", file=out, flush=True)
            while True:
                time.sleep(3600)
    except CmsUnavailable as why:
        print(f"error: {why}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
