"""Modality of an event: asserted / planned / possible / denied / alleged.

Cues are the data of ``modality.yaml``, looked for on the anchor's chain of heads and on their
direct modifiers (auxiliaries, negation, adverbs, "if" clauses, "depending on"), so that a
negation in another clause of the sentence does not deny this event.
"""

from __future__ import annotations

from spacy.tokens import Token

from treatywatch.events.rules import ModalityCues
from treatywatch.events.syntax import lemma, under_reporting

MODIFIER_DEPS = frozenset(
    {"aux", "auxpass", "neg", "det", "advmod", "amod", "mark", "prep", "advcl", "acomp", "npadvmod", "prt", "nsubj",
     "nsubjpass", "dobj"}
)


def _cue_tokens(links: list[Token]) -> list[tuple[Token, Token]]:
    """(cue token, chain member it hangs on) pairs: chain members and their modifiers."""
    pairs = [(t, t) for t in links[1:]]
    for token in links:
        for child in token.children:
            if child.dep_ in MODIFIER_DEPS:
                pairs.append((child, token))
                if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
                    # "no mines would be laid", "neither X nor Y has": the negation sits on the argument
                    pairs.extend((g, token) for g in child.children if g.dep_ in ("det", "preconj"))
                if child.dep_ == "advcl":
                    pairs.extend((g, token) for g in child.children if g.dep_ == "mark")
            if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
                # "stored and laid only if ...": a condition on one conjunct scopes both
                for grand in child.children:
                    if grand.dep_ == "advcl":
                        pairs.extend((g, token) for g in grand.children if g.dep_ == "mark")
    return pairs


def modality_of(links: list[Token], cues: ModalityCues, *, future_date: bool, tense: str = "present") -> str:
    """The first modality class (in the data's order) with a cue on the clause."""
    pairs = _cue_tokens(links)
    found = {name: False for name in cues.order}
    for cue, host in pairs:
        word, base = cue.lower_, lemma(cue)
        if cue.dep_ == "neg" or (word in cues.negators and cue.dep_ in ("neg", "det", "advmod", "preconj", "nsubj", "nsubjpass")):
            found["denied"] = True
        if base in cues.lemmas["denied"] and cue.dep_ not in ("amod", "det"):
            particle = cues.particles.get(base)
            if particle is None or any(c.lower_ == particle for c in cue.children):
                found["denied"] = True
        if base in cues.lemmas["alleged"] or word in cues.lemmas["alleged"]:
            found["alleged"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.modals["possible"]:
            found["possible"] = True
        if cue.dep_ == "mark" and word in cues.markers:
            found["possible"] = True
        if cue.dep_ == "mark" and word in cues.future_markers and tense == "present":
            found["planned"] = True
        if base in cues.lemmas["possible"] and cue.dep_ not in ("nsubj", "dobj"):
            found["possible"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.modals["planned"]:
            found["planned"] = True
        if cue.dep_ in ("aux", "auxpass") and word in cues.would:
            key = "planned" if under_reporting(host, cues.reporting_verbs) else "possible"
            found[key] = True
        if base in cues.lemmas["planned"] and cue.dep_ not in ("nsubj", "dobj", "amod"):
            found["planned"] = True
    if future_date or _purpose(links):
        found["planned"] = True
    for name in cues.order:
        if found.get(name):
            return name
    return "asserted"


ASPECT_VERBS = frozenset({"begin", "start", "continue", "resume", "stop", "cease", "keep", "use", "try", "have",
                          "be", "become", "appear", "seem", "believe", "vote", "agree"})


def _purpose(links: list[Token]) -> bool:
    """ "set aside money to speed up production", "decided to build": an aim, not a fact."""
    for token in links:
        has_to = any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        if has_to and token.dep_ in ("advcl", "xcomp", "acl") and lemma(token.head) not in ASPECT_VERBS:
            return True
    return False
