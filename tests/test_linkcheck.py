"""External link checking, against a local HTTP server on 127.0.0.1 only."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace

import pytest

from generator.editors import linkcheck
from generator.editors.linkcheck import LinkResult, check_urls
from localhttp import LocalServer, serving

# Fast settings for a local server: no waiting between retries.
FAST = {"timeout": 2.0, "retries": 2, "backoff": 0}
DAY = 86_400


class _Server(LocalServer):
    def __init__(self) -> None:
        super().__init__(_Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []  # (method, path), in arrival order
        self.user_agents: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.stop = threading.Event()  # wakes /slow handlers at teardown

    def handle_error(self, request, client_address) -> None:
        pass  # a client that timed out leaves a broken pipe: expected here

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        with self.lock:
            return sum(1 for _, seen in self.requests if seen == path)

    def methods(self, path: str) -> list[str]:
        with self.lock:
            return [method for method, seen in self.requests if seen == path]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        server, path = self.server, self.path
        with server.lock:
            server.requests.append((self.command, path))
            server.user_agents.add(self.headers.get("User-Agent", ""))
            seen = sum(1 for _, p in server.requests if p == path)
            server.in_flight += 1
            server.max_in_flight = max(server.max_in_flight, server.in_flight)
        try:
            self._route(path, seen)
        finally:
            with server.lock:
                server.in_flight -= 1

    def _route(self, path: str, seen: int) -> None:
        route, _, query = path.partition("?")
        if route in ("/ok", "/caf%C3%A9"):
            self._reply(200)
        elif route == "/moved":
            self._reply(301, location="/ok")
        elif route == "/loop":
            self._reply(302, location="/loop")
        elif route == "/to-mail":
            self._reply(302, location="mailto:editors@example.org")
        elif route == "/no-head":
            self._reply(int(query or 405) if self.command == "HEAD" else 200)
        elif route == "/flaky":
            self._reply(503 if seen == 1 else 200)
        elif route == "/rate-limited":
            self._reply(429 if seen == 1 else 200)
        elif route == "/slow":
            self._pause(1.0)
            self._reply(200)
        elif route == "/pause":
            self._pause(0.2)
            self._reply(200)
        elif route == "/always-500":
            self._reply(500)
        else:
            self._reply(404)

    def _pause(self, seconds: float) -> None:
        """Wait, or less if the test is over. Short sleeps, not `Event.wait(timeout)`: under
        libfaketime 0.9.10 a timed wait never times out (glibc's sem_clockwait is not faked)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.server.stop.is_set():
            time.sleep(0.01)

    def _reply(self, status: int, location: str | None = None) -> None:
        body = f"status {status}\n".encode()
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    """A proxy from the environment must not see requests meant for 127.0.0.1."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server():
    httpd = _Server()
    with serving(httpd):
        try:
            yield httpd
        finally:
            httpd.stop.set()  # wakes /slow handlers before the shutdown


class FakeClock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def cached_ok(checked_at: float) -> dict:
    return {"ok": True, "status": 200, "checked_at": checked_at}


def check_one(url: str, **options) -> LinkResult:
    return check_urls([url], **{**FAST, **options})[url]


def test_live_page_is_ok(server):
    result = check_one(server.url("/ok"))
    assert result == LinkResult(server.url("/ok"), True, 200, None, result.checked_at)
    assert server.methods("/ok") == ["HEAD"]


def test_missing_page_is_dead_with_its_status(server):
    result = check_one(server.url("/missing"))
    assert (result.ok, result.status, result.error) == (False, 404, "HTTP 404")
    assert server.count("/missing") == 1  # a 404 is final: no retry


def test_redirect_to_a_live_page_is_ok(server):
    result = check_one(server.url("/moved"))
    assert (result.ok, result.status, result.error) == (True, 200, None)
    # The redirect is followed with HEAD too, not turned into a download.
    assert server.methods("/moved") == ["HEAD"]
    assert server.methods("/ok") == ["HEAD"]


def test_redirect_loop_is_dead_without_retrying(server):
    result = check_one(server.url("/loop"))
    assert (result.ok, result.error) == (False, "too many redirects")
    assert 1 < server.count("/loop") <= 11  # urllib gives up after a few rounds, once


def test_redirect_off_the_web_is_dead(server):
    result = check_one(server.url("/to-mail"))
    assert (result.ok, result.error) == (False, "redirected to a non-http(s) URL")
    assert server.count("/to-mail") == 1


@pytest.mark.parametrize("refusal", [405, 501, 403])
def test_head_not_allowed_falls_back_to_get(server, refusal):
    path = f"/no-head?{refusal}"
    result = check_one(server.url(path))
    assert (result.ok, result.status, result.error) == (True, 200, None)
    assert server.methods(path) == ["HEAD", "GET"]


def test_flaky_server_is_retried_then_ok(server):
    result = check_one(server.url("/flaky"))
    assert (result.ok, result.status) == (True, 200)
    assert server.count("/flaky") == 2


def test_rate_limited_request_is_retried_then_ok(server):
    result = check_one(server.url("/rate-limited"))
    assert (result.ok, result.status) == (True, 200)
    assert server.count("/rate-limited") == 2


@pytest.mark.parametrize("retries", [0, 2])
def test_server_error_is_dead_after_the_retries(server, retries):
    result = check_one(server.url("/always-500"), retries=retries)
    assert (result.ok, result.status, result.error) == (False, 500, "HTTP 500")
    assert server.count("/always-500") == 1 + retries


def test_retries_back_off_exponentially(server, monkeypatch):
    sleeps: list[float] = []
    monkeypatch.setattr(linkcheck, "time", SimpleNamespace(sleep=sleeps.append, time=time.time))
    check_one(server.url("/always-500"), retries=3, backoff=0.01)
    assert sleeps == [0.01, 0.02, 0.04]


def test_slow_server_times_out(server):
    start = time.monotonic()
    result = check_one(server.url("/slow"), timeout=0.3, retries=1)
    elapsed = time.monotonic() - start
    assert (result.ok, result.status, result.error) == (False, None, "timed out after 0.3 s")
    assert server.count("/slow") == 2  # a timeout is retried
    assert elapsed < 1.5  # two attempts of 0.3 s, not two of the server's 1 s


def test_refused_connection_is_dead():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    result = check_one(f"http://127.0.0.1:{port}/", retries=1)
    assert (result.ok, result.status, result.error) == (False, None, "connection refused")


def test_unresolvable_host_is_dead_without_retrying(monkeypatch):
    # No real lookup: the resolver is replaced, and says the name does not exist.
    lookups: list[str] = []

    def no_such_name(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    result = check_one("http://no-such-host.invalid/page")
    assert (result.ok, result.error) == (False, "name not resolved")
    assert lookups == ["no-such-host.invalid"]


@pytest.mark.parametrize(
    "url",
    ["ftp://127.0.0.1/file.txt", "mailto:editors@example.org", "/articles/interviews/", "page.md"],
)
def test_non_http_url_is_dead(server, url):
    result = check_one(url)
    assert (result.ok, result.status, result.error) == (False, None, "not an http(s) URL")
    assert server.requests == []


def test_url_without_a_host_is_dead():
    result = check_one("http:///no-host")
    assert (result.ok, result.error) == (False, "invalid URL: no host")


def test_non_ascii_path_is_percent_encoded(server):
    result = check_one(server.url("/café"))
    assert (result.ok, result.status) == (True, 200)
    assert server.methods("/caf%C3%A9") == ["HEAD"]


def test_user_agent_is_sent(server):
    check_one(server.url("/ok"), user_agent="FieldGuideTest/0.1")
    assert server.user_agents == {"FieldGuideTest/0.1"}


def test_duplicates_are_checked_once(server):
    ok, missing = server.url("/ok"), server.url("/missing")
    urls = [ok, missing, ok, ok + "#section", ok + "#other", missing]
    results = check_urls(urls, **FAST)
    assert list(results) == [ok, missing, ok + "#section", ok + "#other"]
    assert all(results[url].url == url for url in results)
    assert [results[url].ok for url in results] == [True, False, True, True]
    # The fragment never reaches the server: one request per page.
    assert server.count("/ok") == 1
    assert server.count("/missing") == 1


def test_checks_run_concurrently_up_to_the_worker_count(server):
    urls = [server.url(f"/pause?{n}") for n in range(4)]
    assert all(result.ok for result in check_urls(urls, workers=4, **FAST).values())
    assert server.max_in_flight >= 2

    server.max_in_flight = 0
    urls = [server.url(f"/pause?{n}") for n in range(4, 6)]
    check_urls(urls, workers=1, **FAST)
    assert server.max_in_flight == 1


def test_ok_results_are_cached_for_a_day(server, tmp_path):
    cache, clock, url = tmp_path / "links.json", FakeClock(), server.url("/ok")
    first = check_one(url, cache_path=cache, clock=clock)
    assert first.checked_at == clock.now
    assert server.count("/ok") == 1

    clock.now += DAY - 1
    second = check_one(url, cache_path=cache, clock=clock)
    assert second == first  # from the cache, with the time of the real check
    assert server.count("/ok") == 1

    clock.now += 2  # now more than a day after the check
    third = check_one(url, cache_path=cache, clock=clock)
    assert (third.ok, third.checked_at) == (True, clock.now)
    assert server.count("/ok") == 2


def test_max_age_is_configurable(server, tmp_path):
    cache, clock, url = tmp_path / "links.json", FakeClock(), server.url("/ok")
    check_one(url, cache_path=cache, clock=clock, max_age=60)
    clock.now += 61
    check_one(url, cache_path=cache, clock=clock, max_age=60)
    assert server.count("/ok") == 2


def test_cache_file_holds_only_ok_results_and_no_temporary_files(server, tmp_path):
    cache, clock = tmp_path / "cache" / "links.json", FakeClock()
    ok, missing = server.url("/ok"), server.url("/missing")
    check_urls([ok, missing], cache_path=cache, clock=clock, **FAST)
    assert json.loads(cache.read_text()) == {ok: cached_ok(clock.now)}
    assert [path.name for path in cache.parent.iterdir()] == ["links.json"]


def test_dead_results_are_not_cached(server, tmp_path):
    cache, url = tmp_path / "links.json", server.url("/missing")
    check_one(url, cache_path=cache)
    result = check_one(url, cache_path=cache)
    assert (result.ok, result.error) == (False, "HTTP 404")
    assert server.count("/missing") == 2


def test_a_link_that_died_leaves_the_cache(server, tmp_path):
    cache, clock, url = tmp_path / "links.json", FakeClock(), server.url("/missing")
    cache.write_text(json.dumps({url: cached_ok(clock.now - DAY)}))
    result = check_one(url, cache_path=cache, clock=clock)
    assert not result.ok
    assert json.loads(cache.read_text()) == {}


@pytest.mark.parametrize(
    "contents",
    [
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"URL": "oops"}',
        b'{"URL": {"ok": true, "status": "200", "checked_at": "yesterday"}}',
        b'{"URL": {"ok": false, "status": 404, "checked_at": 1700000000}}',
    ],
)
def test_corrupt_cache_is_ignored(server, tmp_path, contents):
    cache, clock, url = tmp_path / "links.json", FakeClock(), server.url("/ok")
    cache.write_bytes(contents.replace(b"URL", url.encode()))
    result = check_one(url, cache_path=cache, clock=clock)
    assert (result.ok, result.checked_at) == (True, clock.now)
    assert server.count("/ok") == 1
    assert json.loads(cache.read_text()) == {url: cached_ok(clock.now)}


def test_unwritable_cache_is_not_fatal(server, tmp_path):
    cache = tmp_path / "links.json"
    cache.mkdir()  # a folder where the file should be: unreadable and unwritable
    result = check_one(server.url("/ok"), cache_path=cache)
    assert result.ok
    assert list(tmp_path.iterdir()) == [cache]  # no temporary file left behind


def test_nothing_to_check_makes_no_request(server, tmp_path):
    assert check_urls([], cache_path=tmp_path / "links.json") == {}
    assert server.requests == []
    assert not (tmp_path / "links.json").exists()
