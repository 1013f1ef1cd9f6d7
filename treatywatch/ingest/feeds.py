"""RSS 2.0 / RSS 1.0 and Atom feeds: one article per entry, parsed without entity expansion.

The XML never reaches feedparser with a DTD in it: any ``<!ENTITY`` refuses the whole feed as
``unsafe_xml`` (billion laughs, quadratic blow-up, XXE), and a DOCTYPE without entities is
removed (an external DTD is never fetched or opened). Every exception from feedparser becomes a
``parse_error``. A feed cut off before its closing tag loses its last, incomplete entry, which is
reported as ``truncated``.
"""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

import feedparser

from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article
from treatywatch.ingest.decoding import decode_bytes, strip_controls
from treatywatch.ingest.errors import IngestError
from treatywatch.ingest.htmlclean import fragment_to_text
from treatywatch.models import Article, Rejection

FEED_EXTRACTOR_VERSIONS = (("feedparser", feedparser.__version__),)
_ENTITY = re.compile(r"<!ENTITY", re.I)
_DOCTYPE = re.compile(r"<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>", re.I | re.S)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CLOSING = {"rss": re.compile(r"</(?:rss|rdf:RDF)\s*>\s*$", re.I), "atom": re.compile(r"</feed\s*>\s*$", re.I)}


def safe_feed_bytes(raw: bytes) -> tuple[bytes, str]:
    """The feed as UTF-8 bytes with no DTD. Raises ``IngestError('unsafe_xml')`` on entities."""
    text, encoding = decode_bytes(raw)
    text = strip_controls(text).lstrip("\ufeff")
    if _ENTITY.search(text):
        raise IngestError("unsafe_xml", "feed declares entities (<!ENTITY); refused unexpanded")
    text = _DOCTYPE.sub("", text)
    text = '<?xml version="1.0" encoding="utf-8"?>' + _XML_DECL.sub("", text, count=1)
    return text.encode("utf-8", "replace"), encoding


def _parse(data: bytes) -> Any:
    try:
        return feedparser.parse(
            io.BytesIO(data),
            response_headers={"content-type": "application/xml; charset=utf-8"},
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser raises ValueError, UnicodeError, ... on hostile input
        raise IngestError("parse_error", f"feed parser failed: {type(exc).__name__}: {exc}") from None


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime(*value[:6], tzinfo=UTC).isoformat()
            except ValueError:
                continue
    return None


def _entry_content(entry: Any) -> tuple[str, str]:
    """(value, MIME type) of the fullest content an entry has."""
    for content in entry.get("content") or ():
        if content.get("value"):
            return content["value"], content.get("type") or "text/html"
    detail = entry.get("summary_detail") or {}
    return entry.get("summary") or "", detail.get("type") or "text/html"


def _entry_draft(entry: Any, index: int, kind: str, feed: Any, encoding: str) -> ArticleDraft:
    value, mime = _entry_content(entry)
    text = strip_controls(value) if mime == "text/plain" else fragment_to_text(value)
    link = entry.get("link") or None
    published = _entry_date(entry)
    title = strip_controls(entry.get("title") or "").strip() or None
    raw = json.dumps(
        {"link": link, "title": title, "published": published, "type": mime, "content": value},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8", "replace")
    return ArticleDraft(
        text=text,
        raw=raw,
        input_kind=kind,
        record=f"entry {index}",
        encoding=encoding,
        url=link,
        canonical_url=link,
        title=title,
        author=entry.get("author") or None,
        published=published,
        published_from="feed" if published else None,
        site_name=strip_controls(feed.get("title") or "").strip() or None,
        language=(feed.get("language") or "")[:2].lower() or None,
        extractor_versions=FEED_EXTRACTOR_VERSIONS,
    )


def read_feed(location: str, raw: bytes, kind: str, context: ReadContext) -> list[Article | Rejection]:
    """Every entry of an RSS or Atom feed → an article or a rejection naming the entry."""
    data, encoding = safe_feed_bytes(raw)
    parsed = _parse(data)
    entries = list(parsed.entries)
    if not entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise IngestError("parse_error", f"malformed feed with no entries: {reason}")
        raise IngestError("extraction_empty", "feed has no entries")
    out: list[Article | Rejection] = []
    closing = _CLOSING["atom" if kind == "atom" else "rss"]
    if not closing.search(data[-4096:].decode("utf-8", "replace")):
        out.append(Rejection(location, "truncated", "feed ends before its closing tag; last entry dropped", f"entry {len(entries)}"))
        entries = entries[:-1]
    limit = context.options.max_entries
    if len(entries) > limit:
        out.append(Rejection(location, "too_large", f"{len(entries)} entries, only the first {limit} read", f"entries {limit + 1}-{len(entries)}"))
        entries = entries[:limit]
    for index, entry in enumerate(entries, 1):
        try:
            draft = _entry_draft(entry, index, kind, parsed.get("feed") or {}, encoding)
            out.append(finish_article(location, draft, context))
        except IngestError as exc:
            out.append(Rejection(location, exc.code, exc.message, f"entry {index}"))
    return out
