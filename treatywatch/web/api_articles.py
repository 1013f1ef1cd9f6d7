"""REST: articles (with their extraction document), stories, and search."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from treatywatch.kb import articles as articles_store
from treatywatch.kb import search as search_store
from treatywatch.kb import stories as stories_store
from treatywatch.kb.search import browse_claims
from treatywatch.web.filters import DATE, grain_date
from treatywatch.web.paging import Cursor, no_offset, page_envelope

router = APIRouter()
MAX_ARTICLE_CLAIMS = 500
_ID = re.compile(r"^[0-9a-f]{6,64}$")


def resolve_article(request: Request, article_id: str) -> dict[str, Any]:
    """The article named by a full id or unambiguous prefix, or 404."""
    found = articles_store.find_article_id(request.app.state.kb, article_id) if _ID.fullmatch(article_id) else None
    article = articles_store.get_article(request.app.state.kb, found) if found else None
    if article is None:
        raise HTTPException(404, f"no article {article_id[:64]}")
    return article


@router.get("/articles", tags=["articles"], summary="List articles, newest first (keyset pages)")
def list_articles(
    request: Request,
    source: str | None = Query(None, max_length=255, description="Outlet domain (its subdomains too)"),
    since: str | None = Query(None, pattern=DATE, description="Earliest publication date (YYYY[-MM[-DD]])"),
    until: str | None = Query(None, pattern=DATE, description="Latest publication date (YYYY[-MM[-DD]])"),
    q: str | None = Query(None, max_length=200, description="Words of the title or text (all of them)"),
    limit: int = Query(50, ge=1, le=500),
    cursor: str | None = Cursor,
    _: None = Depends(no_offset),
) -> dict[str, Any]:
    page = articles_store.article_page(
        request.app.state.kb, source=source, since=grain_date("since", since), until=grain_date("until", until),
        text=q, limit=limit, cursor=cursor,
    )
    return page_envelope(request, page, {"source": source, "since": since, "until": until, "q": q, "limit": limit})


@router.get("/articles/{article_id}", tags=["articles"], summary="One article with its extraction and claims")
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    article = resolve_article(request, article_id)
    article["claims"] = article_claims(request, article["id"])
    return article


def article_claims(request: Request, article_id: str) -> list[dict[str, Any]]:
    """The article's current claims, as read (corrections applied, corroboration counted)."""
    found = browse_claims(request.app.state.kb, article_id=article_id, limit=MAX_ARTICLE_CLAIMS).items
    return sorted(found, key=lambda c: (c.get("span_start") or 0, c["id"]))


@router.get("/stories", tags=["stories"], summary="Stories (clusters of one original report), keyset pages")
def list_stories(
    request: Request, limit: int = Query(50, ge=1, le=500), cursor: str | None = Cursor,
    _: None = Depends(no_offset),
) -> dict[str, Any]:
    page = stories_store.story_page(request.app.state.kb, limit=limit, cursor=cursor)
    return page_envelope(request, page, {"limit": limit})


@router.get("/stories/{story_id}", tags=["stories"], summary="One story with its member articles")
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    story = stories_store.get_story(request.app.state.kb, story_id[:64])
    if story is None:
        raise HTTPException(404, f"no story {story_id[:64]}")
    return story


@router.get("/search", tags=["search"], summary="The newest articles and claims with every word of q (time-limited)")
def search(request: Request, q: str = Query(..., min_length=1, max_length=200),
           limit: int = Query(20, ge=1, le=100)) -> dict[str, Any]:
    limit_s = request.app.state.settings.query_time_limit
    return search_store.search(request.app.state.kb, q, limit=limit, time_limit=limit_s)
