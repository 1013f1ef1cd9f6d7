"""The relevance prefilter on raw bytes: drop an off-topic page before it is parsed (issue 13).

In a crawl or a wire feed about one page in a hundred is on topic; parsing, cleaning, dating and
storing the other ninety-nine costs more than all the NLP saved by a prefilter that runs after
them. So, when ``IngestOptions.drop_off_topic`` is on, each page (an HTML or text file, a
fetched page, a JSONL line, a feed entry, a WARC record) is scored *before* the HTML parse:
decoded cheaply, its tags stripped by a regular expression (not parsed), and scored by the
relevance score of ``batch.relevance``. A page under the threshold becomes a ``Dropped``
record (its content hash, its URL, ``off_topic``), which the store step records as seen.

The cheap decode: UTF-8 if the bytes are UTF-8, else the charset the page declares, else the
full detector of ``decoding.decode_bytes`` (rare on the web, and never wrong to pay).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Collection

from treatywatch.batch.relevance import Verdict, default_prefilter
from treatywatch.ingest.decoding import declared_charset, decode_bytes
from treatywatch.models import Dropped, sha256_bytes

SeenHashes = Callable[[list[str]], Collection[str]]

# Blocks whose content is never article text, then any tag or comment; a regular expression
# and not a parser on purpose: this runs on the 99% that will never be parsed.
_BLOCKS = re.compile(r"<(script|style|noscript|svg|template)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")


def cheap_decode(raw: bytes) -> str:
    """Text for scoring, never raising: UTF-8, the declared charset, else the full detector."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(raw)
    if declared:
        try:
            return raw.decode(declared, "replace")
        except LookupError:
            pass
    return decode_bytes(raw)[0]


def html_words(markup: str) -> str:
    """The words of an HTML document or fragment, without scripts, styles, tags or entities."""
    text = _TAG.sub(" ", _BLOCKS.sub(" ", markup))
    return _SPACE.sub(" ", html.unescape(text))


def score_text(text: str) -> Verdict:
    """The relevance verdict of plain text (title and body together)."""
    return default_prefilter().verdict(text)


def screen_html(raw: bytes) -> Verdict:
    """The verdict of an HTML page's raw bytes, before any parse."""
    return score_text(html_words(cheap_decode(raw)))


def dropped(location: str, raw: bytes, verdict: Verdict, *, record: str | None = None, url: str | None = None,
            content_hash: str | None = None) -> Dropped:
    """The record of a page the prefilter skipped."""
    return Dropped(location, content_hash or sha256_bytes(raw), record=record, url=url, score=verdict.score)


def already_seen(seen: SeenHashes | None, hashes: list[str]) -> Collection[str]:
    """The hashes among ``hashes`` that the caller's knowledge base recorded as dropped before."""
    if seen is None or not hashes:
        return ()
    return seen(hashes)
