"""The article page (highlighted text, claims, removed furniture, story siblings), its sanitised
original, and stories."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from treatywatch.kb import articles as articles_store
from treatywatch.kb import stories as stories_store
from treatywatch.web.api_articles import article_claims, resolve_article
from treatywatch.web.highlight import counts, highlight
from treatywatch.web.paging import Cursor
from treatywatch.web.render import render
from treatywatch.web.sanitize import original_of

router = APIRouter()


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str) -> Response:
    article = resolve_article(request, article_id)
    doc = article.get("extraction")
    story_id = article.get("story_id")
    story = stories_store.get_story(request.app.state.kb, story_id) if story_id else None
    return render(
        request,
        "article.html",
        article=article,
        body=highlight(article["text"], doc),
        found=counts(doc),
        claims=article_claims(request, article["id"]),
        story=story,
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
def stories_page(request: Request, cursor: str | None = Cursor) -> Response:
    page = stories_store.story_page(request.app.state.kb, limit=request.app.state.settings.page_size, cursor=cursor)
    return render(request, "stories.html", stories=page.items, next_cursor=page.next, cursor=cursor)


@router.get("/stories/{story_id}")
def story_page(request: Request, story_id: str) -> Response:
    story = stories_store.get_story(request.app.state.kb, story_id[:64])
    if story is None:
        raise HTTPException(404, f"no story {story_id[:64]}")
    return render(request, "story.html", story=story)
