"""The sources page: outlets with trust levels and measured signals; analysts set trust."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from treatywatch.kb import sources as sources_store
from treatywatch.web.api_sources import apply_trust
from treatywatch.web.pages_review import _analyst_or_login
from treatywatch.web.paging import Cursor
from treatywatch.web.render import render
from treatywatch.web.security import Principal, check_csrf, pop_flash, set_flash

router = APIRouter()
SIGNALS_FOR = 100  # outlets per page, each with its measured signals


@router.get("/sources")
def sources_page(request: Request, cursor: str | None = Cursor) -> Response:
    kb = request.app.state.kb
    page = sources_store.source_page(kb, limit=SIGNALS_FOR, cursor=cursor)
    for row in page.items:
        row["signals"] = sources_store.source_signals(kb, row["domain"])
    return render(request, "sources.html", sources=page.items, levels=sources_store.TRUST_LEVELS,
                  next_cursor=page.next, cursor=cursor, flash=pop_flash(request))


@router.post("/sources/{domain}/trust")
def set_trust_form(
    request: Request, domain: str, level: str = Form(..., max_length=20), csrf_token: str = Form("")
) -> Response:
    who = _analyst_or_login(request, "/sources")
    if isinstance(who, Response):
        return who
    check_csrf(request, csrf_token)
    if level not in sources_store.TRUST_LEVELS:
        raise HTTPException(400, f"unknown trust level {level[:20]!r}")
    source = apply_trust(request, domain, level, Principal(who, "session"))
    set_flash(request, f"{source['domain']} is now {level} (set by {who}).")
    return RedirectResponse(f"/sources#src-{source['domain']}", status_code=303)
