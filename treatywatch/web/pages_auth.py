"""Signing in and out of the web UI (local analyst accounts, server-side sessions).

Sign-in is rate limited per user name and per client address, counted in the kb so that every
server process sees the same failures: after too many failures in the window, the form answers
429 with Retry-After and does not check the password at all (so a right guess then is no sign-in).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from treatywatch.kb import sessions as sessions_store
from treatywatch.kb import users as users_store
from treatywatch.web.render import render
from treatywatch.web.security import (
    SESSION_COOKIE,
    check_csrf,
    clear_session_cookie,
    set_session_cookie,
)

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Only local paths: a login link must not redirect to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next), error=None)


def _limit_keys(request: Request, username: str) -> list[tuple[str, int]]:
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    return [(f"user:{username.lower()}", settings.login_user_limit), (f"addr:{address}", settings.login_address_limit)]


def _attempt(request: Request, username: str, password: str) -> tuple[int, bool]:
    """(seconds to wait, signed in?): the rate limit first, then the password."""
    kb, settings = request.app.state.kb, request.app.state.settings
    keys = _limit_keys(request, username)
    wait = sessions_store.login_wait(kb, keys, settings.login_window_s)
    if wait:
        return wait, False
    if users_store.authenticate(kb, username, password):
        sessions_store.clear_login_failures(kb, keys[0][0])
        return 0, True
    sessions_store.record_login_failure(kb, [key for key, _ in keys], settings.login_window_s)
    return 0, False


@router.post("/login")
async def login(
    request: Request,
    username: str = Form(..., max_length=100),
    password: str = Form(..., max_length=1024),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    check_csrf(request, csrf_token)
    wait, ok = await run_in_threadpool(_attempt, request, username, password)
    if wait:
        refused = render(request, "login.html", status_code=429, next=safe_next(next),
                         error=f"Too many failed sign-ins. Try again in {wait} seconds.")
        refused.headers["Retry-After"] = str(wait)
        return refused
    if not ok:
        return render(request, "login.html", status_code=401, next=safe_next(next),
                      error="Unknown user or wrong password.")
    settings = request.app.state.settings
    client = request.client.host if request.client else None
    session_id = await run_in_threadpool(sessions_store.start_session, request.app.state.kb, username,
                                         lifetime_s=settings.session_max_age, client=client)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, session_id)
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: str = Form("")) -> Response:
    check_csrf(request, csrf_token)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        sessions_store.end_session(request.app.state.kb, session_id)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(request, response)
    return response
