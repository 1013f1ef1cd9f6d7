"""Candidate entity mentions: gazetteer spans first, then the statistical NER, cleaned.

The gazetteer beats the statistical model wherever they overlap ("Belma" is the arms maker, not
a place), except that a longer PERSON name may contain a state name ("Jordan Peterson"). NER
spans are trimmed of articles, titles and possessives so that the mention is the name itself,
and re-typed where the context is clearer than the model: a name after a title is a person
("Defence Minister Hanno Pevkur"), a name ending in "Wire" or "Gold" an organisation, a
one-word name after "in" a place, and a capital after "in" the city rather than the government.
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


@dataclass(frozen=True)
class MentionRules:
    """Word lists (from ``language.yaml``) that steer the choice of mentions and types."""

    title_words: frozenset[str]
    title_heads: frozenset[str]
    given_names: frozenset[str] = frozenset()
    org_suffixes: frozenset[str] = frozenset()
    locatives: frozenset[str] = frozenset()
    capitals: frozenset[str] = frozenset()


def _trim(span: Span, rules: MentionRules) -> tuple[int, int]:
    """Drop leading articles/titles and trailing possessives/punctuation of an NER span."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING_JUNK or doc[start].is_punct
                           or (span.label_ == "PERSON" and doc[start].lower_.rstrip(".") in rules.title_words)):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def _is_plausible(doc: Doc, start: int, end: int, etype: str, rules: MentionRules) -> bool:
    """Reject trimmed NER spans that are empty, lower-case or made only of title words."""
    if end <= start:
        return False
    tokens = doc[start:end]
    if not any(t.is_title or t.is_upper for t in tokens):
        return False
    if all(t.lower_.rstrip(".") in rules.title_words for t in tokens):
        return False
    return not (etype == "PERSON" and any(t.like_num for t in tokens))


def _after_title_or_owner(doc: Doc, start: int, rules: MentionRules) -> bool:
    """The words before the span are a title ("Defence Minister") or "<State>'s"."""
    if start == 0:
        return False
    before = doc[start - 1]
    return before.lower_.rstrip(".") in rules.title_heads or (
        before.text in _POSSESSIVE and start >= 2 and doc[start - 2].ent_type_ in ("GPE", "NORP"))


def retype(doc: Doc, start: int, end: int, etype: str, rules: MentionRules, surnames: set[str]) -> str:
    """The entity type the context implies for a statistical NER span."""
    tokens = doc[start:end]
    if tokens[-1].text in rules.org_suffixes and len(tokens) > 1:
        return "ORG"
    if etype == "PERSON":
        return etype
    if len(tokens) == 1 and tokens[0].text in surnames:
        return "PERSON"
    name_like = 2 <= len(tokens) <= 4 and all(t.is_title or "-" in t.text for t in tokens if not t.is_punct)
    if name_like and (fold(tokens[0].text) in rules.given_names or tokens[-1].text in surnames
                      or _after_title_or_owner(doc, start, rules)):
        return "PERSON"
    if etype == "ORG" and len(tokens) == 1 and start > 0 and doc[start - 1].lower_ in rules.locatives:
        return "PLACE"
    return etype


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gazetteer_candidates(doc: Doc, rules: MentionRules) -> list[Candidate]:
    found = []
    for span in doc.spans.get(SPAN_KEY, []):
        cand = Candidate(span.start, span.end, span.label_, span.kb_id_)
        if span.label_ == "STATE" and span.text in rules.capitals and span.start > 0 \
                and doc[span.start - 1].lower_ in rules.locatives:
            cand = Candidate(span.start, span.end, "PLACE")  # "officials in Helsinki": the city
        found.append(cand)
    return found


def _ner_wins(doc: Doc, start: int, end: int, etype: str, clashes: list[Candidate],
              rules: MentionRules) -> bool:
    """A longer statistical name keeps the gazetteer names inside it: a person ("Jordan
    Peterson") or an organisation named after a state ("United States Navy", "Polish Armaments
    Group"). Everything else the gazetteer wins ("Belma" the maker, not a place)."""
    if not all(g.start >= start and g.end <= end and g.end - g.start < end - start for g in clashes):
        return False
    if etype == "PERSON":
        return True
    inside = {i for g in clashes for i in range(g.start, g.end)}
    extra = [t for t in doc[start:end] if t.i not in inside and t.is_alpha]
    return etype == "ORG" and all(g.type == "STATE" for g in clashes) and bool(extra) \
        and all((t.is_title or t.is_upper) and t.lower_ not in rules.title_words for t in extra)


def collect_candidates(doc: Doc, rules: MentionRules) -> list[Candidate]:
    """Merged, non-overlapping candidates in text order."""
    # the last and first words of people's full names: "Zalewski" and (Thai usage) "Sihasak"
    # alone are people, whatever type the NER gives them
    surnames = {e[i].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for i in (0, -1)
                if e[i].is_title and e[i].lower_.rstrip(".") not in rules.title_words}
    gazetteer = _gazetteer_candidates(doc, rules)
    kept_gazetteer = list(gazetteer)
    ner: list[Candidate] = []
    for ent in doc.ents:
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        start, end = _trim(ent, rules)
        if not _is_plausible(doc, start, end, etype, rules):
            continue
        etype = retype(doc, start, end, etype, rules, surnames)
        clashes = [g for g in gazetteer if _overlaps((g.start, g.end), (start, end))]
        if clashes and not _ner_wins(doc, start, end, etype, clashes, rules):
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
