"""Scores treatywatch on the in-house gold fixtures (bench/fixtures/gold, NNN.txt + NNN.gold.json).

Gold lists mention strings, roles, quotes (text/speaker/kind), quantities and times (text/value);
spans are found by searching the gold strings in the text, in order. Predicted ids are mapped to
gold ids through the entity alignment (a predicted entity of the same type sharing a mention
string), so that roles and speakers are compared as "the same real-world thing".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scoring import PRF, align, bare_spacy, locate, match_sets, norm

from treatywatch.models import Article, Extraction, article_id_for
from treatywatch.nlp import extract_many

GOLD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gold"
SPACY_TYPES = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "STATE", "NORP": "STATE", "LOC": "PLACE",
               "FAC": "PLACE", "LAW": "TREATY", "PRODUCT": "WEAPON"}


def load_gold() -> list[tuple[Article, dict[str, Any]]]:
    items = []
    for path in sorted(GOLD_DIR.glob("*.gold.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = (GOLD_DIR / gold.get("text_file", path.name.replace(".gold.json", ".txt"))).read_text(encoding="utf-8")
        items.append((Article(id=article_id_for(text), text=text, published=gold.get("published"),
                              url=gold.get("url"), title=gold.get("title")), gold))
    return items


def _clusters(extraction: Extraction) -> list[tuple[str, str, set[str]]]:
    text = extraction.article.text
    return [(e.id, e.type, {norm(text[s:t]) for s, t in e.mentions}) for e in extraction.entities]


def spacy_clusters(text: str) -> list[tuple[str, str, set[str]]]:
    """Bare spaCy NER as 'entities': one cluster per (type, text)."""
    groups: dict[tuple[str, str], set[str]] = {}
    for ent in bare_spacy()(text).ents:
        etype = SPACY_TYPES.get(ent.label_)
        if etype:
            groups.setdefault((etype, norm(ent.text)), set()).add(norm(ent.text))
    return [(f"{t}:{n}", t, m) for (t, n), m in groups.items()]


def score_entities(gold: dict[str, Any], pred: list[tuple[str, str, set[str]]]) -> tuple[PRF, PRF, dict[str, str], int]:
    """Mention-string PRF, entity PRF, pred-id -> gold-id map, ids equal among matched."""
    gold_mentions = {(e["type"], norm(m)) for e in gold["entities"] for m in e["mentions"]}
    pred_mentions = {(t, m) for _, t, ms in pred for m in ms}
    mention = match_sets(sorted(gold_mentions), sorted(pred_mentions))
    id_map: dict[str, str] = {}
    used: set[str] = set()
    for g in gold["entities"]:
        g_set = {norm(m) for m in g["mentions"]}
        best = max(((len(g_set & ms), pid) for pid, t, ms in pred if t == g["type"] and pid not in used),
                   default=(0, ""))
        if best[0]:
            used.add(best[1])
            id_map[best[1]] = g["id"]
    entity = PRF(len(id_map), len(pred), len(id_map), len(gold["entities"]))
    same_ids = sum(1 for p, g in id_map.items() if p == g)
    return mention, entity, id_map, same_ids


def _title(title: str) -> str:
    return norm(title).replace("defense", "defence")


def score_roles(gold: dict[str, Any], extraction: Extraction, id_map: dict[str, str]) -> PRF:
    gold_roles = [(r["person"], _title(r["title"]), r.get("of")) for r in gold["roles"]]
    pred_roles = [(id_map.get(e.id, e.id), _title(r.title), id_map.get(r.of, r.of) if r.of else None)
                  for e in extraction.entities for r in e.roles]
    return match_sets(gold_roles, pred_roles)


def _spans(text: str, items: list[dict[str, Any]]) -> list[tuple[int, int]]:
    spans, cursor = [], 0
    for item in items:
        found = locate(text, item["text"].strip(), cursor) or (0, 0)
        spans.append(found)
        cursor = found[1] if found[1] else cursor
    return spans


def score_quotes(gold: dict[str, Any], extraction: Extraction, id_map: dict[str, str]) -> tuple[PRF, PRF]:
    text = extraction.article.text
    gold_spans = _spans(text, gold["quotes"])
    pred = list(extraction.quotes)
    pairs = align(gold_spans, [q.span for q in pred], min_ratio=0.5)
    found = PRF(len(pairs), len(pred), len(pairs), len(gold_spans))
    good = sum(1 for gi, pi in pairs
               if gold["quotes"][gi].get("speaker") == (id_map.get(pred[pi].speaker or "", pred[pi].speaker)))
    return found, PRF(good, len(pred), good, len(gold_spans))


def score_values(gold_items: list[dict[str, Any]], pred: list[Any], text: str, quantity: bool) -> tuple[PRF, PRF]:
    gold_spans = _spans(text, gold_items)
    pairs = align(gold_spans, [p.span for p in pred])
    found = PRF(len(pairs), len(pred), len(pairs), len(gold_spans))

    def same(g: dict[str, Any], p: Any) -> bool:
        if quantity:
            return float(g["value"]) == p.value and (g.get("value_max") or None) == (p.value_max or None)
        return str(g["value"]) == p.value

    good = sum(1 for gi, pi in pairs if same(gold_items[gi], pred[pi]))
    return found, PRF(good, len(pred), good, len(gold_spans))


def run_gold(verbose: bool = False) -> list[list[str]]:
    """Rows: field, system, P, R, F1, gold, pred."""
    items = load_gold()
    totals = {k: PRF() for k in ("mentions", "entities", "spacy_mentions", "spacy_entities", "roles",
                                 "quotes", "quotes+speaker", "quantities", "quantity values",
                                 "times", "time values")}
    same_ids = matched = 0
    extractions = extract_many(a for a, _ in items)
    for (article, gold), extraction in zip(items, extractions, strict=True):
        mention, entity, id_map, same = score_entities(gold, _clusters(extraction))
        s_mention, s_entity, _, _ = score_entities(gold, spacy_clusters(article.text))
        quotes, speakers = score_quotes(gold, extraction, id_map)
        quantities, qvalues = score_values(gold["quantities"], list(extraction.quantities), article.text, True)
        times, tvalues = score_values(gold["times"], list(extraction.times), article.text, False)
        for key, value in (("mentions", mention), ("entities", entity), ("spacy_mentions", s_mention),
                           ("spacy_entities", s_entity), ("roles", score_roles(gold, extraction, id_map)),
                           ("quotes", quotes), ("quotes+speaker", speakers), ("quantities", quantities),
                           ("quantity values", qvalues), ("times", times), ("time values", tvalues)):
            totals[key].add(value)
        same_ids += same
        matched += len(id_map)
        if verbose:
            _explain(article, gold, extraction, id_map)
    rows = []
    for key, prf in totals.items():
        system = "spaCy sm alone" if key.startswith("spacy_") else "treatywatch"
        rows.append([key.replace("spacy_", ""), system, *prf.row()])
    rows.append(["entity ids = gold ids", "treatywatch", f"{same_ids}/{matched}", "", "", "", ""])
    return rows


def _explain(article: Article, gold: dict[str, Any], extraction: Extraction, id_map: dict[str, str]) -> None:
    text = article.text
    pred_m = {(e.type, norm(text[s:t])) for e in extraction.entities for s, t in e.mentions}
    gold_m = {(e["type"], norm(m)) for e in gold["entities"] for m in e["mentions"]}
    print(f"--- {gold.get('text_file')}: missed {sorted(gold_m - pred_m)} extra {sorted(pred_m - gold_m)}")
    for q in gold["quantities"]:
        print("   gold qty", q["text"], q["value"], q.get("value_max"))
    for q in extraction.quantities:
        print("   pred qty", q.text, q.value, q.value_max)
    for t in gold["times"]:
        print("   gold time", t["text"], t["value"])
    for t in extraction.times:
        print("   pred time", t.text, t.value)
    for q in gold["quotes"]:
        print("   gold quote", q["kind"], q.get("speaker"), q["text"][:60])
    for q in extraction.quotes:
        print("   pred quote", q.kind, id_map.get(q.speaker or "", q.speaker), q.text[:60])
    for r in gold["roles"]:
        print("   gold role", r)
    for e in extraction.entities:
        for r in e.roles:
            print("   pred role", e.id, r)
