"""Measured signals of an outlet, from the stories its articles belong to (docs/contracts.md#provenance).

- ``copied_share``: share of its articles that re-post or rewrite another outlet's report: the
  story's credited origin is another outlet or, with no credit, another outlet published it
  strictly earlier;
- ``garbling``: share of its names and figures that disagree with the rest of the story — a name
  no other member spells that way while another member has a near spelling ("Zalevsky" against
  "Zalewski"), a figure no other member gives while the others agree on theirs;
- ``credited_rate``: share of its articles that name the outlet they come from; and
  ``uncredited_copies``, copies that name no one (missing attribution).
Pure functions: the knowledge base gathers the rows, this module does the arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from treatywatch.provenance.credits import find_credits
from treatywatch.provenance.origin import MemberFacts, Origin, story_origin
from treatywatch.provenance.text import distinctive_numbers, fold, names

NEAR_SPELLING = 0.7


@dataclass(frozen=True)
class MemberText:
    """One member of a story, as the signals need it."""

    article_id: str
    outlet: str | None
    published: str | None
    text: str


def _is_copy(member: MemberText, members: Sequence[MemberText], origin: Origin) -> bool:
    if origin.basis == "credited":
        return origin.source != member.outlet
    day = (member.published or "")[:10]
    return bool(day) and any(m.outlet != member.outlet and "" < (m.published or "")[:10] < day for m in members)


def _garbled(own: set[str], others: list[set[str]], *, fuzzy: bool) -> int:
    """How many of ``own`` no other member has, while another member has a near one."""
    seen = set().union(*others) if others else set()
    count = 0
    for item in own - seen:
        if not fuzzy:
            count += 1 if seen else 0
            continue
        folded = fold(item)
        if any(SequenceMatcher(None, folded, fold(o)).ratio() >= NEAR_SPELLING for o in seen):
            count += 1
    return count


def garbling_of(member: MemberText, others: Sequence[MemberText]) -> tuple[int, int]:
    """(garbled names and figures, all names and figures) of one article against its story."""
    own_names, own_numbers = names(member.text), distinctive_numbers(member.text)
    if len(others) < 1:
        return 0, 0
    bad = _garbled(own_names, [names(o.text) for o in others], fuzzy=True)
    bad += _garbled(own_numbers, [distinctive_numbers(o.text) for o in others], fuzzy=False)
    return bad, len(own_names) + len(own_numbers)


def outlet_signals(domain: str, stories: Mapping[str, Sequence[MemberText]]) -> dict[str, Any]:
    """Signals of ``domain`` over the stories (story id → all members) its articles belong to."""
    articles = copied = credited = uncredited_copies = 0
    garbled = checked = 0
    for members in stories.values():
        credits = {m.article_id: tuple(find_credits(m.text)) for m in members}
        origin = story_origin([MemberFacts(m.article_id, m.published, m.outlet, credits[m.article_id]) for m in members])
        for member in members:
            if member.outlet != domain:
                continue
            articles += 1
            is_copy = _is_copy(member, members, origin)
            has_credit = bool(credits[member.article_id])
            copied += is_copy
            credited += has_credit
            uncredited_copies += is_copy and not has_credit
            bad, total = garbling_of(member, [m for m in members if m.article_id != member.article_id])
            garbled, checked = garbled + bad, checked + total
    return {
        "articles": articles,
        "copied_share": round(copied / articles, 3) if articles else None,
        "garbling": round(garbled / checked, 3) if checked else None,
        "garbled_items": garbled,
        "credited_rate": round(credited / articles, 3) if articles else None,
        "uncredited_copies": uncredited_copies,
    }
