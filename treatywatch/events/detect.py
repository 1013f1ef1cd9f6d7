"""The event engine: data-driven rules over the spaCy parse of an analysed article.

``detect_events(analysis)`` walks the sentences; every token whose lemma is an anchor of some
rule (``data/event_rules.yaml``) is tried against the rules in order, and the first rule whose
context and required arguments hold gives one event per actor and weapon class. It is a pure
function of the analysis: no database, no global state changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from treatywatch.event_types import EventType
from treatywatch.events.actors import (
    Actor,
    ActorResult,
    Discourse,
    actors_of_token,
    entity_actor,
    find_actors,
    place_actors,
)
from treatywatch.events.arguments import (
    find_place,
    find_quantity,
    find_recipient,
    find_treaty,
    find_weapons,
    implicit_treaty,
    implicit_weapon,
    nearby_quantity,
    quantity_json,
)
from treatywatch.events.attribution import (
    attribution,
    reciprocal_source,
    report_author,
    source_of,
    use_verdict,
)
from treatywatch.events.context import AnalysisLike, ArticleContext, WeaponMention, build_context
from treatywatch.events.eventdates import find_date
from treatywatch.events.forbidding import forbidden_content
from treatywatch.events.gapping import gapped_events, gapped_figures, undate_borrowed
from treatywatch.events.match import Match
from treatywatch.events.modality import modality_of
from treatywatch.events.rules import PREVIOUS, SUPPRESS, EngineData, EventRule, engine_data
from treatywatch.events.syntax import (
    chain,
    clause_tense,
    coordinated_head,
    is_verbal,
    lemma,
    lemmas,
    neighbourhood,
    scope,
)
from treatywatch.models import Event, Evidence, Quantity

HOW_CONFIDENCE = {
    "subject": 1.0,
    "accused": 1.0,
    "group": 0.95,
    "reciprocal": 0.8,
    "anaphor": 0.85,
    "fallback": 0.7,
    "discourse": 0.6,
    "author": 0.7,
}
RATE = re.compile(r"\b(?:a|per|each|every)\s+(?:year|month|week|day)\b|\bannually\b", re.IGNORECASE)
DATE_COMPLEMENTS = frozenset({"xcomp", "acomp"})
# Subjects that are the step or the goods, not someone acting ("the exit", "the output").
THEME_WORDS = frozenset({"withdrawal", "exit", "output", "production", "one", "some", "part", "it", "they",
                         "decision", "step", "process", "law", "notification", "treaty", "convention"})
STATE_VERBS = frozenset({"be", "commit", "remain"})
REPORTING_FOR_DATES = frozenset({"say", "tell", "announce", "state", "declare", "confirm", "add"})


def detect_events(analysis: AnalysisLike, *, data: EngineData | None = None) -> list[Event]:
    """Typed, dated, attributed events of one analysed article, in text order.

    ``data`` replaces the packaged rules (tests of a new trigger, experiments).
    """
    data = data or engine_data()
    ctx = build_context(analysis, data)
    if not _names_weapon_or_treaty(ctx):
        return []
    memory = Discourse()
    events: list[Event] = []
    for sentence in ctx.doc.sents:
        found = _sentence_events(sentence, ctx, data, memory)
        events.extend(found)
        _update_memory(sentence, found, ctx, data, memory)
    return _dedupe(events, data)


def _names_weapon_or_treaty(ctx: ArticleContext) -> bool:
    """Whether the article names a treaty, a weapon by its name, or "mines" at least once.

    Every event of the ontology concerns a weapon or a treaty. In an article whose only such
    word is a bare singular "mine" or "mined" ("a friend of mine", "mined its library of
    content") the event words ("export", "production", "accused") are about something else.
    """
    if ctx.treaty_at_token:
        return True
    return any(m.specific or ctx.doc[i].lower_ != "mine" and not ctx.doc[i].lower_.startswith("mined")
               for i, m in ctx.weapon_at_token.items())


def _sentence_events(sentence: Span, ctx: ArticleContext, data: EngineData, memory: Discourse) -> list[Event]:
    out: list[Event] = []
    for token in sentence:
        if lemma(token) not in data.anchors:
            continue
        match = _match(token, ctx, data, memory)
        if match is not None:
            found = _events_for(match, ctx, data, memory)
            memory.remember(_unique([Actor(e.actor, e.actor_iso3, e.actor.startswith("state:")) for e in found if e.actor]))
            copies = gapped_events(found, match, ctx, data.types)
            out.extend(undate_borrowed(found, copies, match, ctx) if copies else found)
            out.extend(copies)
            out.extend(gapped_figures(found, match, ctx, data.types))
            for event in found:
                if event.treaty:
                    memory.last_step = (event.type, event.treaty)
    return out


@dataclass
class Clause:
    """What the rules look at around one anchor (computed once, shared by all rules)."""

    links: list[Token]
    region: list[Token]
    words: set[str]
    marks: set[str]
    tense: str
    modality: str
    when: str | None
    treaty_when: str | None
    quantity: Quantity | None


def _clause(anchor: Token, ctx: ArticleContext, data: EngineData) -> Clause:
    links = chain(anchor)
    hood = neighbourhood(links)
    region = sorted({t.i: t for t in scope(anchor) + hood + _shared_subject(anchor)}.values(), key=lambda t: t.i)
    words = lemmas(t for t in hood if t.i != anchor.i)
    if anchor.dep_ == "relcl":  # "a stockpile of mines that it has not destroyed"
        words.update(lemmas(list(links[-1].ancestors)[:2]))
    if any(c.dep_ == "poss" for c in anchor.children):
        words.add("<poss>")  # "Tonga's accession": the step has its actor
    if RATE.search(anchor.sent.text):
        words.add("<rate>")  # "a year", "per month", "annually"
    tense = clause_tense(links, data.modality.reporting_verbs)
    when = find_date(anchor, _before_reporting(links, data), ctx, tense)
    future = _is_after(when, ctx) or tense == "future"
    quantity = find_quantity(anchor, region, ctx)
    if quantity is not None:  # "up to 1.2 million" is a ceiling: a capacity cue
        start = max(anchor.sent.start_char, quantity.span[0] - 8)
        words.update(ctx.doc.text[start : quantity.span[1]].lower().split())
    return Clause(
        links=links, region=region, words=words, marks=_marks(links), tense=tense,
        modality=modality_of(links, data.modality, future_date=future, tense=tense),
        when=when, treaty_when=find_date(anchor, _date_links(links), ctx, tense), quantity=quantity,
    )


def _holds(rule: EventRule, anchor: Token, clause: Clause, ctx: ArticleContext) -> bool:
    """The rule's anchor, context, tense, modality and mark conditions (not its arguments)."""
    words = clause.words
    if rule.prior_context and not ctx.mentioned_before(rule.prior_context, anchor.sent.start):
        return False
    if lemma(anchor) not in rule.anchors or anchor.pos_ not in rule.anchor_pos:
        return False
    if (rule.anchor_tags and anchor.tag_ not in rule.anchor_tags) or (rule.anchor_deps and anchor.dep_ not in rule.anchor_deps):
        return False
    if rule.not_context & words or (rule.tenses and clause.tense not in rule.tenses):
        return False
    if (rule.modalities and clause.modality not in rule.modalities) or (rule.marks and not rule.marks & clause.marks):
        return False
    rate = clause.quantity is not None and clause.quantity.per is not None
    if rule.context and not rule.context & words and not (rule.quantity_per and rate):
        return False
    return not (rule.also_context and not rule.also_context & words)


def _match(anchor: Token, ctx: ArticleContext, data: EngineData, memory: Discourse | None = None) -> Match | None:
    """The first rule that holds for this anchor, with its arguments (None: no event)."""
    if _is_generic_gerund(anchor) or anchor.i in ctx.treaty_at_token or forbidden_content(anchor, ctx, data):
        return None
    clause = _clause(anchor, ctx, data)
    c = clause
    for rule in data.rules:
        if not _holds(rule, anchor, clause, ctx):
            continue
        if rule.type == SUPPRESS:
            return None
        if rule.type == PREVIOUS:  # "Finland will follow on 10 January" (not "follows the ratification")
            if memory is None or memory.last_step is None or ("date" in rule.requires and c.when is None):
                continue
            if not rule.context and any(x.dep_ == "dobj" for x in anchor.children):
                continue  # only a rule naming its object ("a similar step") may have one
            step, step_treaty = memory.last_step
            return Match(replace(rule, type=rule.restep(step)), anchor, c.links, c.region, c.tense, c.modality, c.when,
                         step_treaty, [], None)
        spec = data.types[rule.type]
        treaty, weapons = _treaty_and_weapons(anchor, c.region, ctx, data, rule)
        quantity = c.quantity
        if quantity is None and spec.figure:
            quantity = nearby_quantity(anchor, ctx)
        needs = {"treaty": treaty is not None, "weapon": bool(weapons), "quantity": quantity is not None,
                 "date": c.when is not None}
        if not all(needs[r] for r in rule.requires):
            continue
        when = c.when
        if spec.dated_by_statement:
            when = c.treaty_when or _statement_date(anchor, ctx)
        elif spec.family == "treaty" and when is None:
            when = c.treaty_when  # "told the United Nations in July that it was suspending"
        if when is None and c.modality == "asserted" and _perfect(anchor, c.links) and ctx.published:
            when = ctx.published.isoformat()  # "has approved": news of the day it is reported
        weapons = weapons if "weapon" in rule.requires else []
        return Match(rule, anchor, c.links, c.region, c.tense, c.modality, when, treaty, weapons, quantity)
    return None


def _perfect(anchor: Token, links: list[Token]) -> bool:
    """The present perfect of the anchor's own verb ("the United States has approved")."""
    verb = next((t for t in links if t.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.tag_ != "VBN" or lemma(verb) in STATE_VERBS:
        return False  # "has been a party", "have committed to it": a standing state, not news
    return any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children)


def _shared_subject(anchor: Token) -> list[Token]:
    """ "5,757 people were killed or injured": the second verb shares the first one's subject."""
    first = coordinated_head(anchor) if anchor.dep_ == "conj" and is_verbal(anchor) else None
    if first is None:
        return []
    return [t for c in first.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]


def _is_generic_gerund(anchor: Token) -> bool:
    """ "Leaving the treaty would give us flexibility" (a hypothetical) and "Russian-made",
    "banned" (adjectives): not events."""
    if (anchor.dep_ == "amod" and anchor.tag_ == "VBN") or (anchor.dep_ == "compound" and anchor.pos_ == "VERB"):
        return True
    return anchor.tag_ == "VBG" and anchor.dep_ in ("csubj", "csubjpass", "nsubj", "nsubjpass")


def _marks(links: list[Token]) -> set[str]:
    """Words introducing the anchor's own clause: "once it leaves", "before the exit takes
    effect", "within weeks of Poland leaving"."""
    anchor = links[0]
    heads = [anchor, anchor.head] if anchor.dep_ in ("nsubj", "nsubjpass") else [anchor]
    out = {c.lower_ for h in heads for c in h.children if c.dep_ == "mark"}
    out.update(c.lower_ for h in heads for c in h.children if c.dep_ == "advmod" and c.tag_ == "WRB")
    if anchor.tag_ == "VBG" and anchor.dep_ in ("advcl", "pcomp", "acl"):
        above = list(links[-1].ancestors)[:3]
        out.update(t.lower_ for t in links[1:] + above if t.dep_ == "prep")
        out.update(t.lower_ for t in anchor.doc[max(anchor.sent.start, anchor.i - 5) : anchor.i] if t.pos_ == "ADP")
    return out


def _treaty_and_weapons(
    anchor: Token, region: list[Token], ctx: ArticleContext, data: EngineData, rule: EventRule
) -> tuple[str | None, list[WeaponMention]]:
    treaty = find_treaty(anchor, region, ctx)
    if treaty is None and "treaty" in rule.requires:
        treaty = implicit_treaty(anchor, ctx)
    weapons: list[WeaponMention] = []
    if "weapon" in rule.requires:
        weapons = find_weapons(anchor, region, ctx)
        if not weapons:
            self_reference = lemma(anchor) in data.weapons.self_anaphors or anchor.lower_ in data.weapons.self_anaphors
            weapons = implicit_weapon(
                anchor, region, ctx, data.weapons.anaphors, self_reference=self_reference,
                discourse=rule.weapon_from_discourse,
            )
    return treaty, weapons


def _statement_date(anchor: Token, ctx: ArticleContext) -> str | None:
    """An announcement without its own date is dated by the statement ("said on Tuesday")."""
    reporting = [t for t in anchor.sent if is_verbal(t) and lemma(t) in REPORTING_FOR_DATES]
    return find_date(anchor, reporting, ctx, "past") if reporting else None


def _date_links(links: list[Token]) -> list[Token]:
    """The chain and its complements ("becomes effective on 20 February")."""
    return links + [c for t in links for c in t.children if c.dep_ in DATE_COMPLEMENTS and c not in links]


def _before_reporting(links: list[Token], data: EngineData) -> list[Token]:
    """The chain up to (not including) a reporting verb: its time dates the statement."""
    out = []
    for token in links:
        if token is not links[0] and lemma(token) in data.modality.reporting_verbs:
            break
        out.append(token)
        # "ceased to be bound ... on Saturday", "becomes effective on 20 February"
        out.extend(c for c in token.children if c.dep_ in DATE_COMPLEMENTS and c not in links)
    return out


def _is_after(value: str | None, ctx: ArticleContext) -> bool:
    if not value or ctx.published is None:
        return False
    published = ctx.published.isoformat()[: len(value)]
    return value[:4].isdigit() and value > published


def _drifts(match: Match, result: ActorResult, ctx: ArticleContext) -> bool:
    """True when taking the remembered actor would be a guess, not coreference (issue 11):
    the earlier sentence named several states ("production could begin after the period
    ends", after a sentence about Latvia and Estonia), or the clause has a subject of its own
    that names nobody ("Motion passed with 107 votes", "some European nations pull out").
    The step itself or its weapon as subject ("the withdrawal takes effect", "some of the
    mines may end up in Ukraine") still refers back to the one state of the discourse."""
    if len(result.actors) != 1:
        return True
    for token in match.links:
        for child in token.children if is_verbal(token) else ():
            if child.dep_ not in ("nsubj", "nsubjpass") or child.i == match.anchor.i:
                continue
            if not (child.i in ctx.weapon_at_token or lemma(child) in THEME_WORDS):
                return True
    return False


def _actors_for(match: Match, ctx: ArticleContext, data: EngineData, memory: Discourse) -> ActorResult | None:
    """The event's actors, with the type's constraints applied (None: no event)."""
    spec = data.types[match.rule.type]
    if match.rule.actor_from_place:  # casualties: the state where they occurred, else the counting monitor
        placed = place_actors(match.anchor, ctx, data.actors.victim_nouns)
        if placed or "quantity" not in match.rule.requires:  # no figure: no monitor's count either
            return ActorResult(tuple(placed), "subject") if placed else None
        return _author_or_none(match, ctx, data)
    result = find_actors(match.links, ctx, data.actors, memory)
    if result.how == "discourse" and (not spec.actor_from_discourse or _drifts(match, result, ctx)):
        return None
    if result.how in ("anaphor", "discourse") and spec.actor != "state_or_company":
        states = tuple(a for a in result.actors if a.is_state)  # "the first ones will go to the border"
        result = ActorResult(states or result.actors, result.how, result.accuser)
    if spec.actor == "state":  # only states join or leave treaties
        result = ActorResult(tuple(a for a in result.actors if a.is_state), result.how, result.accuser)
    if not result.actors and not spec.needs_actor:
        result = report_author(match.anchor, ctx, data)
    if not result.actors and spec.needs_actor:
        return None
    return result


def _author_or_none(match: Match, ctx: ArticleContext, data: EngineData) -> ActorResult | None:
    """A figure with no state to belong to is the monitor's global count, or no event."""
    result = report_author(match.anchor, ctx, data)
    return result if result.actors else None


def _events_for(match: Match, ctx: ArticleContext, data: EngineData, memory: Discourse) -> list[Event]:
    """One event per actor and weapon class for a matched anchor."""
    result = _actors_for(match, ctx, data, memory)
    if result is None:
        return []
    rule, spec = match.rule, data.types[match.rule.type]
    attributed = attribution(match.anchor, match.links, result, ctx, data)
    sentence = match.anchor.sent
    actor_ids = {a.id for a in result.actors}
    recipient = find_recipient(match.region, ctx, actor_ids) if spec.carries("recipient") else None
    rule_type = rule.type
    if (rule.org_without_recipient and recipient is None and result.how == "subject"
            and result.actors and not result.actors[0].is_state):
        rule_type = rule.org_without_recipient
    base = Event(
        type=rule_type, actor=None, modality=rule.remap(match.modality),
        evidence=Evidence((sentence.start_char, sentence.end_char), sentence.text), confidence=0.0,
        treaty=match.treaty if spec.carries("treaty") else None, recipient=recipient,
        place=find_place(match.region, ctx, actor_ids) if spec.carries("place") else None,
        date=match.date,
        quantity=(quantity_json(match.quantity)
                  if match.quantity is not None and match.weapons and spec.carries("quantity") else None),
        attributed_to=attributed,
    )
    source = source_of(match.links, ctx, data, attributed)
    out = []
    actors: list[Actor | None] = list(result.actors) or [None]
    weapons: list[WeaponMention | None] = list(match.weapons) or [None]
    for actor in actors:
        event_type, modality = use_verdict(rule_type, base.modality, actor, source, data)
        for weapon in weapons:
            confidence = rule.confidence * HOW_CONFIDENCE.get(result.how, 0.8)
            if weapon is not None and not weapon.specific:
                confidence *= 0.9
            out.append(replace(
                base, type=event_type, modality=modality, confidence=round(min(confidence, 0.99), 3),
                actor=actor.id if actor else None, actor_iso3=actor.iso3 if actor else None,
                weapon=_weapon_field(weapon, data.types[event_type]),
                attributed_to=reciprocal_source(actor, result) or attributed,
            ))
    return out


def _weapon_field(weapon: WeaponMention | None, spec: EventType) -> str | None:
    """Figures (casualties) cover mines and remnants of war alike: only a named class counts."""
    if weapon is None or (spec.figure and not weapon.specific):
        return None
    return weapon.weapon_class


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


def _dedupe(events: list[Event], data: EngineData) -> list[Event]:
    """One event per sentence, type, actor, treaty, weapon and quantity, the most confident;
    events that differ only by date stay apart unless one of them has no date."""
    best: dict[tuple[object, ...], list[Event]] = {}
    for event in events:
        # a figure event is one step per sentence and actor ("killed 1,983 and injured 3,663")
        quantity = None if data.types[event.type].figure else (event.quantity or {}).get("value")
        key = (event.evidence.span, event.type, event.actor, event.treaty, event.weapon, quantity)
        kept = best.setdefault(key, [])
        same = next((k for k in kept if k.date == event.date or not k.date or not event.date), None)
        if same is None:
            kept.append(event)
        elif (bool(event.date), event.confidence) > (bool(same.date), same.confidence):
            kept[kept.index(same)] = event
    merged = [e for kept in best.values() for e in kept]
    dated = {(e.type, e.actor, e.treaty, e.weapon) for e in merged if e.date and e.actor and data.types[e.type].once}
    # a dateless mention of a once-only step the article dates elsewhere is that same step
    merged = [e for e in merged if e.date or (e.type, e.actor, e.treaty, e.weapon) not in dated]
    return sorted(merged, key=lambda e: (e.evidence.span[0], e.type, e.actor or ""))
