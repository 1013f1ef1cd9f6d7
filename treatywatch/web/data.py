"""The kb and status functions the web layer calls, gathered in one place.

Stories, sources and the status engine are separate modules; this file names the entry points
the pages use so that routes stay thin, and turns a missing optional part into a clear
`Unavailable` (shown as "not available") rather than an import error at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from treatywatch.kb.store import KB

TRUST_LEVELS = ("trusted", "neutral", "untrusted")


class Unavailable(RuntimeError):
    """A part of treatywatch this page needs is not installed in this build."""


def _function(module: str, name: str) -> Callable[..., Any]:
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ImportError as exc:
        raise Unavailable(f"{module} is not available: {exc}") from exc
    if found is None:
        raise Unavailable(f"{module}.{name} is not available")
    return found  # type: ignore[no-any-return]


def list_stories(kb: KB, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    return _function("treatywatch.kb.stories", "list_stories")(kb, limit=limit, offset=offset)  # type: ignore[no-any-return]


def get_story(kb: KB, story_id: str) -> dict[str, Any] | None:
    return _function("treatywatch.kb.stories", "get_story")(kb, story_id)  # type: ignore[no-any-return]


def list_sources(kb: KB) -> list[dict[str, Any]]:
    return _function("treatywatch.kb.sources", "list_sources")(kb)  # type: ignore[no-any-return]


def get_source(kb: KB, domain: str) -> dict[str, Any] | None:
    return _function("treatywatch.kb.sources", "get_source")(kb, domain)  # type: ignore[no-any-return]


def source_signals(kb: KB, domain: str) -> dict[str, Any]:
    return _function("treatywatch.kb.sources", "source_signals")(kb, domain)  # type: ignore[no-any-return]


def set_trust(kb: KB, domain: str, level: str, analyst: str) -> Any:
    return _function("treatywatch.kb.sources", "set_trust")(kb, domain, level, analyst)
