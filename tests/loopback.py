"""A loopback HTTP server for the fetch tests: counts connections and records Host headers.

Each test module subclasses `PayloadHandler` with its own routes (``do_GET``) and starts it with
`serve(handler)`. Listens on 127.0.0.1 only. Not a test module (no ``test_`` prefix).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from treatywatch.ingest.netguard import port_allowed


class PayloadHandler(BaseHTTPRequestHandler):
    """Response helpers shared by the test servers' routes."""

    server: CountingServer

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        return

    def send_body(self, body: bytes, content_type: str = "text/html; charset=utf-8", **headers: str) -> None:
        """A 200 with ``body``; keyword headers use ``_`` for ``-`` (``Content_Encoding``)."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, chunk: bytes, count: int, pause: float = 0.0) -> None:
        """A 200 without a length: ``count`` chunks, ``pause`` seconds apart (until the client leaves)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(count):
                self.wfile.write(chunk)
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            return


class CountingServer(ThreadingHTTPServer):
    """Counts accepted connections (`accepted`) and the Host headers its handler records (`hosts`)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, handler: type[BaseHTTPRequestHandler], **extra: Any) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.accepted = 0
        self.hosts: list[str | None] = []
        for name, value in extra.items():
            setattr(self, name, value)

    def get_request(self) -> tuple[socket.socket, Any]:
        self.accepted += 1
        return super().get_request()

    @property
    def port(self) -> int:
        return int(self.server_address[1])


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler], **extra: Any) -> Iterator[CountingServer]:
    """A running server on a port the fetch guard allows; shut down on exit."""
    for _ in range(5):
        server = CountingServer(handler, **extra)
        if port_allowed(server.port):
            break
        server.server_close()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
