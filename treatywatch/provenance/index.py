"""The story index: incremental clustering of articles into stories (docs/contracts.md#provenance).

Each article is fingerprinted (`fingerprint.py`); candidate members come from a datasketch
MinHash LSH (`bands.py`) over the whole-text and lead signatures, and from an anchor index of distinctive
quote trigrams and figures (a heavily spun copy whose word overlap is too low for LSH usually
keeps the quote and the figures); the best candidate that passes the
same-story test (`similarity.py`) gives the story to join, else the article starts one. The
index is rebuilt from stored rows (`from_rows`) so joins work across runs. Deterministic: fixed
seeds, candidates examined in insertion order.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from zlib import crc32

import numpy as np

from treatywatch.models import Article, Extraction, StoryAssignment
from treatywatch.provenance.bands import BandIndex
from treatywatch.provenance.credits import find_credits
from treatywatch.provenance.fingerprint import Fingerprint, fingerprint
from treatywatch.provenance.origin import MemberFacts, story_origin
from treatywatch.provenance.similarity import Match, compare

LSH_BANDS = 42
LSH_ROWS = 3
QUOTE_ANCHORS = 24
NUMBER_ANCHORS = 6
NAME_ANCHORS = 40
ANCHOR_POSTINGS = 64
NAME_HITS = 4
_FIGURE, _NAME = 1, 2
STORY_PREFIX = "story:"


@dataclass(frozen=True)
class StoredStoryMember:
    """One article's story membership as loaded from the knowledge base."""

    story_id: str
    article_id: str
    published: str | None
    signature: bytes | None
    outlet: str | None = None
    dated: str | None = None  # the article's own publication date (``published`` may be first seen)


def _anchors(fp: Fingerprint) -> list[int]:
    """A few quote trigrams (lowest hashes, so copies pick the same ones), figures and names.

    The kind is in the two low bits (quote 0, figure 1, name 2), so one dictionary holds all.
    """
    quotes = sorted(fp.quote_hashes)[:QUOTE_ANCHORS]
    numbers = sorted(crc32(n.encode("utf-8")) for n in fp.numbers)[:NUMBER_ANCHORS]
    names = sorted(fp.names)[:NAME_ANCHORS]
    return [q << 2 for q in quotes] + [(n << 2) | _FIGURE for n in numbers] + [(n << 2) | _NAME for n in names]


def _decode(signature: bytes | None) -> Fingerprint | None:
    """A stored fingerprint, or None when absent or of another version (that member can still
    be listed, only not matched against)."""
    if not signature:
        return None
    try:
        return Fingerprint.from_bytes(signature)
    except (ValueError, struct.error):
        return None


def _day(published: str | None) -> int | None:
    """The publication day as a day number (None when absent or not an ISO date)."""
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


def story_id_for(article_id: str) -> str:
    """Content-derived, stable story id: from the article that started the story."""
    return STORY_PREFIX + article_id[:24]


class StoryIndex:
    """Stories seen so far, able to place the next article. Not thread-safe: one writer."""

    def __init__(self) -> None:
        self._lsh = BandIndex(LSH_BANDS, LSH_ROWS)
        # Members' fingerprints in their stored form (bytes): decoded only when a member is a
        # candidate. The decoded key sets take ~30 KB an article; the bytes ~2-3 KB.
        self._fingerprints: list[bytes | None] = []
        self._facts: list[MemberFacts] = []
        self._story_of: list[str] = []
        self._position: dict[str, int] = {}
        self._stories: dict[str, list[int]] = {}
        self._anchors: dict[int, list[int]] = {}
        self._days: list[int | None] = []  # own publication day (not first seen), for the window

    @classmethod
    def from_rows(cls, rows: Iterable[StoredStoryMember]) -> StoryIndex:
        """Rebuild the index from stored memberships (in the order given)."""
        index = cls()
        signed: list[int] = []
        signatures: list[np.ndarray] = []
        for row in rows:
            fp = _decode(row.signature)
            credits = fp.credits if fp else ()
            facts = MemberFacts(row.article_id, row.published, row.outlet, credits)
            position = index._add(facts, row.story_id, fp, banded=False, day=_day(row.dated))
            if fp is not None:
                signed.append(position)
                signatures += [fp.full, fp.lead]
        if signed:
            keys = np.array([k for p in signed for k in (2 * p, 2 * p + 1)])
            index._lsh.insert_many(keys, np.stack(signatures))
        return index

    def __len__(self) -> int:
        return len(self._facts)

    @property
    def story_count(self) -> int:
        return len(self._stories)

    def assign(self, article: Article, extraction: Extraction | None = None) -> StoryAssignment:
        """Place ``article`` in the story it derives from, or start a new story; remember it.

        ``extraction`` is accepted for the ingest flow's convenience but not used: the
        fingerprint reads quotes from the text's quotation marks, so that a new NLP version
        (or an article the prefilter did not extract) never moves an article to another story.
        """
        del extraction
        known = self._position.get(article.id)
        if known is not None:
            return self._assignment(known, is_new=False, similarity=1.0)
        fp = fingerprint(article.text, None, find_credits(article.text), article.title, article.published)
        published = article.published or article.first_seen
        outlet = article.source.domain if article.source else None
        matches = self._matches(fp, _day(article.published), outlet)
        facts = MemberFacts(article.id, published, outlet, fp.credits)
        if not matches:
            position = self._add(facts, story_id_for(article.id), fp, day=_day(article.published))
            return self._assignment(position, is_new=True, similarity=None)
        survivor = min(matches, key=lambda story: self._stories[story][0])
        merged = tuple(sorted(story for story in matches if story != survivor))
        for story in merged:
            self._merge(story, survivor)
        position = self._add(facts, survivor, fp, day=_day(article.published))
        similarity = round(max(m.score for m in matches.values()), 4)
        return self._assignment(position, is_new=False, similarity=similarity, merged=merged)

    def _matches(self, fp: Fingerprint, day: int | None, outlet: str | None = None) -> dict[str, Match]:
        """The best same-story match in each story that has one (``outlet``: the new article's,
        so that a member of the same outlet is held to a near-copy)."""
        candidates: set[int] = set()
        for signature in (fp.full, fp.lead):
            candidates.update(key // 2 for key in self._lsh.query(signature))
        candidates.update(self._anchor_candidates(fp))
        best: dict[str, Match] = {}
        for position in sorted(candidates):
            other = _decode(self._fingerprints[position])
            if other is None:
                continue
            other_day = self._days[position]
            match = compare(fp, other, None if day is None or other_day is None else abs(day - other_day),
                            same_outlet=outlet is not None and outlet == self._facts[position].outlet)
            story = self._story_of[position]
            if match.same_story and (story not in best or match.score > best[story].score):
                best[story] = match
        return best

    def _merge(self, story: str, into: str) -> None:
        """Fold ``story`` into ``into``: an article showed both derive from one report.

        The story started first keeps its id, so ids stay stable for the older, larger story.
        """
        positions = self._stories.pop(story)
        for position in positions:
            self._story_of[position] = into
        self._stories[into] = sorted(self._stories[into] + positions)

    def _add(
        self, facts: MemberFacts, story_id: str, fp: Fingerprint | None, *, banded: bool = True, day: int | None = None
    ) -> int:
        position = len(self._facts)
        self._facts.append(facts)
        self._days.append(day)
        self._fingerprints.append(fp.to_bytes() if fp is not None else None)
        self._story_of.append(story_id)
        self._position[facts.article_id] = position
        self._stories.setdefault(story_id, []).append(position)
        if fp is not None:
            if banded:
                self._lsh.insert(2 * position, fp.full)
                self._lsh.insert(2 * position + 1, fp.lead)
            for anchor in _anchors(fp):
                self._post(anchor, position)
        return position

    def _anchor_candidates(self, fp: Fingerprint) -> set[int]:
        """Members sharing a quote trigram, two distinctive figures or ``NAME_HITS`` names with ``fp``."""
        hits: dict[tuple[int, int], int] = {}
        found: set[int] = set()
        for anchor in _anchors(fp):
            kind = anchor & 3
            for position in self._anchors.get(anchor, ()):
                if kind == 0:
                    found.add(position)
                else:
                    hits[position, kind] = hits.get((position, kind), 0) + 1
        needed = {_FIGURE: 2, _NAME: NAME_HITS}
        return found | {p for (p, kind), count in hits.items() if count >= needed[kind]}

    def _post(self, anchor: int, position: int) -> None:
        """Add ``position`` to an anchor's postings; a full list drops its oldest member (a
        copy is published near its original, so the recent members are the ones worth finding)."""
        postings = self._anchors.setdefault(anchor, [])
        if len(postings) < ANCHOR_POSTINGS:
            postings.append(position)
        else:
            postings[position % ANCHOR_POSTINGS] = position

    def _assignment(
        self, position: int, *, is_new: bool, similarity: float | None, merged: tuple[str, ...] = ()
    ) -> StoryAssignment:
        story_id = self._story_of[position]
        origin = story_origin([self._facts[p] for p in self._stories[story_id]])
        signature = self._fingerprints[position]
        return StoryAssignment(
            article_id=self._facts[position].article_id,
            story_id=story_id,
            is_new_story=is_new,
            similarity=similarity,
            original_source=origin.source,
            original_basis=origin.basis,
            credit_chain=origin.chain,
            signature=signature,
            merged_stories=merged,
        )

    def story_of(self, article_id: str) -> str | None:
        position = self._position.get(article_id)
        return None if position is None else self._story_of[position]


