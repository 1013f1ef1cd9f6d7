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
from treatywatch.ingest.prefilter import already_seen, dropped, html_words, score_text
from treatywatch.models import Article, Dropped, Rejection, sha256_bytes

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


def read_jsonl(location: str, raw: bytes, context: ReadContext) -> list[Article | Rejection | Dropped]:
    """Every non-blank line → an article, a rejection naming the line, or (with
    ``drop_off_topic``) a ``Dropped`` line: off topic, or dropped by an earlier run."""
    text, encoding = decode_bytes(raw)
    out: list[Article | Rejection | Dropped] = []
    limit = context.options.max_record_bytes
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.lstrip("\ufeff").split("\n"), 1)]
    lines = [(n, line) for n, line in lines if line.strip()]
    screening = context.options.drop_off_topic
    hashes = [sha256_bytes(line.encode("utf-8", "replace")) for _n, line in lines] if screening else []
    seen = set(already_seen(context.seen, hashes))
    for i, (line_no, line) in enumerate(lines):
        record_name = f"line {line_no}"
        try:
            if len(line) > limit:
                raise IngestError("too_large", f"line of {len(line)} characters, limit {limit}")
            if screening and hashes[i] in seen:
                out.append(Dropped(location, hashes[i], record=record_name, again=True))
                continue
            record = parse_line(line)
            if screening and (skip := _screen(location, record, record_name, hashes[i])) is not None:
                out.append(skip)
                continue
            draft = _draft(record, line.encode("utf-8"), line_no, context, encoding)
            out.append(finish_article(location, draft, context))
        except IngestError as exc:
            out.append(Rejection(location, exc.code, exc.message, record_name))
    return out


def _screen(location: str, record: dict[str, Any], record_name: str, digest: str) -> Dropped | None:
    """A parsed line, before its HTML (if any) is parsed: dropped when off topic, else None."""
    body = record.get("text") or html_words(record.get("html") or "")
    verdict = score_text(f"{record.get('title') or ''}\n{body}")
    if verdict.relevant:
        return None
    return dropped(location, b"", verdict, record=record_name, url=record.get("url") or None, content_hash=digest)
