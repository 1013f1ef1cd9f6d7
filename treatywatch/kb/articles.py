"""Storing ingested inputs and reading articles back.

`store_input` is the one writing entry point of the ingest flow: an input's articles, sightings,
raw bytes, rejections, extractions, claims, story assignments and the resume checkpoint go into
one transaction, so a crash leaves either all of an input or none of it; the same transaction
decides whether the input is already done and which of its articles are new. `store_batch`
writes an input unconditionally (fixtures, tools that assign stories themselves).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, or_, select

from treatywatch.dates import GrainDate, parse_grain_date
from treatywatch.kb import claims as claims_store
from treatywatch.kb import facts as facts_store
from treatywatch.kb import fulltext
from treatywatch.kb import seen as seen_store
from treatywatch.kb import stories as stories_store
from treatywatch.kb.keyset import Page, keyset_page
from treatywatch.kb.schema import (
    article_entities,
    articles,
    extractions,
    failures,
    ingest_progress,
    raw_inputs,
    sightings,
    sources,
)
from treatywatch.kb.sql import insert_ignore, moment_since, moment_until, sanitize
from treatywatch.kb.store import KB, utcnow
from treatywatch.models import Article, Extraction, InputBatch, StoryAssignment


@dataclass
class StoreResult:
    """What one input did to the knowledge base."""

    location: str
    new_articles: int = 0
    known_articles: int = 0
    new_sightings: int = 0
    rejections: int = 0
    claims: int = 0
    skipped_done: bool = False
    article_ids: list[str] = field(default_factory=list)
    dropped: int = 0  # pages the relevance prefilter dropped, recorded as seen for the first time


def is_done(kb: KB, input_key: str) -> bool:
    """True when this exact input (same bytes) was already stored completely."""
    with kb.read() as conn:
        return _is_done(conn, input_key)


def _is_done(conn: Connection, input_key: str) -> bool:
    row = conn.execute(select(ingest_progress.c.input_key).where(ingest_progress.c.input_key == input_key)).first()
    return row is not None


def known_article_ids(kb: KB, ids: Iterable[str]) -> set[str]:
    """The ids among ``ids`` already stored (the ingest flow skips extracting them)."""
    ids = list(ids)
    if not ids:
        return set()
    with kb.read() as conn:
        return _known_ids(conn, ids)


def _known_ids(conn: Connection, ids: list[str]) -> set[str]:
    return set(conn.execute(select(articles.c.id).where(articles.c.id.in_(ids))).scalars())


AssignStories = Callable[[Sequence[Article]], Sequence[StoryAssignment]]


def store_input(
    kb: KB,
    batch: InputBatch,
    *,
    extractions: Mapping[str, Extraction] | None = None,
    assign: AssignStories | None = None,
) -> StoreResult:
    """The ingest flow's store step: one input in one transaction that decides for itself.

    Inside the one writing transaction: an input already done (same key) is skipped whole
    (``skipped_done``); otherwise the articles not yet stored are the fresh ones, ``assign``
    gives their story assignments (it is called with them before anything is written, so a
    failed assignment writes nothing), and everything is written as ``store_batch`` does.
    ``assign`` is a callable so that kb needs no story logic of its own.
    """
    now = utcnow()
    with kb.write() as conn:
        if _is_done(conn, batch.key):
            return StoreResult(
                batch.location, known_articles=len(batch.articles), rejections=len(batch.rejections), skipped_done=True
            )
        known = _known_ids(conn, [a.id for a in batch.articles]) if batch.articles else set()
        fresh = [a for a in batch.articles if a.id not in known]
        assignments = assign(fresh) if assign is not None and fresh else ()
        return _write_input(conn, batch, extractions or {}, assignments, now)


def store_batch(
    kb: KB,
    batch: InputBatch,
    *,
    extractions_by_id: Mapping[str, Extraction] | None = None,
    assignments: Sequence[StoryAssignment] = (),
) -> StoreResult:
    """Store everything read from one input in one transaction (idempotent), done or not."""
    now = utcnow()
    with kb.write() as conn:
        return _write_input(conn, batch, extractions_by_id or {}, assignments, now)


def _write_input(
    conn: Connection,
    batch: InputBatch,
    extractions_by_id: Mapping[str, Extraction],
    assignments: Sequence[StoryAssignment],
    now: str,
) -> StoreResult:
    """Write an input's articles, sightings, raw bytes, extractions, claims, stories, rejections
    and its checkpoint, inside the caller's transaction."""
    result = StoreResult(location=batch.location, rejections=len(batch.rejections))
    first_time = insert_ignore(
        conn,
        ingest_progress,
        {
            "input_key": batch.key,
            "location": sanitize(batch.location),
            "done_at": now,
            "articles": len(batch.articles),
            "rejections": len(batch.rejections),
        },
    )
    extracted = []
    for article in batch.articles:
        _store_article(conn, article, batch.location, now, result)
        extraction = extractions_by_id.get(article.id)
        if extraction is not None:
            result.claims += store_extraction(conn, extraction, now)
            extracted.append(article.id)
    stories_store.save_assignments(conn, assignments, now)
    merged = [a.story_id for a in assignments if a.merged_stories]
    facts_store.update_for_articles(conn, extracted, now, stories=merged)  # incremental: only what changed
    result.dropped = seen_store.write_dropped(conn, batch.dropped, now)
    for rejection in batch.rejections if first_time else ():
        conn.execute(
            failures.insert().values(
                location=sanitize(rejection.location),
                record=rejection.record,
                code=rejection.code,
                message=sanitize(rejection.message),
                at=now,
            )
        )
    return result


def _store_article(conn: Connection, article: Article, location: str, now: str, result: StoreResult) -> None:
    domain = article.source.domain if article.source else None
    if domain:
        insert_ignore(
            conn,
            sources,
            {"domain": domain, "name": article.source.name if article.source else None, "first_seen": now},
        )
    if article.raw is not None and article.raw_sha256:
        insert_ignore(
            conn,
            raw_inputs,
            {"raw_sha256": article.raw_sha256, "compressed": zlib.compress(article.raw, 6), "size": len(article.raw)},
        )
    inserted = insert_ignore(conn, articles, _article_row(article, domain, now))
    result.article_ids.append(article.id)
    if inserted:
        result.new_articles += 1
    else:
        result.known_articles += 1
    seen_url = article.url or article.canonical_url or location
    if insert_ignore(
        conn,
        sightings,
        {
            "article_id": article.id,
            "url": sanitize(seen_url),
            "source_domain": domain,
            "published": article.published,
            "seen_at": now,
            "location": sanitize(location),
        },
    ):
        result.new_sightings += 1


def _article_row(article: Article, domain: str | None, now: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": sanitize(article.url),
        "canonical_url": sanitize(article.canonical_url),
        "source_domain": domain,
        "title": sanitize(article.title),
        "author": sanitize(article.author),
        "published": article.published,
        "published_from": article.published_from,
        "language": article.language,
        "text": sanitize(article.text),
        "removed": json.dumps([sanitize(line) for line in article.removed], ensure_ascii=False),
        "raw_sha256": article.raw_sha256,
        "first_seen": article.first_seen or now,
        "input_kind": article.input_kind,
        "encoding": article.encoding,
        "extractor_versions": json.dumps(dict(article.extractor_versions)),
    }


def store_extraction(conn: Connection, extraction: Extraction, now: str) -> int:
    """Save an article's extraction document, its entity index and its claims."""
    article_id = extraction.article.id
    document = json.dumps(extraction.to_json(), ensure_ascii=False)
    conn.execute(extractions.delete().where(extractions.c.article_id == article_id))
    conn.execute(
        extractions.insert().values(
            article_id=article_id,
            document=sanitize(document),
            extractor_version=dict(extraction.article.extractor_versions).get("treatywatch-nlp", "unknown"),
            extracted_at=now,
        )
    )
    conn.execute(article_entities.delete().where(article_entities.c.article_id == article_id))
    rows = [
        {
            "article_id": article_id,
            "entity_id": entity.id,
            "type": entity.type,
            "name": sanitize(entity.name),
            "iso3": entity.iso3,
            "mentions": len(entity.mentions),
        }
        for entity in extraction.entities
    ]
    if rows:
        conn.execute(article_entities.insert(), _unique_by(rows, "entity_id"))
    return claims_store.replace_claims(conn, extraction, now)


def _unique_by(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    seen: dict[Any, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row[key], row)
    return list(seen.values())


# --- reading -------------------------------------------------------------------------------


def article_page(
    kb: KB,
    *,
    source: str | None = None,
    since: GrainDate | str | None = None,
    until: GrainDate | str | None = None,
    text: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """Article summaries, newest first (keyset pages), filtered by outlet (the domain or its
    subdomains), publication date range and words of the title or text (`kb.fulltext`)."""
    query = select(
        articles.c.id,
        articles.c.title,
        articles.c.url,
        articles.c.source_domain.label("source"),
        articles.c.published,
        articles.c.first_seen,
        articles.c.input_kind,
        articles.c.story_id,
    )
    if source:  # the outlets are few: find them first, then their articles through the source index
        outlets = select(sources.c.domain).where(
            or_(sources.c.domain == source, sources.c.domain.endswith("." + source, autoescape=True)))
        query = query.where(articles.c.source_domain.in_(outlets))
    first, last = parse_grain_date(since), parse_grain_date(until)
    if first is not None:
        query = query.where(moment_since(articles.c.published, first))
    if last is not None:
        query = query.where(moment_until(articles.c.published, last))
    if text is not None:
        terms = fulltext.words(text)
        if not terms:
            return Page()
        query = query.where(fulltext.article_match(kb.engine.dialect.name, terms))
    with kb.read() as conn:
        rows, next_cursor = keyset_page(conn, query, articles.c.published, articles.c.id, cursor=cursor, limit=limit)
    return Page(rows, next_cursor)


def list_articles(kb: KB, *, limit: int = 50, **filters: Any) -> list[dict[str, Any]]:
    """The first ``limit`` articles of `article_page` (same filters)."""
    return article_page(kb, limit=limit, **filters).items


def read_from(kb: KB, ids: Sequence[str]) -> dict[str, str]:
    """Where each article was first read (a file path, a feed, a URL), for articles shown
    without a URL of their own."""
    if not ids:
        return {}
    query = (select(sightings.c.article_id, func.min(sightings.c.location))
             .where(sightings.c.article_id.in_(list(ids))).group_by(sightings.c.article_id))
    with kb.read() as conn:
        return {article_id: location for article_id, location in conn.execute(query) if location}


def count_articles(kb: KB) -> dict[str, int]:
    """Totals for a summary line: articles, sources, sightings, failures."""
    with kb.read() as conn:
        return {
            "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
            "sources": conn.execute(select(func.count()).select_from(sources)).scalar_one(),
            "sightings": conn.execute(select(func.count()).select_from(sightings)).scalar_one(),
            "failures": conn.execute(select(func.count()).select_from(failures)).scalar_one(),
        }


def find_article_id(kb: KB, prefix: str) -> str | None:
    """Resolve a full id or an unambiguous prefix (at least 6 characters) to an article id."""
    with kb.read() as conn:
        if len(prefix) == 64:
            row = conn.execute(select(articles.c.id).where(articles.c.id == prefix)).first()
            return row[0] if row else None
        if len(prefix) < 6:
            return None
        ids = list(conn.execute(select(articles.c.id).where(articles.c.id.like(prefix + "%")).limit(2)).scalars())
    return ids[0] if len(ids) == 1 else None


def get_article(kb: KB, article_id: str) -> dict[str, Any] | None:
    """One article with its removed lines, sightings and (when extracted) its extraction document."""
    with kb.read() as conn:
        row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        article = dict(row._mapping)
        article["removed"] = json.loads(article["removed"] or "[]")
        article["extractor_versions"] = json.loads(article["extractor_versions"] or "{}")
        article["source"] = article.pop("source_domain")
        article["sightings"] = [
            dict(r._mapping)
            for r in conn.execute(
                select(sightings.c.url, sightings.c.source_domain, sightings.c.published, sightings.c.seen_at)
                .where(sightings.c.article_id == article_id)
                .order_by(sightings.c.seen_at, sightings.c.url)
            )
        ]
        doc = conn.execute(select(extractions.c.document).where(extractions.c.article_id == article_id)).first()
        article["extraction"] = json.loads(doc[0]) if doc else None
    return article


def get_raw(kb: KB, raw_sha256: str) -> bytes | None:
    """The bytes an article was read from, kept for re-extraction."""
    with kb.read() as conn:
        row = conn.execute(select(raw_inputs.c.compressed).where(raw_inputs.c.raw_sha256 == raw_sha256)).first()
    return zlib.decompress(row[0]) if row else None


def quotes_for_state(kb: KB, iso3: str, limit: int = 50) -> list[dict[str, Any]]:
    """Direct and indirect quotes from articles that mention the state, newest first.

    Each row: text, kind, speaker_name, speaker, article_id, url, outlet, published.
    """
    entity_id = f"state:{iso3.upper()}"
    query = (
        select(extractions.c.document, articles.c.url, articles.c.source_domain, articles.c.published)
        .join(articles, articles.c.id == extractions.c.article_id)
        .join(article_entities, article_entities.c.article_id == extractions.c.article_id)
        .where(article_entities.c.entity_id == entity_id)
        .order_by(articles.c.published.desc())
        .limit(200)
    )
    out: list[dict[str, Any]] = []
    with kb.read() as conn:
        for document, url, outlet, published in conn.execute(query):
            doc = json.loads(document)
            for quote in doc.get("quotes", []):
                if quote.get("kind") in ("direct", "partial", "indirect") and quote.get("speaker_name"):
                    out.append(
                        {
                            **{k: quote.get(k) for k in ("text", "kind", "speaker", "speaker_name")},
                            "article_id": doc["article"]["id"],
                            "url": url,
                            "outlet": outlet,
                            "published": published,
                        }
                    )
                    if len(out) >= limit:
                        return out
    return out
