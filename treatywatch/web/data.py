"""The kb and status functions the web layer calls, gathered in one place.

Stories, sources and the status engine are separate modules; this file names the entry points
the pages use so that routes stay thin, and turns a missing optional part into a clear
`UnavailableError` (shown as "not available") rather than an import error at start-up.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

from treatywatch.errors import UnavailableError
from treatywatch.kb.search import claim_facets
from treatywatch.kb.store import KB

TRUST_LEVELS = ("trusted", "neutral", "untrusted")


def _function(module: str, name: str) -> Callable[..., Any]:
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError as exc:
        raise UnavailableError(f"{module} is not available: {exc}") from exc
    if found is None:
        raise UnavailableError(f"{module}.{name} is not available")
    return found


def list_stories(kb: KB, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    return _function("treatywatch.kb.stories", "list_stories")(kb, limit=limit, offset=offset)


def get_story(kb: KB, story_id: str) -> dict[str, Any] | None:
    return _function("treatywatch.kb.stories", "get_story")(kb, story_id)


def list_sources(kb: KB) -> list[dict[str, Any]]:
    return _function("treatywatch.kb.sources", "list_sources")(kb)


def get_source(kb: KB, domain: str) -> dict[str, Any] | None:
    return _function("treatywatch.kb.sources", "get_source")(kb, domain)


def source_signals(kb: KB, domain: str) -> dict[str, Any]:
    return _function("treatywatch.kb.sources", "source_signals")(kb, domain)


def set_trust(kb: KB, domain: str, level: str, analyst: str) -> Any:
    return _function("treatywatch.kb.sources", "set_trust")(kb, domain, level, analyst)


FACETS_TTL = 15.0
_facets_lock = threading.Lock()


def _refresh_facets(app: Any) -> dict[str, dict[str, int]]:
    generation = getattr(app.state, "facets_generation", 0)
    value = claim_facets(app.state.kb, time_limit=app.state.settings.query_time_limit)
    with _facets_lock:
        # A review that landed while counting made this count stale: do not keep it.
        if getattr(app.state, "facets_generation", 0) == generation:
            app.state.facets = (time.monotonic(), value)
        app.state.facets_refreshing = False
    return value


def _refresh_quietly(app: Any) -> None:
    try:
        _refresh_facets(app)
    except Exception:  # a failed background count must not kill anything; the next request retries
        with _facets_lock:
            app.state.facets_refreshing = False


def cached_facets(app: Any) -> dict[str, dict[str, int]]:
    """Claim counts for the filter menus and totals, kept fresh without making pages wait.

    Counting scans every claim (~0.1-0.2 s at 100k). The first request counts; afterwards a
    page gets the cached counts, and counts older than FACETS_TTL seconds are refreshed in a
    background thread (stale-while-revalidate). This app's own reviews clear the cache at once
    (`forget_facets`), so an analyst sees their review counted on the next page.
    """
    with _facets_lock:
        cached = getattr(app.state, "facets", None)
        stale = cached is not None and time.monotonic() - cached[0] >= FACETS_TTL
        if stale and not getattr(app.state, "facets_refreshing", False):
            app.state.facets_refreshing = True
            threading.Thread(target=_refresh_quietly, args=(app,), daemon=True).start()
    if cached is not None:
        return cached[1]
    return _refresh_facets(app)


def forget_facets(app: Any) -> None:
    with _facets_lock:
        app.state.facets = None
        app.state.facets_generation = getattr(app.state, "facets_generation", 0) + 1
