"""The relevance prefilter: a weighted term score that drops the off-topic majority of a stream.

A text passes when its *weapon* terms (mine, cluster munition, the Ottawa treaty, in several
languages) weigh at least ``threshold``, counting only those with a *context* term (a treaty
step, an actor, a casualty) within ``window`` characters. A bare "treaty" or "withdraw" is not
enough (they are everywhere in general news), nor is "mines" in a story about gold prices: the
weapon term is needed, and its context.

Terms are data (``data/relevance.yaml``) and match at a word start; a term ending in ``*`` is a
stem ("ratif*"), any other must also end at a word end ("mines" is not in "determines").
pyahocorasick scans the text once whatever the number of terms, which matters when the
prefilter runs over every page of a crawl before anything expensive.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

import ahocorasick
from pydantic import Field, StringConstraints

from treatywatch.datafile import DataModel, load_yaml

# A stem's ``*`` ends the term: the automaton matches fixed strings, so "amunicj* kasetow*" would
# silently never match, and is refused when the file is loaded.
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, pattern=r"^[^*]+\*?$")]
Kind = Literal["weapon", "context", "both", "against"]


class TermGroup(DataModel):
    """Terms of one kind and weight (``both``: a treaty name, weapon and context at once;
    ``against``: a look-alike such as "gold mine", whose weight is taken off the score)."""

    kind: Kind
    weight: int = Field(default=0, ge=0, le=100)
    terms: tuple[Term, ...] = Field(min_length=1)


class RelevanceFile(DataModel):
    """``relevance.yaml``: the window, the threshold and the term groups of every language."""

    window: int = Field(gt=0, le=10_000)
    threshold: int = Field(gt=0)
    groups: dict[str, TermGroup] = Field(min_length=1)


@dataclass(frozen=True)
class _Entry:
    term: str
    kind: Kind
    weight: int
    stem: bool


@dataclass(frozen=True)
class Verdict:
    """A text's score, whether it passes, and the weapon terms that counted (for the record)."""

    score: int
    relevant: bool
    terms: tuple[str, ...]


class Prefilter:
    """The weighted, windowed term score over one text (``relevant`` or not)."""

    def __init__(self, spec: RelevanceFile) -> None:
        self.window = spec.window
        self.threshold = spec.threshold
        self._automaton = ahocorasick.Automaton()
        for group in spec.groups.values():
            for raw in group.terms:
                stem = raw.endswith("*")
                term = raw.rstrip("*").lower()
                self._automaton.add_word(term, _Entry(term, group.kind, group.weight, stem))
        self._automaton.make_automaton()

    def _hits(self, text: str) -> tuple[list[tuple[int, _Entry]], list[int], int]:
        """Weapon hits (start, entry), the start of every context hit, at word boundaries, and
        the weight of the look-alikes (whose own words are not counted as weapons)."""
        weapons: list[tuple[int, _Entry]] = []
        contexts: list[int] = []
        against, covered = 0, -1
        for end, entry in self._automaton.iter(text):
            start = end - len(entry.term) + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if not entry.stem and end + 1 < len(text) and text[end + 1].isalnum():
                continue
            if entry.kind == "against":
                against += entry.weight
                covered = end
                weapons = [(s, e) for s, e in weapons if s < start]
            elif start > covered:
                if entry.kind != "context":
                    weapons.append((start, entry))
                if entry.kind != "weapon":
                    contexts.append(start)
        return weapons, contexts, against

    def verdict(self, text: str) -> Verdict:
        """Score ``text``: the weight of its weapon terms that have context nearby, less the
        weight of its look-alikes."""
        weapons, contexts, against = self._hits(text.lower())
        score = -against
        counted: dict[str, None] = {}
        for start, entry in weapons:
            if entry.kind == "both" or self._near(contexts, start):
                score += entry.weight
                counted[entry.term] = None
            else:  # a weapon named again and again is the topic, context or not
                score += entry.weight // self.threshold
        return Verdict(score, score >= self.threshold, tuple(counted))

    def _near(self, contexts: list[int], start: int) -> bool:
        """Is a context term within ``window`` characters of ``start``? (``contexts`` is sorted.)"""
        i = bisect_left(contexts, start - self.window)
        return i < len(contexts) and contexts[i] <= start + self.window

    def is_relevant(self, text: str) -> bool:
        return self.verdict(text).relevant

    def matches(self, text: str) -> list[str]:
        """The distinct terms of any kind found in ``text`` (in order of first occurrence)."""
        weapons, _contexts, _against = self._hits(text.lower())
        return list(dict.fromkeys(entry.term for _start, entry in weapons))


DATA = Path(__file__).parent / "data" / "relevance.yaml"


def load_prefilter(path: Path) -> Prefilter:
    """A prefilter from a YAML file of ``RelevanceFile``'s shape."""
    return Prefilter(load_yaml(RelevanceFile, path))


@lru_cache(maxsize=1)
def default_prefilter() -> Prefilter:
    """The prefilter of the packaged ``data/relevance.yaml``."""
    return load_prefilter(DATA)
