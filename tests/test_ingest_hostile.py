"""Bad and hostile inputs (docs/reliability.md#bad-inputs): each becomes a typed rejection, never a crash.

Big payloads are generated here at test time; nothing large is committed.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import socket
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from treatywatch.ingest import IngestOptions, read_input
from treatywatch.models import InputBatch

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OPTIONS = IngestOptions()


def read_bytes(tmp_path: Path, name: str, data: bytes, options: IngestOptions = OPTIONS) -> InputBatch:
    path = tmp_path / name
    path.write_bytes(data)
    return read_input(str(path), options)


def codes(batch: InputBatch) -> list[str]:
    return [r.code for r in batch.rejections]


def story(n: int) -> str:
    return (
        f"<html><head><title>Story {n}</title></head><body><article><p>Deminers in Westmark said on "
        f"day {n} that they had cleared another field of anti-personnel mines near the border, "
        f"bringing the total to {n * 37} devices this year.</p></article></body></html>"
    )


def rss(items: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0"?>{prolog}<rss version="2.0"><channel><title>T</title>{items}</channel></rss>').encode()


ITEM = "<item><title>{title}</title><link>https://feed.example/{n}</link><description>The ministry confirmed the vote on the treaty withdrawal bill on day {n}.</description></item>"


def test_malformed_xml_feed(tmp_path: Path) -> None:
    batch = read_bytes(tmp_path, "bad.xml", b'<?xml version="1.0"?><rss version="2.0"><channel><<<title>&&</rss')
    assert batch.articles == () and codes(batch) == ["parse_error"]


def test_billion_laughs_is_refused_unexpanded(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10)
    )
    data = rss(ITEM.format(title="&lol9;", n=1), f"<!DOCTYPE rss [{entities}]>")
    batch = read_bytes(tmp_path, "laughs.xml", data)
    assert batch.articles == () and codes(batch) == ["unsafe_xml"]
    assert "lollol" not in batch.rejections[0].message


def test_xxe_feed_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-HOSTNAME")
    prolog = f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    batch = read_bytes(tmp_path, "xxe.rss", rss(ITEM.format(title="&xxe;", n=1), prolog))
    assert codes(batch) == ["unsafe_xml"] and batch.articles == ()
    assert "TOPSECRET" not in repr(batch)


def test_external_dtd_is_never_fetched(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    try:
        prolog = f'<!DOCTYPE rss SYSTEM "http://127.0.0.1:{port}/x.dtd">'
        batch = read_bytes(tmp_path, "dtd.rss", rss(ITEM.format(title="Vote", n=1), prolog))
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()
    assert [a.title for a in batch.articles] == ["Vote"]


@pytest.mark.parametrize("title", ["&#1114112;", "&#55296;", "Vote \\&amp; \\x"])
def test_odd_character_references_do_not_crash(tmp_path: Path, title: str) -> None:
    batch = read_bytes(tmp_path, "odd.rss", rss(ITEM.format(title=title, n=1) + ITEM.format(title="Fine", n=2)))
    assert all(r.code in {"parse_error"} for r in batch.rejections)
    assert len(batch.articles) + len(batch.rejections) >= 1


def test_truncated_feed_keeps_complete_entries(tmp_path: Path) -> None:
    items = "".join(ITEM.format(title=f"Vote {n}", n=n) for n in range(1, 4))
    data = rss(items)
    cut = data[: data.index(b"Vote 3") + 3]
    batch = read_bytes(tmp_path, "cut.rss", cut)
    assert [a.title for a in batch.articles] == ["Vote 1", "Vote 2"]
    assert codes(batch) == ["truncated"]


def test_feed_entry_cap(tmp_path: Path) -> None:
    items = "".join(ITEM.format(title=f"Vote {n}", n=n) for n in range(1, 8))
    batch = read_bytes(tmp_path, "many.rss", rss(items), IngestOptions(max_entries=5))
    assert len(batch.articles) == 5 and codes(batch) == ["too_large"]


def test_empty_after_cleaning(tmp_path: Path) -> None:
    page = b"<html><body><nav><a href='/'>Home</a></nav><p>Follow us on Facebook</p><p>Tags: a, b</p></body></html>"
    batch = read_bytes(tmp_path, "empty.html", page)
    assert batch.articles == () and codes(batch) == ["extraction_empty"]


def test_furniture_only_text_is_empty(tmp_path: Path) -> None:
    batch = read_bytes(tmp_path, "furniture.txt", b"Sign up for our newsletter\nPhoto: Reuters\n")
    assert codes(batch) == ["extraction_empty"] and batch.articles == ()


def test_over_the_size_limit(tmp_path: Path) -> None:
    batch = read_bytes(tmp_path, "big.html", story(1).encode() * 2000, IngestOptions(max_bytes=100_000))
    assert batch.articles == () and codes(batch) == ["too_large"]


def test_decompression_bomb(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<html><body><p>" + b"a" * (80 * 1024 * 1024), compresslevel=6)
    batch = read_bytes(tmp_path, "bomb.html.gz", bomb, IngestOptions(max_decompressed=8 * 1024 * 1024))
    assert batch.articles == () and codes(batch) == ["decompression_limit"]


def test_truncated_gzip_page(tmp_path: Path) -> None:
    data = gzip.compress(story(1).encode() * 50)
    batch = read_bytes(tmp_path, "cut.html.gz", data[: len(data) // 2])
    assert batch.articles == () and codes(batch) == ["truncated"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        ("doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("blank.html", b""),
        ("spaces.txt", b"   \n\n\t "),
        ("random.bin", bytes((i * 7919) % 256 for i in range(4000))),
        ("other.xml", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><g/></svg>'),
    ],
)
def test_unsupported_content(tmp_path: Path, name: str, data: bytes) -> None:
    batch = read_bytes(tmp_path, name, data)
    assert batch.articles == () and codes(batch) == ["unsupported_content"]


def test_tag_flood_is_refused_before_parsing(tmp_path: Path) -> None:
    flood = b"<html><body>" + b"<b>x</b>" * 150_000 + b"</body></html>"
    batch = read_bytes(tmp_path, "flood.html", flood)
    assert codes(batch) == ["too_many_elements"]


def test_deep_nesting_never_yields_an_empty_article(tmp_path: Path) -> None:
    page = "<html><body>" + "<div>" * 300 + "<p>MARKER: the committee approved the withdrawal bill unanimously on Monday morning after a long debate.</p>" + "</div>" * 300 + "</body></html>"
    batch = read_bytes(tmp_path, "deep.html", page.encode())
    assert all("MARKER" in a.text for a in batch.articles)
    assert batch.articles or codes(batch) == ["extraction_empty"]


def test_huge_colspan_and_unclosed_comment(tmp_path: Path) -> None:
    table = "<html><body><table><tr><td colspan=9007199254740991>Signed in Oslo in 2008 by 94 states, the convention entered into force in 2010 after thirty ratifications.</td></tr></table></body></html>"
    batch = read_bytes(tmp_path, "colspan.html", table.encode())
    assert batch.articles and "entered into force" in batch.articles[0].text
    batch = read_bytes(tmp_path, "comment.html", b"<html><body><!-- " + story(3).encode())
    assert codes(batch) == ["extraction_empty"] or batch.articles


def test_jsonl_bad_lines_with_numbers_good_lines_survive(tmp_path: Path) -> None:
    good = json.dumps({"url": "https://a.example/1", "text": "Ostmark ratified the cluster munitions convention in 2011."})
    lines = [
        good,
        "{not json",
        '{"text": NaN}',
        '{"text": "x", "text": "y"}',
        '{"text": "' + "9" * 10 + '", "n": ' + "1" * 5000 + "}",
        "[" * 100_000 + "]" * 100_000,
        '{"text": "lone \\ud800 surrogate"}',
        '["not", "an", "object"]',
        '{"title": "no body"}',
        '{"text": 42}',
        "",
        good.replace("2011", "2012"),
    ]
    data = ("\ufeff" + "\r\n".join(lines)).encode("utf-8")
    batch = read_bytes(tmp_path, "mixed.jsonl", data)
    assert len(batch.articles) == 2
    assert [r.record for r in batch.rejections] == [f"line {n}" for n in range(2, 11)]
    assert {r.code for r in batch.rejections} == {"malformed_record"}
    assert "NaN" in batch.rejections[1].message and "duplicate" in batch.rejections[2].message


def test_jsonl_overlong_line(tmp_path: Path) -> None:
    good = json.dumps({"text": "The vote passed by a wide margin in the lower house."})
    long_line = json.dumps({"text": "x" * 5000})
    batch = read_bytes(tmp_path, "long.jsonl", f"{long_line}\n{good}".encode(), IngestOptions(max_record_bytes=1000))
    assert len(batch.articles) == 1
    assert [(r.code, r.record) for r in batch.rejections] == [("too_large", "line 1")]


def write_warc(records: list[bytes], *, compress: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for n, payload in enumerate(records, 1):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        uri = f"https://warc.example/{n}"
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers))
    return buffer.getvalue()


def test_truncated_warc_gz_keeps_records_before_the_cut(tmp_path: Path) -> None:
    data = write_warc([story(n).encode() for n in (1, 2, 3)], compress=True)
    batch = read_bytes(tmp_path, "cut.warc.gz", data[:-60])
    assert [a.url for a in batch.articles] == ["https://warc.example/1", "https://warc.example/2"]
    assert set(codes(batch)) == {"truncated"} and batch.rejections[0].record is None


def test_truncated_single_member_warc_gz(tmp_path: Path) -> None:
    rng = random.Random(5)
    noise = [" ".join("".join(rng.choices("abcdefghij", k=6)) for _ in range(300)) for _ in range(3)]
    pages = [story(n).replace("</p>", f" {noise[n - 1]}</p>").encode() for n in (1, 2, 3)]
    whole = gzip.compress(write_warc(pages, compress=False))
    batch = read_bytes(tmp_path, "cut1.warc.gz", whole[:-100])
    assert [a.url for a in batch.articles] == ["https://warc.example/1", "https://warc.example/2"]
    assert codes(batch) == ["truncated", "truncated"]
    assert batch.rejections[1].record == "record 3"


def test_truncated_plain_warc_drops_the_partial_record(tmp_path: Path) -> None:
    data = write_warc([story(n).encode() for n in (1, 2)], compress=False)
    batch = read_bytes(tmp_path, "cut.warc", data[:-100])
    assert [a.url for a in batch.articles] == ["https://warc.example/1"]
    assert [(r.code, r.record) for r in batch.rejections] == [("truncated", "record 2")]


def test_oversized_warc_record_is_skipped(tmp_path: Path) -> None:
    big = story(2).encode() + b"<p>" + b"filler " * 40_000 + b"</p>"
    data = write_warc([story(1).encode(), big, story(3).encode()], compress=True)
    batch = read_bytes(tmp_path, "big.warc.gz", data, IngestOptions(max_record_bytes=100_000))
    assert [a.url for a in batch.articles] == ["https://warc.example/1", "https://warc.example/3"]
    assert [(r.code, r.record) for r in batch.rejections] == [("too_large", "record 2")]


def test_garbage_warc(tmp_path: Path) -> None:
    batch = read_bytes(tmp_path, "junk.warc", b"WARC/1.0\r\nthis is not a header block\r\n\r\n" + b"junk" * 100)
    assert batch.articles == () and codes(batch) == ["malformed_record"]


def test_nested_gzip_refused(tmp_path: Path) -> None:
    batch = read_bytes(tmp_path, "twice.gz", gzip.compress(gzip.compress(story(1).encode())))
    assert codes(batch) == ["unsupported_content"]


@pytest.mark.parametrize("data", [b'[{"text": "a"}]', b'{\n  "text": "The vote passed."\n}\n'])
def test_json_documents_are_not_jsonl(tmp_path: Path, data: bytes) -> None:
    batch = read_bytes(tmp_path, "doc.json", data)
    assert batch.articles == () and codes(batch) == ["unsupported_content"]
    assert "JSONL" in batch.rejections[0].message


def test_warc_without_html_records(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://warc.example/x.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"), http_headers=headers))
    batch = read_bytes(tmp_path, "images.warc.gz", buffer.getvalue())
    assert batch.articles == () and codes(batch) == ["extraction_empty"]


@pytest.mark.parametrize("target", ["", "a\x00b.html", "file:///etc/passwd", "javascript:alert(1)", "http://", "https://[::1", "/"])
def test_odd_targets_never_raise(target: str) -> None:
    batch = read_input(target, OPTIONS)
    assert batch.articles == () and len(batch.rejections) == 1
    assert batch.rejections[0].code in {"not_found", "ssrf_blocked"}
