"""The ``treatywatch_gazetteer`` pipeline component: known names -> linked spans.

A spaCy ``PhraseMatcher`` (one automaton pass over the tokens, no per-name Python loop) finds
every alias of every state, treaty, organisation, arms maker, weapon and place in the data
files. The longest match wins where aliases overlap ("Ottawa Convention" beats "Ottawa"). Results
go to ``doc.spans["tw_gazetteer"]`` with the entity type as label and the entity id as ``kb_id``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from treatywatch.nlp.resources import GazetteerEntry, load_gazetteer

SPAN_KEY = "tw_gazetteer"


def _surface_forms(entry: GazetteerEntry) -> list[str]:
    """Aliases as matched: a leading article is dropped ("the Kremlin" -> "Kremlin")."""
    forms = set()
    for alias in (entry.name, *entry.aliases):
        text = alias[4:] if alias.lower().startswith("the ") else alias
        forms.add(text.lower() if entry.ignore_case else text)
        if not entry.ignore_case and len(text) >= 4 and entry.type in ("STATE", "PLACE"):
            forms.add(text.upper())  # datelines: "WARSAW, Dec 17 (Reuters) -"
    return sorted(forms)


class GazetteerMatcher:
    """Matches gazetteer aliases: exact case for proper names, any case for common nouns."""

    def __init__(self, nlp: Language, states_path: str, gazetteer_path: str) -> None:
        self.entries = {e.id: e for e in load_gazetteer(states_path, gazetteer_path)}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entry in self.entries.values():
            matcher = self.lower if entry.ignore_case else self.exact
            patterns = [nlp.make_doc(form) for form in _surface_forms(entry)]
            matcher.add(entry.id, patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(doc):
                key = doc.vocab.strings[match_id]
                entry = self.entries[key]
                spans.append(Span(doc, start, end, label=entry.type, kb_id=key))
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc


@Language.factory(
    "treatywatch_gazetteer",
    default_config={"states_path": "", "gazetteer_path": ""},
    assigns=["doc.spans"],
)
def make_gazetteer(
    nlp: Language, name: str, states_path: str, gazetteer_path: str
) -> GazetteerMatcher:
    """Factory: paths empty = the packaged ``states.csv`` and ``gazetteer.yaml``."""
    return GazetteerMatcher(nlp, states_path, gazetteer_path)
