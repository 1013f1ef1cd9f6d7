"""RSS 2.0 / RSS 1.0 and Atom feeds: one article per entry, parsed without entity expansion.

The XML never reaches feedparser with a DTD in it: any ``<!ENTITY`` refuses the whole feed as
``unsafe_xml`` (billion laughs, quadratic blow-up, XXE), and a DOCTYPE without entities is
removed (an external DTD is never fetched or opened). Every exception from feedparser becomes a
``parse_error``. A feed cut off before its closing tag loses its last, incomplete entry, which is
reported as ``truncated``. Parsing (feedparser, and lxml for entry HTML) runs in the sandbox
child (``parse_feed_document``); the parent only checks the prolog and builds the articles.
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from treatywatch.errors import IngestError
from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article
from treatywatch.ingest.decoding import decode_bytes, strip_controls
from treatywatch.ingest.htmlclean import fragment_to_text
from treatywatch.ingest.prefilter import already_seen, dropped, score_text
from treatywatch.models import Article, Dropped, Rejection, sha256_bytes

FEED_EXTRACTOR_VERSIONS = (("feedparser", feedparser.__version__),)
_ENTITY = re.compile(r"<!ENTITY", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_CLOSING = {"rss": re.compile(r"</(?:rss|rdf:RDF)\s*>\s*$", re.I), "atom": re.compile(r"</feed\s*>\s*$", re.I)}


def _drop_doctype(text: str) -> str:
    """The text without its DOCTYPE (internal subset included), in one linear pass.

    A regular expression with a lazy ``.*?`` here was quadratic on a feed repeating
    ``<!DOCTYPE rss [`` (480 KB took 97 s). A second DOCTYPE is never legitimate: refused.
    """
    lowered = text.lower()
    start = lowered.find("<!doctype")
    if start < 0:
        return text
    close = text.find(">", start)
    bracket = text.find("[", start, close if close >= 0 else len(text))
    if bracket >= 0:
        subset_end = text.find("]", bracket)
        close = text.find(">", subset_end) if subset_end >= 0 else -1
    if close < 0:
        raise IngestError("parse_error", "unterminated DOCTYPE")
    if lowered.find("<!doctype", close) >= 0:
        raise IngestError("unsafe_xml", "more than one DOCTYPE")
    return text[:start] + text[close + 1 :]


def safe_feed_bytes(raw: bytes) -> tuple[bytes, str]:
    """The feed as UTF-8 bytes with no DTD. Raises ``IngestError('unsafe_xml')`` on entities."""
    text, encoding = decode_bytes(raw)
    text = strip_controls(text).lstrip("\ufeff")
    if _ENTITY.search(text):
        raise IngestError("unsafe_xml", "feed declares entities (<!ENTITY); refused unexpanded")
    text = _drop_doctype(text)
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
        language=feed.get("language") or None,
        extractor_versions=FEED_EXTRACTOR_VERSIONS,
    )


@dataclass(frozen=True)
class FeedDocument:
    """What the parse of one feed yields (plain data, so it can come back from the sandbox):
    a draft or a failure ``(code, message)`` for each of the first entries, and how many there
    were in all."""

    entries: list[ArticleDraft | tuple[str, str]]
    total: int
    bozo: str | None = None


def parse_feed_document(data: bytes, kind: str, encoding: str, max_entries: int) -> FeedDocument:
    """Parse safe feed bytes (``safe_feed_bytes``) and draft at most ``max_entries`` + 1 entries.

    Pure: the sandbox child runs it.
    """
    parsed = _parse(data)
    entries = list(parsed.entries)
    feed = parsed.get("feed") or {}
    bozo = str(parsed.get("bozo_exception"))[:200] if parsed.get("bozo") else None
    drafts: list[ArticleDraft | tuple[str, str]] = []
    for index, entry in enumerate(entries[: max_entries + 1], 1):
        try:
            drafts.append(_entry_draft(entry, index, kind, feed, encoding))
        except (IngestError, ValueError, TypeError, AttributeError) as exc:
            drafts.append(("parse_error", f"entry unreadable: {type(exc).__name__}: {str(exc)[:120]}"))
    return FeedDocument(drafts, len(entries), bozo)


def read_feed(location: str, raw: bytes, kind: str, context: ReadContext) -> list[Article | Rejection | Dropped]:
    """Every entry of an RSS or Atom feed → an article or a rejection naming the entry."""
    data, encoding = safe_feed_bytes(raw)
    limit = context.options.max_entries
    document: FeedDocument = context.parse(parse_feed_document, data, kind, encoding, limit).single()
    total, entries = document.total, document.entries
    if not total:
        if document.bozo is not None:
            raise IngestError("parse_error", f"malformed feed with no entries: {document.bozo}")
        raise IngestError("extraction_empty", "feed has no entries")
    out: list[Article | Rejection | Dropped] = []
    closing = _CLOSING["atom" if kind == "atom" else "rss"]
    if not closing.search(data[-4096:].decode("utf-8", "replace")):
        out.append(Rejection(location, "truncated", "feed ends before its closing tag; last entry dropped", f"entry {total}"))
        total -= 1
        entries = entries[:total]
    if total > limit:
        out.append(Rejection(location, "too_large", f"{total} entries, only the first {limit} read", f"entries {limit + 1}-{total}"))
        entries = entries[:limit]
    screened = _screen_entries(location, entries, context) if context.options.drop_off_topic else {}
    for index, entry in enumerate(entries, 1):
        if index in screened:
            out.append(screened[index])
        elif isinstance(entry, ArticleDraft):
            out.append(finish_article(location, entry, context))
        else:
            out.append(Rejection(location, entry[0], entry[1], f"entry {index}"))
    return out


def _screen_entries(
    location: str, entries: list[ArticleDraft | tuple[str, str]], context: ReadContext
) -> dict[int, Dropped]:
    """Entry number → ``Dropped`` for the entries seen before or off topic (the entry text is
    already plain text here, so they skip furniture removal, dating and storage)."""
    drafts = {i: e for i, e in enumerate(entries, 1) if isinstance(e, ArticleDraft)}
    hashes = {i: sha256_bytes(d.raw) for i, d in drafts.items()}
    seen = set(already_seen(context.seen, list(hashes.values())))
    out: dict[int, Dropped] = {}
    for i, draft in drafts.items():
        if hashes[i] in seen:
            out[i] = Dropped(location, hashes[i], record=f"entry {i}", url=draft.url, again=True)
            continue
        verdict = score_text(f"{draft.title or ''}\n{draft.text}")
        if not verdict.relevant:
            out[i] = dropped(location, draft.raw, verdict, record=f"entry {i}", url=draft.url, content_hash=hashes[i])
    return out
