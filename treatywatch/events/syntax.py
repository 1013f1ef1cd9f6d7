"""Walking the spaCy dependency parse around an event anchor.

Three notions are used by every rule: the *chain* (the anchor and its heads up to the clause
that governs it: "withdrawing" → "of" → "process" → "began"), the *neighbourhood* (the chain
plus the direct modifiers of its members and their prepositional objects) where type and
modality cues are looked for, and the *scope* (the anchor's subtree without embedded clauses)
where its arguments are looked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

MAX_CHAIN = 9
# Dependencies that cross into another clause whose cues must not leak into this one.
CLAUSE_BREAKS = frozenset({"advcl", "parataxis", "appos", "csubj"})
# Children of a chain member that belong to another clause (not modifiers of this one).
FOREIGN_CHILDREN = frozenset({"conj", "cc", "advcl", "relcl", "parataxis", "ccomp", "punct", "appos"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
PAST_TAGS = frozenset({"VBD", "VBN"})


def is_verbal(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX")


def chain(anchor: Token) -> list[Token]:
    """The anchor and its syntactic heads up to the governing clause.

    Climbing stops at coordination between verbs (each conjunct is its own event) and at
    adverbial or paratactic clauses; a relative clause includes the noun it modifies but
    not the clause around that noun.
    """
    out = [anchor]
    token = anchor
    while token.head.i != token.i and len(out) < MAX_CHAIN:
        dep = token.dep_
        if dep == "conj" and token.head.dep_ in ("acl", "relcl") and token.tag_ == token.head.tag_ == "VBN":
            # "the act adopted by the Sejm and signed by the President": one modifier
            token = token.head
            out.append(token)
            dep = token.dep_
        if dep == "advcl" and _infinitive(token):
            dep = "xcomp"  # "became the first country to leave", "a decree for the country to accede"
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children)
        if dep in CLAUSE_BREAKS or (dep == "conj" and is_verbal(token) and is_verbal(token.head) and own_subject):
            break  # "stored and laid only if ..." share a clause; "X signed and Y ratified" do not
        out.append(token.head)
        if dep in ("relcl", "acl") and not _infinitive(token):
            break  # "the first country to leave", "a contract to supply" climb on
        token = token.head
    return out


def _infinitive(token: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def coordinated_head(token: Token) -> Token | None:
    """The first conjunct of a coordinated verb ("Poland ratified ... but announced ...")."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token if token.dep_ != "conj" else None


def neighbourhood(links: list[Token]) -> list[Token]:
    """Chain members, their direct modifiers and the objects of their prepositions."""
    seen: dict[int, Token] = {t.i: t for t in links}
    for token in links:
        for child in token.children:
            if child.dep_ in FOREIGN_CHILDREN:
                continue
            seen.setdefault(child.i, child)
            if child.dep_ in ("prep", "agent", "prt", "acomp", "dobj", "attr", "xcomp"):
                for grandchild in child.children:
                    if grandchild.dep_ in ("pobj", "pcomp", "prep", "dobj", "compound", "amod", "attr"):
                        seen.setdefault(grandchild.i, grandchild)
    return [seen[i] for i in sorted(seen)]


def scope(anchor: Token) -> list[Token]:
    """The anchor's subtree without the clauses embedded in it."""
    out: list[Token] = []
    stack = [anchor]
    while stack:
        token = stack.pop()
        out.append(token)
        for child in token.children:
            if child.dep_ in ("advcl", "parataxis", "relcl", "ccomp", "acl") or (child.dep_ == "conj" and is_verbal(child)):
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def tree_distance(a: Token, b: Token) -> int:
    """Number of dependency edges between two tokens of one sentence."""
    ancestors_a = {a.i: 0}
    for depth, token in enumerate(a.ancestors, start=1):
        ancestors_a[token.i] = depth
    if b.i in ancestors_a:
        return ancestors_a[b.i]
    for depth, token in enumerate([b, *b.ancestors]):
        if token.i in ancestors_a:
            return depth + ancestors_a[token.i]
    return 99


def lemma(token: Token) -> str:
    return token.lemma_.lower()


def lemmas(tokens: Iterable[Token]) -> set[str]:
    """Lemmas and lower-cased forms (so that "formally" and "effect" both match)."""
    out: set[str] = set()
    for token in tokens:
        out.add(lemma(token))
        out.add(token.lower_)
    return out


def clause_tense(links: list[Token], reporting: frozenset[str]) -> str:
    """``future``, ``past`` or ``present`` of the clause the anchor sits in."""
    for token in links:
        if not is_verbal(token) and token.pos_ != "ADJ":
            continue
        aux = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in FUTURE_AUX for c in aux):
            return "future"
        if any(c.lower_ == "would" for c in aux) and _under_reporting(token, reporting):
            return "future"
        if token.lower_ == "going" and any(c.dep_ == "xcomp" for c in token.children):
            return "future"
        if any(c.lower_ in ("would", "could", "might", "may", "can") for c in aux):
            return "present"  # a conditional or a possibility, never a reported past
        if any(c.lower_ == "to" for c in aux):
            if token.dep_ == "acl":
                return "future"  # "a contract to supply mines": what is to be done
            continue
        if token.tag_ in PAST_TAGS or any(c.tag_ == "VBD" for c in aux):
            return "past"
        if token.tag_ in ("VBZ", "VBP") or any(c.tag_ in ("VBZ", "VBP") for c in aux):
            return "present"
    return "present"


def _under_reporting(token: Token, reporting: frozenset[str]) -> bool:
    head = token
    while head.dep_ in ("ccomp", "xcomp", "conj") and head.head.i != head.i:
        head = head.head
        if lemma(head) in reporting:
            return True
    return False


def under_reporting(token: Token, reporting: frozenset[str]) -> bool:
    """True when the clause of ``token`` is reported speech ("said they would ...")."""
    return _under_reporting(token, reporting)
