"""Speakers that are not a named entity: bodies, documents, titles and names the NER missed.

"The ministry said", "Thailand's foreign ministry said", "the army's statement said", "the
decree reads", "the deputy minister said" and "Oleksandr Vilkul, chairman of ..., said" (a name
the statistical NER did not tag) all have a subject that is no entity mention. The quote finder
asks here before it falls back to the subject's bare text: a body noun gives its noun phrase
(acting for the state or organisation named inside it, whose id events use), a document gives
the body that issued it, a bare title the person the article gave that title to, a proper-noun
chain its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Token

from treatywatch.models import Entity
from treatywatch.nlp.resources import LanguageData

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our"}
_OWNER_PREPS = {"from", "of", "by"}
_ACTING_TYPES = {"STATE", "ORG"}

Resolved = tuple[str | None, str]


class Mentions(Protocol):
    """What the quote finder knows of the entity component's output (quotes.MentionIndex)."""

    names: dict[str, str]
    types: dict[str, str]
    entities: tuple[Entity, ...]

    def at(self, start: int, end: int) -> str | None: ...


@dataclass(frozen=True)
class SpeakerNouns:
    """Closed classes from ``language.yaml`` that head a speaking body or document, or a title."""

    bodies: frozenset[str]
    documents: frozenset[str]
    titles: frozenset[str]
    title_words: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()

    @classmethod
    def from_language(cls, lang: LanguageData) -> SpeakerNouns:
        return cls(frozenset(w.lower() for w in lang.body_nouns),
                   frozenset(w.lower() for w in lang.document_nouns),
                   frozenset(h.split()[-1].lower() for h in lang.title_heads),
                   frozenset(w.lower() for h in (*lang.title_heads, *lang.title_modifiers) for w in h.split()),
                   frozenset(w.lower() for w in lang.generic_org_nouns))


def _phrase(doc: Doc, token: Token) -> str:
    """The noun phrase up to ``token`` plus its "of X"/"on X" complement, without a leading
    determiner ("Ukraine's law on the suspension of the treaty")."""
    start = token.left_edge.i
    end = token.i + 1
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "on", "in", "for") and child.i > token.i:
            end = child.right_edge.i + 1
    while start < token.i and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end - 1 > token.i and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end].text


def _antecedent(token: Token, lookback: int = 600) -> Token:
    """ "the governorate said" after "the governorate of the Koulikoro region": the last earlier
    noun of the same lemma with words of its own, when ``token`` is a bare definite noun."""
    doc = token.doc
    bare = token.i > 0 and doc[token.i - 1].lower_ == "the" and token.left_edge.i == token.i - 1 \
        and not any(c.dep_ == "prep" for c in token.children)
    if not bare:
        return token
    for earlier in reversed(doc[max(0, token.i - lookback):token.i]):
        if earlier.lemma_.lower() == token.lemma_.lower() and len(_phrase(doc, earlier).split()) > 1:
            return earlier
    return token


def _is_bare(token: Token) -> bool:
    """ "the expert", "the head of the organisation": a definite description naming nobody."""
    first = token.doc[token.left_edge.i]
    owner = {t.i for c in token.children if c.dep_ == "poss" for t in c.subtree}  # "Lithuania's top diplomat"
    if not (first.lower_ in ("the", "this") or owner):
        return False
    return not any((t.pos_ == "PROPN" and t.i not in owner) or t.lower_ in ("a", "an") for t in token.subtree)


def _last_named(token: Token, index: Mentions, types: tuple[str, ...], window: int = 1500) -> Resolved | None:
    """The entity of one of ``types`` mentioned last before ``token`` (within ``window`` characters)."""
    best: tuple[int, Entity] | None = None
    for entity in index.entities:
        if entity.type not in types:
            continue
        before = [s for s, _ in entity.mentions if token.idx - window <= s < token.idx]
        if before and (best is None or max(before) > best[0]):
            best = (max(before), entity)
    return (best[1].id, best[1].name) if best else None


def _acting_entity(token: Token, index: Mentions) -> str | None:
    """The state or organisation named inside the phrase ("Thailand's foreign ministry")."""
    for t in token.subtree:
        ident = index.at(t.idx, t.idx + len(t.text))
        if ident and index.types.get(ident) in _ACTING_TYPES:
            return ident
    return None


def proper_name(token: Token) -> str | None:
    """ "Oleksandr Vilkul" when the NER missed it: the subject's chain of proper nouns."""
    if token.pos_ != "PROPN" or not token.is_title:
        return None
    words = [c for c in token.children if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN" and c.i < token.i]
    if not words or words[0].i + len(words) != token.i:
        return None  # a lone capitalised word says too little to be a name
    return token.doc[words[0].i:token.i + 1].text


def titled_person(token: Token, entities: tuple[Entity, ...]) -> Resolved | None:
    """ "the deputy minister said": the person most recently named before with that title."""
    words = {t.lower_ for t in token.subtree if t.i <= token.i and t.lower_ not in _DETERMINERS}
    best: tuple[int, Entity] | None = None
    for entity in entities:
        if entity.type != "PERSON":
            continue
        titles = [r.title.lower().replace("defense", "defence").split() for r in entity.roles]
        if not any(title and title[-1] == token.lower_ and {w.replace("defense", "defence") for w in words}
                   <= set(title) | {token.lower_} for title in titles):
            continue
        before = [s for s, _ in entity.mentions if s < token.idx]
        if before and (best is None or max(before) > best[0]):
            best = (max(before), entity)
    return (best[1].id, best[1].name) if best else None


def phrase_speaker(token: Token, nouns: SpeakerNouns, index: Mentions,
                   last_body: Resolved | None) -> Resolved | None:
    """Who a subject that is no entity mention stands for (see the module docstring)."""
    name = proper_name(token)
    if name:
        return None, name
    lemma = token.lemma_.lower()
    if lemma in nouns.documents:
        owners = [c for c in token.children if c.dep_ == "poss" or (
            c.dep_ == "compound" and (c.lemma_.lower() in nouns.bodies or c.pos_ == "PROPN"))]
        owners += [g for c in token.children if c.dep_ == "prep" and c.lower_ in _OWNER_PREPS
                   for g in c.children if g.dep_ == "pobj"]
        for owner in owners:
            ident = index.at(owner.idx, owner.idx + len(owner.text))
            if ident and index.types.get(ident) in ("PERSON", *_ACTING_TYPES) and owner.lemma_.lower() not in nouns.bodies:
                return ident, index.names.get(ident, ident)
            if owner.lemma_.lower() in nouns.bodies or owner.pos_ == "PROPN":
                return _acting_entity(owner, index), _phrase(token.doc, owner)
        earlier = _antecedent(token)
        if earlier is not token:
            return _acting_entity(earlier, index), _phrase(token.doc, earlier)
        return last_body if last_body and token.i > 0 and token.doc[token.i - 1].lower_ == "the" else None
    if lemma in nouns.bodies:
        earlier = _antecedent(token)
        if earlier is token and lemma in nouns.generic and _is_bare(token):
            named = _last_named(token, index, ("ORG",))  # "the organisation said": the one named last
            if named is not None:
                return named
        return _acting_entity(earlier, index), _phrase(token.doc, earlier)
    if lemma in nouns.titles and token.tag_ != "NNS":  # "the ministers" are several people
        # "Minister of Foreign Affairs Margus Tsahkna": a name the NER missed, not an entity's
        inside = next((n for t in token.subtree if t.i > token.i and (n := proper_name(t))
                       and index.at(t.idx, t.idx + len(t.text)) is None
                       and not all(w.lower() in nouns.title_words for w in n.split())), None)
        if inside:
            return None, inside
        return titled_person(token, index.entities) or (_last_named(token, index, ("PERSON",)) if _is_bare(token) else None)
    return None
