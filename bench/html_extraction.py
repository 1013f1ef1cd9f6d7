"""Clean-text quality of treatywatch's ingest on the public HTML benchmarks.

    python bench/html_extraction.py [--limit N]

Runs `treatywatch.ingest.read_input` (trafilatura + htmldate + treatywatch's furniture removal)
over ../shared/benchmarks/zyte-article-extraction and trafilatura-eval, and bare trafilatura in
the same run as the baseline; prints each benchmark's official metric (re-implemented from the
READMEs there) beside the published peers.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from treatywatch.ingest import IngestOptions, read_input

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
WORD = re.compile(r"\w+")


def treatywatch_text(html: bytes, url: str, workdir: Path) -> str:
    page = workdir / "page.html"
    page.write_bytes(html)
    batch = read_input(str(page), IngestOptions(url=url))
    return "\n".join(a.text for a in batch.articles)


def trafilatura_text(html: bytes, url: str, _workdir: Path) -> str:
    return trafilatura.extract(html, url=url, include_comments=False, include_tables=True) or ""


# --- Zyte article-extraction benchmark: 4-gram shingle P/R/F1 --------------------------------


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = WORD.findall(text or "")
    if len(tokens) < 4:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def zyte_scores(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    precisions, recalls, exact = [], [], 0
    for key, truth in gold.items():
        pred, ref = shingles(predicted.get(key, "")), shingles(truth)
        tp = sum((pred & ref).values())
        fp = sum((pred - ref).values())
        fn = sum((ref - pred).values())
        if fp == fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
        else:
            if tp + fp > 0:
                precisions.append(tp / (tp + fp))
            if tp + fn > 0:
                recalls.append(tp / (tp + fn))
        exact += WORD.findall(predicted.get(key, "") or "") == WORD.findall(truth)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "acc": exact / len(gold)}


def run_zyte(extract: Callable[[bytes, str, Path], str], limit: int | None, workdir: Path) -> dict[str, str]:
    root = BENCHMARKS / "zyte-article-extraction"
    gold = json.loads((root / "ground-truth.json").read_text())
    out = {}
    for key in sorted(gold)[:limit]:
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        out[key] = extract(html, gold[key].get("url", ""), workdir)
    return out


def zyte_peer(name: str) -> dict[str, str]:
    data = json.loads((BENCHMARKS / "zyte-article-extraction" / "output" / f"{name}.json").read_text())
    data = data.get("output", data)
    return {k: (v or {}).get("articleBody") or "" for k, v in data.items()}


# --- trafilatura-eval: snippet P/R/F --------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(text.split())


def snippet_scores(predicted: dict[str, str], pages: dict[str, dict]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for url, entry in pages.items():
        text = norm(predicted.get(url, ""))
        for snippet in entry.get("with", []):
            found = bool(text) and norm(snippet) in text
            tp += found
            fn += not found
        for snippet in entry.get("without", []):
            found = bool(text) and norm(snippet) in text
            fp += found
            tn += not found
    return {
        "P": tp / (tp + fp) if tp + fp else 0.0,
        "R": tp / (tp + fn) if tp + fn else 0.0,
        "acc": (tp + tn) / (tp + fp + fn + tn),
        "F1": 2 * tp / (2 * tp + fp + fn),
    }


def trafilatura_eval_pages(limit: int | None) -> dict[str, dict]:
    root = BENCHMARKS / "trafilatura-eval"
    evaldata = json.loads((root / "evaldata.json").read_text())
    rows = [line.split("\t") for line in (root / "subset.tsv").read_text().splitlines()[1:]]
    pages = {}
    for url, file, folder, *_ in rows[:limit]:
        entry = dict(evaldata[url])
        entry["path"] = root / folder / f"{file}.gz"
        pages[url] = entry
    return pages


def run_trafilatura_eval(
    extract: Callable[[bytes, str, Path], str], pages: dict[str, dict], workdir: Path
) -> dict[str, str]:
    return {url: extract(gzip.decompress(e["path"].read_bytes()), url, workdir) for url, e in pages.items()}


def row(name: str, scores: dict[str, float], seconds: float | None = None) -> str:
    took = f"{seconds:7.1f}" if seconds is not None else "      -"
    return f"| {name:<34} | {scores['P']:.3f} | {scores['R']:.3f} | {scores['F1']:.3f} | {scores['acc']:.3f} | {took} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=None, help="Only the first N pages of each set.")
    args = parser.parse_args()
    if not BENCHMARKS.exists():
        sys.exit(f"benchmarks not found at {BENCHMARKS}")
    header = "| run | P | R | F1 | acc | seconds |\n|---|---|---|---|---|---|"
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        gold = json.loads((BENCHMARKS / "zyte-article-extraction" / "ground-truth.json").read_text())
        gold_text = {k: v["articleBody"] for k, v in sorted(gold.items())[: args.limit]}
        print(f"\nZyte article-extraction benchmark ({len(gold_text)} pages; 4-gram shingle metric)\n{header}")
        for name, fn in (("treatywatch ingest", treatywatch_text), ("trafilatura (bare, this run)", trafilatura_text)):
            start = time.perf_counter()
            predicted = run_zyte(fn, args.limit, workdir)
            print(row(name, zyte_scores(predicted, gold_text), time.perf_counter() - start))
        for peer in ("trafilatura", "newspaper", "readability", "goose3", "html-text"):
            print(row(f"{peer} (published output)", zyte_scores(zyte_peer(peer), gold_text)))

        pages = trafilatura_eval_pages(args.limit)
        print(f"\ntrafilatura-eval, non-German subset ({len(pages)} pages; snippet metric)\n{header}")
        for name, fn in (("treatywatch ingest", treatywatch_text), ("trafilatura (bare, this run)", trafilatura_text)):
            start = time.perf_counter()
            predicted = run_trafilatura_eval(fn, pages, workdir)
            print(row(name, snippet_scores(predicted, pages), time.perf_counter() - start))
        print("| trafilatura 2.2.0 standard (README, 325 pages) | 0.889 | 0.940 | 0.914 | 0.911 | - |")


if __name__ == "__main__":
    main()
