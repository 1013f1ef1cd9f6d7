"""The Python API: a `Monitor` over one knowledge base, running the flow of docs/architecture.md#the-flow.

The CLI and batch mode call these methods and only format what they return.
Ingest is `pipeline.run.Pipeline`'s (read → extract → store, one transaction per input, so an
interrupted run resumes where it stopped); `Monitor.ingest` only calls it.

Status questions go through `treatywatch.status.status_for_state` / `status_for_treaty`, fed by
one kb query (`kb.claims.status_claims`), as the web does. `Monitor.for_reading` opens an
existing knowledge base only; when none is required and none exists it answers from the
reference data alone (`claims_considered` is then False).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from treatywatch.ingest import IngestOptions
from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb import fact_reviews, facts_read
from treatywatch.kb import seen as kb_seen
from treatywatch.kb import sessions as kb_sessions
from treatywatch.kb import sources as kb_sources
from treatywatch.kb import stories as kb_stories
from treatywatch.kb import users as kb_users
from treatywatch.kb.backup import backup_sqlite
from treatywatch.kb.store import IN_MEMORY, KB, kb_exists, open_kb
from treatywatch.pipeline.run import IngestReport, Pipeline, ProgressCallback
from treatywatch.status import (
    StatusResult,
    TreatyStatus,
    load_facts,
    resolve_treaty,
    status_for_state,
    status_for_treaty,
)
from treatywatch.status.factcheck import annotate, by_impact
from treatywatch.status.report import Profile, build_profile
from treatywatch.status.series import (
    TreatyHistory,
    TreatyOverview,
    treaty_history,
    treaty_overview,
)


class Monitor:
    """treatywatch over one knowledge base (``db``: a path or a database URL)."""

    def __init__(self, db: str | None = None, *, kb: KB | None = None, extract: bool = True,
                 claims_considered: bool = True) -> None:
        self.kb = kb or open_kb(db)
        self.pipeline = Pipeline(self.kb, extract=extract)
        self.claims_considered = claims_considered

    @classmethod
    def for_reading(cls, db: str | None = None, *, required: bool | None = None) -> Monitor:
        """A monitor over an existing knowledge base (none is created).

        When the knowledge base is ``required`` (by default: when ``db`` names it) and absent,
        `NoKnowledgeBase`. Otherwise an absent one (at ``$TREATYWATCH_DB`` or the default
        path) gives a monitor over an empty in-memory knowledge base: status answers come from
        the reference data alone, and `claims_considered` says so.
        """
        if required is None:
            required = db is not None
        if required or kb_exists(db):
            return cls(kb=open_kb(db, create=False), extract=False)
        return cls(kb=open_kb(IN_MEMORY), extract=False, claims_considered=False)

    def close(self) -> None:
        self.kb.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- ingest ------------------------------------------------------------------------

    def ingest(
        self,
        targets: Sequence[str],
        options: IngestOptions | None = None,
        *,
        workers: int = 1,
        prefilter: bool = False,
        on_input: ProgressCallback | None = None,
        client: Any | None = None,
    ) -> IngestReport:
        """Read every file, folder and URL in ``targets`` into the knowledge base.

        With ``workers > 1`` extraction runs in worker processes, with ``client`` (a Dask
        client) on its cluster (batch mode); with ``prefilter`` articles without any treaty or
        weapons term are stored but not extracted.
        """
        return self.pipeline.ingest(
            targets, options or IngestOptions(), workers=workers, prefilter=prefilter, on_input=on_input, client=client
        )

    # --- reading -----------------------------------------------------------------------

    def articles(self, **filters: Any) -> list[dict[str, Any]]:
        """Article summaries, newest first; each also says where it was read (``read_from``)."""
        rows = kb_articles.list_articles(self.kb, **filters)
        places = kb_articles.read_from(self.kb, [r["id"] for r in rows])
        for row in rows:
            row["read_from"] = places.get(row["id"])
        return rows

    def article(self, article_id: str) -> dict[str, Any] | None:
        full = kb_articles.find_article_id(self.kb, article_id)
        return kb_articles.get_article(self.kb, full) if full else None

    def claims(self, **filters: Any) -> list[dict[str, Any]]:
        return kb_claims.list_claims(self.kb, **filters)

    def timeline(self, iso3: str, *, treaty: str | None = None,
                 include_rejected: bool = False) -> list[dict[str, Any]]:
        """One state's dated claims in date order (then publication date, then type)."""
        rows = [r for r in kb_claims.list_claims(self.kb, actor_iso3=iso3, treaty=treaty)
                if r.get("date") and (include_rejected or r["review_state"] != "rejected")]
        return sorted(rows, key=lambda r: (r["date"], r.get("published") or "", r["type"]))

    def claim_ids(self, prefix: str) -> list[str]:
        """The claim with this id, or every claim whose id starts with ``prefix``."""
        return kb_claims.claim_ids_starting(self.kb, prefix)

    def review(self, claim_id: str, state: str, reviewer: str, **kwargs: Any) -> dict[str, Any]:
        return kb_claims.review_claim(self.kb, claim_id, state, reviewer, **kwargs)

    # --- facts (claims that state the same step, kb.facts) ------------------------------

    def facts(self, *, order: str = "impact", limit: int | None = None, offset: int = 0,
              **filters: Any) -> list[dict[str, Any]]:
        """Facts with their support and their agreement with the legal record, ordered by
        ``impact`` (those that would change a treaty status first), ``stories`` or ``recent``."""
        if order == "impact":
            rows = by_impact(annotate(facts_read.list_facts(self.kb, **filters), load_facts()))
            return rows[offset: None if limit is None else offset + limit]
        rows = facts_read.list_facts(self.kb, order=order, limit=limit, offset=offset, **filters)
        return annotate(rows, load_facts())

    def fact(self, fact_id: str) -> dict[str, Any] | None:
        """One fact (id or unique prefix) with its claims, quotes and record check."""
        found = facts_read.fact_ids_starting(self.kb, fact_id)
        row = facts_read.get_fact(self.kb, found[0]) if len(found) == 1 else None
        return annotate([row], load_facts())[0] if row else None

    def fact_ids(self, prefix: str) -> list[str]:
        return facts_read.fact_ids_starting(self.kb, prefix)

    def review_fact(self, fact_id: str, state: str, reviewer: str, **kwargs: Any) -> list[str]:
        """Review every claim of a fact at once; returns the facts its claims are in now."""
        return fact_reviews.review_fact(self.kb, fact_id, state, reviewer, **kwargs)

    # --- status --------------------------------------------------------------------------

    def status(self, iso3: str, treaty: str | None = None, on: date | None = None) -> list[StatusResult]:
        """State ``iso3``'s status under ``treaty`` (id or name; default: each treaty that applies
        to it) on ``on`` (default today), with its reasons: reference facts plus this knowledge
        base's claims (accepted ones count, others are shown)."""
        facts = load_facts()
        treaty_id = resolve_treaty(facts, treaty) if treaty else None
        claims = kb_claims.status_claims(self.kb, iso3=iso3, treaty=treaty_id)
        return status_for_state(iso3, on or date.today(), claims=claims, facts=facts,
                                treaties=[treaty_id] if treaty_id else None)

    def treaty_status(self, treaty: str, on: date | None = None) -> TreatyStatus:
        """Every state's status under ``treaty`` (id or name) on ``on`` (default today), with counts."""
        facts = load_facts()
        treaty_id = resolve_treaty(facts, treaty)
        claims = kb_claims.status_claims(self.kb, treaty=treaty_id)
        return status_for_treaty(treaty_id, on or date.today(), claims=claims, facts=facts)

    def treaty_history(self, treaty: str, start: date | None = None, end: date | None = None) -> TreatyHistory:
        """The counts under ``treaty`` on every day from ``start`` (default: its entry into force)
        to ``end`` (default today), computed once from the days on which a status can change."""
        facts = load_facts()
        treaty_id = resolve_treaty(facts, treaty)
        return treaty_history(treaty_id, start, end, claims=kb_claims.status_claims(self.kb, treaty=treaty_id),
                              facts=facts)

    def treaty_overview(self, treaty: str, on: date | None = None) -> TreatyOverview:
        """Every state's status under ``treaty`` on ``on`` (default today) and the history of the
        counts from the treaty's entry into force: what a treaty page and report show."""
        facts = load_facts()
        treaty_id = resolve_treaty(facts, treaty)
        return treaty_overview(treaty_id, on or date.today(), facts=facts,
                               claims=kb_claims.status_claims(self.kb, treaty=treaty_id))

    def profile(self, iso3: str, on: date | None = None) -> Profile:
        """A country profile: status per treaty, timeline, every claim about the state, quotes."""
        code = iso3.upper()
        return build_profile(code, on or date.today(), facts=load_facts(),
                             claims=kb_claims.list_claims(self.kb, actor_iso3=code),
                             quotes=kb_articles.quotes_for_state(self.kb, code))

    # --- stories, sources, users, backup ---------------------------------------------------

    def stories(self, *, limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        return kb_stories.list_stories(self.kb, limit=limit, offset=offset)

    def story(self, story_id: str) -> dict[str, Any] | None:
        return kb_stories.get_story(self.kb, story_id)

    def sources(self) -> list[dict[str, Any]]:
        return kb_sources.list_sources(self.kb)

    def source(self, domain: str) -> dict[str, Any] | None:
        return kb_sources.get_source(self.kb, domain)

    def set_trust(self, domain: str, level: str, analyst: str) -> dict[str, Any]:
        return kb_sources.set_trust(self.kb, domain, level, analyst)

    def users(self) -> list[dict[str, Any]]:
        return kb_users.list_users(self.kb)

    def add_user(self, name: str, password: str) -> None:
        kb_users.add_user(self.kb, name, password)

    def create_token(self, name: str, *, days: int = 30) -> dict[str, str]:
        return kb_users.create_token(self.kb, name, days=days)

    def revoke_access(self, name: str) -> dict[str, int]:
        """End every API token and web session of ``name``."""
        return kb_users.revoke_access(self.kb, name)

    def change_password(self, name: str, password: str) -> int:
        """A new password for ``name``; returns how many of their web sessions it ended."""
        return kb_users.change_password(self.kb, name, password)

    def delete_user(self, name: str) -> dict[str, int]:
        return kb_users.delete_user(self.kb, name)

    def sessions(self, name: str | None = None) -> list[dict[str, Any]]:
        """Live web sessions (of ``name``, or of everyone), newest first."""
        return kb_sessions.list_sessions(self.kb, name)

    def backup(self, destination: str | Path) -> Path:
        """A consistent copy of a SQLite knowledge base (safe while ingest writes)."""
        return backup_sqlite(self.kb, destination)

    def summary(self) -> dict[str, Any]:
        """Counts for the end-of-run summary: articles, sources, stories, claims, and the pages
        the relevance prefilter dropped before parsing."""
        counts: dict[str, Any] = dict(kb_articles.count_articles(self.kb))
        counts["stories"] = kb_stories.count_stories(self.kb)
        counts["claims"] = kb_claims.count_claims(self.kb)
        counts["dropped"] = sum(c.pages for c in kb_seen.dropped_counts(self.kb))
        return counts

    def developments(self, limit: int = 10) -> list[dict[str, Any]]:
        """The latest developments, one per story and event: copies of a story are one line."""
        seen: set[tuple[Any, ...]] = set()
        out: list[dict[str, Any]] = []
        for claim in kb_claims.list_claims(self.kb, limit=limit * 20):
            key = (claim.get("story_id") or claim["article_id"], *kb_claims.corroboration_key(claim))
            if claim.get("actor") and key not in seen:
                seen.add(key)
                out.append(claim)
            if len(out) == limit:
                break
        return out
