"""The date of an event: the time expression attached to its clause, resolved and re-anchored.

Dates come from the nlp stage's resolved time expressions, re-anchored by the clause's tense:
"in August" in a future clause is the next August, in a past clause the last one.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext, tokens_in
from treatywatch.models import TimeExpr

MONTHS = {name.lower() for name in calendar.month_name if name} | {
    name.lower() for name in calendar.month_abbr if name
}
WEEKDAYS = {name.lower() for name in calendar.day_name}
# A time expression dates an event when it hangs on the event's clause: "in August",
# "on Feb. 20" (verb -> preposition -> date) or "next year" (verb -> date).
MAX_DATE_DISTANCE = 2
TIMELESS = frozenset({"today", "now", "currently", "at present", "nowadays"})


def find_date(anchor: Token, links: list[Token], ctx: ArticleContext, tense: str) -> str | None:
    """The resolved date of the time expression attached closest to the anchor's clause."""
    sentence = anchor.sent
    best: tuple[tuple[int, int, int], TimeExpr] | None = None
    usable: list[tuple[Token, TimeExpr]] = []
    for time in ctx.times:
        if not (sentence.start_char <= time.span[0] < sentence.end_char):
            continue
        span = tokens_in(ctx.doc, *time.span)
        if span is None or any(t.i in ctx.treaty_at_token for t in span) or time.span[1] <= ctx.dateline_end:
            continue
        if time.text.lower() in TIMELESS:  # "can produce 100,000 a year today": a state, not a date
            continue
        usable.append((span.root, time))
        depth, position = min((_depth_below(link, span.root), n) for n, link in enumerate(links))
        distance = (depth, position, abs(span.root.i - anchor.i))
        if depth <= MAX_DATE_DISTANCE and (best is None or distance < best[0]):
            best = (distance, time)
    if best is None:
        best = _sole_date_of_clause(anchor, usable)
    if best is None:
        return None
    return reanchor(_finer_neighbour(best[1], ctx.times), ctx.published, tense)


def _sole_date_of_clause(anchor: Token, usable: list[tuple[Token, TimeExpr]]) -> tuple[tuple[int, int, int], TimeExpr] | None:
    """ "are set to start production next year", "recorded 5,757 people killed ... in 2023": the
    sentence's only date, hanging (deeper than the usual two edges) on the anchor's own clause."""
    if len(usable) != 1:
        return None
    clause = anchor
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    root, time = usable[0]
    depth = _depth_below(clause, root)
    return ((depth, 0, 0), time) if depth < 99 else None


GRAIN_ORDER = {"day": 0, "month": 1, "year": 2, "decade": 3}


# What may stand between a date and a finer one that completes it: "this year on 26 June".
NEIGHBOUR_GAP = 4


def _finer_neighbour(time: TimeExpr, times: tuple[TimeExpr, ...]) -> TimeExpr:
    """ "on Aug. 20 last year", "earlier this year on 26 June": the day next to the year says
    more than the year."""
    for other in times:
        gap = min(abs(other.span[0] - time.span[1]), abs(time.span[0] - other.span[1]))
        if gap <= NEIGHBOUR_GAP and GRAIN_ORDER.get(other.grain, 9) < GRAIN_ORDER.get(time.grain, 9):
            if time.grain == "year" and other.value[:4] != time.value[:4] and len(time.value) == 4:
                return TimeExpr(other.text, other.span, time.value + other.value[4:], other.grain, other.relative)
            return other
    return time


def _depth_below(link: Token, token: Token) -> int:
    """Edges from ``link`` down to ``token`` (99 when ``token`` is not below ``link``, or is
    in another clause or after "since": "used mines since the invasion in 2022")."""
    depth = 0
    while token.i != link.i:
        if token.head.i == token.i or token.lower_ == "since":
            return 99
        if depth and token.dep_ in ("advcl", "relcl", "ccomp", "parataxis") or (
            token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")
            and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        ):
            return 99
        token = token.head
        depth += 1
    return depth


def reanchor(time: TimeExpr, published: date | None, tense: str) -> str:
    """Put a month or day given without a year on the side of publication the tense says.

    "will take effect in August" is the next August, "ratified in August" the last one, and
    a present-tense schedule ("takes effect on Feb. 20") the occurrence nearest publication.
    """
    if published is None:
        return time.value
    words = set(time.text.lower().replace(",", " ").replace(".", " ").split())
    if any(w.isdigit() and len(w) == 4 for w in words) or not words & (MONTHS | WEEKDAYS):
        return time.value
    try:
        if words & WEEKDAYS and time.grain == "day":
            return _shift_weekday(date.fromisoformat(time.value), published, tense)
        if time.grain == "month" and len(time.value) == 7:
            month = int(time.value[5:7])
            options = [date(published.year + k, month, 1) for k in (-1, 0, 1)]
            return _pick(options, published.replace(day=1), tense).isoformat()[:7]
        if time.grain == "day" and len(time.value) == 10:
            day = date.fromisoformat(time.value)
            options = [day.replace(year=published.year + k) for k in (-1, 0, 1)]
            return _pick(options, published, tense).isoformat()
    except ValueError:
        return time.value
    return time.value


def _pick(options: list[date], published: date, tense: str) -> date:
    if tense == "future":
        return min((d for d in options if d >= published), default=options[-1])
    if tense == "past":
        return max((d for d in options if d <= published), default=options[0])
    return min(options, key=lambda d: abs((d - published).days))


def _shift_weekday(day: date, published: date, tense: str) -> str:
    if tense == "future" and day < published:
        return (day + timedelta(days=7)).isoformat()
    if tense == "past" and day > published:
        return (day - timedelta(days=7)).isoformat()
    return day.isoformat()
