"""Article-level indexes the event rules look things up in.

Built once per article from the nlp stage's analysis: which entity each token belongs to,
where weapons of each class are mentioned (look-alikes refused), which spans name a group of
states, which treaty "the treaty" refers to, and the publication date dates resolve against.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from spacy.tokens import Doc, Span, Token

from treatywatch.events.rules import EngineData
from treatywatch.events.syntax import lemma
from treatywatch.models import Article, Entity, Quantity, Quote, TimeExpr


class AnalysisLike(Protocol):
    """What the event engine reads of ``treatywatch.nlp.Analysis`` (read-only, as it is frozen)."""

    @property
    def article(self) -> Article: ...
    @property
    def doc(self) -> Doc: ...
    @property
    def entities(self) -> Any: ...
    @property
    def quotes(self) -> Any: ...
    @property
    def quantities(self) -> Any: ...
    @property
    def times(self) -> Any: ...


# "WARSAW, Dec 17 (Nordic Wire) -": the date of the story, never the date of an event.
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'/\-]+,\s+[A-Z][a-z]{2,9}\.?\s+\d{1,2}\b[^\n]{0,40}?\s[-–—]\s")
TREATY_ANAPHORS = frozenset({"treaty", "convention", "pact", "accord", "ban"})


@dataclass(frozen=True)
class WeaponMention:
    start: int
    end: int
    weapon_class: str
    specific: bool


@dataclass
class ArticleContext:
    """Lookup tables over one analysed article (built by `build_context`)."""

    doc: Doc
    article: Article
    published: date | None
    entity_at_token: dict[int, Entity] = field(default_factory=dict)
    weapon_at_token: dict[int, WeaponMention] = field(default_factory=dict)
    group_at_token: dict[int, tuple[str, ...]] = field(default_factory=dict)
    treaty_at_token: dict[int, str] = field(default_factory=dict)
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    state_positions: list[tuple[int, Entity]] = field(default_factory=list)
    dateline_end: int = 0
    org_home: dict[str, str] = field(default_factory=dict)

    first_lemma: dict[str, int] = field(default_factory=dict)

    def mentioned_before(self, words: frozenset[str], token_index: int) -> bool:
        """True when one of ``words`` (lemmas) occurs in the article before a token."""
        return any(self.first_lemma.get(w, token_index) < token_index for w in words)

    def states_before(self, char: int) -> list[Entity]:
        """States mentioned before ``char``, most recent first (one entry per state)."""
        cut = bisect.bisect_left([p for p, _ in self.state_positions], char)
        seen: dict[str, Entity] = {}
        for _, entity in reversed(self.state_positions[:cut]):
            seen.setdefault(entity.id, entity)
        return list(seen.values())


def parse_published(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def build_context(analysis: AnalysisLike, data: EngineData) -> ArticleContext:
    doc = analysis.doc
    ctx = ArticleContext(
        doc=doc,
        article=analysis.article,
        published=parse_published(analysis.article.published),
        quotes=tuple(analysis.quotes),
        quantities=tuple(analysis.quantities),
        times=tuple(analysis.times),
    )
    for token in doc:
        ctx.first_lemma.setdefault(token.lemma_.lower(), token.i)
    match = DATELINE.match(doc.text)
    ctx.dateline_end = match.end() if match else 0
    entities = tuple(analysis.entities)
    _index_entities(ctx, entities)
    ctx.org_home = _org_homes(ctx, entities)
    _index_weapons(ctx, entities, data)
    _index_groups(ctx, data)
    _index_treaties(ctx, entities)
    return ctx


def tokens_in(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _index_entities(ctx: ArticleContext, entities: tuple[Entity, ...]) -> None:
    for entity in entities:
        if entity.type not in ("STATE", "ORG", "PERSON", "PLACE"):
            continue
        for start, end in entity.mentions:
            span = tokens_in(ctx.doc, start, end)
            if span is None:
                continue
            if end <= ctx.dateline_end:  # "KYIV, Dec 2 -": where the story was filed
                continue
            for token in span:
                ctx.entity_at_token.setdefault(token.i, entity)
            if entity.type == "STATE":
                ctx.state_positions.append((start, entity))
    ctx.state_positions.sort(key=lambda p: p[0])


def _org_homes(ctx: ArticleContext, entities: tuple[Entity, ...]) -> dict[str, str]:
    """ "Norwegian ammunition maker Nordmark": a state named just before an organisation."""
    homes: dict[str, str] = {}
    for entity in entities:
        if entity.type != "ORG":
            continue
        for start, _ in entity.mentions:
            span = tokens_in(ctx.doc, start, start + 1)
            if span is None:
                continue
            first = span[0]
            for token in ctx.doc[max(first.sent.start, first.i - 4) : first.i]:
                state = ctx.entity_at_token.get(token.i)
                if state is not None and state.type == "STATE" and state.iso3:
                    homes.setdefault(entity.id, state.iso3)
    for entity in entities:  # "Nordmark Defence" ... "Nordmark": one company
        if entity.type == "ORG" and entity.id not in homes:
            stem = entity.name.split()[0].lower() if entity.name else ""
            for other, home in list(homes.items()):
                if stem and other.startswith(f"org:{stem}"):
                    homes[entity.id] = home
    return homes


def _index_weapons(ctx: ArticleContext, entities: tuple[Entity, ...], data: EngineData) -> None:
    lexicon = data.weapons
    text = ctx.doc.text
    specific: list[WeaponMention] = []
    taken: list[tuple[int, int]] = []
    for pattern, weapon_class in lexicon.patterns:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                specific.append(WeaponMention(m.start(), m.end(), weapon_class, True))
                taken.append((m.start(), m.end()))
    for entity in entities:
        entity_class = lexicon.entity_classes.get(entity.id)
        if entity.type != "WEAPON" or entity_class is None:
            continue
        for start, end in entity.mentions:
            covered = any(s < end and start < e for s, e in taken)
            if not covered and not lexicon.generic.fullmatch(text[start:end]):
                specific.append(WeaponMention(start, end, entity_class, True))
                taken.append((start, end))
    specific.sort(key=lambda w: w.start)
    mentions = list(specific)
    for m in lexicon.generic.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        span = tokens_in(ctx.doc, m.start(), m.end())
        if span is None or _is_lookalike(span, lexicon):
            continue
        mentions.append(WeaponMention(m.start(), m.end(), _generic_class(m.start(), specific, lexicon), False))
    for token in ctx.doc:
        # "Russia is mining our fields": the verb names the weapon (not "mining gold")
        if token.pos_ == "VERB" and lemma(token) == "mine" and not _is_lookalike(token.doc[token.i : token.i + 1], lexicon):
            mentions.append(WeaponMention(token.idx, token.idx + len(token), _generic_class(token.idx, specific, lexicon), False))
    for mention in mentions:
        if mention.weapon_class in lexicon.lookalike_classes:
            continue  # sea mines: named, so no bare "mines" there is read as a land mine, but no weapon
        span = tokens_in(ctx.doc, mention.start, mention.end)
        for token in span or ():
            ctx.weapon_at_token.setdefault(token.i, mention)


def _generic_class(char: int, specific: list[WeaponMention], lexicon: Any) -> str:
    """A bare "mines" takes the class of the nearest specific mention before it (else after)."""
    before = [w for w in specific if w.start < char]
    if before:
        return before[-1].weapon_class
    after = [w for w in specific if w.start > char]
    return after[0].weapon_class if after else str(lexicon.default_generic_class)


def _is_lookalike(span: Span, lexicon: Any) -> bool:
    """Coal and gold mines, the pronoun "mine", "mine clearance": not weapons."""
    root = span[-1]
    if root.pos_ == "PRON" or root.tag_ == "PRP":
        return True
    if root.pos_ == "VERB" and root.lemma_.lower() == "mine":
        return False
    previous = span.doc[span.start - 1] if span.start > 0 else None
    following = span.doc[span.end] if span.end < len(span.doc) else None
    modifiers = {lemma(c) for c in root.children if c.dep_ in ("compound", "amod", "nmod")}
    if previous is not None:
        modifiers.add(previous.lower_)
    if modifiers & lexicon.lookalike_modifiers:
        return True
    if following is not None and following.lower_ in lexicon.lookalike_followers:
        return True
    sentence_words = {t.lower_ for t in root.sent}
    return bool(sentence_words & lexicon.industry_words)


def _index_groups(ctx: ArticleContext, data: EngineData) -> None:
    text = ctx.doc.text
    taken: list[tuple[int, int]] = []
    for group in data.actors.groups:
        for m in group.pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            for token in tokens_in(ctx.doc, m.start(), m.end()) or ():
                ctx.group_at_token.setdefault(token.i, group.members)


def _index_treaties(ctx: ArticleContext, entities: tuple[Entity, ...]) -> None:
    """Treaty mentions, plus "the treaty"/"the convention" resolved to the last one named."""
    named: list[tuple[int, str]] = []
    for entity in entities:
        if entity.type != "TREATY":
            continue
        treaty = entity.id.split(":", 1)[-1]
        for start, end in entity.mentions:
            named.append((start, treaty))
            for token in tokens_in(ctx.doc, start, end) or ():
                ctx.treaty_at_token.setdefault(token.i, treaty)
    named.sort()
    if not named:
        return
    counts: dict[str, int] = {}
    for _, treaty in named:
        counts[treaty] = counts.get(treaty, 0) + 1
    dominant = max(counts, key=lambda t: counts[t])
    for token in ctx.doc:
        if token.i in ctx.treaty_at_token or not _is_treaty_anaphor(token):
            continue
        before = [t for p, t in named if p < token.idx]
        ctx.treaty_at_token[token.i] = before[-1] if before else dominant


def _is_treaty_anaphor(token: Token) -> bool:
    """ "the treaty", "the convention", "the ban treaty" -- not "the climate treaty"."""
    if token.pos_ not in ("NOUN", "PROPN") or lemma(token) not in TREATY_ANAPHORS:
        return False
    if lemma(token) == "ban" and not any(lemma(c) in ("mine", "landmine") for c in token.children):
        return False
    determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "poss")}
    if not determiners & {"the", "this", "that", "its", "their"}:
        return False
    modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "nmod") and c.pos_ != "NUM"]
    return all(_neutral_modifier(c) for c in modifiers)


_NEUTRAL = re.compile(r"^(international|global|mine|landmine|ban|anti-?personnel|1997|2008|same|whole|entire|landmark)$", re.I)


def _neutral_modifier(token: Token) -> bool:
    return bool(_NEUTRAL.match(token.lower_))
