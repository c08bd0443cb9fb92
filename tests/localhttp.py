"""One local HTTP server for the tests: on 127.0.0.1, on a free port, in a thread for a `with` block."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LocalServer(ThreadingHTTPServer):
    """A threading server on 127.0.0.1 and a port the system chooses."""

    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler] | object) -> None:
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(server: ThreadingHTTPServer) -> Iterator[str]:
    """The server's address (`http://127.0.0.1:PORT`), answering until the block ends; then
    it is shut down, its socket closed and its thread joined."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
