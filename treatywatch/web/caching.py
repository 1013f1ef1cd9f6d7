"""HTTP caching of reads: the kb version as a strong ETag, 304 answers, Cache-Control.

Every page and API answer that reads the knowledge base (every GET/HEAD except static files,
/healthz, sign-in and the API docs) depends only on

* the kb's contents, which change only with a write transaction, and each write transaction
  bumps the kb version (`treatywatch.kb.version`);
* the day (a status is computed "as of today"), and the software's version;
* who asks: an anonymous reader gets the same bytes as every other anonymous reader; a signed-in
  analyst's pages show their name, their session's CSRF token and flash message.

So ``ETag: "<kb version>.<day>.<software version>"`` (plus a hash of the session for a signed-in
analyst) names the answer exactly. A request whose ``If-None-Match`` names the current ETag gets
``304 Not Modified`` from `ConditionalGetMiddleware` before any route runs: one primary-key read
of the kb, no list, no template. Answers carry

* anonymous (and reads are open): ``Cache-Control: public, max-age=0, s-maxage=N`` — browsers
  revalidate every time (a cheap 304); a shared cache (reverse proxy) may serve the answer for N
  seconds (`WebSettings.shared_max_age`, ``serve --shared-max-age``), then revalidates;
* signed in (session cookie or Bearer token): ``Cache-Control: private, no-cache``;
* both: ``Vary: Cookie, Authorization``, so a shared cache never hands an anonymous copy to a
  signed-in analyst or the other way round.

Each server process also keeps 200 answers in memory (`ResponseCache`, bounded by
`WebSettings.response_cache_bytes`) under their URL, viewer and ETag: while the kb has not
changed, a repeated read is answered without running the route. A signed-in analyst's answers
are kept apart from everyone else's (their ETag's session hash is part of the key), and not at
all while a flash message is pending (showing it clears it). The ETag check makes it correct across
several server processes too: a write by any of them moves the version every one of them reads.

An answer that sets a cookie or shows an anonymous visitor's own CSRF token (a sign-in form),
any answer other than 200, and an answer during which a write
landed (the version read after the route differs from the one before) get no ETag and
``no-store``/``no-cache`` respectively — never a label that could name two different bodies.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treatywatch import __version__
from treatywatch.kb.store import KB
from treatywatch.web.security import SESSION_COOKIE, current_principal, current_session
from treatywatch.web.settings import WebSettings

UNCACHED_PREFIXES = ("/static", "/healthz", "/login", "/logout", "/docs", "/openapi.json")
VARY = b"Cookie, Authorization"
SCOPE_VERSION = "tw.kb_version"  # where a route finds the version the ETag was made from


def cacheable(method: str, path: str) -> bool:
    """Whether a request is a read of the kb that this module labels (see the module docstring)."""
    return method in ("GET", "HEAD") and not path.startswith(UNCACHED_PREFIXES)


def request_version(request: Request) -> str | None:
    """The kb version this request's ETag was made from (None outside the middleware)."""
    version: str | None = request.scope.get(SCOPE_VERSION)
    return version


def etag_matches(header: bytes | None, etag: bytes) -> bool:
    """RFC 9110 If-None-Match: ``*`` or a list of entity tags (weak comparison, W/ ignored)."""
    if not header:
        return False
    if header.strip() == b"*":
        return True
    return any(tag.strip().removeprefix(b"W/") == etag for tag in header.split(b","))


def _has_credentials(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"authorization" or (name == b"cookie" and SESSION_COOKIE.encode() in value):
            return True
    return False


def _viewer(request: Request) -> tuple[bool, str | None, bool]:
    """(signed in, variant, answers may be kept): the variant is a hash of what a signed-in
    analyst's pages show of their session (name, CSRF token, flash message); a pending flash
    message is shown once and then cleared, so those answers are not kept. Runs in the thread
    pool (kb reads)."""
    principal = current_principal(request)
    if principal is None:
        return False, None, True
    session = current_session(request) if principal.via == "session" else None
    parts = [principal.username, principal.via, session.csrf if session else "", session.flash or "" if session else ""]
    variant = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]
    return True, variant, not (session and session.flash)


@dataclass(frozen=True)
class _Stored:
    tag: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """200 answers by URL and viewer, each valid while its ETag is current: a repeated read of an
    unchanged kb is served from memory. At most ``max_bytes`` of bodies, least recently used
    dropped first; one per process (used from the event loop only, so no lock)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[tuple[bytes, ...], _Stored] = OrderedDict()

    def get(self, key: tuple[bytes, ...], tag: bytes) -> _Stored | None:
        stored = self._entries.get(key)
        if stored is None or stored.tag != tag:
            return None
        self._entries.move_to_end(key)
        return stored

    def put(self, key: tuple[bytes, ...], stored: _Stored) -> None:
        if len(stored.body) > self.max_bytes // 8:
            return
        old = self._entries.pop(key, None)
        self.size += len(stored.body) - (len(old.body) if old else 0)
        self._entries[key] = stored
        while self.size > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.size -= len(dropped.body)


def _cache_key(scope: Scope) -> tuple[bytes, ...]:
    """What an anonymous answer depends on besides the ETag: the URL as asked (the host and
    scheme appear in links)."""
    return (scope.get("scheme", "http").encode(), _header(scope, b"host") or b"", scope["path"].encode(),
            scope.get("query_string", b""))


class ConditionalGetMiddleware:
    """ETag, If-None-Match → 304, Cache-Control and the in-process cache of anonymous answers on
    kb reads (see the module docstring)."""

    def __init__(self, app: ASGIApp, kb: KB, settings: WebSettings) -> None:
        self.app = app
        self.kb = kb
        self.settings = settings
        self.public = f"public, max-age=0, s-maxage={settings.shared_max_age}".encode()
        self.cache = ResponseCache(settings.response_cache_bytes) if settings.response_cache_bytes else None

    async def _version(self) -> str | None:
        # SQLite: a primary-key read of a one-row table in the same process, microseconds, and
        # WAL readers never wait for a writer: cheaper inline than a hop to the thread pool.
        if self.kb.is_sqlite:
            return self.kb.version()
        return await run_in_threadpool(self.kb.version)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not cacheable(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        signed_in, variant, keep = False, None, True
        if _has_credentials(scope):
            signed_in, variant, keep = await run_in_threadpool(_viewer, Request(scope))
        version = await self._version() if signed_in or self.settings.open_reads else None
        if version is None:  # not versioned, or reads closed to this anonymous request (401)
            await self.app(scope, receive, send)
            return
        tag = f"{version}.{date.today().isoformat()}.{__version__}" + (f".{variant}" if variant else "")
        etag = f'"{tag}"'.encode()
        policy = b"private, no-cache" if signed_in else self.public
        if etag_matches(_header(scope, b"if-none-match"), etag):
            await _send_whole(send, 304, [(b"etag", etag), (b"cache-control", policy), (b"vary", VARY)], b"")
            return
        use_cache = self.cache is not None and keep and scope["method"] == "GET"
        key = (*_cache_key(scope), (variant or "").encode())
        stored = self.cache.get(key, etag) if use_cache and self.cache else None
        if stored is not None:
            await _send_whole(send, 200, stored.headers, stored.body)
            return
        scope[SCOPE_VERSION] = version
        await self.app(scope, receive, self._labelling(scope, send, etag, policy, version, key if use_cache else None))

    def _labelling(self, scope: Scope, send: Send, etag: bytes, policy: bytes, version: str,
                   key: tuple[bytes, ...] | None) -> Send:
        """``send`` that labels the answer, and keeps a copy of a labelled one under ``key``."""
        kept: dict[str, Any] = {}

        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = await self._labels(scope, message, etag, policy, version)
                message = {**message, "headers": headers}
                if key is not None and (b"etag", etag) in headers:
                    kept.update(headers=headers, body=[], size=0)
            elif message["type"] == "http.response.body" and kept:
                kept["body"].append(message.get("body", b""))
                kept["size"] += len(kept["body"][-1])
                if self.cache is not None and kept["size"] > self.cache.max_bytes // 8:
                    kept.clear()
                elif not message.get("more_body", False) and self.cache is not None and key is not None:
                    self.cache.put(key, _Stored(etag, kept["headers"], b"".join(kept["body"])))
            await send(message)

        return labelled

    async def _labels(self, scope: Scope, message: Message, etag: bytes, policy: bytes,
                      version: str) -> list[tuple[bytes, bytes]]:
        headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
        personal = scope.get("state", {}).get("visitor_csrf_shown")  # a visitor's own CSRF token is on it
        if personal or any(k.lower() == b"set-cookie" for k, _ in headers):
            return [*headers, (b"cache-control", b"private, no-store"), (b"vary", VARY)]
        if message["status"] != 200 or await self._version() != version:
            return [*headers, (b"cache-control", b"no-cache"), (b"vary", VARY)]
        return [*headers, (b"etag", etag), (b"cache-control", policy), (b"vary", VARY)]


async def _send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None
