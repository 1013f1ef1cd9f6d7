"""Gapped coordination: "Finland's withdrawal takes effect on 10 January and Poland's on
20 February" says the same step twice, the second time without its verb.

After an event of a ``gapped`` type (the event-type registry says which) is found, every other
state of its sentence that is followed by its own date (and is not a recipient, a place or an
excluded state) gets a copy of the event with that date; its modality follows the date (before
publication: asserted, after: planned).

Figures (types marked ``figure``) are gapped the same way: "Yemen recorded 410, Iraq 298 and
Sudan 150" gives a casualty report for each state that is directly followed by its own number.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from treatywatch.event_types import Registry
from treatywatch.events.arguments import quantity_json
from treatywatch.events.context import ArticleContext, tokens_in
from treatywatch.events.match import Match
from treatywatch.models import Event, Quantity, TimeExpr

# A state after one of these is a place or a partner, not a second actor.
BLOCKING_PREPOSITIONS = frozenset({"from", "to", "with", "against", "by", "of", "for", "on", "in", "into", "near", "along"})
MAX_GAP = 6


def gapped_events(found: list[Event], match: Match, ctx: ArticleContext, types: Registry) -> list[Event]:
    """Copies of the sentence's step (of a ``gapped`` type) for the states named with their own
    dates."""
    step = next((e for e in found if types[e.type].gapped and e.date), None)
    if step is None or ctx.published is None:
        return []
    taken = {e.actor_iso3 for e in found}
    sentence = match.anchor.sent
    out: list[Event] = []
    group: list[Token] = []
    for token in sentence[match.anchor.i - sentence.start + 1 :]:
        entity = ctx.entity_at_token.get(token.i)
        if entity is not None and entity.type == "STATE" and entity.iso3 and _free(token):
            if not group or group[-1].i != token.i:
                group.append(token)
            continue
        time = _time_at(token, ctx)
        if time is not None and group and token.i - group[-1].i <= MAX_GAP:
            for member in group:
                iso3 = ctx.entity_at_token[member.i].iso3
                if iso3 and iso3 not in taken:
                    taken.add(iso3)
                    out.append(_copy(step, iso3, time, ctx))
            group = []
    return out


def undate_borrowed(found: list[Event], copies: list[Event], match: Match, ctx: ArticleContext) -> list[Event]:
    """The sentence's events without a date that only belongs to the gapped states.

    "Poland is the fifth country to leave, after Estonia and Latvia in December": "in
    December" is Estonia's and Latvia's date, not Poland's.
    """
    given = {c.date for c in copies}
    sentence = match.anchor.sent
    own = {t.value for t in ctx.times if sentence.start_char <= t.span[0] < sentence.end_char
           and t.value not in given}
    return [replace(e, date=None) if e.date in given and e.date not in own else e for e in found]


def gapped_figures(found: list[Event], match: Match, ctx: ArticleContext, types: Registry) -> list[Event]:
    """Copies of the sentence's figure event for each later state followed by its own number."""
    step = next((e for e in found if types[e.type].figure and e.actor_iso3 and e.quantity), None)
    if step is None:
        return []
    taken = {e.actor_iso3 for e in found}
    sentence = match.anchor.sent
    out: list[Event] = []
    for token in sentence[match.anchor.i - sentence.start + 1 :]:
        entity = ctx.entity_at_token.get(token.i)
        if entity is None or entity.type != "STATE" or not entity.iso3 or entity.iso3 in taken or not _free(token):
            continue
        quantity = _quantity_after(token, ctx)
        if quantity is None:
            continue
        taken.add(entity.iso3)
        place = f"state:{entity.iso3}" if step.place else None
        out.append(replace(step, actor=f"state:{entity.iso3}", actor_iso3=entity.iso3, place=place,
                           quantity=quantity_json(quantity),
                           confidence=round(step.confidence * 0.8, 3)))
    return out


def _quantity_after(token: Token, ctx: ArticleContext) -> Quantity | None:
    """The unit-less number right after a state ("Iraq 298"), if any."""
    nxt = token.nbor(1) if token.i + 1 < len(ctx.doc) else None
    if nxt is None or nxt.like_num is False:
        return None
    return next((q for q in ctx.quantities if q.span[0] == nxt.idx and not q.per), None)


def _free(token: Token) -> bool:
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in BLOCKING_PREPOSITIONS:
        return False
    return token.dep_ in ("conj", "pobj", "nsubj", "appos", "npadvmod", "dep", "poss", "compound", "ROOT")


def _time_at(token: Token, ctx: ArticleContext) -> TimeExpr | None:
    for time in ctx.times:
        span = tokens_in(ctx.doc, *time.span)
        if span is not None and span.start == token.i:
            return time
    return None


def _copy(step: Event, iso3: str, time: TimeExpr, ctx: ArticleContext) -> Event:
    assert ctx.published is not None
    modality = step.modality
    if modality in ("asserted", "planned"):
        modality = "planned" if time.value > ctx.published.isoformat()[: len(time.value)] else "asserted"
    return replace(step, actor=f"state:{iso3}", actor_iso3=iso3, date=time.value, modality=modality,
                   confidence=round(step.confidence * 0.8, 3), attributed_to=step.attributed_to)
