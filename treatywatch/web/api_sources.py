"""REST: outlets with their trust level and measured signals; analysts set trust."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from treatywatch.kb import sources as sources_store
from treatywatch.web.api_models import TrustIn
from treatywatch.web.idempotent import IdempotencyKey, run_once
from treatywatch.web.paging import Cursor, no_offset, page_envelope
from treatywatch.web.security import Principal, check_csrf, require_analyst

router = APIRouter(tags=["sources"])
_DOMAIN = re.compile(r"^[A-Za-z0-9.-]{1,255}$")


def parse_domain(domain: str) -> str:
    if not _DOMAIN.fullmatch(domain):
        raise HTTPException(404, f"no source {domain[:60]!r}")
    return domain.lower()


@router.get("/sources", summary="Outlets and their trust level, most articles first (keyset pages)")
def list_sources(
    request: Request, limit: int = Query(100, ge=1, le=500), cursor: str | None = Cursor,
    _: None = Depends(no_offset),
) -> dict[str, Any]:
    page = sources_store.source_page(request.app.state.kb, limit=limit, cursor=cursor)
    return page_envelope(request, page, {"limit": limit})


@router.get("/sources/{domain}", summary="One outlet with its signals")
def get_source(request: Request, domain: str) -> dict[str, Any]:
    kb = request.app.state.kb
    source = sources_store.get_source(kb, parse_domain(domain))
    if source is None:
        raise HTTPException(404, f"no source {domain[:60]!r}")
    source.setdefault("signals", sources_store.source_signals(kb, source["domain"]))
    return source


def apply_trust(request: Request, domain: str, level: str, who: Principal) -> dict[str, Any]:
    """Set an outlet's trust level and return the outlet as it now reads (404 if unknown)."""
    kb = request.app.state.kb
    domain = parse_domain(domain)
    if sources_store.get_source(kb, domain) is None:
        raise HTTPException(404, f"no source {domain[:60]!r}")
    sources_store.set_trust(kb, domain, level, who.username)
    source = sources_store.get_source(kb, domain)
    assert source is not None
    return source


@router.post("/sources/{domain}/trust", summary="Set an outlet's trust level (analysts only)")
def set_trust(
    request: Request, domain: str, body: TrustIn, who: Principal = Depends(require_analyst),
    idempotency_key: str | None = IdempotencyKey,
) -> Any:
    check_csrf(request, None)
    # Setting a level is idempotent by nature; the key still makes a retry replay the first answer.
    return run_once(request, who, idempotency_key, body, lambda _done: apply_trust(request, domain, body.level, who))
