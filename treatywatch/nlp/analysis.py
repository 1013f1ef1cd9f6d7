"""``Analysis``: everything the extraction core found in one article, for later stages.

The events stage (treatywatch.events) consumes this object: the parsed spaCy ``Doc`` plus the
linked entities with their char-offset mentions, the quotes, quantities and resolved times. It
is the stable interface between the extraction core and the event detector; ``to_extraction``
turns it into the public ``models.Extraction`` (docs/contracts.md#extraction-document).

Fields (all offsets are character offsets into ``article.text``, which is ``doc.text``):
- ``article``: the input ``models.Article``.
- ``doc``: the spaCy Doc (tokens, sentences, parse, NER; ``doc.spans["tw_gazetteer"]``).
- ``entities``: ``models.Entity`` in order of first mention, mentions sorted, pronouns included.
- ``quotes``, ``quantities``, ``times``: ``models.Quote``, ``models.Quantity``, ``models.TimeExpr``
  sorted by span.
- ``mentions``: every mention as ``(start, end, entity_id)``, sorted by start.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from treatywatch.models import Article, Entity, Event, Extraction, Quantity, Quote, TimeExpr


@dataclass(frozen=True)
class Analysis:
    """The extraction core's findings for one article (see the module docstring)."""

    article: Article
    doc: Doc = field(repr=False, compare=False)
    entities: tuple[Entity, ...]
    quotes: tuple[Quote, ...]
    quantities: tuple[Quantity, ...]
    times: tuple[TimeExpr, ...]
    mentions: tuple[tuple[int, int, str], ...] = ()

    @property
    def sentences(self) -> tuple[Span, ...]:
        """The article's sentences as spaCy spans (``.start_char``/``.end_char``/``.text``)."""
        return tuple(self.doc.sents)

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, if the article mentions it."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping the characters [start, end), if any."""
        hits = self.entities_in(start, end)
        return hits[0][0] if hits else None

    def entities_in(self, start: int, end: int) -> list[tuple[Entity, tuple[int, int]]]:
        """Every (entity, mention span) whose mention overlaps [start, end), in text order."""
        by_id = {e.id: e for e in self.entities}
        starts = [m[0] for m in self.mentions]
        i = bisect.bisect_left(starts, start)
        while i > 0 and self.mentions[i - 1][1] > start:
            i -= 1
        found = []
        for s, e, ident in self.mentions[i:]:
            if s >= end:
                break
            if e > start:
                found.append((by_id[ident], (s, e)))
        return found

    def sentence_at(self, char: int) -> Span | None:
        """The sentence containing the character offset ``char``."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span[0].sent if span is not None and len(span) else None

    def times_in(self, start: int, end: int) -> list[TimeExpr]:
        return [t for t in self.times if t.span[0] < end and start < t.span[1]]

    def quantities_in(self, start: int, end: int) -> list[Quantity]:
        return [q for q in self.quantities if q.span[0] < end and start < q.span[1]]

    def to_extraction(self, events: Sequence[Event] = ()) -> Extraction:
        """The public extraction record (docs/contracts.md#extraction-document) with the given events."""
        return Extraction(article=self.article, entities=self.entities, quotes=self.quotes,
                          quantities=self.quantities, times=self.times, events=tuple(events))


def analysis_from_doc(article: Article, doc: Doc) -> Analysis:
    """Collect the components' results from a processed Doc."""
    return Analysis(
        article=article,
        doc=doc,
        entities=tuple(doc._.tw_entities or ()),
        quotes=tuple(doc._.tw_quotes or ()),
        quantities=tuple(doc._.tw_quantities or ()),
        times=tuple(doc._.tw_times or ()),
        mentions=tuple(doc._.tw_mentions or ()),
    )
