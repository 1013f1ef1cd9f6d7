"""Regression gate: event F1 on the gold fixtures (bench/fixtures/gold) must stay >= 0.85.

The scorer is bench/events/score.py (the benchmark prints the full tables); this test only
guards the overall number, the per-type counts are in the failure message.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from treatywatch.events import detect_events
from treatywatch.models import Article, Event
from treatywatch.nlp import analyse

BENCH = Path(__file__).resolve().parents[1] / "bench" / "events" / "score.py"
MIN_F1 = 0.85


def _scorer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("events_score", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def detect(article: Article) -> list[Event]:
    return detect_events(analyse(article))


def test_event_f1_on_the_gold_set_stays_above_the_gate() -> None:
    score = _scorer()
    gold = score.load_gold()
    if sum(len(g.events) for g in gold) < 100:
        pytest.fail(f"the gold set in {score.GOLD_DIR} has too few events to gate on")
    result = score.score_gold(detect, gold)
    precision, recall, f1 = result.prf()
    per_type = {t: round(result.prf(t)[2], 2) for t in sorted(result.gold)}
    assert f1 >= MIN_F1, f"event F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}) < {MIN_F1}; per type {per_type}"
