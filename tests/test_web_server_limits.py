"""Issue 15, item 3: a real `treatywatch serve` closes idle and slow connections, keeps serving
while hundreds of idle sockets are open, and answers its own errors with the security headers.

The server runs with short deadlines (``--header-timeout 1 --body-timeout 2``); each slow
client below gives up after `GIVE_UP` seconds, so a server without deadlines fails the test
within a few seconds instead of hanging it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_web_support import client_for, free_port, start_server, stop_server

pytestmark = pytest.mark.slow
GIVE_UP = 6.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    process = start_server(tmp_path_factory.mktemp("serve") / "kb.db", port, 60.0,
                           "--header-timeout", "1", "--body-timeout", "2")
    try:
        yield port
    finally:
        stop_server(process)


def _answer_and_close(sock: socket.socket, keep_sending: bytes = b"", every: float = 0.5) -> bytes | None:
    """What the server sent before it closed the socket, or None if it was still open at GIVE_UP
    (meanwhile ``keep_sending`` goes out every ``every`` seconds, like a slow client)."""
    sock.settimeout(every)
    received = b""
    deadline = time.monotonic() + GIVE_UP
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
            if not chunk:
                return received
            received += chunk
        except TimeoutError:
            if keep_sending:
                try:
                    sock.sendall(keep_sending)
                except OSError:
                    return received
        except OSError:
            return received
    return None


def _headers(raw: bytes) -> dict[str, str]:
    lines = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines if ":" in line)}


def test_a_socket_that_sends_nothing_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        answer = _answer_and_close(sock)
    assert answer is not None, f"still open after {GIVE_UP} s"
    assert answer.startswith(b"HTTP/1.1 408") and "content-security-policy" in _headers(answer)


def test_headers_sent_one_line_at_a_time_are_cut_off(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = _answer_and_close(sock, keep_sending=b"X-Slow: 1\r\n")
    assert answer is not None, f"still open after {GIVE_UP} s"
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_body_sent_one_byte_at_a_time_is_cut_off(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000\r\n\r\n")
        answer = _answer_and_close(sock, keep_sending=b"a")
    assert answer is not None, f"still open after {GIVE_UP} s"


def test_a_request_sent_in_time_is_answered(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.3)
        sock.sendall(b"Connection: close\r\n\r\n")
        answer = _answer_and_close(sock)
    assert answer is not None and answer.startswith(b"HTTP/1.1 200")


def test_idle_sockets_do_not_lock_anyone_out(server: int) -> None:
    held = [socket.create_connection(("127.0.0.1", server)) for _ in range(300)]
    try:
        response = httpx.get(f"http://127.0.0.1:{server}/healthz", timeout=5)
        assert response.status_code == 200
    finally:
        for sock in held:
            sock.close()


@pytest.mark.parametrize("request_bytes", [b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n"])
def test_the_servers_own_400_carries_the_security_headers(server: int, request_bytes: bytes) -> None:
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.sendall(request_bytes)
        answer = _answer_and_close(sock)
    assert answer is not None and answer.startswith(b"HTTP/1.1 400")
    headers = _headers(answer)
    assert "object-src 'none'" in headers["content-security-policy"] and headers["x-content-type-options"] == "nosniff"


def test_requests_beyond_the_in_flight_limit_get_503_with_headers(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"], max_in_flight=0) as client:
        response = client.get("/api/v1/claims")
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert response.json()["error"]["code"] == "busy"
    assert "content-security-policy" in response.headers and response.headers["x-frame-options"] == "DENY"


def test_an_unexpected_error_answer_carries_the_security_headers(server: int, tmp_path: Path) -> None:
    """Starlette's own 500 is outside the app's middleware; `web.server.run` wraps it too."""
    from starlette.applications import Starlette
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from treatywatch.web.security import SecurityHeadersMiddleware

    def boom(_request: Any) -> Any:
        raise RuntimeError("boom")

    app = SecurityHeadersMiddleware(Starlette(routes=[Route("/", boom)]))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500 and "content-security-policy" in response.headers
