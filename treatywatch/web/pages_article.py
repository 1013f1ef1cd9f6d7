"""The article page (highlighted text, claims, removed furniture, story siblings), its sanitised
original, and stories."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from treatywatch.errors import UnavailableError
from treatywatch.kb import articles as articles_store
from treatywatch.web import data
from treatywatch.web.api_articles import article_claims, resolve_article
from treatywatch.web.highlight import counts, highlight
from treatywatch.web.render import render
from treatywatch.web.sanitize import original_of

router = APIRouter()


def _story(request: Request, story_id: str | None) -> tuple[dict[str, Any] | None, str]:
    """The story (or None) and a note when stories cannot be shown."""
    if not story_id:
        return None, ""
    try:
        return data.get_story(request.app.state.kb, story_id), ""
    except UnavailableError as exc:
        return None, str(exc)


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str) -> Response:
    article = resolve_article(request, article_id)
    doc = article.get("extraction")
    story, story_note = _story(request, article.get("story_id"))
    return render(
        request,
        "article.html",
        article=article,
        body=highlight(article["text"], doc),
        found=counts(doc),
        claims=article_claims(request, article["id"]),
        story=story,
        story_note=story_note,
    )


@router.get("/articles/{article_id}/original")
def original_page(request: Request, article_id: str) -> Response:
    """The stored page, sanitised by nh3 (or a note saying why there is none)."""
    article = resolve_article(request, article_id)
    sha = article.get("raw_sha256")
    raw = articles_store.get_raw(request.app.state.kb, sha) if sha else None
    original = original_of(raw, article.get("input_kind"), article.get("encoding"), article.get("url"))
    return render(request, "original.html", article=article, original=original)


@router.get("/stories")
def stories_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> Response:
    size = request.app.state.settings.page_size
    try:
        rows = data.list_stories(request.app.state.kb, limit=size + 1, offset=(page - 1) * size)
        note = ""
    except UnavailableError as exc:
        rows, note = [], str(exc)
    return render(request, "stories.html", stories=rows[:size], has_more=len(rows) > size, page=page, note=note)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Response:
    story, note = _story(request, story_id[:64])
    if story is None and not note:
        raise HTTPException(404, f"no story {story_id[:64]}")
    return render(request, "story.html", story=story, note=note)
