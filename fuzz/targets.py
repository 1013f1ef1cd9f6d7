"""Fuzz targets for ingest: structure-aware hypothesis strategies per input kind, and the check
every result must pass.

A target turns drawn bytes into an input file and runs ``read_input`` on it. A *crash* is any of:
an exception escaping ``read_input`` (it must never raise), a rejection from its last-resort
handler (``internal error``), a hang or memory blow-up on a small input (``timeout`` /
``resource_limit`` for under 64 KiB), or an article that the knowledge base should not receive:
empty text, NUL or other control characters, a lone surrogate, a date that is not ISO 8601, a
language that is not a short code, a field over its column size, an id that is not the hash of
the text.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from treatywatch.ingest import IngestOptions, read_input
from treatywatch.models import REJECTION_CODES, Article, InputBatch, article_id_for

SMALL_INPUT = 64 * 1024
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})?$")
PUBLISHED_FROM = {None, "user", "feed", "page_metadata", "url", "text", "warc", "first_seen"}
INPUT_KINDS = {"html", "text", "jsonl", "rss", "atom", "warc"}
FIELD_LIMITS = {"language": 10, "published": 40, "encoding": 40, "input_kind": 20, "published_from": 20}


class Crash(AssertionError):
    """An input that broke an ingest invariant."""


# --- building blocks -----------------------------------------------------------------------

WORDS = ["treaty", "withdrawal", "mines", "Ottawa", "ratified", "parliament", "2025", "Zalewski",
         "déminage", "地雷", "ministère", "cluster", "convention", "\u202e", "\ufeff", "\u00a0"]
HTML_TOKENS = [
    "<html>", "</html>", "<html lang='pl'>", "<head>", "<body>", "</body>", "<div>", "</div>", "<p>", "</p>",
    "<article>", "</article>", "<!--", "-->", "<script>", "</script>", "<style>", "<![CDATA[", "]]>",
    "<table><tr><td colspan=9007199254740991>", "</td></tr></table>", "<meta charset='utf-8'>",
    "<meta charset='gb2312'>", "<meta charset='x-unknown'>", "<?xml version='1.0' encoding='latin-1'?>",
    "<!DOCTYPE html>", "<title>", "</title>", "<base href='javascript:x'>", "<link rel=canonical href='//'>",
    "<meta property='article:published_time' content='2025-13-45T99:00'>", "<time datetime='0000-00-00'>",
    "&#0;", "&#1114112;", "&#55296;", "&amp;", "&nbsp;", "&bogus;", "<br>", "<svg onload=x>", "<iframe srcdoc='<p>'>",
    "\x00", "\x1b", "\r", "\n", "\t", "<", ">", "'", '"', "<a href='https://x.example/2025/02/30/'>",
]


def text_pieces() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(WORDS), st.text(max_size=20), st.sampled_from(HTML_TOKENS))


def joined(pieces: st.SearchStrategy[str], max_size: int = 60) -> st.SearchStrategy[str]:
    return st.lists(pieces, max_size=max_size).map(" ".join)


def encoded(texts: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    encodings = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1251", "gb18030", "utf-8-sig"])
    return st.tuples(texts, encodings).map(lambda pair: pair[0].encode(pair[1], "replace"))


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[bytes]) -> bytes:
    """``base`` with a few byte-level mutations: flips, cuts, duplications, insertions."""
    data = bytearray(draw(base))
    for _ in range(draw(st.integers(0, 4))):
        if not data:
            data += draw(st.binary(max_size=8))
            continue
        where = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "dup", "insert", "truncate"]))
        if action == "flip":
            data[where] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[where : where + draw(st.integers(1, 64))]
        elif action == "dup":
            data[where:where] = data[where : where + draw(st.integers(1, 64))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=16))
        else:
            del data[where:]
    return bytes(data)


# --- inputs per kind -----------------------------------------------------------------------


def html_inputs() -> st.SearchStrategy[bytes]:
    page = joined(st.one_of(st.sampled_from(HTML_TOKENS), text_pieces()), 120)
    article = page.map(lambda body: f"<html><body><article><p>{body}</p></article></body></html>")
    return st.one_of(mutated(encoded(article)), mutated(encoded(page)), st.binary(max_size=2000))


def _rss(title: str, body: str, date_text: str, prolog: str, cut: bool) -> bytes:
    items = "".join(
        f"<item><title>{title} {n}</title><link>https://f.example/{n}</link><pubDate>{date_text}</pubDate>"
        f"<description>{body}</description></item>"
        for n in range(3)
    )
    doc = f"<?xml version='1.0'?>{prolog}<rss version='2.0'><channel><title>{title}</title><language>{title[:5]}</language>{items}</channel></rss>"
    return doc[: len(doc) * 2 // 3].encode() if cut else doc.encode("utf-8", "replace")


def _atom(title: str, body: str, date_text: str, prolog: str, cut: bool) -> bytes:
    doc = (
        f"<?xml version='1.0'?>{prolog}<feed xmlns='http://www.w3.org/2005/Atom'><title>{title}</title>"
        f"<entry><title type='html'>{title}</title><updated>{date_text}</updated>"
        f"<content type='{body[:1] and 'text/plain'}'>{body}</content><link href='{title}'/></entry></feed>"
    )
    return doc[: len(doc) // 2].encode() if cut else doc.encode("utf-8", "replace")


def feed_inputs() -> st.SearchStrategy[bytes]:
    field = joined(text_pieces(), 30)
    dates = st.sampled_from(["Mon, 02 Mar 2025 10:00:00 GMT", "2025-02-30", "yesterday", "", "9999-99-99T99:99:99Z",
                             "Tue, 31 Feb 1 00:00:00 +9999", "0001-01-01T00:00:00Z"])
    prologs = st.sampled_from(["", "<!DOCTYPE rss>", "<!DOCTYPE rss SYSTEM 'http://127.0.0.1:9/x.dtd'>",
                               "<!DOCTYPE rss [<!ENTITY a 'b'>]>", "<!-- c -->"])
    args = st.tuples(field, field, dates, prologs, st.booleans())
    return st.one_of(mutated(args.map(lambda a: _rss(*a))), mutated(args.map(lambda a: _atom(*a))))


def _warc(pages: list[tuple[bytes, str, str]], compress: bool) -> bytes:
    """Records written by warcio itself (a valid archive before ``mutated`` breaks it)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for n, (payload, content_type, kind) in enumerate(pages):
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>", "WARC-Date": "2025-03-01T10:00:00Z"}
        uri = f"https://w.example/{n}"
        if kind == "response":
            record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict=fixed)
        else:
            record = writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), warc_content_type=content_type, warc_headers_dict=fixed)
        writer.write_record(record)
    return buffer.getvalue()


def warc_inputs() -> st.SearchStrategy[bytes]:
    page = st.one_of(html_inputs(), st.just(b"<html><body><p>The treaty vote passed in the lower house today.</p></body></html>"))
    content_types = st.sampled_from(["text/html", "text/html; charset=gb2312", "text/plain", "image/png", "", "text/html; charset=bogus"])
    kinds = st.sampled_from(["response", "resource", "metadata"])
    records = st.lists(st.tuples(page, content_types, kinds), min_size=1, max_size=4)
    archives = st.tuples(records, st.booleans()).map(lambda a: _warc(*a))
    return st.one_of(mutated(archives), archives.map(lambda data: gzip.compress(data, mtime=0)[: max(20, len(data) // 3)]))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30) | text_pieces(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
FIELDS = ["url", "title", "published", "text", "html", "source", "author", "language", "extra"]


def jsonl_inputs() -> st.SearchStrategy[bytes]:
    record = st.dictionaries(st.sampled_from(FIELDS), st.one_of(joined(text_pieces(), 20), JSON_VALUES), max_size=6)
    line = st.one_of(
        record.map(lambda r: json.dumps(r, ensure_ascii=False, allow_nan=True)),
        record.map(lambda r: json.dumps(r, ensure_ascii=True)),
        st.text(max_size=40),
        st.sampled_from(['{"text": "a\\ud800b"}', '{"text": NaN}', '{"text": "x", "text": "y"}', "[" * 50, "{}"]),
    )
    lines = st.lists(line, min_size=1, max_size=6)
    separators = st.sampled_from(["\n", "\r\n"])
    files = st.tuples(lines, separators, st.booleans()).map(lambda a: (("\ufeff" if a[2] else "") + a[1].join(a[0])).encode("utf-8", "surrogatepass"))
    return mutated(files)


# --- the check -----------------------------------------------------------------------------


def _check_string(name: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise Crash(f"{name} is {type(value).__name__}, not text")
    if _CONTROLS.search(value):
        raise Crash(f"{name} contains a control character: {value[:60]!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Crash(f"{name} contains a lone surrogate: {value[:60]!r}") from None
    if name in FIELD_LIMITS and len(value) > FIELD_LIMITS[name]:
        raise Crash(f"{name} longer than its column ({len(value)} > {FIELD_LIMITS[name]}): {value[:60]!r}")


def _iso(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return True
        except ValueError:
            continue
    return False


def check_article(article: Article) -> None:
    """Raise ``Crash`` for an article the knowledge base should never receive."""
    if not article.text.strip():
        raise Crash("article with empty text")
    if article.id != article_id_for(article.text):
        raise Crash("article id is not the hash of its text")
    for name in ("text", "url", "canonical_url", "title", "author", "published", "language", "encoding", "input_kind", "published_from"):
        _check_string(name, getattr(article, name))
    for line in article.removed:
        _check_string("removed line", line)
    if article.source is not None:
        _check_string("source.domain", article.source.domain)
        _check_string("source.name", article.source.name)
        if len(article.source.domain) > 255 or not article.source.domain:
            raise Crash(f"bad source domain {article.source.domain[:60]!r}")
    if article.published is not None and not _iso(article.published):
        raise Crash(f"published is not ISO 8601: {article.published!r}")
    if article.language is not None and not _LANGUAGE.match(article.language):
        raise Crash(f"language is not a language code: {article.language!r}")
    if article.published_from not in PUBLISHED_FROM or article.input_kind not in INPUT_KINDS:
        raise Crash(f"unknown published_from/input_kind {article.published_from!r}/{article.input_kind!r}")


def check_batch(batch: InputBatch, size: int) -> None:
    for rejection in batch.rejections:
        if rejection.code not in REJECTION_CODES:
            raise Crash(f"unknown rejection code {rejection.code!r}")
        if rejection.message.startswith("internal error"):
            raise Crash(f"read_input's last resort caught a bug: {rejection.message}")
        if size <= SMALL_INPUT and rejection.code in ("timeout", "resource_limit"):
            raise Crash(f"{rejection.code} on a {size}-byte input: {rejection.message}")
    for article in batch.articles:
        check_article(article)


@dataclass(frozen=True)
class Target:
    """A named fuzz target: what to draw and the file suffix to write it under."""

    name: str
    strategy: Callable[[], st.SearchStrategy[bytes]]
    suffix: str


TARGETS = {
    "html": Target("html", html_inputs, ".html"),
    "feed": Target("feed", feed_inputs, ".xml"),
    "warc": Target("warc", warc_inputs, ".warc"),
    "jsonl": Target("jsonl", jsonl_inputs, ".jsonl"),
}


def run_one(data: bytes, folder: Path, suffix: str, options: IngestOptions) -> InputBatch:
    """Write ``data`` as an input file and read it; raises ``Crash`` on any broken invariant."""
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        batch = read_input(str(path), options)
    except Exception as exc:
        raise Crash(f"read_input raised {type(exc).__name__}: {exc}") from exc
    check_batch(batch, len(data))
    return batch


def printable(data: bytes, limit: int = 120) -> str:
    shown = data[:limit].decode("latin-1")
    return "".join(ch if ch in string.printable and ch not in "\r\x0b\x0c" else f"\\x{ord(ch):02x}" for ch in shown)


def describe(value: Any) -> str:
    return printable(value) if isinstance(value, bytes) else repr(value)[:120]
