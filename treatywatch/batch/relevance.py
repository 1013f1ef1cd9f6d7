"""The relevance prefilter: a keyword automaton that drops the off-topic majority of a stream.

A plain ``any(term in text ...)`` is quadratic in the number of terms; pyahocorasick scans the text
once whatever the number of terms, which matters when the prefilter runs over every page of a
crawl before anything expensive.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated

import ahocorasick
from pydantic import Field, StringConstraints

from treatywatch.datafile import DataModel, load_yaml


class Prefilter:
    """Case-insensitive substring match of any term (loaded from ``data/relevance.yaml``)."""

    def __init__(self, terms: list[str]) -> None:
        if not terms:
            raise ValueError("the relevance prefilter needs at least one term")
        self._automaton = ahocorasick.Automaton()
        for term in terms:
            self._automaton.add_word(term.lower(), term)
        self._automaton.make_automaton()

    def matches(self, text: str) -> list[str]:
        """The distinct terms found in ``text`` (in order of first occurrence)."""
        found = dict.fromkeys(term for _end, term in self._automaton.iter(text.lower()))
        return list(found)

    def is_relevant(self, text: str) -> bool:
        return next(self._automaton.iter(text.lower()), None) is not None


class RelevanceFile(DataModel):
    """``relevance.yaml``: the prefilter's terms."""

    terms: tuple[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)], ...] = Field(min_length=1)


@lru_cache(maxsize=1)
def default_prefilter() -> Prefilter:
    """The prefilter of the packaged ``data/relevance.yaml``."""
    return Prefilter(list(load_yaml(RelevanceFile, Path(__file__).parent / "data" / "relevance.yaml").terms))
