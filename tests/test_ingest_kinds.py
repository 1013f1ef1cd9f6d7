"""Each input kind read through ``read_input``, and detection by content rather than by name."""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from treatywatch.ingest import IngestOptions, iter_inputs, read_input
from treatywatch.models import article_id_for, sha256_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
OPTIONS = IngestOptions()


def page_html(n: int, site: str = "valleytimes.example") -> bytes:
    """A small article page written for these tests (story differs by ``n``)."""
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Report {n} on mine clearance</title>
<link rel="canonical" href="https://{site}/news/report-{n}">
<meta property="article:published_time" content="2025-03-{n + 1:02d}T08:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>
<h1>Report {n} on mine clearance</h1>
<p>Deminers in the fictional province of Westmark number {n} cleared {n * 100 + 7} anti-personnel
mines from farmland last month, according to the regional authority.</p>
<p>The authority said the work would continue through the summer, weather permitting, and that
{n + 3} villages had been declared safe since the start of the programme.</p>
</article><footer>Contact the newsroom</footer></body></html>""".encode()


def build_warc(records: list[tuple[str, bytes, str]], *, compress: bool = True) -> bytes:
    """A WARC written with warcio's writer: (target URI, payload, content type) per record."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    for uri, payload, content_type in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
        writer.write_record(record)
    return buffer.getvalue()


def test_html_article_page() -> None:
    batch = read_input(str(FIXTURES / "article.html"), OPTIONS, first_seen="2025-06-19T00:00:00+00:00")
    assert batch.rejections == ()
    (article,) = batch.articles
    raw = (FIXTURES / "article.html").read_bytes()
    assert batch.key == f"sha256:{sha256_bytes(raw)}"
    assert article.id == article_id_for(article.text)
    assert article.raw == raw and article.raw_sha256 == sha256_bytes(raw)
    assert article.title == "Baltic parliament votes to leave mine ban treaty"
    assert article.canonical_url == "https://www.northernledger.example/world/2025/06/18/baltic-vote-mine-ban"
    assert article.source is not None and article.source.domain == "northernledger.example"
    assert article.source.name == "Northern Ledger"
    assert article.author == "Ilse Marten"
    assert article.published == "2025-06-18" and article.published_from == "page_metadata"
    assert article.language == "en" and article.encoding == "utf-8" and article.input_kind == "html"
    assert article.first_seen == "2025-06-19T00:00:00+00:00"
    assert dict(article.extractor_versions)["trafilatura"]
    assert "by 104 votes to 12" in article.text
    assert "He said they would follow the treaty until" in article.text
    for furniture in ("Trusted Source", "Photo: Reuters", "Getty Images", "Follow us on", "Tags:", "Read more"):
        assert furniture not in article.text
        assert any(furniture in line for line in article.removed)
    assert "Home" not in article.text.split("\n") and "All rights reserved" not in article.text


def test_rss_feed_entries() -> None:
    batch = read_input(str(FIXTURES / "feed_rss.xml"), OPTIONS)
    assert batch.rejections == ()
    assert [a.title for a in batch.articles] == [
        "Ostmark deposits withdrawal instrument at the UN",
        "Campaigners condemn Ostmark decision",
        "Border barrier plan published",
    ]
    first = batch.articles[0]
    assert first.input_kind == "rss" and first.published_from == "feed"
    assert first.published == "2025-06-27T14:05:00+00:00"
    assert first.url == "https://harbourgazette.example/world/ostmark-deposits-instrument"
    assert first.text.split("\n")[1] == "Under Article 20 the withdrawal takes effect six months later."
    assert first.removed == ("Follow us on Telegram",)
    assert "<p>" not in batch.articles[1].text and "civilians at risk" in batch.articles[1].text
    assert len({a.raw_sha256 for a in batch.articles}) == 3


def test_atom_feed_entries() -> None:
    batch = read_input(str(FIXTURES / "feed_atom.xml"), OPTIONS)
    assert batch.rejections == ()
    assert [a.input_kind for a in batch.articles] == ["atom", "atom"]
    meeting, clearance = batch.articles
    assert meeting.published == "2025-07-01T16:20:00+00:00" and meeting.author == "Tomas Veld"
    assert meeting.removed == ("Read more: Earlier coverage of the meeting",)
    assert clearance.published == "2025-07-02T09:00:00+00:00"
    assert clearance.source is not None and clearance.source.name == "Lakeside Courier"


def test_jsonl_records() -> None:
    batch = read_input(str(FIXTURES / "articles.jsonl"), OPTIONS)
    assert batch.rejections == ()
    texty, htmly, undated = batch.articles
    assert texty.text.endswith("The work took nine months.") and texty.published == "2025-05-02"
    assert texty.published_from == "user" and texty.input_kind == "jsonl"
    assert "debated for six hours" in htmly.text and "<p>" not in htmly.text
    assert htmly.published == "2025-05-03T10:00:00+02:00"
    assert undated.published is None and undated.published_from is None


def test_text_with_sidecar_and_title() -> None:
    batch = read_input(str(FIXTURES / "statement.txt"), OPTIONS)
    (article,) = batch.articles
    assert article.title == "Ministry statement on treaty review"
    assert article.url == "https://ministry.example/press/2025-09-01-review"
    assert article.published == "2025-09-01" and article.published_from == "user"
    assert article.source is not None and article.source.domain == "ministry.example"
    assert article.text.startswith("The Ministry of Foreign Affairs")
    assert article.removed == ("Sign up for our newsletter",)


def test_command_line_metadata_beats_sidecar() -> None:
    options = IngestOptions(published="2025-09-03", url="https://other.example/x")
    (article,) = read_input(str(FIXTURES / "statement.txt"), options).articles
    assert article.published == "2025-09-03" and article.url == "https://other.example/x"


def test_text_without_title(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("The government confirmed the treaty review on Monday.\nIt gave no date.\n")
    (article,) = read_input(str(path), OPTIONS).articles
    assert article.title is None and article.text.startswith("The government confirmed")


def test_gzipped_html_page(tmp_path: Path) -> None:
    raw = (FIXTURES / "article.html").read_bytes()
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(raw))
    (article,) = read_input(str(path), OPTIONS).articles
    assert article.raw == raw and "by 104 votes to 12" in article.text


def test_warc_gz_records(tmp_path: Path) -> None:
    data = build_warc(
        [
            ("https://valleytimes.example/news/report-1", page_html(1), "text/html; charset=utf-8"),
            ("https://valleytimes.example/logo.png", b"\x89PNG\r\n\x1a\n0000", "image/png"),
            ("https://valleytimes.example/news/report-2", page_html(2), "text/html"),
        ]
    )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    batch = read_input(str(path), OPTIONS)
    assert batch.rejections == ()
    assert [a.url for a in batch.articles] == [
        "https://valleytimes.example/news/report-1",
        "https://valleytimes.example/news/report-2",
    ]
    assert all(a.input_kind == "warc" for a in batch.articles)
    assert batch.articles[0].published == "2025-03-02" and batch.articles[0].published_from == "page_metadata"
    assert batch.articles[1].raw == page_html(2)
    assert "107 anti-personnel" in batch.articles[0].text


def test_warc_date_used_when_page_has_none(tmp_path: Path) -> None:
    payload = b"<html><body><article><p>" + b"Officials in Westmark confirmed the count of cleared mines again today. " * 6 + b"</p></article></body></html>"
    path = tmp_path / "plain.warc"
    path.write_bytes(build_warc([("https://nodate.example/a", payload, "text/html")], compress=False))
    (article,) = read_input(str(path), OPTIONS).articles
    assert article.published_from == "warc" and article.published is not None


@pytest.mark.parametrize(("source", "name"), [("article.html", "page.txt"), ("feed_rss.xml", "feed.dat"), ("feed_atom.xml", "feed.xml.bin")])
def test_detection_by_content_not_name(tmp_path: Path, source: str, name: str) -> None:
    shutil.copy(FIXTURES / source, tmp_path / name)
    expected = read_input(str(FIXTURES / source), OPTIONS)
    batch = read_input(str(tmp_path / name), OPTIONS)
    assert [a.input_kind for a in batch.articles] == [a.input_kind for a in expected.articles]
    assert [a.id for a in batch.articles] == [a.id for a in expected.articles]


def test_iter_inputs_expands_folders_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.html").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a.meta.json").write_text("{}")
    (tmp_path / ".hidden").write_text("x")
    (tmp_path / "c.jsonl").write_text("x")
    found = list(iter_inputs([str(tmp_path), "https://news.example/feed", "missing.html"]))
    assert found == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "c.jsonl"),
        str(tmp_path / "b" / "2.html"),
        "https://news.example/feed",
        "missing.html",
    ]


def test_missing_file_is_not_found() -> None:
    batch = read_input("/nonexistent/treatywatch/page.html", OPTIONS)
    assert batch.articles == () and [r.code for r in batch.rejections] == ["not_found"]


def test_same_text_same_id_across_kinds(tmp_path: Path) -> None:
    text = "Ostmark confirmed on Monday that it remains a party to the cluster munitions convention."
    (tmp_path / "a.txt").write_text(text + "\n")
    (tmp_path / "b.jsonl").write_text('{"text": "' + text + '"}\n')
    ids = {read_input(str(tmp_path / n), OPTIONS).articles[0].id for n in ("a.txt", "b.jsonl")}
    assert ids == {article_id_for(text)}
