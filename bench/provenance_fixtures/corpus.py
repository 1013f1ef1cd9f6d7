"""The benchmark corpus: the written originals plus their generated variants, with true stories."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from provenance_fixtures.variants import VARIANTS

ORIGINALS = Path(__file__).parent / "originals"
OUTLETS = {
    "newspaper": ["dailyherald.example", "morningpost.example", "citytimes.example"],
    "aggregator": ["msn.com", "newsnow.co.uk", "newsfeed.example"],
    "broadcaster": ["radio24.example", "tvnews.example"],
    "farm": ["thelocalreport.in", "trendingnow.example", "newsbuzz.example"],
}


@dataclass(frozen=True)
class FixtureArticle:
    story: str  # the true story (the original's file stem)
    variant: str
    outlet: str
    published: str
    text: str


def load_originals() -> list[tuple[str, dict[str, str], str]]:
    """(stem, header fields, body) of every written original."""
    out = []
    for path in sorted(ORIGINALS.glob("*.txt")):
        header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = dict(line.split(": ", 1) for line in header.splitlines())
        out.append((path.stem, fields, body.strip()))
    return out


def build(seed: int = 7) -> list[FixtureArticle]:
    """Each original and its variants, in publication order (ties broken by a seeded shuffle)."""
    rng = random.Random(seed)
    articles = []
    for stem, fields, body in load_originals():
        day = date.fromisoformat(fields["published"])
        articles.append(FixtureArticle(stem, "original", fields["outlet"], day.isoformat(), body))
        for name, kind, make in VARIANTS:
            published = (day + timedelta(days=rng.choice([0, 0, 1, 2]))).isoformat()
            text = make(body, rng)
            articles.append(FixtureArticle(stem, name, rng.choice(OUTLETS[kind]), published, text))
    rng.shuffle(articles)
    articles.sort(key=lambda a: (a.published, a.variant != "original"))
    return articles
