"""WARC archives: every HTML response (or resource) record becomes an article.

Records are read in bounded pieces: one whose declared length or payload is over
``max_record_bytes`` is skipped as ``too_large`` and the records after it are still read. A
record cut short by the end of the file is ``truncated`` and not stored. Compressed archives are
expanded by the caller (``decoding.gunzip_bounded``), which already drops an incomplete last
gzip member, so only whole records get here. Reading and HTML cleaning run in the sandbox child
(``iter_warc_items``); the parent builds the articles.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib.metadata import version
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from treatywatch.errors import IngestError
from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article
from treatywatch.ingest.htmlclean import HTML_EXTRACTOR_VERSIONS, clean_html
from treatywatch.ingest.prefilter import already_seen, screen_html
from treatywatch.ingest.sniff import sniff_kind
from treatywatch.models import Article, Dropped, Rejection, sha256_bytes

WARC_EXTRACTOR_VERSIONS = (("warcio", version("warcio")), *HTML_EXTRACTOR_VERSIONS)
_READ_CHUNK = 1024 * 1024
_ARTICLE_RECORDS = ("response", "resource")
MAX_RESUMES = 3


def _read_bounded(stream: Any, limit: int) -> bytes:
    """Read a record payload; ``too_large`` as soon as it passes ``limit`` bytes."""
    out = bytearray()
    while True:
        piece = stream.read(_READ_CHUNK)
        if not piece:
            return bytes(out)
        out += piece
        if len(out) > limit:
            raise IngestError("too_large", f"record payload over {limit} bytes")


def _content_type(record: Any) -> str:
    if record.rec_type == "response" and record.http_headers is not None:
        return (record.http_headers.get_header("Content-Type") or "").lower()
    return (record.rec_headers.get_header("Content-Type") or "").lower()


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _is_article_record(record: Any) -> bool:
    if record.rec_type not in _ARTICLE_RECORDS:
        return False
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        return status.startswith("2")
    return True


@dataclass(frozen=True)
class WarcItem:
    """What one record gave, as plain data: a draft, a failure ``(code, message)``, or neither
    (not an HTML page). Every record read yields one, so the parent knows how far the child got."""

    index: int
    draft: ArticleDraft | None = None
    failure: tuple[str, str] | None = None
    retract: bool = False
    off_topic: tuple[str, str | None, int] | None = None  # (payload sha256, URI, score): not parsed


class _OffTopic(Exception):
    """A record the relevance prefilter dropped before its HTML parse."""

    def __init__(self, found: tuple[str, str | None, int]) -> None:
        super().__init__("off topic")
        self.found = found


def _record_draft(
    record: Any, index: int, max_record_bytes: int, max_elements: int, screen: bool = False
) -> ArticleDraft | None:
    """One record → a draft, or None for a record that is not an HTML page; with ``screen``,
    an off-topic page raises ``_OffTopic`` before it is parsed."""
    declared = int(record.rec_headers.get_header("Content-Length") or 0)
    if declared > max_record_bytes:
        raise IngestError("too_large", f"record declares {declared} bytes, limit {max_record_bytes}")
    payload = _read_bounded(record.content_stream(), max_record_bytes)
    if getattr(record.raw_stream, "limit", 0):
        raise IngestError("truncated", "record ends before its declared Content-Length")
    content_type = _content_type(record)
    if "html" not in content_type:
        if content_type and not content_type.startswith("text/plain"):
            return None
        try:
            if sniff_kind(payload) != "html":
                return None
        except IngestError:
            return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    warc_date = record.rec_headers.get_header("WARC-Date")
    if screen and not (verdict := screen_html(payload)).relevant:
        raise _OffTopic((sha256_bytes(payload), uri, verdict.score))
    page = clean_html(payload, uri, max_elements=max_elements, charset=_charset(content_type))
    published, published_from = page.published, page.published_from
    if not published and warc_date:
        published, published_from = warc_date, "warc"
    return ArticleDraft(
        text=page.text,
        raw=payload,
        input_kind="warc",
        record=f"record {index}",
        encoding=page.encoding,
        url=uri,
        canonical_url=page.canonical_url,
        title=page.title,
        author=page.author,
        published=published,
        published_from=published_from,
        site_name=page.site_name,
        language=page.language,
        extractor_versions=WARC_EXTRACTOR_VERSIONS,
    )


class _CheckedArchiveIterator(ArchiveIterator):
    """warcio's iterator, counting (in ``err_count``) records not followed by the blank lines
    the format requires — the sign of a wrong ``Content-Length`` — without printing to stderr."""

    def _consume_blanklines(self) -> Any:
        with contextlib.redirect_stderr(io.StringIO()):
            return super()._consume_blanklines()


def _record_item(record: Any, index: int, max_record_bytes: int, max_elements: int, screen: bool) -> WarcItem:
    if not record.rec_type:
        return WarcItem(index, failure=("malformed_record", "record has no WARC-Type header"))
    if not _is_article_record(record):
        return WarcItem(index)
    try:
        return WarcItem(index, draft=_record_draft(record, index, max_record_bytes, max_elements, screen))
    except IngestError as exc:
        return WarcItem(index, failure=(exc.code, exc.message))
    except _OffTopic as off:
        return WarcItem(index, off_topic=off.found)


def iter_warc_items(
    data: bytes, max_record_bytes: int, max_elements: int, skip: int, screen: bool = False
) -> Iterator[WarcItem]:
    """Read an (uncompressed) WARC, one item per record after the first ``skip`` (``screen``:
    the relevance prefilter drops off-topic records before their HTML parse).

    Pure: the sandbox child runs it. A record found afterwards not to end where its
    ``Content-Length`` says is retracted (a second item, ``retract=True``); a broken container
    ends with a ``malformed_record`` item.
    """
    index = 0
    records = _CheckedArchiveIterator(io.BytesIO(data), arc2warc=True)
    errors = 0
    try:
        for index, record in enumerate(records, 1):
            if records.err_count > errors and index - 1 > skip:
                yield _retraction(index - 1)
            errors = records.err_count
            if index > skip:
                yield _record_item(record, index, max_record_bytes, max_elements, screen)
        if records.err_count > errors and index > skip:
            yield _retraction(index)
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        if records.err_count > errors and index > skip:
            yield _retraction(index)
        message = f"WARC unreadable after {index} records: {type(exc).__name__}: {str(exc)[:160]}"
        yield WarcItem(index + 1, failure=("malformed_record", message))


def _retraction(index: int) -> WarcItem:
    message = "record does not end where its Content-Length says; not trusted"
    return WarcItem(index, failure=("malformed_record", message), retract=True)


Results = list[Article | Rejection | Dropped]


def _add_item(item: WarcItem, out: Results, positions: dict[int, int], location: str, context: ReadContext) -> None:
    """Append what a record gave (or replace it, for a retraction)."""
    if item.off_topic is not None:
        digest, uri, score = item.off_topic
        result: Article | Rejection | Dropped = Dropped(location, digest, f"record {item.index}", uri, score=score)
    elif item.draft is not None:
        result = finish_article(location, item.draft, context)
    elif item.failure is not None:
        code, message = item.failure
        result = Rejection(location, code, message, f"record {item.index}")
    else:
        return
    if item.retract and item.index in positions:
        out[positions[item.index]] = result
        return
    positions[item.index] = len(out)
    out.append(result)


def read_warc(location: str, data: bytes, context: ReadContext) -> Results:
    """Every HTML response record of an (uncompressed) WARC → article or rejection.

    The archive is read in the sandbox child. When a record kills or stalls the child, that
    record is rejected (``resource_limit``/``timeout``) and reading resumes after it, at most
    ``MAX_RESUMES`` times per archive.
    """
    options = context.options
    out: Results = []
    positions: dict[int, int] = {}
    seen = skip = 0
    for _attempt in range(MAX_RESUMES + 1):
        outcome = context.parse(
            iter_warc_items, data, options.max_record_bytes, options.max_elements, skip, options.drop_off_topic
        )
        for item in outcome.items:
            seen = max(seen, item.index)
            _add_item(item, out, positions, location, context)
        if outcome.error is None:
            break
        failed = max(seen, skip) + 1
        out.append(Rejection(location, outcome.error.code, outcome.error.message, f"record {failed}"))
        seen, skip = failed, failed
    if not out:
        reason = "no HTML response records" if seen else "no WARC records"
        out.append(Rejection(location, "extraction_empty" if seen else "malformed_record", reason))
    return _mark_seen_before(out, context)


def _mark_seen_before(out: Results, context: ReadContext) -> Results:
    """Dropped records an earlier run recorded too (one question for the whole archive)."""
    hashes = [r.content_hash for r in out if isinstance(r, Dropped)]
    before = set(already_seen(context.seen, hashes))
    if not before:
        return out
    return [replace(r, again=True) if isinstance(r, Dropped) and r.content_hash in before else r for r in out]
