"""What a treaty forbids or requires is no step of anyone.

"The convention prohibits the use, production, stockpiling and transfer of anti-personnel
mines", "a treaty banning the use ... of mines", "It requires states parties to destroy their
stockpiles": each of these nouns and verbs is an anchor of some rule, but the sentence states
the treaty's content, not what any state did (ANNOTATION: not events). The words are data
(``forbidding`` in ``event_rules.yaml``).
"""

from __future__ import annotations

from spacy.tokens import Token

from treatywatch.events.context import ArticleContext
from treatywatch.events.rules import EngineData
from treatywatch.events.syntax import lemma


def _top_conjunct(token: Token) -> Token:
    """ "the use, production and transfer": the first of coordinated nouns."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


def forbidden_content(anchor: Token, ctx: ArticleContext, data: EngineData) -> bool:
    """True when the anchor is what a ban forbids or what a treaty obliges."""
    words = data.forbidding
    top = _top_conjunct(anchor)
    head = top.head
    if top.dep_ in ("dobj", "nsubjpass") and lemma(head) in words.verbs:
        return True
    if top.dep_ == "pobj" and head.lower_ == "of" and lemma(head.head) in words.nouns | words.verbs:
        return True  # "the prohibition of the use", "Convention on the Prohibition of the Use, ..."
    if top.dep_ in ("xcomp", "ccomp") and lemma(head) in words.obliging:
        return _treaty_subject(head, ctx, data)
    return False


def _treaty_subject(verb: Token, ctx: ArticleContext, data: EngineData) -> bool:
    """The subject of ``verb`` (or of the verb it is coordinated with) is a treaty."""
    for candidate in (verb, _top_conjunct(verb)):
        for child in candidate.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return child.i in ctx.treaty_at_token or lemma(child) in data.forbidding.subjects
    return False
