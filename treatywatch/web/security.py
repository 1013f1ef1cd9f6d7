"""The app's guards: security headers, body size cap, cross-site write checks, who is asking.

The write rules follow the header-based CSRF matrix of docs/reliability.md#bad-inputs row 36:

| request                                   | result |
|-------------------------------------------|--------|
| POST with the session cookie, cross-site  | 403    |
| POST with ``Authorization: Bearer`` only  | allowed (if the token is live) |
| POST with Bearer *and* the session cookie | 403    |
| POST with ``Authorization: Basic``        | 403    |

On top of the header check, a cookie-authenticated write must carry the session's CSRF token
(hidden form field ``csrf_token`` or header ``X-CSRF-Token``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from treatywatch.errors import KBError
from treatywatch.kb import sessions as sessions_store
from treatywatch.kb import users as users_store

SESSION_COOKIE = "tw_session"
CSRF_COOKIE = "tw_csrf"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


async def _plain_response(send: Send, status: int, body: bytes,
                          extra: list[tuple[bytes, bytes]] | None = None) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *(extra or [])]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds CSP, nosniff, no-referrer and frame denial to every HTTP response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_BUSY = b'{"error":{"code":"busy","message":"too many requests at once; retry in a second"}}'


class InFlightLimitMiddleware:
    """At most ``limit`` requests inside the app at once; one more gets 503 with Retry-After at
    once. Idle or slow connections are no requests (the server's deadlines close them), so they
    cannot take the places of real ones."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.running = 0  # one event loop: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.running >= self.limit:
            await _plain_response(send, 503, _BUSY, [(b"retry-after", b"1")])
            return
        self.running += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.running -= 1


class _BodyTooLarge(Exception):
    pass


_TOO_LARGE = b'{"error":{"code":"too_large","message":"request body too large"}}'


class BodyLimitMiddleware:
    """Answers 413 when a request body (declared or streamed) exceeds ``max_bytes``."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _plain_response(send, 413, _TOO_LARGE)
            return
        if b"transfer-encoding" not in headers and (declared is None or int(declared) <= self.max_bytes):
            # The body's length is known and within the cap (HTTP/1.1: none without either
            # header), so nothing to count: the hot path of reads skips the wrappers.
            await self.app(scope, receive, send)
            return
        received = 0
        started = False
        too_large = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            # A handler may catch the error and answer 400 itself: the answer is still 413.
            nonlocal started
            if too_large:
                if message["type"] == "http.response.start" and not started:
                    started = True
                    await _plain_response(send, 413, _TOO_LARGE)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _plain_response(send, 413, _TOO_LARGE)


def cross_site_verdict(method: str, headers: dict[str, str], own_origins: set[str]) -> str | None:
    """Why a write request must be refused before it reaches a handler, or None to let it pass."""
    if method not in UNSAFE_METHODS:
        return None
    authorization = headers.get("authorization", "")
    scheme = authorization.split(" ", 1)[0].lower()
    has_session = f"{SESSION_COOKIE}=" in headers.get("cookie", "")
    if scheme == "basic":
        return "basic authentication is not accepted"
    if scheme == "bearer":
        return "send a Bearer token without cookies" if has_session else None
    if authorization:
        return "unsupported authorization scheme"
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return "cross-site request refused"
    origin = headers.get("origin")
    # With Referrer-Policy no-referrer, browsers send "Origin: null" on same-origin form posts;
    # where Sec-Fetch-Site is present it has already said whether the request is same-origin.
    if origin == "null" and fetch_site is not None:
        return None
    if origin is not None and origin not in own_origins:
        return "cross-origin request refused"
    return None


class CrossSiteWriteMiddleware:
    """Refuses writes that the matrix in the module docstring forbids, with 403."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:  # reads pass untouched
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            host = headers.get("host", "")
            origins = {f"http://{host}", f"https://{host}"}
            reason = cross_site_verdict(scope["method"], headers, origins)
            if reason is not None:
                body = json.dumps({"error": {"code": "forbidden", "message": reason}}).encode()
                await _plain_response(send, 403, body)
                return
        await self.app(scope, receive, send)


# --- who is asking -------------------------------------------------------------------------
#
# A signed-in analyst is a server-side session (`kb.sessions`): the ``tw_session`` cookie holds
# only its random id. A visitor who has not signed in gets a CSRF token for the login form in
# the ``tw_csrf`` cookie, signed with the app's secret (double submit), and no kb row.


@dataclass(frozen=True)
class Principal:
    """A signed-in analyst, and how they proved it (``session`` or ``token``)."""

    username: str
    via: str


def current_session(request: Request) -> sessions_store.Session | None:
    """The live session of this request's cookie, or None (no cookie, or the session ended);
    looked up once per request."""
    if not hasattr(request.state, "session"):
        cookie = request.cookies.get(SESSION_COOKIE)
        idle_s = request.app.state.settings.session_idle_s
        request.state.session = sessions_store.live_session(request.app.state.kb, cookie, idle_s=idle_s) \
            if cookie else None
    session: sessions_store.Session | None = request.state.session
    return session


def current_principal(request: Request) -> Principal | None:
    """The analyst behind this request: a live Bearer token, else a live session."""
    if hasattr(request.state, "principal"):
        return request.state.principal
    principal: Principal | None = None
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        name = users_store.user_for_token(request.app.state.kb, authorization[7:].strip())
        principal = Principal(name, "token") if name else None
    elif (session := current_session(request)) is not None:
        principal = Principal(session.username, "session")
    request.state.principal = principal
    return principal


def _signed(nonce: str, secret: str) -> str:
    return f"{nonce}.{hmac.new(secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()}"


def _anonymous_csrf(request: Request) -> str | None:
    """The visitor's CSRF cookie, if this app signed it."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    nonce = cookie.split(".", 1)[0]
    secret = request.app.state.settings.secret_key
    return cookie if nonce and len(cookie) < 200 and hmac.compare_digest(cookie, _signed(nonce, secret)) else None


def csrf_token(request: Request) -> str:
    """The CSRF token for this request's forms: the session's, or the visitor's signed cookie
    (created on first use; `apply_cookies` sends it)."""
    session = current_session(request)
    if session is not None:
        return session.csrf
    # This visitor's own token is on the page: it must not be shared with anyone (`web.caching`).
    request.state.visitor_csrf_shown = True
    token = getattr(request.state, "new_csrf", None) or _anonymous_csrf(request)
    if token is None:
        token = _signed(secrets.token_urlsafe(24), request.app.state.settings.secret_key)
        request.state.new_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """403 unless a cookie-authenticated write carries the session's (or visitor's) CSRF token."""
    principal = current_principal(request)
    if principal is not None and principal.via == "token":
        return
    session = current_session(request)
    expected = session.csrf if session is not None else _anonymous_csrf(request)
    submitted = submitted or request.headers.get("x-csrf-token")
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.https_only_cookies) or request.url.scheme == "https"


def set_session_cookie(request: Request, response: Response, session_id: str) -> None:
    """The sign-in cookie: the session id only, HttpOnly, SameSite=Strict, Secure over https."""
    response.set_cookie(SESSION_COOKIE, session_id, max_age=request.app.state.settings.session_max_age,
                        httponly=True, samesite="strict", secure=_secure(request))
    response.delete_cookie(CSRF_COOKIE, httponly=True, samesite="strict", secure=_secure(request))


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=_secure(request))


def apply_cookies(request: Request, response: Response) -> None:
    """Send the visitor's new CSRF cookie, if this request made one."""
    token = getattr(request.state, "new_csrf", None)
    if token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))


def set_flash(request: Request, message: str) -> None:
    """A one-line message for the next page of this session."""
    session = current_session(request)
    if session is not None:
        sessions_store.set_flash(request.app.state.kb, session, message[:500])


def pop_flash(request: Request) -> str | None:
    session = current_session(request)
    if session is None or not session.flash:
        return None
    with suppress(KBError):  # shown once if the database lets us clear it; a busy one must not fail the page
        sessions_store.set_flash(request.app.state.kb, session, None)
    return session.flash


def require_analyst(request: Request) -> Principal:
    """API dependency for writes: 401 without a signed-in analyst or a live token."""
    principal = current_principal(request)
    if principal is None:
        raise HTTPException(401, "sign in or send a Bearer token", headers={"WWW-Authenticate": "Bearer"})
    return principal


def require_reader(request: Request) -> None:
    """Reads are open unless the app was configured otherwise (e.g. served beyond loopback)."""
    if request.app.state.settings.open_reads:
        return
    if current_principal(request) is None:
        raise HTTPException(401, "sign in to read", headers={"WWW-Authenticate": "Bearer"})


class LazyCsrfToken:
    """`csrf_token` made only when a template prints it: a page without a form then sets no
    cookie for an anonymous visitor, so a shared cache may keep it (`web.caching`)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    def __str__(self) -> str:
        return csrf_token(self.request)

    def __html__(self) -> str:  # Jinja's autoescape asks for this; a token needs no escaping
        return str(self)


def template_context(request: Request, **values: Any) -> dict[str, Any]:
    """What every page template gets: the analyst, the CSRF token (made when printed), then the
    page's values."""
    return {"user": current_principal(request), "csrf_token": LazyCsrfToken(request), **values}
