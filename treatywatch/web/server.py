"""Running the app under uvicorn with deadlines for slow and idle clients.

uvicorn closes an idle keep-alive connection after a response, but it has no deadline for
*reading* a request: a socket that sends nothing, or one header line every few seconds, or a
body one byte at a time, holds a connection for ever. `GuardedH11Protocol` adds them:

* ``header_timeout_s``: from the connection (or the first byte after a response) to the end of
  the request's headers;
* ``body_timeout_s``: from the end of the headers to the end of the body;
* ``keep_alive_s``: idle time after a response (uvicorn's own ``timeout_keep_alive``).

Past a deadline the client gets ``408`` (when no answer was started) and the connection is
closed. The server's own answers (408, uvicorn's 400 for a malformed request) carry the
security headers like every answer of the app; requests beyond the app's in-flight limit get
503 from `security.InFlightLimitMiddleware`, so idle sockets no longer count against it.
``max_connections`` open sockets at most: one more is closed at once.

`run_workers` serves one app from several processes (uvicorn's supervisor: one listening
socket, N workers, a dead worker replaced). Each worker opens its own kb handle; what must be
shared is in the kb (sessions, sign-in failure counts, idempotency keys, the kb version behind
every ETag and versioned cache) or in the environment (``TREATYWATCH_SECRET``, made once by the
parent when not set, so a form served by one worker is accepted by another).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import signal
import socket
import sys
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from treatywatch.web.security import SECURITY_HEADERS, SecurityHeadersMiddleware
from treatywatch.web.settings import SECRET_ENV, WebSettings

WORKER_CONFIG_ENV = "TREATYWATCH_SERVE_CONFIG"  # the parent's settings, read by each worker
WORKER_HEALTHCHECK_S = 60


@dataclass(frozen=True)
class ServerLimits:
    """Deadlines and caps of the HTTP server (seconds, connections)."""

    header_timeout_s: float = 10.0
    body_timeout_s: float = 30.0
    keep_alive_s: float = 5.0
    max_connections: int = 1000


def _raw_response(status: int, reason: str, code: str, message: str) -> bytes:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = [f"HTTP/1.1 {status} {reason}".encode(), b"content-type: application/json",
            f"content-length: {len(body)}".encode(), b"connection: close"]
    head += [name + b": " + value for name, value in SECURITY_HEADERS]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with the deadlines of the module docstring."""

    limits = ServerLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._reading: str | None = None  # "headers" or "body" while a deadline runs

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.limits.max_connections:
            transport.abort()
            return
        self._arm("headers", self.limits.header_timeout_s)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._reading is None and (self.cycle is None or self.cycle.response_complete):
            self._arm("headers", self.limits.header_timeout_s)  # the first byte of the next request
        super().data_received(data)
        self._follow_request()

    def _follow_request(self) -> None:
        """Move the deadline along as the request is read: headers → body → done."""
        cycle = self.cycle
        if self._reading is None or cycle is None or cycle.response_complete:
            return
        if not cycle.more_body:
            self._disarm()
        elif self._reading == "headers":
            self._arm("body", self.limits.body_timeout_s)

    def _arm(self, phase: str, seconds: float) -> None:
        self._disarm()
        self._reading = phase
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._reading = None

    def _too_slow(self) -> None:
        phase = self._reading
        self._deadline = None
        self._reading = None
        if self.transport.is_closing():
            return
        if self.cycle is None or self.cycle.response_complete or not self.cycle.response_started:
            self.transport.write(_raw_response(408, "Request Timeout", "timeout",
                                               f"the request {phase} took too long to arrive"))
        self.transport.close()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a malformed request, with the security headers."""
        self._disarm()
        self.transport.write(_raw_response(400, "Bad Request", "bad_request", msg))
        self.transport.close()


def run(app: Any, *, host: str, port: int, limits: ServerLimits, trusted_proxies: tuple[str, ...] = (),
        graceful_shutdown_s: int = 10) -> None:
    """Serve ``app`` until stopped. ``trusted_proxies``: addresses whose X-Forwarded-For and
    X-Forwarded-Proto are believed (client address for the login limit, https for cookies);
    without any, those headers are ignored."""
    protocol = type("ServerProtocol", (GuardedH11Protocol,), {"limits": limits})
    uvicorn.run(
        SecurityHeadersMiddleware(app),  # also around Starlette's own 500 answer
        host=host, port=port, http=protocol, log_level="warning", server_header=False,
        timeout_keep_alive=int(max(1, limits.keep_alive_s)), timeout_graceful_shutdown=graceful_shutdown_s,
        proxy_headers=bool(trusted_proxies), forwarded_allow_ips=list(trusted_proxies) or None,
    )


class WorkerH11Protocol(GuardedH11Protocol):
    """The protocol of `run_workers`' processes: importable by name (a worker process is started
    fresh, not forked), its ``limits`` set by `worker_app` from the parent's configuration."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # The shared listening socket is made by uvicorn with protocol number 0, so asyncio does
        # not recognise its connections as TCP and leaves Nagle's algorithm on: an answer's
        # headers and body (two writes) then wait for the client's delayed ACK, ~40 ms each.
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


def _die_with_parent(parent: int) -> None:
    """A worker ends when the server process does, even one killed with SIGKILL (which cannot
    stop its workers): otherwise orphans would keep the port. Linux's PR_SET_PDEATHSIG; elsewhere
    uvicorn's own shutdown is all there is."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the call above
        os.kill(os.getpid(), signal.SIGTERM)


def worker_app() -> Any:
    """The app of one worker process of `run_workers`: built from ``$TREATYWATCH_SERVE_CONFIG``
    (uvicorn calls this in each worker)."""
    from treatywatch.web.app import create_app

    config = json.loads(os.environ[WORKER_CONFIG_ENV])
    _die_with_parent(int(config["parent"]))
    WorkerH11Protocol.limits = ServerLimits(**config["limits"])
    fields = {**config["settings"], "allowed_hosts": tuple(config["settings"]["allowed_hosts"])}
    return SecurityHeadersMiddleware(create_app(config["db"], settings=WebSettings(**fields)))


def run_workers(db: str | None, settings: WebSettings, *, workers: int, host: str, port: int,
                limits: ServerLimits, trusted_proxies: tuple[str, ...] = (), graceful_shutdown_s: int = 10) -> None:
    """Serve the app over ``db`` from ``workers`` processes until stopped (see the module docstring).
    The kb must be one that several processes can open: a SQLite file (WAL) or PostgreSQL."""
    os.environ.setdefault(SECRET_ENV, settings.secret_key)
    shared = {k: v for k, v in dataclasses.asdict(settings).items() if k != "secret_key"}
    os.environ[WORKER_CONFIG_ENV] = json.dumps({"db": db, "settings": shared, "limits": dataclasses.asdict(limits),
                                                "parent": os.getpid()})
    uvicorn.run(
        "treatywatch.web.server:worker_app", factory=True, workers=workers,
        host=host, port=port, http=WorkerH11Protocol, log_level="warning", server_header=False,
        # A new worker imports the whole app before it can answer the supervisor's health ping;
        # on a busy machine that takes longer than uvicorn's 5 s, and it would kill it, forever.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        timeout_keep_alive=int(max(1, limits.keep_alive_s)), timeout_graceful_shutdown=graceful_shutdown_s,
        proxy_headers=bool(trusted_proxies), forwarded_allow_ips=list(trusted_proxies) or None,
    )
