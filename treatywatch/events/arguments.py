"""The non-actor arguments of an event: treaty, weapon, quantity, recipient, place and date.

Each is looked for where it is syntactically linked to the anchor (its scope and
neighbourhood) and, when several candidates exist, the one closest in the parse wins.
Dates come from the nlp stage's resolved time expressions, re-anchored by the clause's tense:
"in August" in a future clause is the next August, in a past clause the last one.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext, WeaponMention, tokens_in
from treatywatch.events.syntax import tree_distance
from treatywatch.models import Quantity, TimeExpr

MONTHS = {name.lower() for name in calendar.month_name if name} | {
    name.lower() for name in calendar.month_abbr if name
}
WEEKDAYS = {name.lower() for name in calendar.day_name}
# Objects that still mean the treaty ("suspending its obligations", "ratified it").
TREATY_RELATIONS = frozenset({"it", "them", "obligations", "membership", "participation", "commitments",
                              "decision", "intention", "withdrawal", "exit", "plan", "plans",
                              "law", "bill", "decree", "act", "legislation"})
# A time expression dates an event when it hangs on the event's clause: "in August",
# "on Feb. 20" (verb -> preposition -> date) or "next year" (verb -> date).
MAX_DATE_DISTANCE = 2
TIMELESS = frozenset({"today", "now", "currently", "at present", "nowadays"})


def _closest(anchor: Token, tokens: list[Token]) -> list[Token]:
    return sorted(tokens, key=lambda t: (tree_distance(anchor, t), abs(t.i - anchor.i)))


def find_treaty(anchor: Token, region: list[Token], ctx: ArticleContext) -> str | None:
    candidates = [t for t in region if t.i in ctx.treaty_at_token]
    if not candidates:
        return None
    return ctx.treaty_at_token[_closest(anchor, candidates)[0].i]


def implicit_treaty(anchor: Token, ctx: ArticleContext) -> str | None:
    """ "its withdrawal", "the exit", "ratified it": the treaty the discourse is about.

    Only for a bare anchor: one that leaves or joins something else ("withdrew from the
    tournament", "troop withdrawal") never borrows a treaty.
    """
    for child in anchor.children:
        if child.dep_ in ("compound", "nmod") or (child.dep_ == "amod" and child.i not in ctx.entity_at_token):
            return None
        if child.dep_ in ("dobj", "attr", "nsubjpass") and child.lower_ not in TREATY_RELATIONS and child.i not in ctx.entity_at_token:
            return None  # "withdrew from the tournament"; "notified the United Nations" is fine
        if child.dep_ == "prep" and child.lower_ in ("from", "of", "to"):
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if any(g.i not in ctx.entity_at_token and g.lower_ not in TREATY_RELATIONS for g in objects):
                return None
    before = [i for i in ctx.treaty_at_token if i < anchor.i]
    if before:
        return ctx.treaty_at_token[max(before)]
    after = [i for i in ctx.treaty_at_token if anchor.i < i < anchor.sent.end]
    return ctx.treaty_at_token[min(after)] if after else None


def implicit_weapon(
    anchor: Token, region: list[Token], ctx: ArticleContext, anaphors: frozenset[str], *, self_reference: bool,
    discourse: bool = False,
) -> list[WeaponMention]:
    """ "some of the output could be exported": the weapon mentioned last before the anchor.

    With ``self_reference`` a bare "production"/"output" anchor refers back too ("we want
    production to start").
    """
    bare_noun = (self_reference and anchor.pos_ == "NOUN"
                 and not any(c.dep_ == "compound" or (c.dep_ == "prep" and c.lower_ == "of") for c in anchor.children)
                 and not (anchor.dep_ == "pobj" and anchor.head.lower_ == "of"))  # "part of the production"
    passive_theme = any(t.dep_ == "nsubjpass" and t.lower_ in ("they", "these", "those", "it") for t in region)
    objects = [t for c in anchor.children if c.dep_ in ("dobj", "nsubj", "nsubjpass", "prep", "dative") for t in c.subtree]
    if anchor.dep_ in ("pobj", "pcomp") and anchor.head.head.pos_ in ("NOUN", "PRON"):
        objects.append(anchor.head.head)  # "part of the production", "some of the output"
    if not (discourse or passive_theme or any(t.lower_ in anaphors for t in objects)
            or bare_noun):
        return []
    before = [i for i in ctx.weapon_at_token if i < anchor.i]
    if discourse and not before:  # "5,757 people were killed or injured by landmines"
        before = [i for i in ctx.weapon_at_token if anchor.i < i < anchor.sent.end]
        return [ctx.weapon_at_token[min(before)]] if before else []
    return [ctx.weapon_at_token[max(before)]] if before else []


def find_weapons(anchor: Token, region: list[Token], ctx: ArticleContext) -> list[WeaponMention]:
    """Distinct weapon classes linked to the anchor, closest first."""
    candidates = [t for t in region if t.i in ctx.weapon_at_token]
    out: dict[str, WeaponMention] = {}
    for token in _closest(anchor, candidates):
        mention = ctx.weapon_at_token[token.i]
        out.setdefault(mention.weapon_class, mention)
    return list(out.values())


def _is_year_like(quantity: Quantity) -> bool:
    return (quantity.unit is None and quantity.per is None and quantity.text.strip().isdigit()
            and 1900 <= quantity.value <= 2100)


MONEY_OR_SHARE = frozenset({"%", "percent", "per cent", "zloty", "zlotys", "euro", "euros", "dollar", "dollars",
                            "usd", "eur", "pln", "pound", "pounds", "km", "miles", "kilometres", "kilometers"})


def _is_money_or_share(quantity: Quantity) -> bool:
    """Prices, shares and distances are not counts of weapons or people."""
    unit = (quantity.unit or "").lower()
    return unit in MONEY_OR_SHARE or any(sign in quantity.text for sign in "%$€£")


def find_quantity(anchor: Token, region: list[Token], ctx: ArticleContext) -> Quantity | None:
    """The quantity inside the anchor's region closest to it (years are not quantities)."""
    indices = {t.i for t in region}
    best: tuple[tuple[int, int], Quantity] | None = None
    for quantity in ctx.quantities:
        if _is_year_like(quantity) or _is_money_or_share(quantity):
            continue
        span = tokens_in(ctx.doc, *quantity.span)
        if span is None or not any(t.i in indices for t in span):
            continue
        key = (0 if quantity.per else 1, tree_distance(anchor, span.root))
        if best is None or key < best[0]:
            best = (key, quantity)
    return best[1] if best else None


def nearby_quantity(anchor: Token, ctx: ArticleContext, window: int = 8) -> Quantity | None:
    """ "recorded the most casualties for a second year running, with 2,029": a count just
    after (or before) the anchor in its sentence, when the parse does not attach it."""
    best: tuple[int, Quantity] | None = None
    for quantity in ctx.quantities:
        span = tokens_in(ctx.doc, *quantity.span)
        if span is None or span.sent.start != anchor.sent.start or _is_year_like(quantity) or _is_money_or_share(quantity):
            continue
        distance = min(abs(t.i - anchor.i) for t in span)
        if distance <= window and (best is None or distance < best[0]):
            best = (distance, quantity)
    return best[1] if best else None


def quantity_json(quantity: Quantity) -> dict[str, Any]:
    out: dict[str, Any] = {"value": quantity.value}
    for key in ("value_max", "unit", "per"):
        value = getattr(quantity, key)
        if value is not None:
            out[key] = value
    if quantity.approx:
        out["approx"] = True
    out["text"] = quantity.text
    return out


def find_recipient(region: list[Token], ctx: ArticleContext, actor_ids: set[str]) -> str | None:
    """The state after "to"/"for" (or the indirect object) of a transfer; "there" looks back."""
    for token in region:
        if token.lower_ == "there" and token.dep_ == "advmod":
            for state in ctx.states_before(token.idx):
                if f"state:{state.iso3}" not in actor_ids:
                    return f"state:{state.iso3}"
    for token in region:
        head = token.head
        if not (token.dep_ in ("dative", "iobj") or (token.dep_ == "pobj" and head.lower_ in ("to", "for", "in"))):
            continue
        # "to Ukraine", "to the Dutch army": the state itself or the one its modifier names
        for candidate in [token, *(c for c in token.children if c.dep_ in ("amod", "compound", "poss"))]:
            entity = ctx.entity_at_token.get(candidate.i)
            if entity is not None and entity.type == "STATE" and f"state:{entity.iso3}" not in actor_ids:
                return entity.id
    return None


def find_place(region: list[Token], ctx: ArticleContext, actor_ids: set[str]) -> str | None:
    """A named place (region, city, sea) or a state named after "in", "along", "near"."""
    for token in region:
        entity = ctx.entity_at_token.get(token.i)
        if entity is not None and entity.type == "PLACE":
            return entity.name
    for token in region:
        entity = ctx.entity_at_token.get(token.i)
        if entity is None or entity.type != "STATE" or f"state:{entity.iso3}" in actor_ids:
            continue
        if token.dep_ == "pobj" and token.head.lower_ in ("in", "along", "near", "on", "inside", "across", "with"):
            return entity.name
    return None


def find_date(anchor: Token, links: list[Token], ctx: ArticleContext, tense: str) -> str | None:
    """The resolved date of the time expression attached closest to the anchor's clause."""
    sentence = anchor.sent
    best: tuple[tuple[int, int, int], TimeExpr] | None = None
    for time in ctx.times:
        if not (sentence.start_char <= time.span[0] < sentence.end_char):
            continue
        span = tokens_in(ctx.doc, *time.span)
        if span is None or any(t.i in ctx.treaty_at_token for t in span) or time.span[1] <= ctx.dateline_end:
            continue
        if time.text.lower() in TIMELESS:  # "can produce 100,000 a year today": a state, not a date
            continue
        depth, position = min((_depth_below(link, span.root), n) for n, link in enumerate(links))
        distance = (depth, position, abs(span.root.i - anchor.i))
        if depth <= MAX_DATE_DISTANCE and (best is None or distance < best[0]):
            best = (distance, time)
    if best is None:
        return None
    return reanchor(_finer_neighbour(best[1], ctx.times), ctx.published, tense)


GRAIN_ORDER = {"day": 0, "month": 1, "year": 2, "decade": 3}


def _finer_neighbour(time: TimeExpr, times: tuple[TimeExpr, ...]) -> TimeExpr:
    """ "on Aug. 20 last year": the day next to the year says more than the year."""
    for other in times:
        gap = min(abs(other.span[0] - time.span[1]), abs(time.span[0] - other.span[1]))
        if gap <= 2 and GRAIN_ORDER.get(other.grain, 9) < GRAIN_ORDER.get(time.grain, 9):
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
