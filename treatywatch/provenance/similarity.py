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

    @property
    def same_story(self) -> bool:
        """Tiers of evidence, from shared wording alone to a shared quote backed by figures."""
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


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated |A∩B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    intersection = jac * (size_a + size_b) / (1.0 + jac)
    return min(1.0, intersection / smaller)


def compare(a: Fingerprint, b: Fingerprint) -> Match:
    """All the evidence that ``a`` and ``b`` tell one story."""
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
    return Match(score, contained, lead, quotes, shared_numbers(a.numbers, b.numbers), shared, same_credit)


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
