"""Deciding whether two fingerprints are one story, and how sure we are.

The evidence: containment of the smaller text in the larger (estimated from the MinHash Jaccard
and the shingle counts, so a shortened copy scores high), similarity of the leads, shared quote
trigrams and shared distinctive figures. Two reports on one topic share vocabulary and
background but seldom a quote, a figure and the lead at once.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from treatywatch.provenance.fingerprint import Fingerprint

# Calibrated with bench/provenance_bench.py: different stories on one topic reached containment
# 0.5 through a shared background paragraph, and lead similarity 0.4 when a rewrite moved that
# paragraph up; they did not share quote trigrams or two distinctive figures.
STRONG_CONTAINMENT = 0.6
STRONG_LEAD = 0.45
SUPPORTED_CONTAINMENT = 0.3
SUPPORT_LEAD = 0.26
SUPPORT_QUOTES = 0.3
SUPPORT_NUMBERS = 2
# Rewrites that keep little wording: a shared quote carries them when other evidence agrees
# (calibrated on the sample corpus's paraphrase and rewrite of one wire story).
QUOTE_LED_CONTAINMENT = 0.15
QUOTE_LED_OVERLAP = 0.5
QUOTE_ONLY_TRIGRAMS = 4
NUMBER_TOLERANCE = 0.02
MIN_SHINGLES = 4
MIN_GIST = 6
# The rewrite tiers (`Match.rewritten`), calibrated on the tune parts of the real-news sets
# (bench/realnews/stories_pairs.py): same-story rewrites and translations kept 0.39-0.98 of the
# shorter text's content words, different stories on one topic up to 0.50 (a short article).
REWRITE_MIN_WORDS = 40
REWRITE_MAX_DAYS = 7
REWRITE_WORDS, REWRITE_NAMES, REWRITE_SHARED_NAMES = 0.55, 0.5, 6
TITLED_WORDS, TITLED_TITLE, TITLED_SHARED_NAMES = 0.4, 0.75, 4
NAMED_WORDS, NAMED_NAMES, NAMED_SHARED_NAMES = 0.35, 0.75, 8
GIST_BACKED = 0.5
MIN_TITLE = 4


@dataclass(frozen=True)
class Match:
    """Evidence that two articles derive from one report; ``score`` ranks candidate stories."""

    score: float
    containment: float
    lead: float
    quotes: float
    numbers: int
    quote_trigrams: int = 0
    same_credit: bool = False
    words: float = 0.0  # containment of content words (transliteration-blind keys)
    names: float = 0.0  # containment of names
    shared_names: int = 0
    gist: float = 0.0  # containment of the quotes' content words
    title: float = 0.0  # share of one headline's words found in the other article
    dates: int = 0  # calendar dates both give
    smaller_words: int = 0  # content words of the shorter article
    days_apart: int | None = None  # publication days between the two, when both are known

    @property
    def same_story(self) -> bool:
        """Tiers of evidence, from shared wording alone to a shared quote backed by figures, then
        the signature that survives rewriting (`rewritten`)."""
        return self.reworded or self.rewritten

    @property
    def reworded(self) -> bool:
        """Copies that keep enough word pairs: the wording tiers."""
        if self.containment >= STRONG_CONTAINMENT or self.lead >= STRONG_LEAD:
            return True
        supported = self.lead >= SUPPORT_LEAD or self.quotes >= SUPPORT_QUOTES or self.numbers >= SUPPORT_NUMBERS
        if self.containment >= SUPPORTED_CONTAINMENT and supported:
            return True
        if self.quotes < QUOTE_LED_OVERLAP:
            return False
        backed = self.numbers >= SUPPORT_NUMBERS or self.same_credit
        if self.containment >= QUOTE_LED_CONTAINMENT and backed:
            return True
        return self.quote_trigrams >= QUOTE_ONLY_TRIGRAMS and self.numbers >= 1

    @property
    def rewritten(self) -> bool:
        """A rewrite or translation: few word pairs survive, but the shorter text's content words
        and names do, backed by the headline, the quotes' gist or the figures. Only between
        articles published within a few days (an update a month later is another report)."""
        if self.smaller_words < REWRITE_MIN_WORDS:
            return False
        if self.days_apart is not None and self.days_apart > REWRITE_MAX_DAYS:
            return False
        if self.words >= REWRITE_WORDS and self.names >= REWRITE_NAMES and self.shared_names >= REWRITE_SHARED_NAMES:
            return True
        if self.words >= TITLED_WORDS and self.title >= TITLED_TITLE and self.shared_names >= TITLED_SHARED_NAMES:
            return True
        backed = self.numbers >= SUPPORT_NUMBERS or self.gist >= GIST_BACKED
        return (self.words >= NAMED_WORDS and self.names >= NAMED_NAMES
                and self.shared_names >= NAMED_SHARED_NAMES and backed)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated |A∩B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    intersection = jac * (size_a + size_b) / (1.0 + jac)
    return min(1.0, intersection / smaller)


def compare(a: Fingerprint, b: Fingerprint, days_apart: int | None = None) -> Match:
    """All the evidence that ``a`` and ``b`` tell one story (``days_apart``: publication days
    between them, when known)."""
    if min(a.size, b.size) < MIN_SHINGLES:
        return Match(0.0, 0.0, 0.0, 0.0, 0)
    contained = containment(jaccard(a.full, b.full), a.size, b.size)
    lead = jaccard(a.lead, b.lead)
    quotes, shared = 0.0, 0
    if a.quote_hashes and b.quote_hashes:
        shared = len(a.quote_hashes & b.quote_hashes)
        quotes = shared / min(len(a.quote_hashes), len(b.quote_hashes))
    same_credit = bool(a.credits and b.credits and a.credits[0] == b.credits[0])
    score = max(contained, lead)
    return Match(score, contained, lead, quotes, shared_numbers(a.numbers, b.numbers), shared, same_credit,
                 words=overlap(a.words, b.words), names=overlap(a.names, b.names),
                 shared_names=len(a.names & b.names), gist=overlap(a.gist, b.gist, MIN_GIST),
                 title=max(overlap(a.title, b.words, MIN_TITLE, first=True),
                           overlap(b.title, a.words, MIN_TITLE, first=True)),
                 dates=len(a.dates & b.dates), smaller_words=min(len(a.words), len(b.words)),
                 days_apart=days_apart)


def overlap(a: frozenset[int], b: frozenset[int], least: int = 1, *, first: bool = False) -> float:
    """|a ∩ b| / |a| (``first``) or / min(|a|, |b|); 0 when a set has fewer than ``least`` keys."""
    if len(a) < least or len(b) < least:
        return 0.0
    return len(a & b) / (len(a) if first else min(len(a), len(b)))


def shared_numbers(a: frozenset[str], b: frozenset[str]) -> int:
    """Figures of ``a`` that ``b`` also gives, allowing rounding ("nearly 6,300" for 6,279).

    The figures of ``b`` are sorted once, so each figure of ``a`` is looked up by bisection rather
    than against every figure of ``b`` (figure-heavy pages made the pairwise scan quadratic).
    """
    exact = a & b
    rest_b = sorted(float(x) for x in b - exact)
    count = len(exact)
    for x in a - exact:
        value = float(x)
        if value < 100:
            continue
        # |value - y| <= t * max(value, y)  <=>  value * (1 - t) <= y <= value / (1 - t)
        low, high = value * (1 - NUMBER_TOLERANCE), value / (1 - NUMBER_TOLERANCE)
        i = bisect_left(rest_b, low)
        if i < len(rest_b) and rest_b[i] <= high:
            count += 1
    return count
