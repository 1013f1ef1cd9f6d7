"""Finding the outlets a text credits as its source, and the chain when one agency cites another.

"told Reuters", "(AP) —", "RIA Novosti reported", "according to BELTA citing RMF24": the
patterns and the outlets are data (``data/credit_patterns.yaml``, ``data/wires.yaml``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from treatywatch.provenance.data import credit_patterns, wires

_WINDOW = 80
_SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-Z\"“])|\n")


@dataclass(frozen=True)
class _Mention:
    start: int
    domain: str
    role: str


@cache
def _alias_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(case-sensitive aliases, case-folded aliases) → domain.

    Short all-capital aliases (AP, PAP, ERR) only match as written, so that "ap" or "Err" in
    running text is never taken for an agency.
    """
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    for wire in wires():
        for alias in wire.aliases:
            if alias.isupper() and len(alias) <= 4:
                exact[alias] = wire.domain
            else:
                folded[alias.casefold()] = wire.domain
    return exact, folded


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    aliases = sorted({a for w in wires() for a in w.aliases}, key=len, reverse=True)
    slot = r"(?P<outlet>\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b)"
    return tuple(
        (re.compile(p.pattern.replace("{outlet}", slot), re.IGNORECASE | re.MULTILINE), p.role)
        for p in credit_patterns()
    )


def _domain_for(alias: str) -> str | None:
    exact, folded = _alias_tables()
    if alias in exact:
        return exact[alias]
    return folded.get(alias.casefold())


@cache
def _any_alias() -> re.Pattern[str]:
    aliases = sorted({a for w in wires() for a in w.aliases}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(a) for a in aliases) + r")\b", re.IGNORECASE)


def _mentions(text: str) -> list[_Mention]:
    """Credit mentions; the patterns only run in a window around each outlet name found."""
    found: dict[int, _Mention] = {}
    for occurrence in _any_alias().finditer(text):
        lo = max(0, occurrence.start() - _WINDOW)
        window = text[lo : occurrence.end() + _WINDOW]
        for pattern, role in _compiled():
            for match in pattern.finditer(window):
                start = lo + match.start("outlet")
                domain = _domain_for(match.group("outlet"))
                if start != occurrence.start() or domain is None:
                    continue
                if start not in found or role == "cited":
                    found[start] = _Mention(start, domain, role)
    return sorted(found.values(), key=lambda m: m.start)


def find_credits(text: str) -> list[str]:
    """The outlets (registry domains) the text credits, in chain order: the original first.

    An outlet that another credited outlet cites ("BELTA, citing RMF24") goes before the outlet
    citing it when both are in one sentence; otherwise outlets keep the order they are named in.
    """
    mentions = _mentions(text)
    sentence_of = _sentence_index(text)
    chain: list[str] = []
    previous: _Mention | None = None
    for mention in mentions:
        if mention.domain not in chain:
            same_sentence = previous is not None and sentence_of(previous.start) == sentence_of(mention.start)
            if mention.role == "cited" and previous is not None and same_sentence:
                chain.insert(chain.index(previous.domain), mention.domain)
            else:
                chain.append(mention.domain)
        previous = mention
    return chain


def _sentence_index(text: str) -> Callable[[int], int]:
    """A function giving the sentence number of a character offset (rough sentence split)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]

    def index(offset: int) -> int:
        return sum(1 for end in ends if end <= offset)

    return index
