"""Check external links: which of the URLs the content points to are dead.

Used by `check --external` only; the build and the default tests never touch the
network. Each URL is checked concurrently, with a timeout on every request and
retries with exponential backoff for failures that are often temporary (timeouts,
connection errors, HTTP 429 and 5xx). Live results are cached in a JSON file for a
day so that repeated runs stay fast and polite; dead results are never cached, so a
dead link is re-checked (and reported) on every run until it is fixed.

Network problems are never raised: every URL gets a `LinkResult`.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import socket
import ssl
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urldefrag, urljoin, urlsplit, urlunsplit

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    "InternshipFieldGuide-linkcheck/1.0 (+https://example.org/internship-field-guide/)"
)
_SCHEMES = {"http", "https"}
# Servers that refuse HEAD answer one of these; the page may still be fine, so ask with GET.
_HEAD_REFUSED = {403, 405, 501}
# How much of a GET body to read: enough to know the server sends the page, no more.
_GET_READ_BYTES = 4096
# Characters left as they are when percent-encoding a non-ASCII URL (as urllib does).
_URL_SAFE = "/%:@!$&'()*+,;=?#[]"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None  # final HTTP status if any
    error: str | None  # human-readable reason when not ok, e.g. "HTTP 404"
    checked_at: float  # unix time of the check (from the cache when cached)


@dataclass(frozen=True)
class _Outcome:
    """One attempt's verdict, and whether another attempt could change it."""

    ok: bool
    status: int | None = None
    error: str | None = None
    retryable: bool = False


def check_urls(
    urls: Iterable[str],
    *,
    cache_path: Path | None = None,
    timeout: float = 10.0,
    retries: int = 2,
    workers: int = 8,
    max_age: float = 86_400,
    backoff: float = 0.5,
    clock: Callable[[], float] = time.time,
    user_agent: str = DEFAULT_USER_AGENT,
) -> dict[str, LinkResult]:
    """Check every URL once and return a result for each, in the order first given.

    `retries` is the number of extra attempts after the first, for timeouts,
    connection errors, HTTP 429 and 5xx; the n-th retry waits `backoff * 2**(n-1)`
    seconds. A cached live result younger than `max_age` seconds is reused.
    """
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    if retries < 0:
        raise ValueError("retries must be zero or more")
    if workers < 1:
        raise ValueError("workers must be at least 1")

    given = list(dict.fromkeys(urls))
    targets: dict[str, list[str]] = {}  # URL to request -> the URLs given for it
    results: dict[str, LinkResult] = {}
    for url in given:
        problem = _not_checkable(url)
        if problem is not None:
            results[url] = LinkResult(url, False, None, problem, clock())
        else:
            # The fragment never reaches the server: page#a and page#b are one request.
            targets.setdefault(urldefrag(url).url, []).append(url)

    cache = _load_cache(cache_path, now=clock(), max_age=max_age) if cache_path is not None else {}
    found = {target: cache[target] for target in targets if target in cache}
    to_check = [target for target in targets if target not in found]
    if to_check:
        opener = _opener()

        def check(target: str) -> LinkResult:
            outcome = _check_one(target, opener, timeout, retries, backoff, user_agent)
            return LinkResult(target, outcome.ok, outcome.status, outcome.error, clock())

        with ThreadPoolExecutor(max_workers=min(workers, len(to_check))) as pool:
            checked = list(pool.map(check, to_check))
        found.update((result.url, result) for result in checked)

        if cache_path is not None:
            for result in checked:
                if result.ok:
                    cache[result.url] = result
                else:  # a link that died since it was cached must be re-checked next time
                    cache.pop(result.url, None)
            _save_cache(cache_path, cache)

    for target, originals in targets.items():
        for url in originals:
            results[url] = replace(found[target], url=url)

    return {url: results[url] for url in given}


def _not_checkable(url: str) -> str | None:
    """Why a URL cannot be checked over HTTP, or None if it can."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:  # e.g. an unbalanced "[" in the host
        return f"invalid URL: {exc}"
    if parts.scheme.lower() not in _SCHEMES:
        return "not an http(s) URL"
    if not parts.hostname:
        return "invalid URL: no host"
    return None


def _check_one(
    url: str,
    opener: urllib.request.OpenerDirector,
    timeout: float,
    retries: int,
    backoff: float,
    user_agent: str,
) -> _Outcome:
    try:
        url = _ascii_url(url)
    except ValueError as exc:  # UnicodeError from IDNA included
        return _Outcome(False, error=f"invalid URL: {exc}")
    headers = {"User-Agent": user_agent, "Accept": "*/*"}
    use_get = False
    outcome = _Outcome(False, error="not checked")
    for attempt in range(retries + 1):
        if attempt and backoff > 0:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            if not use_get:
                outcome = _request(opener, url, "HEAD", headers, timeout)
                # Once a server refuses HEAD, later attempts go straight to GET.
                use_get = outcome.status in _HEAD_REFUSED
            if use_get:
                outcome = _request(opener, url, "GET", headers, timeout)
        except Exception as exc:  # noqa: BLE001 - a checker reports, it never crashes the run
            outcome = _Outcome(False, error=f"unexpected error: {type(exc).__name__}: {exc}")
        if not outcome.retryable:
            break
    return outcome


def _request(
    opener: urllib.request.OpenerDirector,
    url: str,
    method: str,
    headers: dict[str, str],
    timeout: float,
) -> _Outcome:
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(_GET_READ_BYTES)
            return _Outcome(True, status=response.status)
    except HTTPError as exc:
        try:
            return _from_status(exc)
        finally:
            exc.close()  # the error carries the response; release its connection
    except URLError as exc:
        reason = exc.reason
        if isinstance(reason, BaseException):
            return _from_exception(reason, timeout)
        return _Outcome(False, error=f"invalid URL: {reason}")
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # Raised directly (not wrapped in URLError) while reading the response.
        return _from_exception(exc, timeout)


def _from_status(exc: HTTPError) -> _Outcome:
    code = exc.code
    if 300 <= code < 400:
        # urllib raises for a 3xx it did not follow: a loop, or a redirect off the web.
        if str(exc.msg).startswith(urllib.request.HTTPRedirectHandler.inf_msg):
            return _Outcome(False, status=code, error="too many redirects")
        location = exc.headers.get("Location") if exc.headers else None
        if location and urlsplit(urljoin(exc.url, location)).scheme.lower() not in _SCHEMES:
            return _Outcome(False, status=code, error="redirected to a non-http(s) URL")
        return _Outcome(True, status=code)  # e.g. 300 or 304: the server answered
    return _Outcome(False, status=code, error=f"HTTP {code}", retryable=code == 429 or code >= 500)


def _from_exception(exc: BaseException, timeout: float) -> _Outcome:
    """A human reason for a network failure, and whether trying again may help."""
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError since 3.10
        return _Outcome(False, error=f"timed out after {timeout:g} s", retryable=True)
    if isinstance(exc, ConnectionRefusedError):
        return _Outcome(False, error="connection refused", retryable=True)
    if isinstance(exc, socket.gaierror):
        # Only a temporary resolver failure is worth another try; "no such name" is final.
        return _Outcome(False, error="name not resolved", retryable=exc.errno == socket.EAI_AGAIN)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Outcome(False, error=f"TLS certificate not valid: {exc.verify_message}")
    if isinstance(exc, ssl.SSLError):
        return _Outcome(False, error=f"TLS error: {exc.reason or exc}", retryable=True)
    if isinstance(exc, http.client.RemoteDisconnected):
        return _Outcome(False, error="connection closed without a response", retryable=True)
    if isinstance(exc, ConnectionResetError):
        return _Outcome(False, error="connection reset", retryable=True)
    if isinstance(exc, http.client.IncompleteRead):
        return _Outcome(False, error="response cut short", retryable=True)
    if isinstance(exc, (http.client.InvalidURL, ValueError)):
        return _Outcome(False, error=f"invalid URL: {exc}")
    if isinstance(exc, http.client.HTTPException):
        return _Outcome(False, error=f"invalid HTTP response ({type(exc).__name__})")
    if isinstance(exc, OSError):
        return _Outcome(False, error=f"connection error: {exc.strerror or exc}", retryable=True)
    return _Outcome(False, error=f"unexpected error: {type(exc).__name__}: {exc}")


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects as urllib does, but keep a HEAD a HEAD and stay on http(s)."""

    def redirect_request(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers, newurl
    ):
        # urllib would follow to ftp://; report it instead (see _from_status).
        if urlsplit(newurl).scheme.lower() not in _SCHEMES:
            raise HTTPError(newurl, code, msg, headers, fp)
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            # urllib turns a redirected HEAD into a GET, downloading the whole target.
            new.method = req.get_method()
        return new


def _opener() -> urllib.request.OpenerDirector:
    """An opener for http(s) only: no file:, ftp: or data: handlers to be redirected to."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # honours http_proxy / https_proxy / no_proxy
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _RedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _ascii_url(url: str) -> str:
    """A URL as http.client needs it: an IDNA host and a percent-encoded rest."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not hostport.isascii():
        host, colon, port = hostport.partition(":")
        hostport = host.encode("idna").decode("ascii") + colon + port
    netloc = quote(userinfo, safe=_URL_SAFE) + at + hostport
    rest = (quote(part, safe=_URL_SAFE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, *rest))


def _load_cache(path: Path, *, now: float, max_age: float) -> dict[str, LinkResult]:
    """The cache's fresh live entries; anything unreadable or malformed is skipped."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # missing, unreadable, not UTF-8 or not JSON
        return {}
    if not isinstance(data, dict):
        return {}
    fresh: dict[str, LinkResult] = {}
    for url, entry in data.items():
        if not isinstance(entry, dict) or entry.get("ok") is not True:
            continue
        status, when = entry.get("status"), entry.get("checked_at")
        if not (status is None or (isinstance(status, int) and not isinstance(status, bool))):
            continue
        if not isinstance(when, (int, float)) or isinstance(when, bool):
            continue
        # A check "from the future" (a clock set back) is not trusted either.
        if 0 <= now - when < max_age:
            fresh[url] = LinkResult(url, True, status, None, float(when))
    return fresh


def _save_cache(path: Path, cache: dict[str, LinkResult]) -> None:
    """Write atomically, so a crash or a concurrent run never leaves half a file.

    A cache that cannot be written costs only speed, so it is logged, not raised.
    """
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            dir=path.parent,
            prefix=f".{path.name}.",
            suffix=".tmp",
            delete=False,
        ) as tmp:
            tmp_name = tmp.name
            entries = {
                url: {"ok": True, "status": result.status, "checked_at": result.checked_at}
                for url, result in cache.items()
            }
            json.dump(entries, tmp, indent=2, sort_keys=True)
            tmp.write("\n")
        os.replace(tmp_name, path)
    except OSError as exc:
        log.warning("link cache %s not written: %s", path, exc)
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
