"""Any byte string decodes: detected encodings are stored, invalid bytes become U+FFFD, controls go."""

from __future__ import annotations

from pathlib import Path

import pytest

from treatywatch.ingest import IngestOptions, read_input
from treatywatch.ingest.decoding import decode_bytes, strip_controls
from treatywatch.models import Article

OPTIONS = IngestOptions()
FRENCH = (
    "Le gouvernement a confirmé mercredi qu'il quittera le traité d'Ottawa, malgré les critiques "
    "des associations de déminage et du comité international."
)


def only_article(tmp_path: Path, name: str, data: bytes) -> Article:
    path = tmp_path / name
    path.write_bytes(data)
    batch = read_input(str(path), OPTIONS)
    assert batch.rejections == ()
    (article,) = batch.articles
    return article


def html_page(body: str, charset: str) -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>Treaty</title></head><body><article>'
        f"<p>{body}</p><p>{body}</p></article></body></html>"
    )


def test_latin1_text_file(tmp_path: Path) -> None:
    article = only_article(tmp_path, "fr.txt", FRENCH.encode("latin-1"))
    assert article.text == FRENCH
    assert article.encoding not in {None, "utf-8"}


def test_latin1_page_labelled_utf8(tmp_path: Path) -> None:
    article = only_article(tmp_path, "fr.html", html_page(FRENCH, "utf-8").encode("latin-1"))
    assert "confirmé mercredi" in article.text and "\ufffd" not in article.text
    assert article.encoding != "utf-8"


def test_declared_legacy_charset(tmp_path: Path) -> None:
    text = "Правительство заявило о выходе из Оттавской конвенции о запрете противопехотных мин."
    article = only_article(tmp_path, "ru.html", html_page(text, "windows-1251").encode("cp1251"))
    assert text in article.text and article.encoding == "cp1251"


def test_gb2312_page_with_english_header(tmp_path: Path) -> None:
    text = "政府宣布退出禁止杀伤人员地雷公约，并表示将在六个月后生效。"
    page = f'<html><head><title>Treaty news</title></head><body><article><p>Treaty update from the region</p><p>{text}</p><p>{text}</p></article></body></html>'
    article = only_article(tmp_path, "cn.html", page.encode("gb2312"))
    assert text in article.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    article = only_article(tmp_path, "u16.txt", FRENCH.encode("utf-16"))
    assert article.text == FRENCH and article.encoding == "utf-16"


def test_utf16_jsonl_with_bom(tmp_path: Path) -> None:
    line = '{"text": "' + FRENCH.replace("'", "’") + '"}\n'
    article = only_article(tmp_path, "u16.jsonl", line.encode("utf-16"))
    assert article.text.startswith("Le gouvernement a confirmé")


def test_invalid_utf8_becomes_replacement_character(tmp_path: Path) -> None:
    data = FRENCH.encode("utf-8") + b" Fin \xff\xfe du texte."
    article = only_article(tmp_path, "bad.txt", data)
    assert article.encoding == "utf-8"
    assert "confirmé" in article.text and "\ufffd" in article.text and article.text.endswith("du texte.")


def test_nul_and_control_bytes_are_stripped(tmp_path: Path) -> None:
    data = b"The treaty\x00 review\x07 began\x1b on Monday, the ministry said.\x00\r\nIt will\x0c end in June."
    article = only_article(tmp_path, "nul.txt", data)
    assert article.text == "The treaty review began on Monday, the ministry said.\nIt will end in June."
    page = html_page("Deminers\x00 cleared\x01 the field near the river over the course of the spring.", "utf-8")
    article = only_article(tmp_path, "nul.html", page.encode())
    assert "\x00" not in article.text and "Deminers cleared the field" in article.text


@pytest.mark.parametrize("data", [bytes(range(256)), b"\xff" * 100, b"\xc3" * 7, b"\xfe\xff\xd8\x00", b"\xef\xbb\xbf\x00"])
def test_decode_never_raises(data: bytes) -> None:
    text, encoding = decode_bytes(data)
    assert isinstance(text, str) and encoding
    assert "\x00" not in strip_controls(text)


def test_latin1_feed_keeps_its_encoding(tmp_path: Path) -> None:
    feed = (
        '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Gazette</title>'
        f"<item><title>Traité</title><link>https://gazette.example/1</link><description>{FRENCH}</description></item>"
        "</channel></rss>"
    )
    article = only_article(tmp_path, "fr.rss", feed.encode("latin-1"))
    assert article.title == "Traité" and article.text == FRENCH
    assert article.encoding == "iso8859-1"
