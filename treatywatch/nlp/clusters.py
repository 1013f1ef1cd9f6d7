"""Grouping mentions into one entity per real-world thing per article.

Gazetteer hits group by their id. People group by surname key plus a compatible given name
(names.py), so "Pavel Zalewski", "Paweł Zalewski", "Mr Zalewski" and "Zalewski" are one person.
Other organisations and places group by their folded text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from treatywatch.nlp.mentions import Candidate
from treatywatch.nlp.names import name_key, similar_given_names, slug
from treatywatch.nlp.resources import GazetteerEntry, fold

_ID_PREFIX = {"PERSON": "person", "ORG": "org", "PLACE": "place", "WEAPON": "weapon"}


@dataclass
class Cluster:
    """A growing entity: its mentions (token spans) and what is known about it."""

    type: str
    key: str
    kb_id: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    pronouns: list[int] = field(default_factory=list)
    given: str | None = None
    surname: str | None = None
    gender: str | None = None

    def add(self, start: int, end: int) -> None:
        self.mentions.append((start, end))


def _person_parts(doc: Doc, cand: Candidate) -> tuple[str | None, str]:
    words = [w for w in doc[cand.start:cand.end].text.split() if any(c.isalpha() for c in w)]
    words = words or [doc[cand.start].text]
    given = name_key(words[0]) if len(words) > 1 else None
    return given, name_key(words[-1])


def _find_person(clusters: list[Cluster], given: str | None, surname: str) -> Cluster | None:
    """The person a name belongs to: same surname and a compatible given name, else (for a
    lone word) the one person whose given name it is ("Sihasak" after "Sihasak
    Phuangketkeow": Thai, Icelandic and many other reports refer to people by given name)."""
    for cluster in reversed(clusters):
        if cluster.type == "PERSON" and cluster.surname == surname \
                and similar_given_names(cluster.given, given):
            return cluster
    if given is None:
        by_given = [c for c in clusters if c.type == "PERSON" and c.given == surname]
        if len(by_given) == 1:
            return by_given[0]
    return None


def build_clusters(doc: Doc, candidates: list[Candidate]) -> list[Cluster]:
    """Clusters in order of first mention."""
    clusters: list[Cluster] = []
    by_key: dict[str, Cluster] = {}
    for cand in candidates:
        if cand.type == "PERSON":
            given, surname = _person_parts(doc, cand)
            cluster = _find_person(clusters, given, surname)
            if cluster is None:
                cluster = Cluster("PERSON", f"person#{len(clusters)}", surname=surname, given=given)
                clusters.append(cluster)
            cluster.given = cluster.given or given
        else:
            key = cand.kb_id or f"{cand.type}:{fold(_strip_article(doc[cand.start:cand.end].text))}"
            cluster = by_key.get(key)
            if cluster is None:
                cluster = by_key[key] = Cluster(cand.type, key, kb_id=cand.kb_id)
                clusters.append(cluster)
        cluster.add(cand.start, cand.end)
    return clusters


def _strip_article(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def canonical_name(doc: Doc, cluster: Cluster, entries: dict[str, GazetteerEntry]) -> str:
    """Gazetteer name, else the longest (then first) mention text."""
    if cluster.kb_id and cluster.kb_id in entries:
        return entries[cluster.kb_id].name
    best = max(cluster.mentions, key=lambda m: (m[1] - m[0], -m[0]))
    return _strip_article(doc[best[0]:best[1]].text)


def assign_ids(names: list[str], clusters: list[Cluster]) -> list[str]:
    """Stable ids: gazetteer id, else ``<type>:<slug>`` made unique within the article."""
    ids: list[str] = []
    used: set[str] = set()
    for name, cluster in zip(names, clusters, strict=True):
        base = cluster.kb_id or f"{_ID_PREFIX.get(cluster.type, 'org')}:{slug(name)}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        ids.append(ident)
    return ids


def add_surname_mentions(doc: Doc, clusters: list[Cluster]) -> None:
    """Mentions the NER missed: a lone capitalised token equal to a known person's surname."""
    by_surname = {c.surname: c for c in clusters if c.type == "PERSON" and c.surname}
    if not by_surname:
        return
    givens = [c.given for c in clusters if c.type == "PERSON" and c.given and len(c.given) > 2]
    for person in clusters:  # "Sihasak" for "Sihasak Phuangketkeow": a unique given name
        if person.type == "PERSON" and person.given and givens.count(person.given) == 1:
            by_surname.setdefault(person.given, person)
    taken = {i for c in clusters for s, e in c.mentions for i in range(s, e)}
    for token in doc:
        if token.i in taken or not token.is_title or token.pos_ != "PROPN":
            continue
        found = by_surname.get(name_key(token.text))
        if found is not None and len(token.text) > 2:
            found.add(token.i, token.i + 1)
    for cluster in by_surname.values():
        cluster.mentions.sort()
