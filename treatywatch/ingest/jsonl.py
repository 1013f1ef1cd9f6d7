"""JSONL input: one article per line (``url``, ``title``, ``published``, and ``text`` or ``html``).

Each line succeeds or fails alone: a bad line becomes a ``Rejection`` with ``record="line N"``
and the good lines around it are still read. Stricter than ``json.loads`` by default: NaN and
Infinity, duplicate keys, lone surrogates and over-long lines are refused.
"""

from __future__ import annotations

import json
from typing import Any

from treatywatch.errors import IngestError
from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article
from treatywatch.ingest.decoding import decode_bytes, strip_controls
from treatywatch.ingest.htmlclean import HTML_EXTRACTOR_VERSIONS
from treatywatch.ingest.pages import clean_page, iso_date
from treatywatch.models import Article, Rejection

FIELDS = frozenset({"url", "title", "published", "text", "html", "source", "author", "language"})


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_line(line: str) -> dict[str, Any]:
    """One JSONL line as a validated record. Raises ``IngestError('malformed_record')``."""
    try:
        record = json.loads(
            line, parse_constant=_refuse_constant, object_pairs_hook=_refuse_duplicates
        )
    except (ValueError, RecursionError) as exc:
        message = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise IngestError("malformed_record", f"invalid JSON: {message}") from None
    if not isinstance(record, dict):
        raise IngestError("malformed_record", "a line must be a JSON object")
    for key, value in record.items():
        if key in FIELDS and value is not None and not isinstance(value, str):
            raise IngestError("malformed_record", f"field {key!r} must be a string")
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise IngestError("malformed_record", f"field {key!r} has a lone surrogate") from None
    if not record.get("text") and not record.get("html"):
        raise IngestError("malformed_record", "needs a non-empty 'text' or 'html' field")
    return record


def _draft(
    record: dict[str, Any], raw: bytes, line_no: int, context: ReadContext, encoding: str
) -> ArticleDraft:
    url = record.get("url") or None
    published = iso_date(record.get("published"))
    common: dict[str, Any] = {
        "raw": raw,
        "input_kind": "jsonl",
        "record": f"line {line_no}",
        "encoding": encoding,
        "url": url,
        "title": record.get("title") or None,
        "author": record.get("author") or None,
        "language": record.get("language") or None,
        "site_name": record.get("source") or None,
    }
    if record.get("html"):
        page = clean_page(record["html"].encode("utf-8"), url, context)
        page_date = page.published if not published else None
        return ArticleDraft(
            text=page.text,
            canonical_url=page.canonical_url,
            published=published or page_date,
            published_from="user" if published else page.published_from,
            extractor_versions=HTML_EXTRACTOR_VERSIONS,
            **{**common, "title": common["title"] or page.title},
        )
    return ArticleDraft(
        text=strip_controls(record["text"]).replace("\r\n", "\n"),
        canonical_url=url,
        published=published,
        published_from="user" if published else None,
        **common,
    )


def read_jsonl(location: str, raw: bytes, context: ReadContext) -> list[Article | Rejection]:
    """Every non-blank line → an article or a rejection naming the line."""
    text, encoding = decode_bytes(raw)
    out: list[Article | Rejection] = []
    limit = context.options.max_record_bytes
    for line_no, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        record_name = f"line {line_no}"
        try:
            if len(line) > limit:
                raise IngestError("too_large", f"line of {len(line)} characters, limit {limit}")
            record = parse_line(line)
            draft = _draft(record, line.encode("utf-8"), line_no, context, encoding)
            out.append(finish_article(location, draft, context))
        except IngestError as exc:
            out.append(Rejection(location, exc.code, exc.message, record_name))
    return out
