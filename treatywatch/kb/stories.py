"""Stories (clusters of one original report) as stored: membership, fingerprints, original source.

`save_assignments` runs inside the ingest transaction; `load_index_rows` gives provenance what it
needs to rebuild its `StoryIndex`; `list_stories` / `get_story` are the reading side (CLI, API).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from treatywatch.kb.keyset import Page, keyset_page
from treatywatch.kb.schema import articles, stories, story_members
from treatywatch.kb.sql import insert_ignore
from treatywatch.kb.store import KB
from treatywatch.models import StoryAssignment
from treatywatch.provenance import StoredStoryMember


def save_assignments(conn: Connection, assignments: Sequence[StoryAssignment], now: str) -> None:
    """Record each article's story inside the caller's transaction (idempotent).

    The story's original source is rewritten on every assignment: a later member may credit the
    wire the first one did not name, or be published earlier than the first one seen.
    """
    for a in assignments:
        published = conn.execute(
            select(func.coalesce(articles.c.published, articles.c.first_seen)).where(articles.c.id == a.article_id)
        ).scalar()
        origin = {
            "original_source": a.original_source,
            "original_basis": a.original_basis,
            "credit_chain": json.dumps(list(a.credit_chain)),
        }
        inserted_story = insert_ignore(
            conn,
            stories,
            {"id": a.story_id, **origin, "first_seen": published, "last_seen": published, "signature": a.signature},
        )
        if not inserted_story:
            conn.execute(update(stories).where(stories.c.id == a.story_id).values(**origin))
        for merged in a.merged_stories:
            _fold_story(conn, merged, a.story_id)
        member = {
            "article_id": a.article_id,
            "story_id": a.story_id,
            "similarity": a.similarity,
            "joined_at": now,
            "signature": a.signature,
        }
        if insert_ignore(conn, story_members, member):
            _widen_story_dates(conn, a.story_id, published)
        conn.execute(update(articles).where(articles.c.id == a.article_id).values(story_id=a.story_id))


def _fold_story(conn: Connection, story_id: str, into: str) -> None:
    """Move a story's members into another story (provenance found they are one report)."""
    row = conn.execute(select(stories.c.first_seen, stories.c.last_seen).where(stories.c.id == story_id)).first()
    conn.execute(update(story_members).where(story_members.c.story_id == story_id).values(story_id=into))
    conn.execute(update(articles).where(articles.c.story_id == story_id).values(story_id=into))
    conn.execute(delete(stories).where(stories.c.id == story_id))
    if row is not None:
        _widen_story_dates(conn, into, row.first_seen)
        _widen_story_dates(conn, into, row.last_seen)


def _widen_story_dates(conn: Connection, story_id: str, published: str | None) -> None:
    if not published:
        return
    row = conn.execute(select(stories.c.first_seen, stories.c.last_seen).where(stories.c.id == story_id)).first()
    if row is None:
        return
    first = min(filter(None, [row.first_seen, published]))
    last = max(filter(None, [row.last_seen, published]))
    conn.execute(update(stories).where(stories.c.id == story_id).values(first_seen=first, last_seen=last))


def load_index_rows(kb: KB) -> list[StoredStoryMember]:
    """Every stored membership with its fingerprint, in the order the articles were first seen."""
    query = (
        select(
            story_members.c.story_id,
            story_members.c.article_id,
            func.coalesce(articles.c.published, articles.c.first_seen).label("published"),
            story_members.c.signature,
            articles.c.source_domain,
            articles.c.published.label("dated"),
        )
        .select_from(story_members.join(articles, articles.c.id == story_members.c.article_id))
        .order_by(articles.c.first_seen, story_members.c.joined_at, story_members.c.article_id)
    )
    with kb.read() as conn:
        return [
            StoredStoryMember(r.story_id, r.article_id, r.published, r.signature, r.source_domain, r.dated)
            for r in conn.execute(query)
        ]


_STORY_COLUMNS = (
    stories.c.id,
    stories.c.original_source,
    stories.c.original_basis,
    stories.c.credit_chain,
    stories.c.first_seen,
    stories.c.last_seen,
)


def _counted_stories() -> Any:
    count = func.count(story_members.c.article_id).label("member_count")
    return (
        select(*_STORY_COLUMNS, count)
        .select_from(stories.outerjoin(story_members, story_members.c.story_id == stories.c.id))
        .group_by(*_STORY_COLUMNS)
    )


def _with_members(conn: Connection, found: Sequence[Any]) -> list[dict[str, Any]]:
    rows = [_story_dict(r) for r in found]
    members = _members(conn, [r["id"] for r in rows])
    for row in rows:
        row["members"] = members.get(row["id"], [])
    return rows


def list_stories(kb: KB, limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Stories, most recently active first, each with its member count and members."""
    query = _counted_stories().order_by(stories.c.last_seen.desc(), stories.c.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with kb.read() as conn:
        return _with_members(conn, [r._mapping for r in conn.execute(query)])


def story_page(kb: KB, *, limit: int = 50, cursor: str | None = None) -> Page:
    """Stories, most recently active first, as keyset pages (the web's listing)."""
    with kb.read() as conn:
        found, next_cursor = keyset_page(conn, _counted_stories(), stories.c.last_seen, stories.c.id,
                                         cursor=cursor, limit=limit)
        return Page(_with_members(conn, found), next_cursor)


def get_story(kb: KB, story_id: str) -> dict[str, Any] | None:
    """One story with all its members (url, outlet, published, similarity)."""
    with kb.read() as conn:
        row = conn.execute(select(*_STORY_COLUMNS).where(stories.c.id == story_id)).first()
        if row is None:
            return None
        story = _story_dict(row._mapping)
        story["members"] = _members(conn, [story_id]).get(story_id, [])
    story["member_count"] = len(story["members"])
    return story


def count_stories(kb: KB) -> int:
    with kb.read() as conn:
        return int(conn.execute(select(func.count()).select_from(stories)).scalar_one())


def _story_dict(mapping: Any) -> dict[str, Any]:
    story = dict(mapping)
    story["credit_chain"] = json.loads(story["credit_chain"] or "[]")
    return story


def _members(conn: Connection, story_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    if not story_ids:
        return {}
    query = (
        select(
            story_members.c.story_id,
            story_members.c.article_id,
            story_members.c.similarity,
            articles.c.url,
            articles.c.source_domain.label("outlet"),
            articles.c.title,
            articles.c.published,
            articles.c.first_seen,
        )
        .select_from(story_members.join(articles, articles.c.id == story_members.c.article_id))
        .where(story_members.c.story_id.in_(list(story_ids)))
        .order_by(func.coalesce(articles.c.published, articles.c.first_seen), articles.c.id)
    )
    out: dict[str, list[dict[str, Any]]] = {}
    for r in conn.execute(query):
        member = dict(r._mapping)
        out.setdefault(member.pop("story_id"), []).append(member)
    return out
