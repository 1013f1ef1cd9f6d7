"""Sitemaps as watch sources: the pages a sitemap lists (``<urlset><url><loc>``), each once.

A sitemap is not an article: its changed body is read here for its ``<loc>`` URLs (with
defusedxml, which refuses entity expansion and external entities), and each page not ingested
yet goes through the pipeline's per-input step like ``ingest URL``. A sitemap index
(``<sitemapindex>``) is not followed: list its sitemaps as sources instead.
"""

from __future__ import annotations

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
MAX_LOCS = 50_000  # the sitemap protocol's own limit per file


def is_sitemap(body: bytes) -> bool:
    head = body[:1024].lstrip()
    return b"<urlset" in head or b"<sitemapindex" in head


def sitemap_pages(body: bytes) -> list[str]:
    """The page URLs of a ``<urlset>`` sitemap, in order; ValueError for anything else."""
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"not a readable sitemap: {exc}") from None
    if root.tag.removeprefix(SITEMAP_NS) != "urlset":
        raise ValueError("a sitemap index is not followed; list its sitemaps as sources")
    locs = [(loc.text or "").strip() for loc in root.iter(f"{SITEMAP_NS}loc")] or \
        [(loc.text or "").strip() for loc in root.iter("loc")]
    return [u for u in locs if u.startswith(("http://", "https://"))][:MAX_LOCS]
