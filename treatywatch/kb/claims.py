"""Claims (events as stored), their reviews, and corroboration counts (docs/contracts.md#claims-evidence-review, docs/contracts.md#provenance).

The store is bitemporal: a claim row is never updated in place except for its cached review
state; when re-extraction no longer finds it, it gets ``retracted_at`` (record time) instead of
being deleted. Reviews hang on the claim's ``match_key`` (article, type, actor, treaty, weapon,
evidence sentence), so a review survives re-extraction as long as the claim still matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, case, false, func, literal, or_, select, true, update

from treatywatch.dates import GrainDate, parse_grain_date
from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.event_types import registry
from treatywatch.kb import facts, fulltext
from treatywatch.kb.corrections import (  # re-exported: callers import them from here
    CORRECTABLE_FIELDS as CORRECTABLE_FIELDS,
)
from treatywatch.kb.corrections import REVIEW_STATES as REVIEW_STATES
from treatywatch.kb.corrections import _review_dict
from treatywatch.kb.corrections import attach_corrections as attach_corrections
from treatywatch.kb.corrections import checked_correction as checked_correction
from treatywatch.kb.schema import articles, claims, reviews, sources
from treatywatch.kb.sql import (
    grain_since,
    grain_until,
    moment_since,
    moment_until,
    sanitize,
)
from treatywatch.kb.store import KB, utcnow
from treatywatch.kb.version import VersionedCache, read_version
from treatywatch.models import Event, Extraction, normalise_text


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def match_key(article_id: str, event: Event) -> str:
    """What makes a re-extracted claim 'the same claim' for review purposes."""
    return _digest(
        article_id,
        event.type,
        event.actor,
        event.treaty,
        event.weapon,
        normalise_text(event.evidence.sentence),
    )


def claim_id(article_id: str, event: Event) -> str:
    """Content hash of everything extracted: a changed extraction is a new claim row."""
    return _digest(match_key(article_id, event), json.dumps(event.to_json(), sort_keys=True))


def replace_claims(conn: Connection, extraction: Extraction, now: str) -> int:
    """Store an article's events as claims; retract the ones no longer extracted.

    Returns the number of current claims for the article.
    """
    article = extraction.article
    current = {claim_id(article.id, e): e for e in extraction.events}
    existing = set(
        conn.execute(
            select(claims.c.id).where(claims.c.article_id == article.id, claims.c.retracted_at.is_(None))
        ).scalars()
    )
    gone = existing - current.keys()
    if gone:
        conn.execute(update(claims).where(claims.c.id.in_(gone)).values(retracted_at=now))
    for cid, event in current.items():
        if cid in existing:
            continue
        key = match_key(article.id, event)
        state = _latest_review_state(conn, key)
        revived = conn.execute(select(claims.c.id).where(claims.c.id == cid)).first()
        if revived:
            conn.execute(update(claims).where(claims.c.id == cid).values(retracted_at=None, review_state=state))
            continue
        conn.execute(claims.insert().values(**_claim_row(cid, key, article.id, article.url, event, now, state)))
    return len(current)


def _claim_row(
    cid: str, key: str, article_id: str, url: str | None, event: Event, now: str, state: str
) -> dict[str, Any]:
    return {
        "id": cid,
        "match_key": key,
        "article_id": article_id,
        "source_kind": "article",
        "source_url": sanitize(url),
        "type": event.type,
        "actor": event.actor,
        "actor_iso3": event.actor_iso3,
        "treaty": event.treaty,
        "weapon": event.weapon,
        "recipient": event.recipient,
        "place": sanitize(event.place),
        "date": event.date,
        "quantity": json.dumps(event.quantity) if event.quantity is not None else None,
        "modality": event.modality,
        "attributed_to": sanitize(event.attributed_to),
        "confidence": float(event.confidence),
        "sentence": sanitize(event.evidence.sentence),
        "span_start": event.evidence.span[0],
        "span_end": event.evidence.span[1],
        "recorded_at": now,
        "retracted_at": None,
        "review_state": state,
    }


def _latest_review_state(conn: Connection, key: str) -> str:
    row = conn.execute(
        select(reviews.c.state).where(reviews.c.match_key == key).order_by(reviews.c.id.desc()).limit(1)
    ).first()
    return row[0] if row else "new"


# --- reviews -------------------------------------------------------------------------------


def review_claim(
    kb: KB,
    claim: str,
    state: str,
    reviewer: str,
    *,
    correction: dict[str, Any] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record an analyst's review; returns the claim as it now reads (corrections applied).

    Raises `ReviewError` for a review that cannot be applied, `NotFoundError` for an unknown claim.
    """
    if state not in REVIEW_STATES[1:]:
        raise ReviewError(f"unknown review state {state!r}; use accepted, rejected or corrected")
    if state == "corrected":
        if not correction:
            raise ReviewError("a correction needs at least one field")
        unknown = set(correction) - set(CORRECTABLE_FIELDS)
        if unknown:
            raise ReviewError(f"fields that cannot be corrected: {', '.join(sorted(unknown))}")
        correction = checked_correction(correction)
    with kb.write() as conn:
        row = conn.execute(select(claims.c.id, claims.c.match_key).where(claims.c.id == claim)).first()
        if row is None:
            raise NotFoundError(f"no claim {claim}")
        conn.execute(
            reviews.insert().values(
                claim_id=claim,
                match_key=row.match_key,
                state=state,
                correction=json.dumps(correction) if correction else None,
                note=sanitize(note),
                reviewer=sanitize(reviewer),
                reviewed_at=utcnow(),
            )
        )
        conn.execute(update(claims).where(claims.c.match_key == row.match_key).values(review_state=state))
        facts.claim_reviewed(conn, claim, utcnow(), corrected=state == "corrected")
    result = get_claim(kb, claim)
    assert result is not None
    return result


def reviews_of(kb: KB, claim: str) -> list[dict[str, Any]]:
    """Every review ever made of this claim (or of an earlier extraction of it), oldest first."""
    with kb.read() as conn:
        key = conn.execute(select(claims.c.match_key).where(claims.c.id == claim)).scalar()
        if key is None:
            return []
        rows = conn.execute(select(reviews).where(reviews.c.match_key == key).order_by(reviews.c.id))
        return [_review_dict(dict(r._mapping)) for r in rows]


# --- reading -------------------------------------------------------------------------------

_CLAIM_COLUMNS = [c for c in claims.c if c.name != "match_key"]


def claim_query() -> Any:
    """Claims joined with their article's outlet, publication date, title and story."""
    return select(
        *_CLAIM_COLUMNS, claims.c.match_key, articles.c.source_domain.label("outlet"),
        articles.c.published, articles.c.title, articles.c.story_id,
    ).select_from(claims.outerjoin(articles, articles.c.id == claims.c.article_id))


def date_range(since: GrainDate | None, until: GrainDate | None) -> tuple[list[Any], list[Any]]:
    """WHERE terms for claims dated between ``since`` and ``until``, each date compared at its own
    grain: the terms on the claim's date, and those on its article's publication date (which
    stands in for an undated claim's date)."""
    dated: list[Any] = []
    published: list[Any] = []
    if since is not None:
        dated.append(grain_since(claims.c.date, since))
        published.append(moment_since(articles.c.published, since))
    if until is not None:
        dated.append(grain_until(claims.c.date, until))
        published.append(moment_until(articles.c.published, until))
    return dated, published


def claim_filters(
    *,
    actor_iso3: str | None = None,
    treaty: str | None = None,
    types: Sequence[str] | None = None,
    review_state: str | None = None,
    text: str | None = None,
    article_id: str | None = None,
    include_retracted: bool = False,
    common_state: bool = False,
    dialect: str = "sqlite",
) -> list[Any]:
    """The WHERE terms every claim listing shares (dates are each caller's own business).

    ``common_state`` says most claims have this review state: the term is then written so that
    SQLite does not pick the review-state index, which would only make it sort them all.
    ``text`` keeps claims whose sentence, actor or place has its words (`kb.fulltext`, on the
    ``dialect``'s word index); a text without words keeps none.
    """
    conditions: list[Any] = [] if include_retracted else [claims.c.retracted_at.is_(None)]
    if actor_iso3:
        conditions.append(claims.c.actor_iso3 == actor_iso3.upper())
    if treaty:
        conditions.append(claims.c.treaty == treaty.upper())
    if types:
        conditions.append(claims.c.type.in_(list(types)))
    if review_state and common_state:
        conditions.append(func.coalesce(claims.c.review_state, "") == review_state)
    elif review_state:
        conditions.append(claims.c.review_state == review_state)
    if text is not None:
        terms = fulltext.words(text)
        conditions.append(fulltext.claim_match(dialect, terms) if terms else false())
    if article_id:
        conditions.append(claims.c.article_id == article_id)
    return conditions


def finish_rows(conn: Connection, rows: list[dict[str, Any]], counts: Counts | None = None, *,
                cache: VersionedCache | None = None) -> list[dict[str, Any]]:
    """Rows of `claim_query` as callers get them: corrections applied, corroboration counted
    (or taken from ``counts``, or from the kb's ``cache`` of it), quantity decoded, the internal
    match key dropped."""
    attach_corrections(conn, rows)
    attach_corroboration(conn, rows, counts, cache=cache)
    for row in rows:
        row["quantity"] = json.loads(row["quantity"]) if row.get("quantity") else None
        row.pop("match_key", None)
    return rows


def list_claims(
    kb: KB,
    *,
    actor_iso3: str | None = None,
    treaty: str | None = None,
    types: Sequence[str] | None = None,
    since: GrainDate | str | None = None,
    until: GrainDate | str | None = None,
    review_state: str | None = None,
    text: str | None = None,
    include_retracted: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Claims with their outlet, publication date, latest correction and corroboration counts."""
    conditions = claim_filters(actor_iso3=actor_iso3, treaty=treaty, types=types, review_state=review_state,
                               text=text, include_retracted=include_retracted, dialect=kb.engine.dialect.name)
    dated, published = date_range(parse_grain_date(since), parse_grain_date(until))
    if dated:
        conditions.append(or_(and_(claims.c.date.is_not(None), *dated),
                              and_(claims.c.date.is_(None), *published)))
    return _newest_first(kb, conditions, limit=limit, offset=offset)


def status_claims(kb: KB, *, iso3: str | None = None, treaty: str | None = None) -> list[dict[str, Any]]:
    """Every current claim the status engine may read, for one state and/or one treaty.

    The engine reads claims about a treaty; a corrected claim is read too, since the correction
    may name one. All of them (no cap: a status must not depend on how many claims there are),
    corrections applied, in `list_claims`' order, so every interface hands the engine the same
    claims in the same order.
    """
    conditions = claim_filters(actor_iso3=iso3, treaty=treaty)
    conditions.append(or_(claims.c.treaty.is_not(None), claims.c.review_state == "corrected"))
    return _newest_first(kb, conditions)


def _newest_first(kb: KB, conditions: list[Any], *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Claims matching ``conditions``, newest (claim date, else publication date) first, then by
    id (descending); claims with neither date last."""
    query = claim_query().where(and_(true(), *conditions))
    sort_key = func.coalesce(func.nullif(claims.c.date, ""), articles.c.published)
    query = query.order_by(sort_key.desc().nulls_last(), claims.c.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with kb.read() as conn:
        return finish_rows(conn, [dict(r._mapping) for r in conn.execute(query)], cache=corroboration_cache(kb))


def get_claim(kb: KB, claim: str) -> dict[str, Any] | None:
    with kb.read() as conn:
        row = conn.execute(claim_query().where(claims.c.id == claim)).first()
        if row is None:
            return None
        return finish_rows(conn, [dict(row._mapping)], cache=corroboration_cache(kb))[0]


def claim_ids_starting(kb: KB, prefix: str) -> list[str]:
    """The claim with this id, or else every claim (retracted ones too) whose id starts so."""
    with kb.read() as conn:
        if conn.execute(select(claims.c.id).where(claims.c.id == prefix)).first() is not None:
            return [prefix]
        found = conn.execute(select(claims.c.id).where(claims.c.id.startswith(prefix, autoescape=True))
                             .order_by(claims.c.id))
        return list(found.scalars())


def corroboration_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Claims that say the same thing: same type, actor and modality, and the same values of the
    arguments that identify a step of that type (the registry's ``identified_by``: the treaty
    of a treaty step, the weapon of a weapons development); other arguments count as unknown.

    Modality is part of it so that "will not produce" never counts as support for "will produce".
    """
    types = registry()
    identifying = types.identified_by(row["type"])
    values = tuple(row.get(a) if a in identifying else None for a in types.key_columns)
    return (row["type"], row.get("actor_iso3") or row.get("actor"), *values, row.get("modality"))


def _key_column(argument: str) -> Any:
    """A claims column as `corroboration_key` reads it: NULL for the types it does not identify."""
    types = registry()
    ignored = [t.id for t in types.types if argument not in t.identified_by]
    column = claims.c[argument]
    return case((claims.c.type.in_(ignored), None), else_=column) if ignored else column


Counts = dict[tuple[Any, ...], tuple[int, int]]


def corroboration_counts(conn: Connection, rows: list[dict[str, Any]] | None = None) -> Counts:
    """Independent stories and trusted outlets per corroboration key (`corroboration_key`).

    For the keys of ``rows``: counted only over the claims that can share one (same actor, type
    and modality, which the (actor_iso3, type) index finds), so the work follows the page. For
    every key when ``rows`` is None: one pass over all claims, for a caller that finishes many
    pages (an export).
    """
    conditions: list[Any] = [claims.c.retracted_at.is_(None), claims.c.review_state != "rejected"]
    if rows is not None:
        if not rows:
            return {}
        triples = {(r["actor_iso3"], r["type"], r["modality"]) for r in rows if r.get("actor_iso3")}
        by_actor = {(r["actor"], r["type"], r["modality"]) for r in rows if not r.get("actor_iso3")}
        terms = [and_(claims.c.actor_iso3 == iso3, claims.c.type == kind, claims.c.modality == modality)
                 for iso3, kind, modality in triples]
        terms += [and_(claims.c.actor_iso3.is_(None), claims.c.actor == actor, claims.c.type == kind,
                       claims.c.modality == modality) for actor, kind, modality in by_actor]
        conditions.append(or_(*terms))
    story = func.coalesce(articles.c.story_id, literal("article:") + articles.c.id)
    trusted_outlet = case((sources.c.trust == "trusted", articles.c.source_domain), else_=None)
    who = func.coalesce(func.nullif(claims.c.actor_iso3, ""), claims.c.actor).label("who")
    arguments = [_key_column(a).label(f"key_{a}") for a in registry().key_columns]
    grouped = (claims.c.type, who, *arguments, claims.c.modality)
    counted = conn.execute(
        select(*grouped, func.count(func.distinct(story)).label("stories"),
               func.count(func.distinct(trusted_outlet)).label("trusted"))
        .select_from(claims.join(articles, articles.c.id == claims.c.article_id)
                     .outerjoin(sources, sources.c.domain == articles.c.source_domain))
        .where(*conditions)
        .group_by(*grouped)
    )
    return {tuple(c)[: len(grouped)]: (int(c.stories), int(c.trusted)) for c in counted}


def all_corroboration(kb: KB) -> Counts:
    """`corroboration_counts` of every key, read once per kb version."""
    def count() -> Counts:
        with kb.read() as conn:
            return corroboration_counts(conn)

    counts: Counts = kb.cache("corroboration_all").get_or_compute(kb.version(), "all", count)
    return counts


def corroboration_cache(kb: KB) -> VersionedCache:
    """The counts per corroboration key already read at the current kb version: the counts
    change only with a write, and a page shows the same few dozen keys request after request."""
    return kb.cache("corroboration")


_MISSING = object()


def _cached_counts(conn: Connection, rows: list[dict[str, Any]], cache: VersionedCache) -> Counts:
    """The counts of the keys of ``rows``: from ``cache`` at the version ``conn`` sees, counting
    only the keys it lacks (and keeping them)."""
    version = read_version(conn)
    found: Counts = {}
    missing = []
    for row in rows:
        key = corroboration_key(row)
        hit = cache.get(version, (bool(row.get("actor_iso3")), key), _MISSING)
        if hit is _MISSING:
            missing.append(row)
        else:
            found[key] = hit
    if missing:
        fresh = corroboration_counts(conn, missing)
        for row in missing:
            key = corroboration_key(row)
            found[key] = fresh.get(key, (0, 0))
            cache.put(version, (bool(row.get("actor_iso3")), key), found[key])
    return found


def attach_corroboration(conn: Connection, rows: list[dict[str, Any]], counts: Counts | None = None, *,
                         cache: VersionedCache | None = None) -> None:
    """Independent stories and trusted outlets behind each claim (same rule as list_claims),
    from ``counts`` when the caller has them, else through ``cache`` when given."""
    if counts is None and cache is not None:
        counts = _cached_counts(conn, rows, cache)
    found = counts if counts is not None else corroboration_counts(conn, rows)
    for row in rows:
        row["corroboration"], row["trusted_sources"] = found.get(corroboration_key(row), (0, 0))


def count_claims(kb: KB) -> dict[str, int]:
    """Current (not retracted) claims per review state."""
    with kb.read() as conn:
        rows = conn.execute(
            select(claims.c.review_state, func.count())
            .where(claims.c.retracted_at.is_(None))
            .group_by(claims.c.review_state)
        )
        return {state: n for state, n in rows}
