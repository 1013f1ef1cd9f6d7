"""Shared helpers for the tests of treatywatch.nlp (texts written for these tests)."""

from __future__ import annotations

from treatywatch.models import Article, Entity, article_id_for
from treatywatch.nlp import Analysis, analyse


def article(text: str, published: str | None = "2025-12-17", url: str | None = None) -> Article:
    return Article(id=article_id_for(text), text=text, published=published, url=url)


def run(text: str, published: str | None = "2025-12-17") -> Analysis:
    return analyse(article(text, published))


def mention_texts(analysis: Analysis, entity: Entity) -> list[str]:
    return [analysis.article.text[s:e] for s, e in entity.mentions]


def entity_for(analysis: Analysis, surface: str) -> Entity | None:
    """The entity whose mention covers the first occurrence of ``surface``."""
    start = analysis.article.text.index(surface)
    return analysis.entity_at(start, start + len(surface))
