"""The Python API: a `Monitor` over one knowledge base, running the flow of DESIGN §2.

The CLI, the web app and batch mode call these methods and only format what they return.
Ingest is `pipeline.Pipeline`'s (read → extract → store, one transaction per input, so an
interrupted run resumes where it stopped); `Monitor.ingest` only calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from treatywatch.ingest import IngestOptions
from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb import stories as kb_stories
from treatywatch.kb.store import KB, open_kb
from treatywatch.pipeline.run import IngestReport, Pipeline, ProgressCallback


class Monitor:
    """treatywatch over one knowledge base (``db``: a path or a database URL)."""

    def __init__(self, db: str | None = None, *, kb: KB | None = None, extract: bool = True) -> None:
        self.kb = kb or open_kb(db)
        self.pipeline = Pipeline(self.kb, extract=extract)

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
    ) -> IngestReport:
        """Read every file, folder and URL in ``targets`` into the knowledge base.

        With ``workers > 1`` extraction runs in worker processes (batch mode); with
        ``prefilter`` articles without any treaty or weapons term are stored but not extracted.
        """
        return self.pipeline.ingest(
            targets, options or IngestOptions(), workers=workers, prefilter=prefilter, on_input=on_input
        )

    # --- reading -----------------------------------------------------------------------

    def articles(self, **filters: Any) -> list[dict[str, Any]]:
        return kb_articles.list_articles(self.kb, **filters)

    def article(self, article_id: str) -> dict[str, Any] | None:
        full = kb_articles.find_article_id(self.kb, article_id)
        return kb_articles.get_article(self.kb, full) if full else None

    def claims(self, **filters: Any) -> list[dict[str, Any]]:
        return kb_claims.list_claims(self.kb, **filters)

    def review(self, claim_id: str, state: str, reviewer: str, **kwargs: Any) -> dict[str, Any]:
        return kb_claims.review_claim(self.kb, claim_id, state, reviewer, **kwargs)

    def status(self, iso3: str, treaty: str, on: date | None = None) -> Any:
        """State ``iso3``'s status under ``treaty`` on ``on`` (default today), with its reasons:
        reference facts plus this knowledge base's claims (accepted ones count, others are shown)."""
        from treatywatch.status import load_facts, status

        claims = kb_claims.list_claims(self.kb, actor_iso3=iso3.upper(), treaty=treaty.upper())
        return status(iso3.upper(), treaty.upper(), on or date.today(), facts=load_facts(), claims=claims)

    def summary(self) -> dict[str, Any]:
        """Counts for the end-of-run summary: articles, sources, stories, claims."""
        counts: dict[str, Any] = dict(kb_articles.count_articles(self.kb))
        counts["stories"] = kb_stories.count_stories(self.kb)
        counts["claims"] = kb_claims.count_claims(self.kb)
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
