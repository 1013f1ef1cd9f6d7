"""Stories (clusters of one original report) as stored: membership and original source."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, func, select, update

from treatywatch.kb.schema import articles, stories, story_members
from treatywatch.kb.sql import insert_ignore
from treatywatch.models import StoryAssignment


def save_assignments(conn: Connection, assignments: Sequence[StoryAssignment], now: str) -> None:
    """Record each article's story inside the caller's transaction (idempotent)."""
    for a in assignments:
        published = conn.execute(
            select(func.coalesce(articles.c.published, articles.c.first_seen)).where(articles.c.id == a.article_id)
        ).scalar()
        if a.is_new_story:
            insert_ignore(
                conn,
                stories,
                {
                    "id": a.story_id,
                    "original_source": a.original_source,
                    "original_basis": a.original_basis,
                    "credit_chain": json.dumps(list(a.credit_chain)),
                    "first_seen": published,
                    "last_seen": published,
                    "signature": a.signature,
                },
            )
        if insert_ignore(
            conn,
            story_members,
            {"article_id": a.article_id, "story_id": a.story_id, "similarity": a.similarity, "joined_at": now},
        ):
            _widen_story_dates(conn, a.story_id, published)
        conn.execute(update(articles).where(articles.c.id == a.article_id).values(story_id=a.story_id))


def _widen_story_dates(conn: Connection, story_id: str, published: str | None) -> None:
    if not published:
        return
    row = conn.execute(select(stories.c.first_seen, stories.c.last_seen).where(stories.c.id == story_id)).first()
    if row is None:
        return
    first = min(filter(None, [row.first_seen, published]))
    last = max(filter(None, [row.last_seen, published]))
    conn.execute(update(stories).where(stories.c.id == story_id).values(first_seen=first, last_seen=last))
