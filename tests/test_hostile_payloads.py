"""Generators for the hostile inputs of docs/reliability.md#bad-inputs, shared by the matrix test, the
sandbox tests and the fuzz regressions. Everything is built at test time; nothing big is
committed. Payload sizes are the ones the matrix names unless a comment says why not.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

MiB = 1024 * 1024
MARKER = "MARKER"


def story(n: int, extra: str = "") -> str:
    """A small, valid article page (text written for these tests)."""
    return (
        f"<html><head><title>Clearance report {n}</title></head><body><article><p>Deminers in Westmark "
        f"said on day {n} that they had cleared another field of anti-personnel mines near the border, "
        f"bringing the total to {n * 37} devices this year.</p>{extra}</article></body></html>"
    )


def rss(items: str, prolog: str = "") -> bytes:
    return f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>Wire</title>{items}</channel></rss>'.encode()


def rss_item(n: int, title: str | None = None) -> str:
    return (
        f"<item><title>{title or f'Vote {n}'}</title><link>https://feed.example/{n}</link><description>The "
        f"ministry confirmed the vote on the treaty withdrawal bill on day {n} of the session.</description></item>"
    )


def gzip_zeros(total: int, member: int = 16 * MiB) -> bytes:
    """A multi-member gzip of ``total`` zero bytes (1 GiB → about 1 MiB), built in well under a
    second by repeating one compressed member."""
    one = gzip.compress(bytes(member), compresslevel=6)
    return one * (total // member)


def deflate_zeros(total: int) -> bytes:
    """One single gzip member of ``total`` zero bytes (for HTTP and WARC content codings)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    chunk = bytes(4 * MiB)
    parts = [compressor.compress(chunk) for _ in range(total // len(chunk))]
    return b"".join(parts) + compressor.flush()


def tag_flood(elements: int) -> bytes:
    return b"<html><body>" + b"<b>x</b>" * elements + b"</body></html>"


def nested_divs(depth: int, inner: str = "") -> bytes:
    return ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>").encode()


def deep_article(depth: int) -> bytes:
    inner = (
        f"<p>{MARKER}: the committee approved the withdrawal bill unanimously on Monday morning after a "
        "long debate about the obligations of the treaty.</p>"
    )
    return nested_divs(depth, inner)


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10)
    )
    return rss(rss_item(1, "&lol9;"), f"<!DOCTYPE rss [{entities}]>")


def quadratic_blowup() -> bytes:
    entity = "A" * 100_000
    return rss(rss_item(1, "&a;" * 20_000), f'<!DOCTYPE rss [<!ENTITY a "{entity}">]>')


def warc(records: list[tuple[bytes, list[tuple[str, str]]]], *, compress: bool) -> bytes:
    """A WARC of HTTP responses: ``(payload, extra HTTP headers)`` each, URIs warc.example/N."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for n, (payload, headers) in enumerate(records, 1):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1")
        record = writer.create_warc_record(f"https://warc.example/{n}", "response", payload=io.BytesIO(payload), http_headers=http)
        writer.write_record(record)
    return buffer.getvalue()


def warc_pages(pages: list[bytes], *, compress: bool = False) -> bytes:
    return warc([(page, []) for page in pages], compress=compress)


def jsonl_hostile_lines() -> tuple[bytes, int, int]:
    """A JSONL file mixing row-27 lines with good ones: (bytes, bad lines, good lines)."""
    good = [
        json.dumps({"url": f"https://lines.example/{n}", "text": f"Ostmark ratified the cluster munitions convention in {2010 + n}."})
        for n in range(2)
    ]
    bad = [
        '{"text": "x", "n": ' + "1" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"text": NaN}',
        '{"text": Infinity}',
        '{"text": "x", "text": "y"}',
        '{"text": "lone \\ud800 surrogate"}',
    ]
    return ("\ufeff" + "\r\n".join([good[0], *bad, good[1]])).encode("utf-8"), len(bad), len(good)
