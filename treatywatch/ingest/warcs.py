"""WARC archives: every HTML response (or resource) record becomes an article.

Records are read in bounded pieces: one whose declared length or payload is over
``max_record_bytes`` is skipped as ``too_large`` and the records after it are still read. A
record cut short by the end of the file is ``truncated`` and not stored. Compressed archives are
expanded by the caller (``decoding.gunzip_bounded``), which already drops an incomplete last
gzip member, so only whole records get here.
"""

from __future__ import annotations

import io
from importlib.metadata import version
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article
from treatywatch.ingest.errors import IngestError
from treatywatch.ingest.htmlclean import HTML_EXTRACTOR_VERSIONS, clean_html
from treatywatch.ingest.sniff import sniff_kind
from treatywatch.models import Article, Rejection

WARC_EXTRACTOR_VERSIONS = (("warcio", version("warcio")), *HTML_EXTRACTOR_VERSIONS)
_READ_CHUNK = 1024 * 1024
_ARTICLE_RECORDS = ("response", "resource")


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


def _record_article(record: Any, index: int, context: ReadContext, location: str) -> Article | Rejection | None:
    """One record → article, rejection, or None for a record that is not an HTML page."""
    limit = context.options.max_record_bytes
    declared = int(record.rec_headers.get_header("Content-Length") or 0)
    if declared > limit:
        raise IngestError("too_large", f"record declares {declared} bytes, limit {limit}")
    payload = _read_bounded(record.content_stream(), limit)
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
    page = clean_html(payload, uri, max_elements=context.options.max_elements, charset=_charset(content_type))
    published, published_from = page.published, page.published_from
    if not published and warc_date:
        published, published_from = warc_date, "warc"
    draft = ArticleDraft(
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
    return finish_article(location, draft, context)


def read_warc(location: str, data: bytes, context: ReadContext) -> list[Article | Rejection]:
    """Every HTML response record of an (uncompressed) WARC → article or rejection."""
    out: list[Article | Rejection] = []
    index = 0
    try:
        for index, record in enumerate(ArchiveIterator(io.BytesIO(data), arc2warc=True), 1):
            if not record.rec_type:
                out.append(Rejection(location, "malformed_record", "record has no WARC-Type header", f"record {index}"))
                continue
            if not _is_article_record(record):
                continue
            try:
                result = _record_article(record, index, context, location)
            except IngestError as exc:
                result = Rejection(location, exc.code, exc.message, f"record {index}")
            if result is not None:
                out.append(result)
    except (ArchiveLoadFailed, ValueError, EOFError, OSError) as exc:
        message = f"WARC unreadable after {index} records: {type(exc).__name__}: {str(exc)[:160]}"
        out.append(Rejection(location, "malformed_record", message, f"record {index + 1}"))
    if not out:
        reason = "no HTML response records" if index else "no WARC records"
        out.append(Rejection(location, "extraction_empty" if index else "malformed_record", reason))
    return out
