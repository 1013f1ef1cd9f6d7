"""Scoring extracted events against the gold fixtures (bench/fixtures/gold/NNN.gold.json).

A predicted event matches a gold event when the type is the same, the actor is the same (the
ISO3 code when the gold names one, else the entity id), and the predicted evidence sentence
overlaps the gold evidence substring. Matching is one-to-one, greedy in text order. Used by
bench/events/run.py (tables) and tests/test_events_quality.py (the regression gate).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from treatywatch.models import Article, Event, article_id_for

GOLD_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "gold"


@dataclass(frozen=True)
class GoldArticle:
    name: str
    article: Article
    events: tuple[dict[str, Any], ...]


@dataclass
class Score:
    """Counts per event type plus attribute agreement on matched pairs."""

    gold: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    attribute_total: Counter[str] = field(default_factory=Counter)
    attribute_right: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    spurious: list[tuple[str, Event]] = field(default_factory=list)
    wrong: list[tuple[str, str, Any, Any, str]] = field(default_factory=list)

    def prf(self, event_type: str | None = None) -> tuple[float, float, float]:
        if event_type is None:
            g, p, m = sum(self.gold.values()), sum(self.predicted.values()), sum(self.matched.values())
        else:
            g, p, m = self.gold[event_type], self.predicted[event_type], self.matched[event_type]
        precision = m / p if p else (1.0 if not g else 0.0)
        recall = m / g if g else (1.0 if not p else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    def accuracy(self, attribute: str) -> float | None:
        total = self.attribute_total[attribute]
        return self.attribute_right[attribute] / total if total else None


def load_gold(directory: Path = GOLD_DIR) -> list[GoldArticle]:
    """Every NNN.txt with its NNN.gold.json, as articles ready for extraction."""
    out = []
    for path in sorted(directory.glob("*.gold.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        text_path = directory / meta.get("text_file", path.name.replace(".gold.json", ".txt"))
        text = text_path.read_text(encoding="utf-8")
        article = Article(
            id=article_id_for(text), text=text, url=meta.get("url"), title=meta.get("title"),
            published=meta.get("published"),
        )
        out.append(GoldArticle(path.name.split(".")[0], article, tuple(meta.get("events") or ())))
    return out


def _evidence_span(text: str, evidence: str) -> tuple[int, int] | None:
    at = text.find(evidence)
    if at >= 0:
        return at, at + len(evidence)
    pattern = r"\s+".join(re.escape(w) for w in evidence.split())
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def _same_actor(gold: dict[str, Any], event: Event) -> bool:
    if gold.get("actor_iso3"):
        return event.actor_iso3 == gold["actor_iso3"]
    return event.actor == gold.get("actor")


ATTRIBUTES = ("date", "modality", "weapon", "treaty", "recipient")


def score_article(name: str, text: str, gold_events: Iterable[dict[str, Any]], predicted: list[Event], score: Score) -> None:
    """Add one article's gold/predicted comparison to ``score``."""
    remaining = list(predicted)
    for event in predicted:
        score.predicted[event.type] += 1
    for gold in gold_events:
        score.gold[gold["type"]] += 1
        span = _evidence_span(text, gold.get("evidence") or "")
        match = None
        for event in remaining:
            s, e = event.evidence.span
            overlaps = span is not None and s < span[1] and span[0] < e
            if event.type == gold["type"] and _same_actor(gold, event) and overlaps:
                match = event
                break
        if match is None:
            score.misses.append((name, gold))
            continue
        remaining.remove(match)
        score.matched[gold["type"]] += 1
        for attribute in ATTRIBUTES:
            if attribute not in gold or (attribute != "date" and attribute != "modality" and gold[attribute] is None):
                continue
            score.attribute_total[attribute] += 1
            if getattr(match, attribute) == gold[attribute]:
                score.attribute_right[attribute] += 1
            else:
                score.wrong.append((name, attribute, gold[attribute], getattr(match, attribute), gold.get("evidence", "")[:70]))
    score.spurious.extend((name, e) for e in remaining)


def score_gold(detect: Callable[[Article], list[Event]], gold: list[GoldArticle] | None = None) -> Score:
    """Run ``detect`` over the gold articles and score it."""
    score = Score()
    for item in gold if gold is not None else load_gold():
        score_article(item.name, item.article.text, item.events, detect(item.article), score)
    return score
