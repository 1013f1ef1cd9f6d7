"""TempEval-3 platinum (shared/benchmarks/tempeval3-platinum): time expressions and values.

Gold TIMEX3 spans are read from the TimeML TEXT with tags stripped (the same text the system
sees, ``--published`` = the DCT). Relaxed match = any character overlap, strict = identical
extent (after trimming spaces); value F1 = value accuracy over relaxed matches x relaxed F1, as
in the official scorer. Views: all timexes, and DATE timexes only (predictions that overlap a
non-DATE gold timex are left out of that view). Peer: dateparser ``search_dates``.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

from scoring import align, locate

from treatywatch.models import Article, article_id_for
from treatywatch.nlp import extract_many

ROOT = Path("/work/shared/benchmarks/tempeval3-platinum/te3-platinum")
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def parse_tml(path: Path) -> tuple[str, str, list[tuple[int, int, str, str]]]:
    """(text, dct, [(start, end, type, value)]) of one TimeML file."""
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', raw)
    body = raw[raw.index("<TEXT>") + len("<TEXT>"):raw.index("</TEXT>")]
    text, timexes, open_timex = [], [], None
    pos = length = 0
    for match in _TAG.finditer(body):
        chunk = body[pos:match.start()]
        text.append(chunk)
        length += len(chunk)
        closing, name, attrs = match.groups()
        if name == "TIMEX3" and not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif name == "TIMEX3" and closing and open_timex:
            start, attributes = open_timex
            timexes.append((start, length, attributes.get("type", ""), attributes.get("value", "")))
            open_timex = None
        pos = match.end()
    text.append(body[pos:])
    return "".join(text), dct.group(1) if dct else "", timexes


def _dateparser_times(text: str, dct: str) -> list[tuple[tuple[int, int], str]]:
    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(dct[:10])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = search_dates(text, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    out, cursor = [], 0
    for surface, when in found:
        span = locate(text, surface, cursor)
        if span:
            cursor = span[1]
            out.append((span, when.date().isoformat()))
    return out


def _score(gold: list[tuple[int, int, str, str]], pred: list[tuple[tuple[int, int], str]],
           text: str) -> tuple[int, int, int, int, int]:
    """(n_gold, n_pred, relaxed matches, strict matches, value-correct matches)."""
    pairs = align([(g[0], g[1]) for g in gold], [p[0] for p in pred])
    strict = sum(1 for gi, pi in pairs
                 if text[gold[gi][0]:gold[gi][1]].strip() == text[pred[pi][0][0]:pred[pi][0][1]].strip())
    values = sum(1 for gi, pi in pairs if gold[gi][3] == pred[pi][1])
    return len(gold), len(pred), len(pairs), strict, values


def _row(view: str, system: str, counts: list[int]) -> list[str]:
    n_gold, n_pred, relaxed, strict, values = counts
    p = relaxed / n_pred if n_pred else 0.0
    r = relaxed / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    sp, sr = (strict / n_pred if n_pred else 0.0), (strict / n_gold if n_gold else 0.0)
    strict_f1 = 2 * sp * sr / (sp + sr) if sp + sr else 0.0
    accuracy = values / relaxed if relaxed else 0.0
    return [view, system, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", f"{strict_f1:.3f}", f"{accuracy:.3f}",
            f"{accuracy * f1:.3f}", str(n_gold), str(n_pred)]


def run_tempeval() -> list[list[str]]:
    docs = [parse_tml(p) for p in sorted(ROOT.glob("*.tml"))]
    articles = [Article(id=article_id_for(t), text=t, published=d[:10]) for t, d, _ in docs]
    totals = {(v, s): [0] * 5 for v in ("all", "DATE only") for s in ("treatywatch", "dateparser")}
    for (text, dct, gold), extraction in zip(docs, extract_many(articles), strict=True):
        systems = {"treatywatch": [(t.span, t.value) for t in extraction.times],
                   "dateparser": _dateparser_times(text, dct)}
        dates = [g for g in gold if g[2] == "DATE"]
        others = [(g[0], g[1]) for g in gold if g[2] != "DATE"]
        for system, pred in systems.items():
            date_pred = [p for p in pred if not any(o[0] < p[0][1] and p[0][0] < o[1] for o in others)]
            for view, g, p in (("all", gold, pred), ("DATE only", dates, date_pred)):
                totals[(view, system)] = [a + b for a, b in zip(totals[(view, system)], _score(g, p, text), strict=True)]
    return [_row(view, system, counts) for (view, system), counts in totals.items()]
