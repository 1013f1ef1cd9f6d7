"""re3d (shared/benchmarks/re3d): entity spans in Syria/Iraq conflict texts, confidence >= 0.5.

Type classes: Person; Organisation; Location; Nationality; Weapon (Weapon | MilitaryPlatform);
Quantity (Quantity | Money); Temporal. treatywatch: PERSON, ORG, PLACE as named; a STATE mention
that is a clause subject acts (Organisation), otherwise it is a place (Location), an adjective
(demonym) is a Nationality; WEAPON -> Weapon; quantities -> Quantity; times -> Temporal.
Peer: bare spaCy (PERSON, ORG, GPE/LOC/FAC, NORP, PRODUCT, CARDINAL/QUANTITY/MONEY/PERCENT,
DATE/TIME). Scores: exact and overlap per class, all classes, and type-agnostic overlap.
"""

from __future__ import annotations

import json
from pathlib import Path

from scoring import PRF, align, bare_spacy

from treatywatch.models import Article, Extraction, article_id_for
from treatywatch.nlp import analyse

ROOT = Path("/work/shared/benchmarks/re3d")
GOLD_CLASS = {"Person": "Person", "Organisation": "Organisation", "Location": "Location",
              "Nationality": "Nationality", "Weapon": "Weapon", "MilitaryPlatform": "Weapon",
              "Quantity": "Quantity", "Money": "Quantity", "Temporal": "Temporal"}
SPACY_CLASS = {"PERSON": "Person", "ORG": "Organisation", "GPE": "Location", "LOC": "Location",
               "FAC": "Location", "NORP": "Nationality", "PRODUCT": "Weapon", "CARDINAL": "Quantity",
               "QUANTITY": "Quantity", "MONEY": "Quantity", "PERCENT": "Quantity", "DATE": "Temporal",
               "TIME": "Temporal"}
CLASSES = ("Person", "Organisation", "Location", "Nationality", "Weapon", "Quantity", "Temporal")
_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load() -> list[tuple[str, list[tuple[int, int, str]]]]:
    docs = []
    for folder in sorted(p for p in ROOT.iterdir() if p.is_dir()):
        gold: dict[str, list[tuple[int, int, str]]] = {}
        for row in _lines(folder / "entities.json"):
            if row.get("confidence", 0) >= 0.5 and row["type"] in GOLD_CLASS:
                gold.setdefault(row["documentId"], []).append((row["begin"], row["end"], GOLD_CLASS[row["type"]]))
        for doc in _lines(folder / "documents.json"):
            docs.append((doc["text"], sorted(set(gold.get(doc["_id"], [])))))
    return docs


def _ours(extraction: Extraction, doc) -> list[tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    text = extraction.article.text
    out = []
    for entity in extraction.entities:
        for start, end in entity.mentions:
            if text[start:end].lower() in _PRONOUNS:
                continue
            kind = {"PERSON": "Person", "ORG": "Organisation", "PLACE": "Location", "WEAPON": "Weapon",
                    "TREATY": None}.get(entity.type, "STATE")
            if kind == "STATE":
                span = doc.char_span(start, end, alignment_mode="expand")
                root = span.root if span is not None else None
                kind = ("Nationality" if root is not None and root.tag_ in ("JJ", "NNPS") else
                        "Organisation" if root is not None and root.dep_ in ("nsubj", "nsubjpass") else "Location")
            if kind:
                out.append((start, end, kind))
    out += [(q.span[0], q.span[1], "Quantity") for q in extraction.quantities]
    out += [(t.span[0], t.span[1], "Temporal") for t in extraction.times]
    return out


def _score(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]], kind: str | None,
           exact: bool, typed: bool = True) -> PRF:
    g = [x for x in gold if kind is None or x[2] == kind]
    p = [x for x in pred if kind is None or x[2] == kind]
    if exact:
        tp = len(set(g) & set(p))
        return PRF(tp, len(p), tp, len(g))
    pairs = align([(x[0], x[1]) for x in g], [(x[0], x[1]) for x in p])
    tp = sum(1 for gi, pi in pairs if not typed or g[gi][2] == p[pi][2])
    return PRF(tp, len(p), tp, len(g))


def run_re3d() -> list[list[str]]:
    docs = load()
    totals: dict[tuple[str, str], PRF] = {}
    for text, gold in docs:
        analysis = analyse(Article(id=article_id_for(text), text=text))
        systems = {"treatywatch": _ours(analysis.to_extraction(), analysis.doc),
                   "spaCy sm alone": [(e.start_char, e.end_char, SPACY_CLASS[e.label_])
                                      for e in bare_spacy()(text).ents if e.label_ in SPACY_CLASS]}
        for system, pred in systems.items():
            views = [(f"{k} overlap", _score(gold, pred, k, False)) for k in CLASSES]
            views += [("all exact", _score(gold, pred, None, True)),
                      ("all overlap", _score(gold, pred, None, False)),
                      ("untyped overlap", _score(gold, pred, None, False, typed=False))]
            for view, prf in views:
                totals.setdefault((view, system), PRF()).add(prf)
    return [[view, system, *prf.row()] for (view, system), prf in sorted(totals.items(), key=lambda kv: (
        kv[0][0].split()[0] not in CLASSES, kv[0][0], kv[0][1]))]
