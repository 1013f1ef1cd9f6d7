"""Outlets (sources): the registry, the analysts' trust levels and the measured signals.

Kinds come from the stored row, or else from provenance's seed registry (`known_outlets`), so a
known wire shows as a wire before anyone has run `update_source_kinds`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, text, update

from treatywatch.errors import SourceError
from treatywatch.kb.facts import facts_of_outlet
from treatywatch.kb.keyset import Page, keyset_page
from treatywatch.kb.schema import articles, sources, story_members
from treatywatch.kb.sql import insert_ignore, sanitize
from treatywatch.kb.store import KB, utcnow
from treatywatch.provenance import known_outlets
from treatywatch.provenance.signals import MemberText, outlet_signals

TRUST_LEVELS = ("trusted", "neutral", "untrusted")


def _seed() -> dict[str, tuple[str, str]]:
    return {o.domain: (o.name, o.kind) for o in known_outlets()}


def _with_seed(row: dict[str, Any]) -> dict[str, Any]:
    name, kind = _seed().get(row["domain"], (None, "unknown"))
    if not row.get("name"):
        row["name"] = name
    if row.get("kind") in (None, "unknown"):
        row["kind"] = kind
    return row


def _counted_sources() -> Any:
    article_count = func.count(articles.c.id).label("articles")
    story_count = func.count(func.distinct(articles.c.story_id)).label("stories")
    return (
        select(sources, article_count, story_count)
        .select_from(sources.outerjoin(articles, articles.c.source_domain == sources.c.domain))
        .group_by(*sources.c)
    )


def list_sources(kb: KB) -> list[dict[str, Any]]:
    """Every outlet with its kind, trust, article and story counts (most articles first)."""
    query = _counted_sources().order_by(text("articles DESC"), sources.c.domain)
    with kb.read() as conn:
        return [_with_seed(dict(r._mapping)) for r in conn.execute(query)]


def source_page(kb: KB, *, limit: int = 100, cursor: str | None = None) -> Page:
    """Outlets as `list_sources` gives them, most articles first, as keyset pages."""
    counted = _counted_sources().subquery()
    with kb.read() as conn:
        rows, next_cursor = keyset_page(conn, select(counted), counted.c.articles, counted.c.domain,
                                        cursor=cursor, limit=limit)
    return Page([_with_seed(row) for row in rows], next_cursor)


def get_source(kb: KB, domain: str) -> dict[str, Any] | None:
    """One outlet with its measured signals, or None when the outlet is neither stored nor seeded."""
    domain = domain.strip().lower()
    with kb.read() as conn:
        row = conn.execute(select(sources).where(sources.c.domain == domain)).first()
    if row is None:
        if domain not in _seed():
            return None
        source: dict[str, Any] = {"domain": domain, "name": None, "kind": None, "trust": "neutral"}
    else:
        source = dict(row._mapping)
    source = _with_seed(source)
    source["signals"] = source_signals(kb, domain)
    return source


def set_trust(kb: KB, domain: str, level: str, analyst: str) -> dict[str, Any]:
    """Record an analyst's trust level for an outlet (adding the outlet if it is not known yet)."""
    domain = domain.strip().lower()
    if level not in TRUST_LEVELS:
        raise SourceError(f"unknown trust level {level!r}; use one of {', '.join(TRUST_LEVELS)}")
    if not domain or "/" in domain or " " in domain:
        raise SourceError(f"not an outlet domain: {domain!r} (give e.g. reuters.com)")
    now = utcnow()
    with kb.write() as conn:
        _ensure_source(conn, domain, now)
        conn.execute(
            update(sources)
            .where(sources.c.domain == domain)
            .values(trust=level, trust_set_by=sanitize(analyst), trust_set_at=now)
        )
        facts_of_outlet(conn, domain, now)  # their trusted-outlet counts change
    result = get_source(kb, domain)
    assert result is not None
    return result


def _ensure_source(conn: Connection, domain: str, now: str) -> None:
    name, kind = _seed().get(domain, (None, "unknown"))
    insert_ignore(conn, sources, {"domain": domain, "name": name, "kind": kind, "first_seen": now})


def update_source_kinds(kb: KB) -> int:
    """Write the seed registry's kinds and names into stored outlets still of kind ``unknown``.

    Returns the number of outlets updated. Idempotent; never touches trust levels.
    """
    seed = _seed()
    changed = 0
    with kb.write() as conn:
        rows = conn.execute(select(sources.c.domain, sources.c.name).where(sources.c.kind == "unknown"))
        for domain, name in list(rows):
            if domain in seed:
                seed_name, kind = seed[domain]
                conn.execute(
                    update(sources).where(sources.c.domain == domain).values(kind=kind, name=name or seed_name)
                )
                changed += 1
    return changed


def source_signals(kb: KB, domain: str) -> dict[str, Any]:
    """Copied share, garbling and credited-source rate of an outlet, from its stories' members."""
    with kb.read() as conn:
        story_ids = list(
            conn.execute(
                select(func.distinct(articles.c.story_id)).where(
                    articles.c.source_domain == domain, articles.c.story_id.is_not(None)
                )
            ).scalars()
        )
        stories: dict[str, list[MemberText]] = {}
        for chunk in _chunks(story_ids, 500):
            query = (
                select(
                    story_members.c.story_id,
                    articles.c.id,
                    articles.c.source_domain,
                    func.coalesce(articles.c.published, articles.c.first_seen),
                    articles.c.text,
                )
                .select_from(story_members.join(articles, articles.c.id == story_members.c.article_id))
                .where(story_members.c.story_id.in_(chunk))
            )
            for story_id, article_id, outlet, published, text in conn.execute(query):
                stories.setdefault(story_id, []).append(MemberText(article_id, outlet, published, text))
    return outlet_signals(domain, stories)


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
