"""The original source of a story: the outlet its members credit, else its earliest member."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MemberFacts:
    """What the original-source rule needs to know of one member of a story."""

    article_id: str
    published: str | None
    outlet: str | None
    credits: tuple[str, ...]


@dataclass(frozen=True)
class Origin:
    source: str | None
    basis: str | None  # "credited" or "earliest"
    chain: tuple[str, ...]


def _order_key(member: MemberFacts) -> tuple[bool, str]:
    """Publication day; members published on one day keep the order they were seen in.

    Days, not times: outlets give times in some places and not in others, and a bare date
    would otherwise always sort before any time on that day.
    """
    return (member.published is None, (member.published or "")[:10])


def story_origin(members: Sequence[MemberFacts]) -> Origin:
    """The origin of a story whose ``members`` are given in the order they were seen.

    Credited beats earliest. Among credited members the deepest chain wins (it names who the
    others relayed), then the chain most members agree on, then the earliest member's."""
    credited = [m for m in members if m.credits]
    if credited:
        votes = Counter(m.credits for m in credited)
        first_seen: dict[tuple[str, ...], int] = {}
        for member in sorted(credited, key=_order_key):
            first_seen.setdefault(member.credits, len(first_seen))
        chain = max(votes, key=lambda c: (len(c), votes[c], -first_seen[c]))
        return Origin(chain[0], "credited", chain)
    if not members:
        return Origin(None, None, ())
    earliest = min(members, key=_order_key)
    return Origin(earliest.outlet, "earliest", ())
