"""Deciding whether two fingerprints are one story, and how sure we are.

The evidence: containment of the smaller text in the larger (estimated from the MinHash Jaccard
and the shingle counts, so a shortened copy scores high), similarity of the leads, shared quote
trigrams and shared distinctive figures. Two reports on one topic share vocabulary and
background but seldom a quote, a figure and the lead at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from treatywatch.provenance.fingerprint import Fingerprint

# Calibrated on bench/provenance_fixtures (see bench/provenance_bench.py): different stories
# on one topic reached containment 0.44 through a shared background paragraph, but never a lead
# similarity above 0.2, a shared quote trigram or two shared distinctive figures.
STRONG_CONTAINMENT = 0.6
STRONG_LEAD = 0.3
SUPPORTED_CONTAINMENT = 0.3
SUPPORT_LEAD = 0.22
SUPPORT_QUOTES = 0.3
SUPPORT_NUMBERS = 2
MIN_SHINGLES = 4


@dataclass(frozen=True)
class Match:
    """Evidence that two articles derive from one report; ``score`` ranks candidate stories."""

    score: float
    containment: float
    lead: float
    quotes: float
    numbers: int

    @property
    def same_story(self) -> bool:
        if self.containment >= STRONG_CONTAINMENT or self.lead >= STRONG_LEAD:
            return True
        supported = self.lead >= SUPPORT_LEAD or self.quotes >= SUPPORT_QUOTES or self.numbers >= SUPPORT_NUMBERS
        return self.containment >= SUPPORTED_CONTAINMENT and supported


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
    lead = max(jaccard(a.lead, b.lead), jaccard(a.full, b.lead), jaccard(a.lead, b.full))
    quotes = 0.0
    if a.quote_hashes and b.quote_hashes:
        shared = len(a.quote_hashes & b.quote_hashes)
        quotes = shared / min(len(a.quote_hashes), len(b.quote_hashes))
    numbers = len(a.numbers & b.numbers)
    return Match(max(contained, lead), contained, lead, quotes, numbers)
