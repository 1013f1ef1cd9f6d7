"""Gapped coordination: "Finland's withdrawal takes effect on 10 January and Poland's on
20 February" says the same step twice, the second time without its verb.

After a treaty event is found, every other state of its sentence that is followed by its own
date (and is not a recipient, a place or an excluded state) gets a copy of the event with that
date; its modality follows the date (before publication: asserted, after: planned).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext, tokens_in
from treatywatch.models import Event, TimeExpr

if TYPE_CHECKING:
    from treatywatch.events.detect import Match

GAPPED_TYPES = ("treaty_withdrawal_effective", "treaty_withdrawal_notified", "treaty_joined")
# A state after one of these is a place or a partner, not a second actor.
BLOCKING_PREPOSITIONS = frozenset({"from", "to", "with", "against", "by", "of", "for", "on", "in", "into", "near", "along"})
MAX_GAP = 6


def gapped_events(found: list[Event], match: Match, ctx: ArticleContext) -> list[Event]:
    """Copies of the sentence's treaty event for the states named with their own dates."""
    step = next((e for e in found if e.type in GAPPED_TYPES and e.date), None)
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
