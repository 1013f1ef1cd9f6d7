"""The ``treatywatch_entities`` component: linked entities with all their mentions and roles.

Reads the gazetteer spans and the statistical NER, merges them (mentions.py), groups mentions
into one entity per real-world thing (clusters.py), resolves he/she pronouns (coref.py) and
reads people's roles (roles.py). Writes ``doc._.tw_entities`` (tuple of models.Entity, in order
of first mention) and ``doc._.tw_mentions`` (sorted (start_char, end_char, entity_id) triples,
pronouns included).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from treatywatch.models import Entity, Role
from treatywatch.nlp.clusters import (
    Cluster,
    add_surname_mentions,
    assign_ids,
    build_clusters,
    canonical_name,
)
from treatywatch.nlp.coref import resolve_descriptions, resolve_pronouns
from treatywatch.nlp.mentions import MentionRules, collect_candidates, honorific_people
from treatywatch.nlp.names import gender_of
from treatywatch.nlp.resources import LanguageData, fold, load_gazetteer, load_language
from treatywatch.nlp.roles import TitleLexicon, infer_owner, roles_for

for _name in ("tw_entities", "tw_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _honorific_table(lang: LanguageData) -> dict[str, str]:
    table = {}
    for gender, words in lang.honorifics.items():
        for word in words:
            table[word] = {"masculine": "m", "feminine": "f"}.get(gender, "")
    return table


class EntityLinker:
    """Turns candidate spans into linked, clustered entities."""

    def __init__(self, states_path: str, gazetteer_path: str, language_path: str) -> None:
        self.entries = {e.id: e for e in load_gazetteer(states_path, gazetteer_path)}
        self.lang = load_language(language_path)
        self.lexicon = TitleLexicon(self.lang)
        self.state_titles = frozenset(w.lower() for w in self.lang.state_titles)
        self.org_titles = frozenset(w.lower() for w in self.lang.org_titles)
        self.honorifics = _honorific_table(self.lang)
        hints = self.lang.gender_hints
        self.rules = MentionRules(
            title_words=frozenset(self.lexicon.words | {h.lower().rstrip(".") for h in self.honorifics}),
            title_heads=self.lexicon.heads,
            given_names=frozenset(fold(n) for n in (*hints.feminine_first_names, *hints.masculine_first_names)),
            org_suffixes=frozenset(self.lang.org_suffixes),
            locatives=frozenset(self.lang.locatives),
            capitals=frozenset(c for e in self.entries.values() for c in e.capitals),
        )

    def __call__(self, doc: Doc) -> Doc:
        candidates = collect_candidates(doc, self.rules)
        candidates = sorted(candidates + honorific_people(doc, candidates, self.honorifics),
                            key=lambda c: c.start)
        clusters = build_clusters(doc, candidates)
        add_surname_mentions(doc, clusters)
        for cluster in clusters:
            self._set_gender(doc, cluster)
        resolve_pronouns(doc, clusters, self.lang)
        resolve_descriptions(doc, clusters, self.lang.definite_descriptions)
        names = [canonical_name(doc, c, self.entries) for c in clusters]
        ids = assign_ids(names, clusters)
        owner = {i: (ident, c.type) for ident, c in zip(ids, clusters, strict=True)
                 for s, e in c.mentions for i in range(s, e)}
        entities = [self._entity(doc, c, n, i, owner) for c, n, i in zip(clusters, names, ids, strict=True)]
        doc._.tw_entities = tuple(entities)
        doc._.tw_mentions = tuple(sorted((s, e, ent.id) for ent in entities for s, e in ent.mentions))
        return doc

    def _set_gender(self, doc: Doc, cluster: Cluster) -> None:
        if cluster.type != "PERSON":
            return
        for start, _ in cluster.mentions:
            if start > 0 and self.honorifics.get(doc[start - 1].text):
                cluster.gender = self.honorifics[doc[start - 1].text]
                return
        best = max(cluster.mentions, key=lambda m: m[1] - m[0])
        words = [t.text for t in doc[best[0]:best[1]] if t.is_alpha]
        if words:
            given = words[0] if len(words) > 1 else None
            cluster.gender = gender_of(given, words[-1], self.lang.gender_hints)

    def _entity(self, doc: Doc, cluster: Cluster, name: str, ident: str,
                owner: dict[int, tuple[str, str]]) -> Entity:
        spans = sorted(set(cluster.mentions) | {(i, i + 1) for i in cluster.pronouns})
        char_spans = tuple((doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in spans)
        surface = []
        for s, e in sorted(set(cluster.mentions)):
            text = doc[s:e].text
            if text != name and text not in surface:
                surface.append(text)
        entry = self.entries.get(cluster.kb_id or "")
        roles: tuple[Role, ...] = ()
        if cluster.type == "PERSON":
            roles = roles_for(doc, cluster.mentions, self.lexicon, owner)
            roles = infer_owner(doc, roles, min(cluster.mentions), owner,
                                (self.state_titles, self.org_titles))
        return Entity(id=ident, type=cluster.type, name=name, mentions=char_spans,
                      iso3=entry.iso3 if entry else None, aliases=tuple(surface), roles=roles)


@Language.factory(
    "treatywatch_entities",
    default_config={"states_path": "", "gazetteer_path": "", "language_path": ""},
    requires=["doc.ents", "doc.sents", "token.dep", "token.tag"],
    assigns=["doc._.tw_entities", "doc._.tw_mentions"],
)
def make_entity_linker(nlp: Language, name: str, states_path: str, gazetteer_path: str,
                       language_path: str) -> EntityLinker:
    """Factory: empty paths = the packaged data files."""
    return EntityLinker(states_path, gazetteer_path, language_path)
