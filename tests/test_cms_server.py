"""The server of `python -m generator cms`: the built site, and decap-server's API on the
same origin, for that origin only."""

from __future__ import annotations

import http.client
import json
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from generator.editors.cms import BASE_BRANCH, _Handler
from localhttp import LocalServer, serving


class _FakeDecapServer(BaseHTTPRequestHandler):
    calls: list[bytes] = []

    def do_POST(self) -> None:
        self.calls.append(self.rfile.read(int(self.headers["Content-Length"])))
        body = b'{"repo":"worktree"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def editor(tmp_path):
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin/index.html").write_text("<!doctype html><title>Editor</title>")
    _FakeDecapServer.calls = []
    with serving(LocalServer(_FakeDecapServer)) as api:
        config = {"backend": {"name": "github", "repo": "o/r", "branch": "main"}, "local_backend": True}
        handler = type("Handler", (_Handler,), {"api": f"{api}/api/v1", "config": config})
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.server_address[1]
        server.shutdown()
        server.server_close()


def _request(port: int, method: str, path: str, *, headers: dict[str, str], body: bytes | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    return answer.status, answer.read()


def test_the_editors_api_calls_reach_decap_server_and_the_config_names_the_worktrees_branch(editor):
    own = {"Host": f"127.0.0.1:{editor}", "Origin": f"http://127.0.0.1:{editor}"}
    status, body = _request(editor, "POST", "/api/v1", body=b'{"action":"info"}',
                            headers={**own, "Content-Type": "application/json"})
    assert (status, json.loads(body)) == (200, {"repo": "worktree"})
    assert _FakeDecapServer.calls == [b'{"action":"info"}']
    status, body = _request(editor, "GET", "/admin/config.yml", headers={"Host": own["Host"]})
    config = yaml.safe_load(body)
    assert status == 200 and config["backend"]["branch"] == BASE_BRANCH
    assert config["local_backend"] == {"url": f"http://127.0.0.1:{editor}/api/v1"}
    assert _request(editor, "GET", "/admin/", headers={"Host": own["Host"]})[0] == 200


@pytest.mark.parametrize("headers", [
    {"Origin": "https://attacker.example", "Content-Type": "application/json"},  # another site's fetch
    {"Content-Type": "text/plain"},  # a form another site posts, which needs no preflight
    {"Host": "rebound.attacker.example", "Content-Type": "application/json"},  # DNS rebinding
])
def test_a_request_another_site_makes_through_the_browser_is_refused_and_not_forwarded(editor, headers):
    headers = {"Host": f"127.0.0.1:{editor}", **headers}
    status, _ = _request(editor, "POST", "/api/v1", body=b'{"action":"persistEntry"}', headers=headers)
    assert status == 403 and _FakeDecapServer.calls == []
