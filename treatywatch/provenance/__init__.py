"""Provenance (docs/contracts.md#provenance): stories of derived articles, their original source, outlet signals.

Public surface: `StoryIndex` (incremental story assignment), `StoredStoryMember` (a stored
membership to rebuild it from), `find_credits` (outlets a text credits), `outlet_signals`
(measured signals of an outlet) and `known_outlets` (the seed registry).
"""

from treatywatch.provenance.credits import find_credits
from treatywatch.provenance.data import SOURCE_KINDS, known_outlets
from treatywatch.provenance.index import StoredStoryMember, StoryIndex, story_id_for

__all__ = [
    "SOURCE_KINDS",
    "StoredStoryMember",
    "StoryIndex",
    "find_credits",
    "known_outlets",
    "story_id_for",
]
