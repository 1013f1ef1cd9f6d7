"""Candidate entity mentions: gazetteer spans first, then the statistical NER, cleaned.

The gazetteer beats the statistical model wherever they overlap ("Belma" is the arms maker, not
a place), except that a longer PERSON name may contain a state name ("Jordan Peterson"). NER
spans are trimmed of articles, titles and possessives so that the mention is the name itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from treatywatch.nlp.gazetteer import SPAN_KEY
from treatywatch.nlp.resources import fold

NER_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_LEADING_JUNK = {"the", "a", "an", "former", "late", "then"}
_POSSESSIVE = {"'s", "’s", "'", "’"}


@dataclass(frozen=True)
class Candidate:
    """A token span that names something, with its type and (for gazetteer hits) its id."""

    start: int
    end: int
    type: str
    kb_id: str | None = None


def _trim(span: Span, title_words: frozenset[str]) -> tuple[int, int]:
    """Drop leading articles/titles and trailing possessives/punctuation of an NER span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING_JUNK or doc[start].is_punct
                           or (span.label_ == "PERSON" and doc[start].lower_.rstrip(".") in title_words)):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _is_plausible(doc: Doc, start: int, end: int, etype: str, title_words: frozenset[str]) -> bool:
    """Reject trimmed NER spans that are empty, lower-case or made only of title words."""
    if end <= start:
        return False
    tokens = doc[start:end]
    if not any(t.is_title or t.is_upper for t in tokens):
        return False
    if all(t.lower_.rstrip(".") in title_words for t in tokens):
        return False
    return not (etype == "PERSON" and any(t.like_num for t in tokens))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _person_like(doc: Doc, start: int, end: int, given_names: frozenset[str],
                 surnames: set[str]) -> bool:
    """An ORG/GPE span that is really a person ("Pavel Zalewski" tagged ORG by the model)."""
    tokens = doc[start:end]
    if len(tokens) == 1 and tokens[0].text in surnames:
        return True
    if not 2 <= len(tokens) <= 3 or not all(t.is_alpha and t.is_title for t in tokens):
        return False
    return fold(tokens[0].text) in given_names or tokens[-1].text in surnames


def collect_candidates(doc: Doc, title_words: frozenset[str],
                       given_names: frozenset[str] = frozenset()) -> list[Candidate]:
    """Merged, non-overlapping candidates in text order."""
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON"}
    gazetteer = [Candidate(s.start, s.end, s.label_, s.kb_id_) for s in doc.spans.get(SPAN_KEY, [])]
    kept_gazetteer = list(gazetteer)
    ner: list[Candidate] = []
    for ent in doc.ents:
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        start, end = _trim(ent, title_words)
        if not _is_plausible(doc, start, end, etype, title_words):
            continue
        if etype != "PERSON" and _person_like(doc, start, end, given_names, surnames):
            etype = "PERSON"
        clashes = [g for g in gazetteer if _overlaps((g.start, g.end), (start, end))]
        if clashes and not (etype == "PERSON" and all(g.end - g.start < end - start for g in clashes)):
            continue
        kept_gazetteer = [g for g in kept_gazetteer if g not in clashes]
        ner.append(Candidate(start, end, etype))
    return sorted(kept_gazetteer + ner, key=lambda c: c.start)


def honorific_people(doc: Doc, taken: list[Candidate], honorifics: dict[str, str]) -> list[Candidate]:
    """PERSON candidates the NER missed after an honorific ("Mr Zalewski")."""
    busy = {i for c in taken for i in range(c.start, c.end)}
    found = []
    for token in doc:
        if token.text not in honorifics or token.i + 1 >= len(doc):
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].is_title and doc[end].i not in busy and end - token.i <= 3:
            end += 1
        if end > token.i + 1:
            found.append(Candidate(token.i + 1, end, "PERSON"))
    return found
