"""Modality (asserted / planned / possible / denied / alleged) and attribution of an event.

Cues are the data of ``modality.yaml``, looked for on the anchor's chain of heads and on their
direct modifiers (auxiliaries, negation, adverbs, "if" clauses, "depending on"), so that a
negation in another clause of the sentence does not deny this event.
"""

from __future__ import annotations

from spacy.tokens import Token

from treatywatch.events.actors import actors_of_token
from treatywatch.events.context import ArticleContext, tokens_in
from treatywatch.events.rules import ActorData, ModalityCues
from treatywatch.events.syntax import lemma, under_reporting

MODIFIER_DEPS = frozenset(
    {"aux", "auxpass", "neg", "det", "advmod", "amod", "mark", "prep", "advcl", "acomp", "npadvmod", "prt", "nsubj", "dobj"}
)


def _cue_tokens(links: list[Token]) -> list[tuple[Token, Token]]:
    """(cue token, chain member it hangs on) pairs: chain members and their modifiers."""
    pairs = [(t, t) for t in links[1:]]
    for token in links:
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS:
                pairs.append((child, token))
                if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    # "no mines would be laid": the negation sits on the argument
                    pairs.extend((g, token) for g in child.children if g.dep_ == "det")
                if child.dep_ == "advcl":
                    pairs.extend((g, token) for g in child.children if g.dep_ == "mark")
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                # "stored and laid only if ...": a condition on one conjunct scopes both
                for grand in child.children:
                    if grand.dep_ == "advcl":
                        pairs.extend((g, token) for g in grand.children if g.dep_ == "mark")
    return pairs


def modality_of(links: list[Token], cues: ModalityCues, *, future_date: bool, tense: str = "present") -> str:
    """The first modality class (in the data's order) with a cue on the clause."""
    pairs = _cue_tokens(links)
    found = {name: False for name in cues.order}
    for cue, host in pairs:
        word, base = cue.lower_, lemma(cue)
        if cue.dep_ == "neg" or (word in cues.negators and cue.dep_ in ("neg", "det", "advmod", "preconj", "nsubj", "nsubjpass")):
            found["denied"] = True
        if base in cues.lemmas["denied"] and cue.dep_ not in ("amod", "det"):
            particle = cues.particles.get(base)
            if particle is None or any(c.lower_ == particle for c in cue.children):
                found["denied"] = True
        if base in cues.lemmas["alleged"] or word in cues.lemmas["alleged"]:
            found["alleged"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.modals["possible"]:
            found["possible"] = True
        if cue.dep_ == "mark" and word in cues.markers:
            found["possible"] = True
        if cue.dep_ == "mark" and word in cues.future_markers and tense == "present":
            found["planned"] = True
        if base in cues.lemmas["possible"] and cue.dep_ not in ("nsubj", "dobj"):
            found["possible"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.modals["planned"]:
            found["planned"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.would:
            key = "planned" if under_reporting(host, cues.reporting_verbs) else "possible"
            found[key] = True
        if base in cues.lemmas["planned"] and cue.dep_ not in ("nsubj", "dobj", "amod"):
            found["planned"] = True
    if future_date or _purpose(links):
        found["planned"] = True
    for name in cues.order:
        if found.get(name):
            return name
    return "asserted"


ASPECT_VERBS = frozenset({"begin", "start", "continue", "resume", "stop", "cease", "keep", "use", "try", "have",
                          "be", "become", "appear", "seem", "believe"})


def _purpose(links: list[Token]) -> bool:
    """ "set aside money to speed up production", "decided to build": an aim, not a fact."""
    for token in links:
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        if has_to and token.dep_ in ("advcl", "xcomp", "acl") and lemma(token.head) not in ASPECT_VERBS:
            return True
    return False


def attribution_of(
    anchor: Token, links: list[Token], ctx: ArticleContext, cues: ModalityCues, actors: ActorData
) -> str | None:
    """Who says so: "according to X", the speaker of the quote, or the reporting verb's subject."""
    sentence = anchor.sent
    text = sentence.text.lower()
    for phrase in cues.according_to:
        at = text.find(phrase + " ")
        if at < 0:
            continue
        start = sentence.start_char + at + len(phrase) + 1
        return _name_at(start, ctx) or _phrase_after(start, ctx)
    for quote in ctx.quotes:
        if quote.span[0] <= anchor.idx < quote.span[1] and (quote.speaker or quote.speaker_name):
            return quote.speaker or quote.speaker_name
    for token in links[1:]:
        if lemma(token) not in cues.attribution_verbs:
            continue
        for child in token.children:
            if child.dep_ in ("nsubj", "agent"):
                subject = next((g for g in child.children if g.dep_ == "pobj"), child) if child.dep_ == "agent" else child
                return _source_of(subject, ctx, actors)
    return None


def _source_of(subject: Token, ctx: ArticleContext, actors: ActorData) -> str | None:
    """The id of a reporting verb's subject (person, organisation, state) or its words."""
    entity = ctx.entity_at_token.get(subject.i)
    if entity is not None:
        return entity.id
    named = actors_of_token(subject, ctx, actors)
    if named:
        return named[0].id
    return _noun_phrase(subject)


def _name_at(start: int, ctx: ArticleContext) -> str | None:
    span = tokens_in(ctx.doc, start, min(start + 1, len(ctx.doc.text)))
    if span is None:
        return None
    token = span[0]
    for candidate in [token, *token.doc[token.i + 1 : token.i + 4]]:
        entity = ctx.entity_at_token.get(candidate.i)
        if entity is not None:
            return entity.id
    return None


def _phrase_after(start: int, ctx: ArticleContext) -> str | None:
    rest = ctx.doc.text[start : start + 80]
    for stop in (",", ".", ";", " that ", " which "):
        rest = rest.split(stop, 1)[0]
    rest = rest.strip()
    return rest or None


def _noun_phrase(token: Token) -> str | None:
    if token.pos_ == "PRON":
        return None
    span = token.doc[token.left_edge.i : token.i + 1]
    return span.text.strip() or None
