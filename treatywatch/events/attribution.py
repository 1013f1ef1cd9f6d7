"""Attribution: who says an event happened, and what that makes of a reported use.

``attributed_to`` is the accuser of an accusation, the source of "according to X", the
speaker of the quote the event sits in, or the subject of the reporting verb over it. A use
reported by an investigation or admitted by the user is confirmed; the same words from
anyone else are an allegation.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from treatywatch.events.actors import Actor, ActorResult, actors_of_token
from treatywatch.events.context import ArticleContext, tokens_in
from treatywatch.events.rules import ActorData, EngineData, ModalityCues
from treatywatch.events.syntax import lemma


def report_author(anchor: Token, ctx: ArticleContext, data: EngineData) -> ActorResult:
    """Figures nobody in the sentence claims belong to the report last named (a monitor)."""
    authors = set(data.actors.report_authors)
    for i in [*range(anchor.i, anchor.sent.end), *range(anchor.i, -1, -1)]:
        entity = ctx.entity_at_token.get(i)
        if entity is not None and entity.id in authors:
            return ActorResult((Actor(entity.id, None, False),), "author")
    return ActorResult((), "none")


@dataclass(frozen=True)
class Source:
    """Who reports a use, and with which verb ("found", "said", "accused")."""

    who: str | None
    verb: str | None


def source_of(links: list[Token], ctx: ArticleContext, data: EngineData, attributed: str | None) -> Source:
    """The reporting verb over the anchor and the state (or entity) behind its subject."""
    for token in links[1:]:
        if lemma(token) not in data.modality.attribution_verbs:
            continue
        who = attributed
        for child in token.children:
            if child.dep_ == "nsubj":
                states = [a.id for a in actors_of_token(child, ctx, data.actors) if a.is_state]
                entity = ctx.entity_at_token.get(child.i)
                who = states[0] if states else (entity.id if entity else who)
        return Source(who, lemma(token))
    return Source(attributed, "according to" if attributed else None)


def use_verdict(
    event_type: str, modality: str, actor: Actor | None, source: Source, data: EngineData
) -> tuple[str, str]:
    """Use is confirmed by an investigation ("the Landmine Monitor found"), by the user itself
    ("Ukrainian officials acknowledged using"), or stated without a source; said by anyone
    else (the other side, an official who "noted" it) it is an allegation: the type's
    ``unconfirmed_as`` in the registry, alleged."""
    unconfirmed = data.types[event_type].unconfirmed_as
    if unconfirmed is None or actor is None or source.verb is None:
        return event_type, modality
    confirming = data.modality.confirming_verbs
    investigators = frozenset(data.actors.report_authors)
    if source.verb in confirming or source.who in investigators or source.who == actor.id:
        return event_type, modality
    return unconfirmed, "alleged"


def attribution(anchor: Token, links: list[Token], result: ActorResult, ctx: ArticleContext,
                data: EngineData) -> str | None:
    """Who says so: the accuser, "according to X", the quote's speaker, the reporting subject."""
    if result.accuser is not None and result.how == "accused":
        accusers = actors_of_token(result.accuser, ctx, data.actors)
        if accusers:
            return accusers[0].id
        entity = ctx.entity_at_token.get(result.accuser.i)
        if entity is not None:
            return entity.id
    return attribution_of(anchor, links, ctx, data.modality, data.actors)


def reciprocal_source(actor: Actor | None, result: ActorResult) -> str | None:
    """In "each side accused the other", each side's accuser is the other side."""
    if result.how != "reciprocal" or actor is None:
        return None
    others = [a.id for a in result.actors if a.id != actor.id]
    return others[0] if others else None


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
