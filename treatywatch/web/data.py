"""The claim counts the dashboard's filter menus show, cached per kb version (see `cached_facets`)."""

from __future__ import annotations

from typing import Any

from treatywatch.kb.search import claim_facets

FACETS_CACHE = "facets"


def cached_facets(app: Any) -> dict[str, dict[str, int]]:
    """Claim counts for the filter menus and totals, counted once per kb version.

    Counting scans every claim (~0.1-0.2 s at 100k); the counts change only with a write, and
    every write (by this process or any other: another server process, an ingest) moves the kb
    version (`treatywatch.kb.version`), so a page never shows counts older than the version its
    ETag names. Requests that arrive while the counts are being made wait for that one count.
    """
    kb = app.state.kb
    facets: dict[str, dict[str, int]] = kb.cache(FACETS_CACHE).get_or_compute(
        kb.version(), "all", lambda: claim_facets(kb, time_limit=app.state.settings.query_time_limit))
    return facets


def forget_facets(app: Any) -> None:
    """Drop the counts (the next page counts again), e.g. for a benchmark of the cold path."""
    app.state.kb.cache(FACETS_CACHE).clear()
