"""Pronoun resolution: he/she/his/her -> the most recent compatible person.

Deliberately simple and predictable (a monitor must be able to see why a quote was attributed):
look in the pronoun's own sentence, then up to three sentences back; in each sentence prefer a
person mentioned as a clause subject, else the most recent one; skip people whose known gender
disagrees with the pronoun. A resolved pronoun becomes a mention of the person, and teaches the
person's gender when it was unknown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from spacy.tokens import Doc

from treatywatch.nlp.clusters import Cluster
from treatywatch.nlp.resources import LanguageData

_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_LOOKBACK_SENTENCES = 3


def _pronoun_gender(lang: LanguageData) -> dict[str, str]:
    table = {}
    for word in lang.pronouns.masculine:
        table[word] = "m"
    for word in lang.pronouns.feminine:
        table[word] = "f"
    return table


def _is_subject(doc: Doc, start: int, end: int) -> bool:
    return any(doc[i].dep_ in _SUBJECT_DEPS for i in range(start, end))


def _pick(doc: Doc, options: list[tuple[int, int, Cluster]]) -> Cluster | None:
    if not options:
        return None
    subjects = [o for o in options if _is_subject(doc, o[0], o[1])]
    chosen = max(subjects or options, key=lambda o: o[0])
    return chosen[2]


def resolve_pronouns(doc: Doc, clusters: list[Cluster], lang: LanguageData) -> None:
    """Add resolved pronoun tokens to their person clusters (in place)."""
    genders = _pronoun_gender(lang)
    people = [c for c in clusters if c.type == "PERSON"]
    if not people:
        return
    sent_of = [0] * len(doc)
    for index, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = index
    points = sorted((s, e, c) for c in people for s, e in c.mentions)
    for token in doc:
        gender = genders.get(token.lower_)
        if gender is None or token.tag_ not in ("PRP", "PRP$"):
            continue
        here = sent_of[token.i]
        chosen = None
        for back in range(_LOOKBACK_SENTENCES + 1):
            options = [p for p in points if p[1] <= token.i and sent_of[p[0]] == here - back
                       and p[2].gender in (None, gender)]
            chosen = _pick(doc, options)
            if chosen is not None:
                break
        if chosen is None:
            continue
        chosen.gender = chosen.gender or gender
        chosen.pronouns.append(token.i)
        points.append((token.i, token.i + 1, chosen))
        points.sort(key=lambda p: p[0])


def resolve_descriptions(doc: Doc, clusters: list[Cluster], nouns: Mapping[str, Sequence[str]]) -> None:
    """"the treaty" / "the convention" -> the last-named treaty; bare "mines" -> the last-named
    mine weapon. Only common nouns not already inside a mention, and only after a named one."""
    taken = {i for c in clusters for s, e in c.mentions for i in range(s, e)}
    treaty_words = set(nouns.get("TREATY", []))
    weapon_words = set(nouns.get("WEAPON", []))
    firsts = {id(c): min(c.mentions)[0] for c in clusters if c.mentions}
    for token in doc:
        if token.i in taken or not token.is_lower:
            continue
        if token.lower_ in treaty_words and token.i > 0 and doc[token.i - 1].lower_ == "the" \
                and not (token.i + 1 < len(doc) and doc[token.i + 1].lower_ in ("on", "of")):
            target = _last_before(clusters, firsts, token.i, lambda c: c.type == "TREATY")
            start = token.i - 1
        elif token.lower_ in weapon_words and not any(c.dep_ == "compound" for c in token.children):
            target = _last_before(clusters, firsts, token.i,
                                  lambda c: c.type == "WEAPON" and "mine" in (c.kb_id or ""))
            start = token.i
        else:
            continue
        if target is not None:
            target.add(start, token.i + 1)


def _last_before(clusters: list[Cluster], firsts: dict[int, int], index: int, accept: Any) -> Cluster | None:
    best = None
    for cluster in clusters:
        if accept(cluster) and firsts.get(id(cluster), index) < index:
            last = max(s for s, _ in cluster.mentions if s < index)
            if best is None or last > best[0]:
                best = (last, cluster)
    return best[1] if best else None
