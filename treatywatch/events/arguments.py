"""The non-actor arguments of an event: treaty, weapon, quantity, recipient and place.

Each is looked for where it is syntactically linked to the anchor (its scope and
neighbourhood) and, when several candidates exist, the one closest in the parse wins.
The event's date is found in ``eventdates``.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext, WeaponMention, tokens_in
from treatywatch.events.syntax import tree_distance
from treatywatch.models import Quantity

# Objects that still mean the treaty ("suspending its obligations", "ratified it").
TREATY_RELATIONS = frozenset({"it", "them", "obligations", "membership", "participation", "commitments",
                              "decision", "intention", "withdrawal", "exit", "plan", "plans",
                              "law", "bill", "decree", "act", "legislation"})


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
