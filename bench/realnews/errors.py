"""Error listings of a *tune* part: what the scorer counted against the extractor, one by one.

The numbers come from ``score.py`` alone; this replays its matching with its own helpers
(``actor_key``, ``date_ok``, ``same_speaker``, ``figures``, ``norm``) to say which items they
were: missed and spurious events, wrong dates / modality / treaty, quotes missed or given the
wrong speaker, quantities missed or spurious, false events on look-alikes. The replay's counts
are checked against the scorer's report, so a listing that drifts from the scorer says so.
Never called for a *check* part (run.py refuses): rules are not tuned on those.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from dump import scorer
from sets import Part


def _load(dump: Path, rid: str) -> dict[str, Any]:
    path = dump / f"{rid}.json"
    try:
        out: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return out


def _flat(text: Any) -> str:
    return " ".join(str(text or "").split())


def _sentence(event: dict[str, Any]) -> str:
    evidence = event.get("evidence")
    return _flat(evidence.get("sentence", "") if isinstance(evidence, dict) else evidence)[:160]


def _event_lines(rid: str, gold: dict[str, Any], pred: list[dict[str, Any]], counts: Counter[str]) -> list[str]:
    s = scorer()
    lines, used = [], set()
    on_topic = gold.get("on_topic", True)
    if not on_topic:
        lines += [f"  {rid} LOOK-ALIKE FALSE {p.get('type')} {s.actor_key(p)} | {_sentence(p)}" for p in pred]
    for ge in gold.get("events", []) if on_topic else []:
        counts["gold"] += 1
        hit = next((i for i, pe in enumerate(pred) if i not in used and pe.get("type") == ge["type"]
                    and s.actor_key(pe) == s.actor_key(ge)), None)
        if hit is None:
            lines.append(f"  {rid} MISS {ge['type']} {ge.get('actor')} {ge.get('modality')} {ge.get('date')}"
                         f" | {_flat(ge.get('evidence'))}")
            continue
        used.add(hit)
        counts["tp"] += 1
        pe = pred[hit]
        if s.date_ok(ge.get("date"), pe.get("date")) is False:
            lines.append(f"  {rid} DATE {ge['type']} {ge.get('actor')}: gold {ge.get('date')} != {pe.get('date')}"
                         f" | {_sentence(pe)}")
        if pe.get("modality") != ge.get("modality"):
            lines.append(f"  {rid} MODALITY {ge['type']} {ge.get('actor')}: gold {ge.get('modality')} != "
                         f"{pe.get('modality')} | {_sentence(pe)}")
        if ge.get("treaty") and not (pe.get("treaty") or "").upper().endswith(ge["treaty"].upper()):
            lines.append(f"  {rid} TREATY {ge['type']} {ge.get('actor')}: gold {ge['treaty']} != {pe.get('treaty')}")
    if on_topic:
        counts["pred"] += len(pred)
        lines += [f"  {rid} SPURIOUS {pe.get('type')} {s.actor_key(pe)} {pe.get('modality')} | {_sentence(pe)}"
                  for i, pe in enumerate(pred) if i not in used]
    return lines


def _quote_lines(rid: str, gold: dict[str, Any], out: dict[str, Any]) -> list[str]:
    s = scorer()
    direct = [q for q in out.get("quotes", []) if isinstance(q, dict) and q.get("kind", "direct") in ("direct", "partial")]
    lines = []
    for gq in gold.get("quotes", []):
        start = " ".join(s.norm(gq["quote_start"])[:4])
        cand = [q for q in direct if start and start in " ".join(s.norm(q.get("text", "")))]
        if not cand:
            lines.append(f"  {rid} QUOTE MISSED ({gq['speaker']}) | {_flat(gq['quote_start'])}")
        elif not any(s.same_speaker(q.get("speaker_name") or q.get("speaker") or "", gq["speaker"]) for q in cand):
            said = ", ".join(repr(q.get("speaker_name") or q.get("speaker")) for q in cand)
            lines.append(f"  {rid} SPEAKER gold {gq['speaker']!r} != {said} | {_flat(gq['quote_start'])}")
    return lines


def _quantity_lines(rid: str, gold: dict[str, Any], out: dict[str, Any]) -> list[str]:
    s = scorer()
    gfig = s.figures(gold.get("quantities", []), "evidence")
    texts: dict[tuple[float, float | None], str] = {}
    for q in out.get("quantities", []):
        for key in s.figures([q], "text"):
            texts.setdefault(key, str(q.get("text")))
    pfig = set(texts)

    def near(a: float, b: float) -> bool:
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))

    lines = []
    for gv, gm in sorted(gfig, key=str):
        if not any(near(pv, gv) and (gm is None or (pm is not None and near(pm, gm))) for pv, pm in pfig):
            lines.append(f"  {rid} FIGURE MISSED {gv:g}{'' if gm is None else f'-{gm:g}'}")
    for pv, pm in sorted(pfig, key=str):
        if not any(near(pv, gv) and (gm is None or (pm is not None and near(pm, gm))) for gv, gm in gfig):
            lines.append(f"  {rid} FIGURE SPURIOUS {pv:g}{'' if pm is None else f'-{pm:g}'} | {texts[(pv, pm)]!r}")
    return lines


def error_listing(part: Part, dump: Path, report: dict[str, Any]) -> list[str]:
    """Every error of a tune part, grouped by kind, with a check of the replay against the report."""
    if not part.tune:
        raise ValueError(f"{part.name} is not a tune part: its errors are not listed")
    kinds = ("LOOK-ALIKE", "MISS", "SPURIOUS", "DATE", "MODALITY", "TREATY", "QUOTE", "SPEAKER", "FIGURE")
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for gold in part.records:
        if gold["id"] not in part.texts:
            continue
        out = _load(dump, gold["id"])
        pred = [e for e in out.get("events", []) if isinstance(e, dict) and e.get("type") in scorer().GOLD_TYPES]
        lines += _event_lines(gold["id"], gold, pred, counts)
        lines += _quote_lines(gold["id"], gold, out)
        lines += _quantity_lines(gold["id"], gold, out)
    per_type = report.get("per_type", {}).values()
    expected = Counter({k: sum(v.get(k, 0) for v in per_type) for k in ("gold", "tp", "pred")})
    header = [f"### errors: {part.name}"]
    if +expected != +counts:
        header.append(f"  WARNING: replay {dict(counts)} != score.py {dict(expected)}")
    ordered = sorted(lines, key=lambda line: kinds.index(line.split()[1]))
    return header + ordered
