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
# Real pages (RealTime QA stream): a newsletter's standing paragraph at the top gave two
# unrelated CNN pieces lead similarity 0.46 with 0.02 containment; a 2022 and a 2026 Olympics
# guide shared 8 figures. A lead needs some body behind it, and a gap of weeks needs a near-copy.
LEAD_MIN_CONTAINMENT = 0.1
REWORDED_MAX_DAYS = 7
VERBATIM = 0.8
# The content words of a copy are in the original: a containment estimate from MinHash on pages
# of very different lengths is not (0.80 for two unrelated pages of one site sharing furniture,
# whose exact word containment was 0.35). Tune copies kept 0.43 or more of their content words.
WORDS_AGREE = 0.4
# A copy keeps the report's sentences in order; two pages of one outlet on one topic (a live
# page and a guide, a digest and the story it sums up) share words, figures, even a quote, but
# few sentences (first RealTime QA sample: 0.10-0.38 of the shorter page's sentences; the tune
# parts' copies all passed 0.4).
REWORDED_ALIGNED = 0.2  # the sample corpus's paraphrases: 0.2-0.29
REWORDED_ALIGNED_LONG, LONG_PAGE_SENTENCES = 0.4, 25
# Full-length pages of one outlet on one running story (a trial's day 2 and its gag order, a
# semi-final and the final) share a headline's words, many names and some sentences: the
# headline and names tiers were written for excerpts, a long rewrite must align half of it.
REWRITE_ALIGNED_LONG = 0.5
QUOTE_LED_OVERLAP = 0.5
QUOTE_ONLY_TRIGRAMS = 4
NUMBER_TOLERANCE = 0.02
MIN_SHINGLES = 4
HALF_YEAR = 183
_MONTH_START = (0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335)
MIN_GIST = 6
MIN_TITLE = 4
# The rewrite tiers (`Match.rewritten`), calibrated on the tune parts of the real-news sets
# (bench/realnews/stories_pairs.py): rewrites and translations aligned 0.45-1.0 of the shorter
# text's sentences (4 or more), other reports on one topic up to 0.40 — except updates that
# reuse a report's paragraphs under a new lead, which the lead rule keeps apart.
REWRITE_MIN_WORDS = 40
REWRITE_MAX_DAYS = 7
REWRITE_WORDS, REWRITE_NAMES = 0.35, 0.5
ALIGNED_SHARE, ALIGNED_MIN = 0.45, 4
TITLED_ALIGNED, TITLED_TITLE = 0.33, 0.8  # a kept headline lets a third of the sentences do
UPDATE_DAYS = 2  # a lead date this much later than all the other's dates: a later report
FIGURED_NAMES, FIGURED_SHARED_NAMES, FIGURED_NUMBERS = 0.75, 8, 3
SECOND_TITLE = 0.6
GIST_KEPT = 0.6  # content words of the quotes kept (a paraphrased quote keeps most of them)
SENTENCE_MATCH = 0.5  # share of the shorter sentence's content words for two sentences to align
LEAD_SENTENCES = 3
ALIGN_BELOW_WORDS = 0.3  # no alignment is computed under this word containment (it cannot pass)

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
    aligned: float = 0.0  # share of the shorter text's sentences aligned, in order, with the other's
    aligned_count: int = 0
    smaller_sentences: int = 0
    lead_aligned: bool = False  # an aligned sentence is among the first ones of each text
    later_news: bool = False  # one lead dates news later than anything the other mentions
    same_outlet: bool = False  # both published by one outlet

    @property
    def near_copy(self) -> bool:
        """Most of the shorter text's wording, exactly: a republished or lightly edited copy."""
        return self.containment >= STRONG_CONTAINMENT and self.words >= VERBATIM

    @property
    def same_story(self) -> bool:
        """Tiers of evidence, from shared wording alone to a shared quote backed by figures, then
        the signature that survives rewriting (`rewritten`). Two articles of one outlet are one
        story only as a near-copy: an outlet's follow-ups on a running story share its wording,
        names and figures, and are new reports."""
        if self.same_outlet:
            return self.near_copy
        return self.reworded or self.rewritten

    @property
    def reworded(self) -> bool:
        """Copies that keep enough word pairs: the wording tiers."""
        if self.smaller_words and self.words < WORDS_AGREE:
            return False  # the exact word keys overrule a MinHash estimate (long pages, boilerplate)
        if self.days_apart is not None and self.days_apart > REWORDED_MAX_DAYS:
            # months apart, only a near-copy is a copy (not next year's guide, a newsletter's template)
            return self.containment >= VERBATIM and self.words >= VERBATIM
        if self.smaller_words and self.aligned < self._aligned_needed:
            return False  # shared words but not the report's sentences: a digest, a template, a topic
        if self.containment >= STRONG_CONTAINMENT:
            return True
        if self.lead >= STRONG_LEAD and self.containment >= LEAD_MIN_CONTAINMENT:
            return True
        # a shared quote supports alone; a lead or figures only together (two reports on one
        # event share its figures and background: a false merge of the grown tune part)
        supported = self.quotes >= SUPPORT_QUOTES or (self.lead >= SUPPORT_LEAD and self.numbers >= SUPPORT_NUMBERS)
        if self.containment >= SUPPORTED_CONTAINMENT and supported:
            return True
        if self.quotes < QUOTE_LED_OVERLAP:
            return False
        backed = self.numbers >= SUPPORT_NUMBERS or self.same_credit
        if self.containment >= QUOTE_LED_CONTAINMENT and backed:
            return True
        return self.quote_trigrams >= QUOTE_ONLY_TRIGRAMS and self.numbers >= 1

    @property
    def _aligned_needed(self) -> float:
        """Long pages share more by chance (standing paragraphs, a live page's items): a copy of
        one keeps many of its sentences in order, so more are asked of it."""
        return REWORDED_ALIGNED_LONG if self.smaller_sentences >= LONG_PAGE_SENTENCES else REWORDED_ALIGNED

    @property
    def _second_signal(self) -> bool:
        """Aligned sentences need a second, independent agreement: the headline kept, or most
        names (tune rewrites and translations: title 0.6 or names 0.8 and more)."""
        return self.title >= SECOND_TITLE or self.names >= FIGURED_NAMES

    @property
    def rewritten(self) -> bool:
        """A rewrite or a translation: few word pairs survive, but the report's sentences do, in
        order (``aligned`` of the shorter text's, one of them near the top of each: an update that
        reuses the earlier report's paragraphs under a new lead is a new report), with most of
        the shorter text's content words and names. Or a garbled copy that keeps the names and
        the figures. Only between articles published within a few days of each other."""
        if self.smaller_words < REWRITE_MIN_WORDS:
            return False
        if self.days_apart is not None and self.days_apart > REWRITE_MAX_DAYS:
            return False
        if self.words < REWRITE_WORDS or self.names < REWRITE_NAMES:
            return False
        if self.later_news:
            return False
        if self.smaller_sentences >= LONG_PAGE_SENTENCES:  # long pages: the sentences must carry it
            return self.lead_aligned and self.aligned >= REWRITE_ALIGNED_LONG
        if self.aligned_count < ALIGNED_MIN:  # a garbled copy: the names, and its figures or quotes
            backed = self.numbers >= FIGURED_NUMBERS or self.gist >= GIST_KEPT
            return self.names >= FIGURED_NAMES and self.shared_names >= FIGURED_SHARED_NAMES and backed
        if self.lead_aligned and self.aligned >= ALIGNED_SHARE and self._second_signal:
            return True
        if self.lead_aligned and self.aligned >= TITLED_ALIGNED and self.title >= TITLED_TITLE:
            return True
        return self.names >= FIGURED_NAMES and self.shared_names >= FIGURED_SHARED_NAMES and self.numbers >= FIGURED_NUMBERS


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def containment(jac: float, size_a: int, size_b: int) -> float:
    """Estimated |A∩B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    smaller = min(size_a, size_b)
    if smaller == 0:
        return 0.0
    intersection = jac * (size_a + size_b) / (1.0 + jac)
    return min(1.0, intersection / smaller)


def compare(a: Fingerprint, b: Fingerprint, days_apart: int | None = None, *, same_outlet: bool = False) -> Match:
    """All the evidence that ``a`` and ``b`` tell one story (``days_apart``: publication days
    between them, when known; ``same_outlet``: both published by one outlet)."""
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
    words = overlap(a.words, b.words)
    aligned, count, lead_aligned = align(a.sentences, b.sentences) if words >= ALIGN_BELOW_WORDS else (0.0, 0, False)
    return Match(score, contained, lead, quotes, shared_numbers(a.numbers, b.numbers), shared, same_credit,
                 words=words, names=overlap(a.names, b.names),
                 shared_names=len(a.names & b.names), gist=overlap(a.gist, b.gist, MIN_GIST),
                 title=max(overlap(a.title, b.words, MIN_TITLE, first=True),
                           overlap(b.title, a.words, MIN_TITLE, first=True)),
                 dates=len(a.dates & b.dates), smaller_words=min(len(a.words), len(b.words)),
                 days_apart=days_apart, aligned=aligned, aligned_count=count, lead_aligned=lead_aligned,
                 smaller_sentences=min(len(a.sentences), len(b.sentences)),
                 later_news=later_news(a, b) or later_news(b, a), same_outlet=same_outlet)


def later_news(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether ``a``'s lead dates its news after every date ``b`` gives (text or publication):
    an update that reuses an earlier report's paragraphs ("On June 4 the Riigikogu adopted...
    This Friday, June 13, the president approved") is a new report."""
    if not a.lead_dates or not b.dates:
        return False
    latest_b = max(_day_of_year(d) for d in b.dates)
    return any(0 < _day_of_year(d) - latest_b <= HALF_YEAR and _day_of_year(d) - latest_b > UPDATE_DAYS
               for d in a.lead_dates)


def _day_of_year(month_day: str) -> int:
    """Day of a (leap) year of an ``MM-DD`` key: dates carry no year, so differences of more
    than half a year are not trusted (``HALF_YEAR``)."""
    month, day = int(month_day[:2]), int(month_day[3:])
    return _MONTH_START[month - 1] + day


def align(a: tuple[frozenset[int], ...], b: tuple[frozenset[int], ...]) -> tuple[float, int, bool]:
    """Longest in-order alignment of two texts' sentences (an LCS where two sentences match when
    they share ``SENTENCE_MATCH`` of the shorter one's content words): (share of the shorter
    text's sentences aligned, how many, whether an aligned pair is near the top of both).

    Written here: difflib's matcher compares equal items, and these are near-equal sets."""
    n, m = len(a), len(b)
    if not n or not m:
        return 0.0, 0, False
    match = [[len(x & y) >= SENTENCE_MATCH * min(len(x), len(y)) for y in b] for x in a]
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n):
        row, below = table[i], table[i + 1]
        for j in range(m):
            below[j + 1] = row[j] + 1 if match[i][j] else max(row[j + 1], below[j])
    count = table[n][m]
    lead = any(match[i][j] for i in range(min(n, LEAD_SENTENCES)) for j in range(min(m, LEAD_SENTENCES)))
    return count / min(n, m), count, lead


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
