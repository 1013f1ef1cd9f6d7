"""The hostile-input matrix (docs/reliability.md#bad-inputs, the rows that concern ingest, plus docs/reliability.md#faults F10).

One parametrised test runs every row through ``Monitor(db).ingest`` with two good inputs around
the hostile one, and checks the same things each time: the exact rejection codes (returned and
stored in ``failures``), no article row from the hostile input (unless the row expects recovery),
the good inputs stored, ``PRAGMA integrity_check`` ok and no NUL or empty text stored. Parsing
runs in the sandbox child (1 GiB address space, 30 s per result). Payloads are generated here.
Rows left to other parts: 9/10/20 render (web), 30-32 predicate and resolver stubs
(test_ingest_fetch.py), 35-39 API. The test ids name the row, the input and the expected codes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from loopback import CountingServer, PayloadHandler, serve
from sqlalchemy import text
from test_hostile_payloads import (
    MARKER,
    MiB,
    billion_laughs,
    deep_article,
    deflate_zeros,
    gzip_zeros,
    jsonl_hostile_lines,
    nested_divs,
    quadratic_blowup,
    rss,
    rss_item,
    story,
    tag_flood,
    warc,
    warc_pages,
)
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.ingest import IngestOptions
from treatywatch.kb.store import KB
from treatywatch.monitor import Monitor

SANDBOX_MEMORY = 1024 * MiB


class Handler(PayloadHandler):
    """Routes for the fetch rows: /page, /big, /endless, /gzipgzip, /bomb, /slow, /x.dtd."""

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        routes: dict[str, Callable[[], None]] = {
            "/page": lambda: self.send_body(story(900).encode()),
            "/big": lambda: self.stream(b"<p>" + b"x" * 65536, 400),
            "/endless": lambda: self.stream(b"<p>more</p>" * 1000, 10**6),
            "/gzipgzip": lambda: self.send_body(deflate_zeros(4 * MiB), Content_Encoding="gzip, gzip"),
            "/bomb": lambda: self.send_body(self.server.bomb, Content_Encoding="gzip"),  # type: ignore[attr-defined]
            "/slow": lambda: self.stream(b"<", 600, pause=0.05),
        }
        route = routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route()


@pytest.fixture(scope="module")
def server() -> Iterator[CountingServer]:
    with serve(Handler, bomb=deflate_zeros(64 * MiB)) as srv:
        yield srv


Maker = Callable[[Path, CountingServer], str]


@dataclass(frozen=True)
class Case:
    """One row: how to build the input, the codes it must get and how many articles it may give."""

    row: str
    name: str
    make: Maker
    codes: tuple[str, ...]
    stored: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    contains: str | None = None
    absent: str | None = None
    no_connection: bool = False

    @property
    def id(self) -> str:
        outcome = "+".join(sorted(set(self.codes))) or "recovered"
        return f"row{self.row}-{self.name}-{outcome}"


def file(name: str, data: bytes | Callable[[], bytes]) -> Maker:
    def make(tmp_path: Path, _server: CountingServer) -> str:
        path = tmp_path / name
        path.write_bytes(data() if callable(data) else data)
        return str(path)

    return make


def url(template: str) -> Maker:
    return lambda _tmp, srv: template.format(port=srv.port)


def dtd_feed(tmp_path: Path, srv: CountingServer) -> str:
    path = tmp_path / "dtd.rss"
    path.write_bytes(rss(rss_item(1), f'<!DOCTYPE rss SYSTEM "http://127.0.0.1:{srv.port}/x.dtd">'))
    return str(path)


def xxe_feed(tmp_path: Path, _srv: CountingServer) -> str:
    secret = tmp_path / "hostname"
    secret.write_text("SECRET-HOST-NAME")
    path = tmp_path / "xxe.rss"
    path.write_bytes(rss(rss_item(1, "&xxe;"), f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'))
    return str(path)


def warc_with_wrong_length(delta: int) -> Callable[[], bytes]:
    def build() -> bytes:
        data = warc_pages([story(n).encode() for n in (1, 2, 3)])
        second = data.rfind(b"WARC/1.0\r\n", 0, data.index(b"WARC-Target-URI: https://warc.example/2"))
        head = data.index(b"Content-Length: ", second)
        end = data.index(b"\r\n", head)
        length = int(data[head + 16 : end])
        return data[: head + 16] + str(length + delta).encode() + data[end:]

    return build


LATIN1 = "<html><head><meta charset='utf-8'><title>Déminage</title></head><body><article><p>Le ministère a annoncé que la Suède et la Norvège soutiennent le déminage près de la frontière depuis février.</p></article></body></html>"
CJK = "<html><head><meta charset='gb2312'><title>Treaty news</title></head><body><article><p>国防部周一宣布，该国将退出禁止杀伤人员地雷公约。议会以多数票通过了这项法案，反对者表示遗憾。</p></article></body></html>"
SCRIPTS = story(7, "<p><a href='javascript:alert(1)'>link</a></p><script>alert(2)</script><svg onload='alert(3)'></svg><iframe srcdoc='&lt;script&gt;alert(4)&lt;/script&gt;'></iframe><p onclick='alert(5)'>The convention has 111 states parties.</p>")
BAD_BYTES = story(8).replace("cleared", "cl\x00ea\x01red\x1b").encode("utf-8").replace(b"field", b"fi\xffeld \xc3\xa9")
SAMPLES = story(4)

CASES = [
    Case("01", "page-25MB", file("big.html", lambda: b"<html><body><p>" + b"a" * (25 * MiB)), ("too_large",)),
    Case("01", "fetch-25MB", url("http://127.0.0.1:{port}/big"), ("too_large",), options={"allow_private": True}),
    Case("02", "tag-flood-20MB", file("flood.html", lambda: tag_flood(1_500_000) + b"x" * (7 * MiB)), ("too_many_elements",)),
    Case("02", "tag-flood-no-precheck", file("flood2.html", lambda: tag_flood(1_500_000)), ("resource_limit",),
         options={"max_elements": 10**8, "parse_memory": 384 * MiB}),
    Case("03", "nested-260", file("deep.html", deep_article(260)), (), stored=1, contains=MARKER),
    Case("04", "nested-100k-divs", file("divs.html", nested_divs(100_000)), ("too_many_elements",)),
    Case("04", "nested-100k-divs-parsed", file("divs2.html", nested_divs(100_000, "<p>x</p>")), ("extraction_empty",),
         options={"max_elements": 10**6}),
    Case("05", "attribute-30MB", file("attr.html", lambda: b"<html><body><p title='" + b"a" * (30 * MiB) + b"'>hi</p>"), ("too_large",)),
    Case("05", "attribute-30MB-allowed", file("attr2.html", lambda: b"<html><body><p title='" + b"a" * (30 * MiB) + b"'>hi</p>"),
         ("extraction_empty",), options={"max_bytes": 40 * MiB}),
    Case("06", "colspan", file("colspan.html", b"<html><body><table><tr><td colspan=9007199254740991>Signed in Oslo in 2008 by 94 states, the convention entered into force in 2010.</td></tr></table></body></html>"),
         (), stored=1, contains="entered into force"),
    Case("07", "latin1-as-utf8", file("latin1.html", LATIN1.encode("latin-1")), (), stored=1, contains="ministère"),
    Case("07", "gb2312", file("cjk.html", CJK.encode("gb2312")), (), stored=1, contains="杀伤人员地雷"),
    Case("08", "nul-controls-invalid-utf8", file("bytes.html", BAD_BYTES), (), stored=1, contains="\ufffd"),
    Case("09", "script-content", file("scripts.html", SCRIPTS.encode()), (), stored=1, contains="111 states", absent="alert"),
    Case("11", "unclosed-comment", file("comment.html", b"<html><body><!-- " + SAMPLES.encode()), ("extraction_empty",)),
    Case("12", "png-as-html", file("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8), ("unsupported_content",)),
    Case("12", "pdf-as-html", file("doc.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), ("unsupported_content",)),
    Case("12", "empty-body", file("empty.html", b""), ("unsupported_content",)),
    Case("13", "billion-laughs", file("laughs.rss", billion_laughs()), ("unsafe_xml",), absent="lollol"),
    Case("14", "quadratic-blowup", file("quadratic.rss", quadratic_blowup), ("unsafe_xml",)),
    Case("14", "doctype-flood-15MB", file("doctypes.rss", lambda: b"<?xml version='1.0'?><rss>" + b"<!DOCTYPE rss [" * 1_000_000), ("parse_error",)),
    Case("15", "xxe", xxe_feed, ("unsafe_xml",), absent="SECRET-HOST"),
    Case("16", "external-dtd", dtd_feed, (), stored=1, no_connection=True),
    Case("17", "char-ref-out-of-range", file("odd1.rss", rss(rss_item(1, "&#1114112;") + rss_item(2))), ("parse_error",)),
    Case("17", "char-ref-surrogate", file("odd2.rss", rss(rss_item(1, "&#55296;") + rss_item(2))), ("parse_error",)),
    Case("17", "entity-with-backslashes", file("odd3.rss", rss(rss_item(1, "&e;"), '<!DOCTYPE rss [<!ENTITY e "\\\\x\\">]>')), ("unsafe_xml",)),
    Case("18", "truncated-feed", file("cut.rss", rss("".join(rss_item(n) for n in (1, 2, 3)))[:-180]), ("truncated",), stored=2),
    Case("19", "feed-50MB", file("huge.rss", lambda: rss(rss_item(1) * (50 * MiB // 200))), ("too_large",)),
    Case("19", "feed-5000-items", file("many.rss", rss("".join(rss_item(n) for n in range(5000)))), ("too_large",), stored=20,
         options={"max_entries": 20}),
    Case("21", "gzip-bomb-1GiB", file("bomb.html.gz", lambda: gzip_zeros(1024 * MiB)), ("decompression_limit",)),
    Case("22", "gzip-gzip", url("http://127.0.0.1:{port}/gzipgzip"), ("unsupported_content",), options={"allow_private": True}),
    Case("23", "http-gzip-bomb", url("http://127.0.0.1:{port}/bomb"), ("too_large",), options={"allow_private": True}),
    Case("24", "warc-record-bomb", file("bomb.warc", lambda: warc([(story(1).encode(), []), (deflate_zeros(64 * MiB), [("Content-Encoding", "gzip")]), (story(3).encode(), [])], compress=True)),
         ("too_large",), stored=2),
    Case("25", "truncated-warc-gz", file("cut.warc.gz", warc_pages([story(n).encode() for n in (1, 2, 3)], compress=True)[:-60]), ("truncated", "truncated"), stored=2),
    Case("26", "warc-length-too-big", file("long.warc", warc_with_wrong_length(+40)), ("malformed_record",) * 2, stored=1),
    Case("26", "warc-length-too-small", file("short.warc", warc_with_wrong_length(-40)), ("malformed_record",), stored=2),
    Case("26", "warc-garbage", file("junk.warc", b"WARC/1.0\r\nthis is not a header block\r\n\r\n" + b"junk" * 100), ("malformed_record",)),
    Case("27", "jsonl-hostile-lines", file("lines.jsonl", jsonl_hostile_lines()[0]), ("malformed_record",) * jsonl_hostile_lines()[1], stored=2),
    Case("28", "jsonl-9MB-line", file("long.jsonl", lambda: b'{"text": "' + b"x" * (9 * MiB) + b'"}\n{"text": "The vote passed by a wide margin in the lower house."}'),
         ("too_large",), stored=1),
    Case("28", "jsonl-utf16", file("wide.jsonl", '{"text": "The treaty vote passed by a wide margin today."}\r\n'.encode("utf-16")), (), stored=1),
    *[
        Case("29", f"ssrf-{name}", url(template), ("ssrf_blocked",), no_connection=True)
        for name, template in [
            ("loopback", "http://127.0.0.1:{port}/page"),
            ("decimal", "http://2130706433:{port}/page"),
            ("octal", "http://0177.0.0.1:{port}/page"),
            ("short", "http://127.1:{port}/page"),
            ("mapped-v6", "http://[::ffff:127.0.0.1]:{port}/page"),
            ("zero", "http://0.0.0.0:{port}/page"),
        ]
    ],
    *[
        Case("33", f"scheme-{name}", url(template), ("ssrf_blocked",), no_connection=True)
        for name, template in [
            ("file", "file:///etc/hostname"),
            ("gopher", "gopher://127.0.0.1:{port}/"),
            ("ftp", "ftp://127.0.0.1:{port}/x"),
            ("data", "data:text/html,<p>hi</p>"),
            ("userinfo", "http://user:pass@127.0.0.1:{port}/page"),
            ("port-25", "http://127.0.0.1:25/"),
            ("port-6379", "http://127.0.0.1:6379/"),
        ]
    ],
    Case("34", "slow-server", url("http://127.0.0.1:{port}/slow"), ("timeout",), options={"allow_private": True, "timeout": 1.0}),
    Case("34", "endless-body", url("http://127.0.0.1:{port}/endless"), ("too_large",), options={"allow_private": True, "max_bytes": 2 * MiB}),
    Case("F10", "parse-timeout", file("slow.html", deep_article(150_000)), ("timeout",), options={"parse_timeout": 1.0, "max_elements": 10**6}),
]


def good_inputs(tmp_path: Path) -> list[str]:
    folder = tmp_path / "good"
    folder.mkdir()
    paths = []
    for n in (501, 502):
        path = folder / f"good{n}.html"
        path.write_text(story(n), encoding="utf-8")
        paths.append(str(path))
    return paths


def rows_for(kb: KB, sql: str, location: str) -> list[Any]:
    with kb.read() as conn:
        return [row[0] for row in conn.execute(text(sql), {"location": location})]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path, server: CountingServer, kb_url: str) -> None:
    """Every row on every backend: codes returned and stored, no partial rows, neighbours kept."""
    target = case.make(tmp_path, server)
    first, last = good_inputs(tmp_path)
    accepted = server.accepted
    options = IngestOptions(**{"parse_memory": SANDBOX_MEMORY, **case.options})
    with Monitor(kb_url, extract=False) as monitor:
        report = monitor.ingest([first, target, last], options)
        kb = monitor.kb
        assert sorted(r.code for r in report.rejections) == sorted(case.codes)
        assert all(r.location == target for r in report.rejections)
        if case.no_connection:
            assert server.accepted == accepted
        if kb.is_sqlite:
            with kb.read() as conn:
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        codes = rows_for(kb, "SELECT code FROM failures WHERE location = :location ORDER BY 1", target)
        assert codes == sorted(case.codes)
        stored = rows_for(kb, "SELECT DISTINCT article_id FROM sightings WHERE location = :location", target)
        assert len(stored) == case.stored
        for good in (first, last):
            assert len(rows_for(kb, "SELECT article_id FROM sightings WHERE location = :location", good)) == 1
        with kb.read() as conn:
            every_text = [row[0] for row in conn.execute(text("SELECT text FROM articles"))]
        assert all(body.strip() and "\x00" not in body for body in every_text)
        texts = rows_for(
            kb,
            "SELECT a.text || ' ' || coalesce(a.title, '') FROM articles a "
            "JOIN sightings s ON s.article_id = a.id WHERE s.location = :location",
            target,
        )
    if case.contains:
        assert all(case.contains in body for body in texts)
    if case.absent:
        assert not any(case.absent in body for body in texts)
        assert not any(case.absent in r.message for r in report.rejections)


def test_re_ingesting_a_repaired_feed_adds_only_the_missing_entry(tmp_path: Path) -> None:
    """Row 18: the cut feed keeps its complete entries; the whole feed later adds the last one."""
    whole = rss("".join(rss_item(n) for n in (1, 2, 3)))
    path = tmp_path / "feed.rss"
    path.write_bytes(whole[:-180])
    options = IngestOptions(parse_memory=SANDBOX_MEMORY)
    with Monitor(str(tmp_path / "kb.db"), extract=False) as monitor:
        first = monitor.ingest([str(path)], options)
        path.write_bytes(whole)
        second = monitor.ingest([str(path)], options)
        again = monitor.ingest([str(path)], options)
    assert (first.new_articles, second.new_articles, again.new_articles) == (2, 1, 0)
    assert (second.known_articles, again.known_articles) == (2, 3)


def test_re_ingesting_a_repaired_warc_adds_only_the_missing_record(tmp_path: Path) -> None:
    """Row 25: records before the cut are stored once; the repaired archive adds the rest."""
    whole = warc_pages([story(n).encode() for n in (1, 2, 3)], compress=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(whole[:-60])
    with Monitor(str(tmp_path / "kb.db"), extract=False) as monitor:
        first = monitor.ingest([str(path)], IngestOptions(parse_memory=SANDBOX_MEMORY))
        path.write_bytes(whole)
        second = monitor.ingest([str(path)], IngestOptions(parse_memory=SANDBOX_MEMORY))
    assert (first.new_articles, second.new_articles, second.known_articles) == (2, 1, 2)


CLI_ROWS = [c for c in CASES if not c.options and not c.stored and len(c.codes) == 1 and c.make.__name__ == "make"]


def test_cli_names_each_hostile_file_once_with_its_code(tmp_path: Path, server: CountingServer) -> None:
    """The same rows through ``treatywatch ingest``: one stderr line per bad file, goods stored."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    expected = {}
    for case in CLI_ROWS:
        target = Path(case.make(folder, server))
        expected[target.name] = case.codes[0]
    good_inputs(folder)
    db = tmp_path / "kb.db"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db), "--no-extract", "--quiet",
                                      "--keep-off-topic"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(expected)
    named = {Path(line.split(": ")[0].split(" (")[0]).name: line for line in lines}
    assert set(named) == set(expected)
    for name, code in expected.items():
        assert f": {code}: " in named[name]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM failures").fetchone()[0] == len(expected)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
