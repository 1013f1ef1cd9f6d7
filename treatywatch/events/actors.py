"""Who acts in an event: states, organisations, groups of states, and who refers back to them.

The actor is found on the syntax first (subject of the anchor's clause, the possessor of a
nominal anchor, the agent of a passive, the accused of an accusation), then through anaphora
("they", "the company") to the discourse, and last to the nearest state of the sentence.
Entities under "except"/"other than" are never actors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext
from treatywatch.events.rules import ActorData
from treatywatch.events.syntax import coordinated_head, is_verbal, lemma
from treatywatch.models import Entity

SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Subjects that are what is moved or made, not who acts ("the first ones will go to the border").
THEMES = frozenset({"ones", "output", "production", "some", "part", "batch", "stock", "stockpile"})
ACCUSATION_VERBS = frozenset({"accuse", "blame", "charge"})


@dataclass(frozen=True)
class Actor:
    id: str
    iso3: str | None
    is_state: bool


@dataclass
class Discourse:
    """What earlier sentences of the article were about (for "it", "they", "the company")."""

    last_actors: list[Actor] = field(default_factory=list)
    last_org: Actor | None = None
    last_step: tuple[str, str] | None = None  # (type, treaty) of the last treaty event

    def remember(self, actors: list[Actor]) -> None:
        if actors:
            self.last_actors = actors
        for actor in actors:
            if not actor.is_state:
                self.last_org = actor


@dataclass(frozen=True)
class ActorResult:
    actors: tuple[Actor, ...]
    how: str  # subject, possessor, agent, accused, anaphor, group, fallback
    accuser: Token | None = None


def entity_actor(entity: Entity, data: ActorData, homes: dict[str, str] | None = None) -> Actor | None:
    """The actor an entity stands for: a state, an organisation, or a person's state."""
    if entity.type == "STATE":
        iso3 = entity.iso3 or entity.id.split(":", 1)[-1]
        return Actor(f"state:{iso3}", iso3, True)
    if entity.type == "ORG":
        if entity.id in data.reporters:
            return None
        home = data.org_home.get(entity.id) or (homes or {}).get(entity.id)
        if entity.id in data.organs and home:
            return Actor(f"state:{home}", home, True)
        return Actor(entity.id, home, False)
    if entity.type == "PERSON":
        for role in entity.roles:
            if role.of:
                iso3 = role.of.split(":", 1)[-1]
                if role.of.startswith("state:") or len(iso3) == 3:
                    return Actor(f"state:{iso3}", iso3, True)
    return None


def excluded(token: Token, markers: tuple[str, ...]) -> bool:
    """True when the token is under "except", "other than", "apart from"... ."""
    node = token
    for _ in range(6):
        if node.dep_ == "prep" or node.pos_ in ("ADP", "SCONJ"):
            previous = node.doc[node.i - 1].lower_ if node.i > 0 else ""
            if node.lower_ in markers or f"{previous} {node.lower_}" in markers:
                return True
        if node.dep_ not in ("pobj", "conj", "appos", "compound", "prep", "cc") or node.head.i == node.i:
            break
        node = node.head
    return _only_names_between(token, markers)


def _only_names_between(token: Token, markers: tuple[str, ...]) -> bool:
    """ "except Norway and Sweden": only names and coordinators between the marker and token."""
    for back in range(token.i - 1, max(token.sent.start, token.i - 7) - 1, -1):
        word = token.doc[back]
        if word.lower_ in markers or (back > 0 and f"{token.doc[back - 1].lower_} {word.lower_}" in markers):
            return True
        if not (word.pos_ == "PROPN" or word.lower_ in (",", "and", "or", "the", "from", "than", "of", "for")):
            return False
    return False


def actors_of_token(token: Token, ctx: ArticleContext, data: ActorData) -> list[Actor]:
    """Actors named by a noun phrase head and its conjuncts ("Lithuania and Finland")."""
    out: list[Actor] = []
    for member in [token, *_conjuncts(token)]:
        if excluded(member, data.exclusion_markers):
            continue
        if member.i not in ctx.group_at_token and _has_exception(member, data):
            continue
        group = ctx.group_at_token.get(member.i)
        if group:
            left_out = _excluded_states(member, ctx, data)
            out.extend(Actor(f"state:{iso3}", iso3, True) for iso3 in group if iso3 not in left_out)
            continue
        actor = _token_actor(member, ctx, data)
        if actor is not None:
            out.append(actor)
        else:
            out.extend(_of_actors(member, ctx, data))
    return _unique(out)


def _has_exception(token: Token, data: ActorData) -> bool:
    """ "all except Norway": the phrase with the exception is a quantifier, not an actor."""
    return any(c.dep_ == "prep" and c.lower_ in data.exclusion_markers for c in token.children)


def _excluded_states(head: Token, ctx: ArticleContext, data: ActorData) -> set[str]:
    """ "All the Baltic states except Estonia": the states a group phrase leaves out."""
    out = set()
    for token in head.sent:
        entity = ctx.entity_at_token.get(token.i)
        if entity is not None and entity.type == "STATE" and entity.iso3 and excluded(token, data.exclusion_markers):
            out.add(entity.iso3)
    return out


def _conjuncts(token: Token) -> list[Token]:
    out = []
    for child in token.children:
        if child.dep_ == "conj":
            out.append(child)
            out.extend(_conjuncts(child))
    return out


def _token_actor(token: Token, ctx: ArticleContext, data: ActorData) -> Actor | None:
    candidates = [token] + [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod", "appos")]
    for candidate in candidates:
        entity = ctx.entity_at_token.get(candidate.i)
        if entity is not None:
            actor = entity_actor(entity, data, ctx.org_home)
            if actor is not None:
                return actor
    return None


def _of_actors(token: Token, ctx: ArticleContext, data: ActorData) -> list[Actor]:
    """ "the defence ministers of Estonia, Latvia and Poland": the states after "of"."""
    if token.pos_ != "NOUN" or lemma(token) not in data.member_nouns | data.anaphor_nouns:
        return []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return actors_of_token(obj, ctx, data)
    return []


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for actor in actors:
        seen.setdefault(actor.id, actor)
    return list(seen.values())


def is_anaphor(token: Token, data: ActorData) -> bool:
    """ "it", "they", "the company", "our lines": words that point back to an actor."""
    if token.lower_ in data.pronouns:
        return True
    determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "predet")}
    if determiners & data.generic_determiners or any(c.pos_ == "NUM" for c in token.children):
        return False  # "a state", "every government", "five European states"
    if lemma(token) in data.anaphor_nouns:
        return True
    return lemma(token) in data.possessed and any(c.dep_ == "poss" and c.lower_ in data.pronouns for c in token.children)


def find_actors(links: list[Token], ctx: ArticleContext, data: ActorData, memory: Discourse) -> ActorResult:
    """The acting states/organisations for an anchor whose chain of heads is ``links``."""
    accused = _accused(links, ctx, data, memory)
    if accused is not None:
        return accused
    pending_anaphor: Token | None = None
    blocked = False
    for token in links:
        found = _actors_at(token, ctx, data)
        if found is None:
            continue
        head, actors = found
        if actors:
            return ActorResult(tuple(actors), "subject")
        if head.i == links[0].i:  # "the exit takes effect": the anchor is its own subject
            continue
        if is_anaphor(head, data):
            pending_anaphor = pending_anaphor or head
            continue
        pair = _pair(head, ctx, data)
        if pair:
            return ActorResult(tuple(pair), "group")
        # "the treaty was signed", "five European states are taking steps": nobody known acts
        theme = head.dep_ == "nsubjpass" or any(t.i in ctx.weapon_at_token or t.lower_ in THEMES for t in head.subtree)
        blocked = not theme or head.i in ctx.treaty_at_token
        if not blocked:  # "some of the mines could be exported, Poland said": look higher up
            continue
        if pending_anaphor is not None and head.pos_ == "NOUN" and head.i not in ctx.entity_at_token:
            return ActorResult((), "none")  # "a state ... cannot complete its withdrawal": "its" is that state
        break
    if pending_anaphor is not None:
        return ActorResult(tuple(_resolve_anaphor(pending_anaphor, ctx, data, memory)), "anaphor")
    fallback = _fallback(links, ctx, data)
    if fallback:
        return ActorResult(tuple(fallback), "fallback")
    if blocked:
        return ActorResult((), "none")
    return ActorResult(tuple(memory.last_actors), "discourse")


def _pair(head: Token, ctx: ArticleContext, data: ActorData) -> list[Actor]:
    """ "both armies", "both sides": the two states most recently named."""
    phrase = head.doc[head.left_edge.i : head.i + 1].text.lower()
    if not any(phrase.endswith(p) or phrase == p for p in data.pair_subjects):
        return []
    return _recent_states(head, ctx)[:2]


def _actors_at(token: Token, ctx: ArticleContext, data: ActorData) -> tuple[Token, list[Actor]] | None:
    """Subject (or possessor/agent) of one chain member, with the actors it names."""
    if is_verbal(token) or token.pos_ == "ADJ":
        children = list(token.children)
        agent = [g for c in children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        subjects = [c for c in children if c.dep_ in SUBJECT_DEPS]
        if not subjects and token.dep_ == "conj":
            first = coordinated_head(token)
            subjects = [c for c in first.children if c.dep_ in SUBJECT_DEPS] if first is not None else []
        found: tuple[Token, list[Actor]] | None = None
        for head in agent + subjects:
            if head.lower_ in ("which", "who", "that") and token.dep_ in ("relcl", "acl"):
                head = token.head  # "the Russian Federation, which has never joined"
            actors = actors_of_token(head, ctx, data)
            if not actors and head.i in ctx.treaty_at_token:
                actors = _beneficiary(token, ctx, data)  # "enters into force for Tonga"
            if actors:
                return head, actors
            found = found or (head, actors)
        return found
    if token.pos_ in ("NOUN", "PROPN"):
        for child in token.children:
            if child.dep_ == "poss" or (child.dep_ == "amod" and child.i in ctx.entity_at_token):
                return child, actors_of_token(child, ctx, data)
            if child.dep_ == "prep" and child.lower_ in ("by", "of"):
                for obj in child.children:
                    if obj.dep_ == "pobj" and (obj.i in ctx.entity_at_token or obj.i in ctx.group_at_token):
                        return obj, actors_of_token(obj, ctx, data)
    return None


def _beneficiary(verb: Token, ctx: ArticleContext, data: ActorData) -> list[Actor]:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return actors_of_token(obj, ctx, data)
    return []


def _accused(links: list[Token], ctx: ArticleContext, data: ActorData, memory: Discourse) -> ActorResult | None:
    """ "X accused Y of using mines": Y acts, X is the source. Reciprocal: both sides."""
    for token in links:
        if lemma(token) not in ACCUSATION_VERBS:
            continue
        objects = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        accuser = next((c for c in token.children if c.dep_ == "nsubj"), None)
        sentence = token.sent.text.lower()
        if any(s in sentence for s in data.reciprocal_subjects) and any(o in sentence for o in data.reciprocal_objects):
            states = _recent_states(token, ctx)
            return ActorResult(tuple(states[:2]), "reciprocal", accuser)
        for obj in objects:
            actors = actors_of_token(obj, ctx, data)
            if not actors and is_anaphor(obj, data):
                actors = _resolve_anaphor(obj, ctx, data, memory)
            if actors:
                return ActorResult(tuple(actors), "accused", accuser)
    return None


def _recent_states(token: Token, ctx: ArticleContext) -> list[Actor]:
    in_sentence = [e for i, e in ctx.entity_at_token.items() if token.sent.start <= i < token.sent.end and e.type == "STATE"]
    entities = _unique_entities(in_sentence) or ctx.states_before(token.sent.start_char)
    return [Actor(f"state:{e.iso3 or e.id[6:]}", e.iso3 or e.id[6:], True) for e in entities]


def _unique_entities(entities: list[Entity]) -> list[Entity]:
    seen: dict[str, Entity] = {}
    for entity in entities:
        seen.setdefault(entity.id, entity)
    return list(seen.values())


def _resolve_anaphor(token: Token, ctx: ArticleContext, data: ActorData, memory: Discourse) -> list[Actor]:
    if lemma(token) in data.org_nouns:
        return [memory.last_org] if memory.last_org else []
    if memory.last_actors:
        return list(memory.last_actors)
    states = ctx.states_before(token.idx)
    return [Actor(f"state:{s.iso3 or s.id[6:]}", s.iso3 or s.id[6:], True) for s in states[:1]]


def _fallback(links: list[Token], ctx: ArticleContext, data: ActorData) -> list[Actor]:
    """No subject found: the nearest state (or company) before the anchor in its sentence.

    A name that is the subject or object of another clause's verb, or the object of a
    preposition (a recipient, a place, a topic), is not taken.
    """
    anchor = links[0]
    chain_ids = {t.i for t in links}
    for i in range(anchor.i - 1, anchor.sent.start - 1, -1):
        entity = ctx.entity_at_token.get(i)
        if entity is None or entity.type not in ("STATE", "ORG"):
            continue
        token = anchor.doc[i]
        if excluded(token, data.exclusion_markers):
            continue
        if token.dep_ == "pobj":
            continue
        verb = next((a for a in token.ancestors if is_verbal(a)), None)
        if verb is not None and verb.i not in chain_ids:
            continue
        actor = entity_actor(entity, data)
        if actor is not None and actor.iso3:
            return [actor]
    return []


# "killed 10 people in Sudan", "across Ukraine": a state after these is where it happened.
PLACE_PREPOSITIONS = frozenset({"in", "across", "inside", "throughout", "within"})
VICTIM_DEPS = frozenset({"amod", "compound", "poss"})
# The verbs whose subject is the state that counts its own casualties ("Myanmar recorded 1,003").
RECORDING_VERBS = frozenset({"record", "register", "suffer", "log", "report", "see", "count"})


def place_actors(anchor: Token, ctx: ArticleContext, victims: frozenset[str]) -> list[Actor]:
    """The state where a figure occurred (ANNOTATION: casualties belong to that state, not to
    the attacker who caused them nor to the monitor who counted them).

    Looked for in the anchor's sentence, nearest first: a state after "in"/"across", a state
    owning the figure ("Syria's 933"), a state naming the victims ("six Thai soldiers"), a
    state recording its own figure ("Myanmar recorded 1,003").
    """
    candidates: list[tuple[int, Actor]] = []
    for token in anchor.sent:
        entity = ctx.entity_at_token.get(token.i)
        if entity is None or entity.type != "STATE" or not entity.iso3:
            continue
        is_place = token.dep_ == "pobj" and token.head.lower_ in PLACE_PREPOSITIONS
        is_owner = token.dep_ in VICTIM_DEPS and (lemma(token.head) in victims or token.head.like_num)
        is_counter = token.dep_ == "nsubj" and lemma(token.head) in RECORDING_VERBS
        if is_place or is_owner or is_counter:
            rank = abs(token.i - anchor.i) - (200 if is_counter else 100 if is_place else 0)
            candidates.append((rank, Actor(f"state:{entity.iso3}", entity.iso3, True)))
    candidates.sort(key=lambda c: c[0])
    return [candidates[0][1]] if candidates else []
