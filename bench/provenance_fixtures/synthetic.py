"""Generated stories at scale: pseudo-word texts with topic overlap, and their derived copies.

Used to time clustering of 10k and 100k articles. Stories draw words Zipf-like from one shared
vocabulary and a third of them carry a background paragraph shared with other stories of their
topic (the same-topic overlap that makes real news hard); copies are made with the same kinds of
operations as the written fixtures (copy, shorten, synonym paraphrase, shuffle, name garbling,
furniture).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
VOCAB_SIZE = 20_000
BACKGROUNDS = 300
FURNITURE = ["Add newsbuzz As A Trusted Source", "Share this article", "Advertisement", "Read more"]


@dataclass(frozen=True)
class SyntheticArticle:
    story: int
    outlet: str
    published: str
    text: str


class Generator:
    """Seeded generator of stories and variants over a shared pseudo-word vocabulary."""

    def __init__(self, seed: int = 11) -> None:
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < VOCAB_SIZE:
            words.add("".join(self.rng.choices(SYLLABLES, k=self.rng.choice([2, 3, 3, 4]))))
        self.vocab = sorted(words)
        self.rng.shuffle(self.vocab)
        self.cum = list(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(VOCAB_SIZE)))
        self.synonyms = {w: self.rng.choice(self.vocab) for w in self.vocab[:3000]}
        self.backgrounds = [self._sentences(3) for _ in range(BACKGROUNDS)]

    def _sentence(self) -> str:
        words = self.rng.choices(self.vocab, cum_weights=self.cum, k=self.rng.randint(9, 18))
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def _sentences(self, n: int) -> str:
        return " ".join(self._sentence() for _ in range(n))

    def original(self) -> str:
        name = " ".join(w.capitalize() for w in self.rng.sample(self.vocab[5000:], 2))
        figure = f"{self.rng.randint(11, 999)},{self.rng.randint(100, 999)}"
        paras = [
            f"{name} said {figure} {self._sentences(2)}",
            f'"{self._sentence()[:-1]}," {name} said. {self._sentences(2)}',
            self._sentences(self.rng.randint(2, 4)),
            self._sentences(self.rng.randint(2, 4)),
        ]
        if self.rng.random() < 0.33:
            paras.insert(2, self.rng.choice(self.backgrounds))
        return "\n\n".join(paras)

    def variant(self, text: str) -> str:
        kind = self.rng.choice(["copy", "short", "paraphrase", "shuffle", "spun", "furniture"])
        if kind == "copy":
            return "By staff " + self.rng.choice(self.vocab) + "\n\n" + text
        if kind == "short":
            return "\n\n".join(text.split("\n\n")[: self.rng.choice([2, 3])])
        if kind == "paraphrase":
            return self._paraphrase(text, 0.3)
        if kind == "shuffle":
            parts = text.replace("\n\n", " ").split(". ")
            head, rest = parts[:1], parts[1:]
            self.rng.shuffle(rest)
            return ". ".join(head + rest)
        if kind == "spun":
            return self._garble_names(self._paraphrase(text, 0.45)) + "\n\n" + self.rng.choice(FURNITURE)
        return self.rng.choice(FURNITURE) + "\n\n" + text + "\n\n" + self.rng.choice(FURNITURE)

    def _paraphrase(self, text: str, rate: float) -> str:
        return " ".join(
            self.synonyms.get(w, w) if self.rng.random() < rate else w for w in text.split(" ")
        )

    def _garble_names(self, text: str) -> str:
        return " ".join(w[:-1] + "y" if w[:1].isupper() and len(w) > 5 else w for w in text.split(" "))

    def articles(self, n: int) -> Iterator[SyntheticArticle]:
        """``n`` articles: stories with 0–18 derived copies each, in publication order."""
        produced, story = 0, 0
        while produced < n:
            original = self.original()
            day = f"2025-{1 + story % 12:02d}-{1 + story % 28:02d}"
            copies = [original] + [self.variant(original) for _ in range(self.rng.randint(0, 18))]
            for text in copies[: n - produced]:
                yield SyntheticArticle(story, f"outlet{self.rng.randint(0, 500)}.example", day, text)
                produced += 1
            story += 1
