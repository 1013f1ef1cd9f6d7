"""Bytes to text, and bounded gzip: the two places where hostile bytes meet memory.

``decode_bytes`` never raises on any byte string: it picks an encoding (BOM, strict UTF-8,
mostly-UTF-8, declared charset, charset-normalizer's guess) and replaces what cannot be decoded
with U+FFFD. ``strip_controls`` removes NUL and the other C0 controls so SQLite and PostgreSQL
store the same text. ``gunzip_bounded`` expands (multi-member) gzip up to a cap, and says when
the stream was cut off, keeping only the members that were complete.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass

from charset_normalizer import from_bytes

from treatywatch.errors import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(
    rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([A-Za-z0-9_.:-]{2,40})""",
    re.IGNORECASE,
)
# C0 controls except TAB, LF, CR; plus DEL. NUL is among them.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp1252", "latin-1", "iso8859-15", "iso8859-2", "cp1250", "cp1251", "koi8-r",
        "iso8859-5", "iso8859-7", "cp1253", "iso8859-9", "cp1254", "cp1255", "iso8859-8",
        "cp1256", "iso8859-6", "cp1257", "gb18030", "gb2312", "gbk", "big5", "shift_jis",
        "euc_jp", "iso2022_jp", "euc_kr", "cp949", "utf-16", "utf-32", "utf-16-le", "utf-16-be",
        "tis-620", "cp874", "cp1258",
    )
)
_CHUNK = 64 * 1024
_SNIFF_BYTES = 256 * 1024


def strip_controls(text: str) -> str:
    """Drop NUL and other C0 control characters (TAB, LF and CR are kept)."""
    return _CONTROLS.sub("", text)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(raw: bytes) -> str | None:
    """The charset a page or XML prolog declares in its first bytes, if it names a known codec."""
    match = _DECLARED.search(raw[:4096])
    return _codec(match.group(1).decode("ascii")) if match else None


def _mostly_utf8(raw: bytes) -> str | None:
    """UTF-8 with a few bad bytes: decoded with U+FFFD, when valid sequences outnumber bad ones."""
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd") - raw.count("\xef\xbf\xbd".encode("latin-1"))
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if multibyte > 0 and bad <= multibyte else None


def decode_bytes(raw: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode any bytes to text; returns (text, encoding name). Never raises.

    ``hint`` is a charset from outside the bytes (an HTTP header). Controls are not stripped here.
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw.decode(name, "replace"), name
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(raw)
    if mostly is not None:
        return mostly, "utf-8"
    for declared in (_codec(hint), declared_charset(raw)):
        if declared and declared not in ("utf-8", "utf-16", "utf-32"):
            try:
                return raw.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                continue
    name = _guess(raw[:_SNIFF_BYTES])
    return raw.decode(name, "replace"), name


def _guess(sample: bytes) -> str:
    """charset-normalizer's first candidate among common web encodings, else cp1252.

    On short samples its best guess is often an exotic code page (cp1006 for a French
    sentence), so only encodings that news pages actually use are accepted. When cp1252 fits
    exactly as well as the first candidate (a tie: same chaos and coherence, as for French
    text that cp1250 also decodes), cp1252 wins: it is the web's default legacy encoding
    (WHATWG) and the usual truth behind a page mislabelled as UTF-8.
    """
    matches = list(from_bytes(sample))
    for match in matches:
        name = _codec(match.encoding)
        if name in _WEB_ENCODINGS:
            score = (match.chaos, match.coherence)
            tied = any(_codec(m.encoding) == "cp1252" and (m.chaos, m.coherence) == score for m in matches)
            return "cp1252" if tied else name
    return "cp1252"


@dataclass(frozen=True)
class Gunzipped:
    """Result of a bounded gunzip: the bytes of complete members, and whether it was cut.

    ``partial`` holds what the incomplete last member gave before the cut (empty otherwise):
    a reader that can tell a cut record itself (WARC) may use it.
    """

    data: bytes
    truncated: bool
    partial: bytes = b""


def is_gzip(raw: bytes) -> bool:
    return raw[:2] == b"\x1f\x8b"


def gunzip_bounded(raw: bytes, limit: int) -> Gunzipped:
    """Expand (multi-member) gzip to at most ``limit`` bytes.

    Raises ``IngestError('decompression_limit')`` past the cap and ``parse_error`` on corrupt
    data. A stream that ends inside a member is ``truncated``: the bytes of that last, incomplete
    member are dropped so that only whole members (whole WARC records) are returned.
    """
    out = bytearray()
    complete = 0
    view = memoryview(raw)
    pos = 0
    while pos < len(raw) and raw[pos : pos + 2] == b"\x1f\x8b":
        decomp = zlib.decompressobj(16 + zlib.MAX_WBITS)
        tail = b""
        try:
            while not decomp.eof:
                if tail:
                    data: bytes | memoryview = tail
                elif pos < len(raw):
                    data = view[pos : pos + _CHUNK]
                    pos += len(data)
                else:
                    break
                out += decomp.decompress(data, limit - len(out) + 1)
                if len(out) > limit:
                    raise IngestError("decompression_limit", f"gzip expands beyond {limit} bytes")
                tail = decomp.unconsumed_tail
        except zlib.error as exc:
            raise IngestError("parse_error", f"corrupt gzip data: {exc}") from None
        if not decomp.eof:
            return Gunzipped(bytes(out[:complete]), truncated=True, partial=bytes(out[complete:]))
        pos -= len(decomp.unused_data)
        complete = len(out)
    return Gunzipped(bytes(out), truncated=False)
