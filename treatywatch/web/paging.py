"""Keyset pages on the web: the ``cursor`` parameter, the envelope of an API page, and the
refusal of the old ``offset`` (`kb.keyset` says why a page never starts at an offset)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Query, Request

from treatywatch.kb.keyset import MAX_CURSOR, Page
from treatywatch.web.render import query_with

Cursor = Query(None, max_length=MAX_CURSOR, pattern=r"^[A-Za-z0-9_-]*$",
               description="Where the page starts: the `next` of the page before (opaque)")


def no_offset(offset: str | None = Query(None, include_in_schema=False)) -> None:
    """400 for ``offset``: a client that still pages by offset must not get page one forever."""
    if offset is not None:
        raise HTTPException(400, "offset is not supported; follow 'next' (pass it as cursor=...)")


def page_envelope(request: Request, page: Page, params: dict[str, Any]) -> dict[str, Any]:
    """``{"items", "limit", "next", "next_url"}``: ``next`` is the opaque cursor of the next page
    (null on the last), ``next_url`` the same listing from there."""
    next_url = f"{request.url.path}?{query_with(params, cursor=page.next)}" if page.next else None
    return {"items": page.items, "limit": params.get("limit"), "next": page.next, "next_url": next_url}
