"""Facts: the claims that state the same step, grouped as they arrive (issue 14).

A *fact* is one step by one actor — same event type, same actor, and the same values of the
arguments that identify a step of that type (the registry's ``identified_by``: the treaty of a
treaty step, the weapon of a weapons development) — on compatible dates. Dates are compared at
their grain (`GrainDate`): "2026-02" and "2026-02-20" may be the same day, "2026-02-20" and
"2026-02-21" may not. A step a state takes once per treaty (the registry's ``once``: joining,
a withdrawal taking effect) is one fact whatever its dates: reports that disagree on the date
are a *conflict* within the fact, shown, not two facts.

Maintenance is incremental: the store step calls `update_for_articles` inside its transaction,
which assigns the article's new claims to facts and refreshes the counts of the facts they touch
(and of those whose claims were retracted), nothing else. A fact's id is derived from what
identifies it, so re-extraction (new claim rows, same step) lands in the same fact and the
fact's review stays. `regroup_all` rebuilds every assignment (the 0008 migration, and the
baseline the benchmark compares against).

Reviews: `review_fact` reviews every current claim of the fact (the claims' own review rows, so
the status engine reads them as it always has) and the fact itself. A claim that joins a
reviewed fact later is *new support* (or a *new conflict*, when its date disagrees with the
fact's), counted on the fact, not a new item to review. (`kb.fact_reviews` records them; this
module does not import `kb.store`, so the migration that fills facts can use it.)
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, literal, select, update

from treatywatch.dates import GrainDate
from treatywatch.event_types import registry
from treatywatch.kb.corrections import (
    attach_corrections,
)
from treatywatch.kb.schema import articles, claims, fact_claims, facts, sources
from treatywatch.kb.sql import sanitize

IDENTIFYING = ("treaty", "weapon", "recipient")
GRAIN_RANK = {"day": 2, "month": 1, "year": 0}
REVIEWED = ("accepted", "rejected", "corrected")


def _digest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()


def _grain(text: str | None) -> GrainDate | None:
    if not text:
        return None
    try:
        return GrainDate.parse(str(text))
    except ValueError:
        return None


def identity(claim: dict[str, Any]) -> dict[str, Any]:
    """What identifies the step a claim states: type, actor and the identifying arguments of
    its type (the others count as unknown, as for corroboration)."""
    spec = registry().get(claim.get("type"))
    identified_by = set(spec.identified_by) if spec is not None else set()
    out = {"type": claim.get("type"), "actor_iso3": claim.get("actor_iso3") or None,
           "actor": None if claim.get("actor_iso3") else claim.get("actor")}
    out.update({a: claim.get(a) if a in identified_by else None for a in IDENTIFYING})
    return out


def fact_key(claim: dict[str, Any]) -> str:
    ident = identity(claim)
    return _digest("fact", *(ident[k] for k in ("type", "actor_iso3", "actor", *IDENTIFYING)))


def _once(type_id: str | None) -> bool:
    spec = registry().get(type_id)
    return bool(spec is not None and spec.once)


# --- assignment ----------------------------------------------------------------------------


def _claim_rows(conn: Connection, condition: Any) -> list[dict[str, Any]]:
    """Claims with their corrections applied (a corrected type or date moves a claim)."""
    rows = [dict(r._mapping) for r in conn.execute(
        select(claims.c.id, claims.c.match_key, claims.c.type, claims.c.actor, claims.c.actor_iso3,
               claims.c.treaty, claims.c.weapon, claims.c.recipient, claims.c.date, claims.c.modality,
               claims.c.review_state, claims.c.retracted_at).where(condition))]
    attach_corrections(conn, rows)
    return rows


def _choose_fact(conn: Connection, claim: dict[str, Any], key: str, now: str) -> tuple[str, dict[str, Any]]:
    """The fact this claim joins (created when there is none): (id, its row)."""
    if _once(claim.get("type")):
        fid = _digest(key)
        candidates = conn.execute(select(facts).where(facts.c.id == fid)).mappings().all()
    else:
        candidates = conn.execute(
            select(facts).where(facts.c.key == key).order_by(facts.c.stories.desc(), facts.c.id)
        ).mappings().all()
        day = _grain(claim.get("date"))
        candidates = [c for c in candidates if day is None or (g := _grain(c["date"])) is None or g.overlaps(day)]
        fid = candidates[0]["id"] if candidates else _digest(key, claim.get("date") or "")
    if candidates:
        return candidates[0]["id"], dict(candidates[0])
    row = {"id": fid, "key": key, **identity(claim), "actor": claim.get("actor"), "date": claim.get("date"),
           "created_at": now, "updated_at": now, "review_state": "new"}
    conn.execute(facts.insert().values(**{k: _fitted(k, v) for k, v in row.items()}))
    return fid, row


def _fitted(column: str, value: Any) -> Any:
    """A value as the ``facts`` column holds it: NUL-free, cut to the column's length (a
    correction may set a longer actor or weapon than extraction ever does)."""
    if not isinstance(value, str):
        return value
    length = getattr(facts.c[column].type, "length", None)
    return sanitize(value)[:length] if length else sanitize(value)


def _support(claim: dict[str, Any], fact: dict[str, Any]) -> str:
    """How a claim joins its fact (see the ``fact_claims`` table)."""
    if claim.get("review_state") in REVIEWED:
        return "reviewed"
    if fact.get("review_state") not in REVIEWED:
        return "new"
    mine, theirs = _grain(claim.get("date")), _grain(fact.get("date"))
    return "new_conflict" if mine and theirs and not mine.overlaps(theirs) else "new_support"


def assign(conn: Connection, rows: Iterable[dict[str, Any]], now: str) -> set[str]:
    """Give each claim row (corrections applied) its fact; returns the facts it joined."""
    touched: set[str] = set()
    for claim in rows:
        fid, fact = _choose_fact(conn, claim, fact_key(claim), now)
        conn.execute(fact_claims.insert().values(claim_id=claim["id"], fact_id=fid,
                                                 support=_support(claim, fact), joined_at=now))
        touched.add(fid)
    return touched


def _facts_of(conn: Connection, claim_ids: Sequence[str]) -> set[str]:
    if not claim_ids:
        return set()
    found = conn.execute(select(fact_claims.c.fact_id).where(fact_claims.c.claim_id.in_(list(claim_ids))))
    return set(found.scalars())


def update_for_articles(conn: Connection, article_ids: Sequence[str], now: str,
                        stories: Sequence[str] = ()) -> set[str]:
    """After an input's claims were stored: assign the new ones, refresh the facts touched.

    ``stories`` are stories that changed shape (merged), whose facts' story counts change too.
    Returns the ids of the facts refreshed.
    """
    if not article_ids and not stories:
        return set()
    rows = _claim_rows(conn, claims.c.article_id.in_(list(article_ids))) if article_ids else []
    known = _facts_of(conn, [r["id"] for r in rows])
    assigned = set(conn.execute(select(fact_claims.c.claim_id).where(
        fact_claims.c.claim_id.in_([r["id"] for r in rows]))).scalars()) if rows else set()
    fresh = [r for r in rows if r["id"] not in assigned and r["retracted_at"] is None]
    touched = known | assign(conn, fresh, now)
    if stories:
        touched |= set(conn.execute(
            select(fact_claims.c.fact_id).select_from(
                fact_claims.join(claims, claims.c.id == fact_claims.c.claim_id)
                .join(articles, articles.c.id == claims.c.article_id))
            .where(articles.c.story_id.in_(list(stories)))).scalars())
    refresh(conn, touched, now)
    return touched


def regroup_claims(conn: Connection, claim_ids: Sequence[str], now: str) -> set[str]:
    """Assign these claims afresh (after a correction that may change their step)."""
    old = _facts_of(conn, claim_ids)
    conn.execute(fact_claims.delete().where(fact_claims.c.claim_id.in_(list(claim_ids))))
    rows = _claim_rows(conn, and_(claims.c.id.in_(list(claim_ids)), claims.c.retracted_at.is_(None)))
    touched = old | assign(conn, rows, now)
    refresh(conn, touched, now)
    return touched


def regroup_all(conn: Connection, now: str, batch: int = 2000) -> int:
    """Rebuild every assignment from the current claims (fact rows, and so their reviews, stay);
    returns the number of facts refreshed."""
    conn.execute(fact_claims.delete())
    touched: set[str] = set()
    ids = list(conn.execute(select(claims.c.id).where(claims.c.retracted_at.is_(None)).order_by(claims.c.recorded_at,
                                                                                               claims.c.id)).scalars())
    for start in range(0, len(ids), batch):
        touched |= assign(conn, _claim_rows(conn, claims.c.id.in_(ids[start:start + batch])), now)
    everything = set(conn.execute(select(facts.c.id)).scalars())
    refresh(conn, everything, now)
    return len(everything | touched)


def facts_of_outlet(conn: Connection, domain: str, now: str) -> set[str]:
    """Refresh the facts an outlet's claims belong to (its trust changed)."""
    touched = set(conn.execute(
        select(fact_claims.c.fact_id).select_from(
            fact_claims.join(claims, claims.c.id == fact_claims.c.claim_id)
            .join(articles, articles.c.id == claims.c.article_id))
        .where(articles.c.source_domain == domain)).scalars())
    refresh(conn, touched, now)
    return touched


# --- the counts a fact carries ----------------------------------------------------------------


def _support_rows(conn: Connection, fact_ids: list[str]) -> list[dict[str, Any]]:
    story = func.coalesce(articles.c.story_id, literal("article:") + articles.c.id)
    query = (
        select(fact_claims.c.fact_id, fact_claims.c.support, claims.c.id, claims.c.match_key,
               claims.c.type, claims.c.date, claims.c.modality, claims.c.review_state,
               claims.c.article_id, claims.c.recorded_at, story.label("story"),
               articles.c.source_domain.label("outlet"), articles.c.published,
               articles.c.first_seen.label("article_seen"), sources.c.trust)
        .select_from(fact_claims.join(claims, claims.c.id == fact_claims.c.claim_id)
                     .outerjoin(articles, articles.c.id == claims.c.article_id)
                     .outerjoin(sources, sources.c.domain == articles.c.source_domain))
        .where(fact_claims.c.fact_id.in_(fact_ids), claims.c.retracted_at.is_(None))
    )
    rows = [dict(r._mapping) for r in conn.execute(query)]
    attach_corrections(conn, rows)
    return rows


def best_date(dated: dict[str, set[str]]) -> tuple[str | None, list[dict[str, Any]]]:
    """The best-supported date and every date with its support, disagreeing ones marked.

    ``dated`` maps each date given to the stories that give it. A date is supported by the
    stories giving it or a coarser date that contains it ("2026-02" supports 2026-02-20, not
    the other way round); ties go to the finer date, then the one given directly by more
    stories, then the earlier. A date that cannot be the best one's day disagrees.
    """
    parsed = {text: g for text in dated if (g := _grain(text)) is not None}
    if not parsed:
        return None, []

    def contains(outer: GrainDate, inner: GrainDate) -> bool:
        return outer.first <= inner.first and inner.last <= outer.last

    def rank(text: str) -> tuple[int, int, int, str]:
        here = parsed[text]
        support = set().union(*(dated[o] for o, g in parsed.items() if contains(g, here)))
        return (-len(support), -GRAIN_RANK[here.grain], -len(dated[text]), text)

    best = min(parsed, key=rank)
    listed = [{"date": text, "stories": len(dated[text]), "agrees": parsed[text].overlaps(parsed[best])}
              for text in sorted(parsed, key=lambda t: (-len(dated[t]), t))]
    return best, listed


def _aggregate(rows: list[dict[str, Any]], current: dict[str, Any]) -> dict[str, Any]:
    live = [r for r in rows if r["review_state"] != "rejected"]
    stories = {r["story"] for r in live}
    modalities: dict[str, set[str]] = defaultdict(set)
    dated: dict[str, set[str]] = defaultdict(set)
    for r in live:
        modalities[r["modality"]].add(r["story"])
        if r.get("date") and r["modality"] != "denied":
            dated[str(r["date"])].add(r["story"])
    best, dates = best_date(dated)
    seen = sorted(s for r in live if (s := r.get("published") or r.get("article_seen") or r["recorded_at"]))
    support = Counter(r["support"] for r in live)
    return {
        "claims": len(live),
        "articles": len({r["article_id"] for r in live}),
        "stories": len(stories),
        "trusted": len({r["outlet"] for r in live if r.get("trust") == "trusted"}),
        "modalities": json.dumps({m: len(s) for m, s in sorted(modalities.items())}),
        "date": best if best is not None else current.get("date"),
        "dates": json.dumps(dates),
        "conflict": int(any(not d["agrees"] for d in dates)),
        "first_seen": seen[0] if seen else None,
        "last_seen": seen[-1] if seen else None,
        "new_support": support["new_support"],
        "new_conflicts": support["new_conflict"],
    }


def refresh(conn: Connection, fact_ids: Iterable[str], now: str) -> None:
    """Recompute the counts of these facts from their current claims."""
    ids = sorted(set(fact_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        by_fact: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in _support_rows(conn, chunk):
            by_fact[row["fact_id"]].append(row)
        current = {r.id: dict(r._mapping) for r in conn.execute(
            select(facts.c.id, facts.c.date, facts.c.updated_at).where(facts.c.id.in_(chunk)))}
        for fid in chunk:
            if fid in current:
                values = _aggregate(by_fact.get(fid, []), current[fid])
                conn.execute(update(facts).where(facts.c.id == fid).values(**values, updated_at=now))


# --- reviews -------------------------------------------------------------------------------


def claim_reviewed(conn: Connection, claim_id: str, now: str, *, corrected: bool) -> None:
    """A claim was reviewed on its own: a correction may move it; its fact's counts change."""
    conn.execute(update(fact_claims).where(fact_claims.c.claim_id == claim_id).values(support="reviewed"))
    if corrected:
        regroup_claims(conn, [claim_id], now)
    else:
        refresh(conn, _facts_of(conn, [claim_id]), now)
