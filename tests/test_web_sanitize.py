"""The sanitised "original page" view (docs/reliability.md#bad-inputs row 9): nothing executable survives nh3."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_web_support import client_for, seed_kb

from treatywatch.kb.articles import store_batch
from treatywatch.models import Article, InputBatch, Source, article_id_for
from treatywatch.web.sanitize import clean_html, decode_page, original_of

HOSTILE_PAGE = """<!doctype html><html><head><title>t</title><style>body{background:url(javascript:x)}</style>
<script>alert('head')</script><base href="https://evil.example/"></head>
<body onload="alert('body')">
<h1 style="color:red" onclick="alert('h1')">Lithuania leaves the mine ban</h1>
<p>The parliament voted <b>107</b> to 3. <a href="javascript:alert('link')">more</a>
<a href="JaVaScRiPt:alert('mixed')">mixed case</a> <a href="&#106;avascript:alert('entity')">entity</a>
<a href=" javascript:alert('space')">space</a> <a href="data:text/html,<script>alert(1)</script>">data</a>
<a href="vbscript:msgbox(1)">vb</a> <a href="/news/vote">the vote</a> <a href="mailto:desk@paper.example">desk</a></p>
<img src=x onerror="alert('img')"><svg onload="alert('svg')"><script>alert('in svg')</script></svg>
<iframe srcdoc="<script>alert('srcdoc')</script>">frame fallback</iframe>
<object data="x.swf"></object><embed src="x.swf"><math><mtext>m</mtext></math>
<form action="https://evil.example/"><input name="q" onfocus="alert('input')" autofocus><button>go</button></form>
<div><!-- <script>alert('comment')</script> --><p title="x" style="display:none" onmouseover="alert('over')">end</p></div>
<table><tr><td colspan="9007199254740991" rowspan="2">cell</td></tr></table>
<noscript><img src=x onerror=alert('noscript')></noscript><template><script>alert('tpl')</script></template>
</body></html>"""

EXECUTABLE = re.compile(r"<\s*(script|style|iframe|object|embed|svg|math|form|input|img|base|template)\b"
                        r"|\son[a-z]+\s*=|\sstyle\s*=|\ssrcdoc\s*=|javascript:|vbscript:|data:", re.I)


def test_sanitiser_keeps_text_and_drops_everything_executable() -> None:
    cleaned = str(clean_html(HOSTILE_PAGE, "https://paper.example/news/2025/ltu.html"))
    assert EXECUTABLE.search(cleaned) is None, EXECUTABLE.search(cleaned)
    assert "alert" not in cleaned
    assert "Lithuania leaves the mine ban" in cleaned and "<b>107</b>" in cleaned and "cell" in cleaned
    assert '<a href="https://paper.example/news/vote" rel="noopener noreferrer nofollow">the vote</a>' in cleaned
    assert 'href="mailto:desk@paper.example"' in cleaned
    hrefs = re.findall(r'href="([^"]*)"', cleaned)
    assert hrefs and all(h.startswith(("https://", "http://", "mailto:")) for h in hrefs)
    assert all('rel="noopener noreferrer nofollow"' in a for a in re.findall(r"<a\b[^>]*>", cleaned))
    assert "colspan" not in cleaned and 'rowspan="2"' in cleaned


def test_relative_links_are_dropped_without_a_web_base() -> None:
    cleaned = str(clean_html('<a href="/logout">out</a><a href="https://ok.example/">ok</a>', "file:///tmp/x"))
    assert "/logout" not in cleaned and 'href="https://ok.example/"' in cleaned


def test_decoding_uses_the_detected_encoding_and_replaces_bad_bytes() -> None:
    assert decode_page("Łódź".encode("iso-8859-2"), "iso-8859-2") == "Łódź"
    assert decode_page(b"a\xffb\x00c", "no-such-codec") == "a\ufffdb\ufffdc"


def test_original_views_by_input_kind() -> None:
    feed = json.dumps({"content": "<p onclick='x()'>Entry <script>alert(1)</script>body</p>", "type": "text/html"})
    shown = original_of(feed.encode(), "rss", "utf-8", None)
    assert shown.html is not None and str(shown.html) == "<p>Entry body</p>"
    plain = original_of(json.dumps({"content": "<b>not markup</b>", "type": "text/plain"}).encode(), "atom",
                        None, None)
    assert plain.html is None and plain.text == "<b>not markup</b>"
    missing = original_of(None, "jsonl", None, None)
    assert missing.html is None and missing.text is None and "No original input" in missing.note


def store_page(kb: Any, raw: bytes, kind: str = "html") -> str:
    text = "Lithuania leaves the mine ban. The parliament voted 107 to 3 on the withdrawal from the Ottawa Convention."
    article = Article(
        id=article_id_for(text), text=text, url="https://paper.example/news/2025/ltu.html",
        source=Source("paper.example", "Paper"), title="Lithuania leaves the mine ban", published="2025-06-24",
        published_from="user", language="en", raw=raw, raw_sha256=hashlib.sha256(raw).hexdigest(),
        input_kind=kind, encoding="utf-8",
    )
    store_batch(kb, InputBatch(location="test-raw", key="test-raw", articles=(article,)))
    return article.id


@pytest.fixture()
def seeded(tmp_path: Path) -> Any:
    data = seed_kb(tmp_path / "kb.db")
    data["page"] = store_page(data["kb"], HOSTILE_PAGE.encode())
    yield data
    data["kb"].close()


def test_original_page_over_http_is_sanitised_and_under_csp(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        article = client.get(f"/articles/{seeded['page']}")
        assert f'href="/articles/{seeded["page"]}/original"' in article.text
        response = client.get(f"/articles/{seeded['page']}/original")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    start = response.text.index('<div class="original-page">')
    shown = response.text[start: response.text.index("</main>") if "</main>" in response.text else None]
    assert "Lithuania leaves the mine ban" in shown and "the vote" in shown
    assert EXECUTABLE.search(shown) is None and "alert" not in shown
    # The page's only scripts are the app's own.
    assert re.findall(r"<script\b[^>]*>", response.text) == ['<script src="/static/app.js" defer>']


def test_original_page_without_stored_input_says_so(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        response = client.get(f"/articles/{seeded['pol']}/original")
        assert response.status_code == 200 and "No original input was stored" in response.text
        assert 'class="original-page"' not in response.text
        assert "stored original" not in client.get(f"/articles/{seeded['pol']}").text
        assert client.get("/articles/ffffffffffff/original").status_code == 404
