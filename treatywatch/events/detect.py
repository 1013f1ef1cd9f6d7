"""The event engine: data-driven rules over the spaCy parse of an analysed article.

``detect_events(analysis)`` walks the sentences; every token whose lemma is an anchor of some
rule (``data/event_rules.yaml``) is tried against the rules in order, and the first rule whose
context and required arguments hold gives one event per actor and weapon class. It is a pure
function of the analysis: no database, no global state changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from treatywatch.events.actors import Actor, ActorResult, Discourse, actors_of_token, entity_actor, find_actors
from treatywatch.events.arguments import (
    find_date,
    find_place,
    find_quantity,
    find_recipient,
    find_treaty,
    find_weapons,
    implicit_treaty,
    implicit_weapon,
    quantity_json,
)
from treatywatch.events.context import AnalysisLike, ArticleContext, WeaponMention, build_context
from treatywatch.events.modality import attribution_of, modality_of
from treatywatch.events.rules import EngineData, EventRule, engine_data
from treatywatch.events.syntax import chain, clause_tense, lemma, lemmas, neighbourhood, scope
from treatywatch.models import Event, Evidence, Quantity

HOW_CONFIDENCE = {
    "subject": 1.0,
    "accused": 1.0,
    "group": 0.95,
    "reciprocal": 0.8,
    "anaphor": 0.85,
    "fallback": 0.7,
    "discourse": 0.6,
}
ACTORLESS_TYPES = frozenset({"casualties_reported"})


@dataclass(frozen=True)
class Match:
    """A rule that held for an anchor, with the arguments it found."""

    rule: EventRule
    anchor: Token
    links: list[Token]
    region: list[Token]
    tense: str
    modality: str
    date: str | None
    treaty: str | None
    weapons: list[WeaponMention]
    quantity: Quantity | None


def detect_events(analysis: AnalysisLike) -> list[Event]:
    """Typed, dated, attributed events of one analysed article, in text order."""
    data = engine_data()
    ctx = build_context(analysis, data)
    memory = Discourse()
    events: list[Event] = []
    for sentence in ctx.doc.sents:
        found = _sentence_events(sentence, ctx, data, memory)
        events.extend(found)
        _update_memory(sentence, found, ctx, data, memory)
    return _dedupe(events)


def _sentence_events(sentence: Span, ctx: ArticleContext, data: EngineData, memory: Discourse) -> list[Event]:
    out: list[Event] = []
    for token in sentence:
        if lemma(token) not in data.anchors:
            continue
        match = _match(token, ctx, data)
        if match is not None:
            found = _events_for(match, ctx, data, memory)
            memory.remember(_unique([Actor(e.actor, e.actor_iso3, e.actor.startswith("state:")) for e in found if e.actor]))
            out.extend(found)
    return out


def _match(anchor: Token, ctx: ArticleContext, data: EngineData) -> Match | None:
    links = chain(anchor)
    hood = neighbourhood(links)
    region = sorted({t.i: t for t in scope(anchor) + hood}.values(), key=lambda t: t.i)
    words = lemmas(t for t in hood if t.i != anchor.i)
    tense = clause_tense(links, data.modality.reporting_verbs)
    when = find_date(anchor, _before_reporting(links, data), ctx, tense)
    modality = modality_of(links, data.modality, future_date=_is_after(when, ctx) or tense == "future", tense=tense)
    base = lemma(anchor)
    for rule in data.rules:
        if base not in rule.anchors or anchor.pos_ not in rule.anchor_pos:
            continue
        if rule.not_context & words or (rule.tense and rule.tense != tense):
            continue
        if rule.modalities and modality not in rule.modalities:
            continue
        quantity = find_quantity(anchor, region, ctx)
        rate = quantity is not None and quantity.per is not None
        if rule.context and not rule.context & words and not (rule.quantity_per and rate):
            continue
        treaty = find_treaty(anchor, region, ctx)
        if treaty is None and "treaty" in rule.requires:
            treaty = implicit_treaty(anchor, ctx)
        weapons = find_weapons(anchor, region, ctx)
        if not weapons and "weapon" in rule.requires:
            weapons = implicit_weapon(anchor, region, ctx, data.weapons.anaphors, self_reference=bool(rule.context))
        needs = {"treaty": treaty is not None, "weapon": bool(weapons), "quantity": quantity is not None}
        if not all(needs[r] for r in rule.requires):
            continue
        if rule.type == "treaty_withdrawal_announced":
            when = find_date(anchor, links, ctx, tense)
        weapons = weapons if "weapon" in rule.requires else []
        return Match(rule, anchor, links, region, tense, modality, when, treaty, weapons, quantity)
    return None


def _before_reporting(links: list[Token], data: EngineData) -> list[Token]:
    """The chain up to (not including) a reporting verb: its time dates the statement."""
    out = []
    for token in links:
        if token is not links[0] and lemma(token) in data.modality.reporting_verbs:
            break
        out.append(token)
    return out


def _is_after(value: str | None, ctx: ArticleContext) -> bool:
    if not value or ctx.published is None:
        return False
    published = ctx.published.isoformat()[: len(value)]
    return value[:4].isdigit() and value > published


def _events_for(match: Match, ctx: ArticleContext, data: EngineData, memory: Discourse) -> list[Event]:
    result = find_actors(match.links, ctx, data.actors, memory)
    if not result.actors and match.rule.type not in ACTORLESS_TYPES:
        return []
    when = match.date
    modality = match.rule.remap(match.modality)
    attributed = _attribution(match, result, ctx, data)
    sentence = match.anchor.sent
    evidence = Evidence((sentence.start_char, sentence.end_char), sentence.text)
    actor_ids = {a.id for a in result.actors}
    recipient = find_recipient(match.region, ctx, actor_ids) if match.rule.type.startswith("transfer") else None
    place = find_place(match.region, ctx, actor_ids) if match.rule.type.startswith(("use", "deployment", "casualties")) else None
    quantity = quantity_json(match.quantity) if match.quantity is not None and match.weapons else None
    actors: list[Actor | None] = list(result.actors) or [None]
    weapons: list[WeaponMention | None] = list(match.weapons) or [None]
    out = []
    for actor in actors:
        event_type, event_modality = _accusation(match.rule.type, modality, actor, attributed)
        for weapon in weapons:
            confidence = match.rule.confidence * HOW_CONFIDENCE.get(result.how, 0.8)
            if weapon is not None and not weapon.specific:
                confidence *= 0.9
            out.append(
                Event(
                    type=event_type,
                    actor=actor.id if actor else None,
                    actor_iso3=actor.iso3 if actor else None,
                    modality=event_modality,
                    evidence=evidence,
                    confidence=round(min(confidence, 0.99), 3),
                    treaty=match.treaty if match.rule.type.startswith(("treaty", "other_treaty")) else None,
                    weapon=weapon.weapon_class if weapon else None,
                    recipient=recipient,
                    place=place,
                    date=when,
                    quantity=quantity,
                    attributed_to=_reciprocal_source(actor, result) or attributed,
                )
            )
    return out


def _accusation(event_type: str, modality: str, actor: Actor | None, source: str | None) -> tuple[str, str]:
    """Use reported by another state ("Ukraine's General Staff said Russian forces had
    dropped mines") is that state's accusation, not a confirmation."""
    if event_type == "use_confirmed" and actor and source and source.startswith("state:") and source != actor.id:
        return "use_alleged", "alleged"
    return event_type, modality


def _attribution(match: Match, result: ActorResult, ctx: ArticleContext, data: EngineData) -> str | None:
    if result.accuser is not None and result.how == "accused":
        accusers = actors_of_token(result.accuser, ctx, data.actors)
        if accusers:
            return accusers[0].id
        entity = ctx.entity_at_token.get(result.accuser.i)
        if entity is not None:
            return entity.id
    return attribution_of(match.anchor, match.links, ctx, data.modality, data.actors)


def _reciprocal_source(actor: Actor | None, result: ActorResult) -> str | None:
    """In "each side accused the other", each side's accuser is the other side."""
    if result.how != "reciprocal" or actor is None:
        return None
    others = [a.id for a in result.actors if a.id != actor.id]
    return others[0] if others else None


def _update_memory(sentence: Span, found: list[Event], ctx: ArticleContext, data: EngineData, memory: Discourse) -> None:
    """Remember the sentence's actors (or its main subject) for "it", "they", "the company"."""
    actors = [Actor(e.actor, e.actor_iso3, e.actor.startswith("state:")) for e in found if e.actor]
    if not actors:
        root = sentence.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                actors = actors_of_token(child, ctx, data.actors)
    memory.remember(_unique(actors))
    for token in sentence:
        entity = ctx.entity_at_token.get(token.i)
        if entity is not None and entity.type == "ORG":
            actor = entity_actor(entity, data.actors)
            if actor is not None and not actor.is_state:
                memory.last_org = actor


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for actor in actors:
        seen.setdefault(actor.id, actor)
    return list(seen.values())


def _dedupe(events: list[Event]) -> list[Event]:
    """One event per sentence, type, actor, treaty and weapon: the most confident."""
    best: dict[tuple[object, ...], Event] = {}
    for event in events:
        key = (event.evidence.span, event.type, event.actor, event.treaty, event.weapon, event.date)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.evidence.span[0], e.type, e.actor or ""))
