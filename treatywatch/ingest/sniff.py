"""Which kind of input some bytes are, judged by their content, never by the file name.

A page saved as ``.txt``, a feed named ``.dat`` or a PNG named ``.html`` are all common; the
reader is chosen from magic bytes and the first markup of the decoded text.
"""

from __future__ import annotations

import re

from treatywatch.errors import IngestError
from treatywatch.ingest.decoding import decode_bytes, is_gzip, strip_controls

HEAD_BYTES = 4096
_BINARY_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"\x00asm", "WebAssembly"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x1aE\xdf\xa3", "WebM/Matroska video"),
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BINARY_BYTES = bytes([*range(0, 9), *range(14, 27), *range(28, 32)])
_NON_BINARY_BYTES = bytes(b for b in range(256) if b not in _BINARY_BYTES)
_PROLOG = re.compile(r"^(?:\s+|<\?[^>]*\?>|<!--.*?-->|<!doctype\s+(?!html)[^>\[]*(?:\[.*?\]\s*)?>)", re.S | re.I)
_HTML_START = re.compile(
    r"^<(?:!doctype\s+html|html|head|body|meta|link|title|script|style|div|p|span|a|b|i|em|strong|"
    r"br|img|table|ul|ol|li|article|section|main|header|nav|footer|figure|blockquote|h[1-6]|!--)\b",
    re.I,
)
_ENTITY = re.compile(r"<!ENTITY", re.I)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|head)\b", re.I)


def _binary_kind(raw: bytes) -> str | None:
    for magic, name in _BINARY_MAGIC:
        if raw.startswith(magic):
            return name
    if raw.startswith(b"RIFF") and raw[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return "RIFF media"
    head = raw[:HEAD_BYTES]
    if head[:2] in _WIDE_BOMS or head[:4] in (b"\x00\x00\xfe\xff",):
        return None
    if head and len(head.translate(None, _NON_BINARY_BYTES)) > len(head) // 10:
        return "binary data"
    return None


def _strip_prolog(head: str) -> str:
    """Drop leading whitespace, XML declaration, comments and a non-HTML doctype."""
    while True:
        match = _PROLOG.match(head)
        if not match or not match.group(0):
            return head
        head = head[match.end() :]


def _json_kind(head: str) -> str:
    """JSONL starts with a whole object on its first line; a JSON array or a pretty-printed
    object is a JSON document, which ingest does not read (convert it to one record per line)."""
    first = head.split("\n", 1)[0].strip()
    if head.startswith("[") or first == "{":
        raise IngestError("unsupported_content", "a JSON document, not JSONL (one object per line)")
    return "jsonl"


def sniff_kind(raw: bytes) -> str:
    """One of ``gzip``, ``warc``, ``html``, ``rss``, ``atom``, ``jsonl``, ``text``.

    Raises ``IngestError('unsupported_content')`` for binary formats and empty input.
    """
    if is_gzip(raw):
        return "gzip"
    if raw.startswith(b"WARC/"):
        return "warc"
    binary = _binary_kind(raw)
    if binary:
        raise IngestError("unsupported_content", f"{binary}, not a page, feed or text")
    text, _ = decode_bytes(raw[:HEAD_BYTES])
    head = strip_controls(text).lstrip("\ufeff \t\r\n")
    if not head.strip():
        raise IngestError("unsupported_content", "empty input")
    if head.startswith(("{", "[")):
        return _json_kind(head)
    body = _strip_prolog(head)
    if _ENTITY.search(head) and not _HTML_START.match(body):
        raise IngestError("unsafe_xml", "XML declares entities (<!ENTITY); refused unexpanded")
    lowered = body[:200].lower()
    if lowered.startswith(("<rss", "<rdf:rdf")):
        return "rss"
    if lowered.startswith("<feed"):
        return "atom"
    if _HTML_START.match(body) or _HTML_ANYWHERE.search(head):
        return "html"
    if re.match(r"<[a-z][\w:.-]*[\s>/]", body, re.I):
        raise IngestError("unsupported_content", "XML that is neither RSS nor Atom")
    return "text"
