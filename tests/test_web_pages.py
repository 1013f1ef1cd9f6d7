"""Server-rendered pages: what they show, and that article text never becomes markup."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from test_web_support import POL_TEXT, sign_in

import treatywatch.web
from treatywatch.web.highlight import highlight
from treatywatch.web.timeline import timeline_svg


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>", html, flags=re.I)


def test_dashboard_lists_claims_with_filters_and_counts(client: Any) -> None:
    page = client.get("/").text
    assert 'class="type type-treaty_withdrawal_announced"' in page
    assert 'class="type type-treaty_withdrawal_approved"' in page
    assert '<option value="APMBT"' in page and "(3)" in page  # three APMBT claims
    assert "<strong>3</strong> articles" in page
    only_pol = client.get("/", params={"state": "POL"}).text
    assert 'class="type type-treaty_withdrawal_approved"' not in only_pol
    assert 'class="type type-production_planned"' in only_pol
    refused = client.get("/", params={"since": "garbage"}, headers={"accept": "text/html"})
    assert refused.status_code == 422 and "invalid fields: since" in refused.text


def test_article_page_escapes_everything_from_the_article(client: Any, seeded: dict[str, Any]) -> None:
    page = client.get(f"/articles/{seeded['ltu']}").text
    assert _scripts(page) == ['<script src="/static/app.js" defer>']
    assert "<img" not in page and "<b>Vilnius" not in page
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Mines report" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;script&gt;alert(&#39;removed&#39;)&lt;/script&gt;" in page  # removed furniture, shown apart
    assert "&lt;b&gt;Vilnius&lt;/b&gt;" in page  # a claim field from the article


def test_article_page_highlights_findings(client: Any, seeded: dict[str, Any]) -> None:
    page = client.get(f"/articles/{seeded['pol']}").text
    assert re.search(r'<span class="ent ent-state[^"]*" title="STATE: Poland \(state:POL\)[^"]*">Poland</span>', page)
    assert 'title="quantity: 1000000' in page
    assert "direct quote — Pavel Zalewski" in page
    assert 'class="evidence"' in page and "event: treaty_withdrawal_announced · POL · APMBT" in page
    assert "Subscribe to our newsletter" in page
    assert "Claims from this article (2)" in page


def test_highlight_keeps_text_and_nests_safely() -> None:
    doc = {"entities": [{"type": "STATE", "name": "Poland", "id": "state:POL", "mentions": [[0, 6], [5, 200]]}],
           "quotes": [{"span": [0, 40], "kind": "direct", "speaker_name": "<x>"}],
           "events": [{"type": "t", "evidence": {"span": [-1, 3]}}]}
    html = str(highlight(POL_TEXT, doc))
    assert re.sub(r"<[^>]+>", "", html).replace("&#39;", "'").replace("&#34;", '"') == POL_TEXT
    assert html.count("<span") == html.count("</span>")
    assert "&lt;x&gt;" in html
    assert str(highlight("<i>a</i>", None)) == "&lt;i&gt;a&lt;/i&gt;"


def test_country_page_shows_status_timeline_claims_and_quotes(client: Any) -> None:
    page = client.get("/countries/pol", params={"on": "2026-06-01"}).text
    assert "<svg class=\"timeline\"" in page and "production planned" in page
    assert "Pavel Zalewski" in page and "We cannot wait any longer" in page
    assert 'id="status-APMBT"' in page and "Why" in page
    assert client.get("/countries/POLAND").status_code == 404


def test_timeline_svg_escapes_labels() -> None:
    svg = str(timeline_svg([{"type": "use_alleged", "date": "2025-03", "sentence": "<script>x</script>",
                             "review_state": "new", "article_id": "abc"}]))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
    assert str(timeline_svg([])) == ""


def test_review_page_shows_who_reviewed_and_when(client: Any, seeded: dict[str, Any]) -> None:
    queue = client.get("/review").text
    assert queue.count('class="claim review-item"') == 4
    assert "sign in</a> to review" in queue
    csrf = sign_in(client)
    claim = seeded["claims"]["treaty_withdrawal_announced"]
    client.post(f"/review/{claim}", data={"action": "accept", "csrf_token": csrf})
    assert client.get("/review").text.count('class="claim review-item"') == 3
    accepted = client.get("/review", params={"review_state": "accepted"}).text
    assert re.search(r"accepted by ana at \d{4}-\d\d-\d\dT", accepted)


def test_search_page(client: Any, seeded: dict[str, Any]) -> None:
    page = client.get("/search", params={"q": "Vilnius"}).text
    assert f"/articles/{seeded['ltu']}" in page and "Officials in" in page
    assert "No article contains" in client.get("/search", params={"q": "zzzz"}).text
    assert _scripts(client.get("/search", params={"q": "<script>alert(1)</script>"}).text) == [
        '<script src="/static/app.js" defer>']


def test_pages_link_only_local_assets(client: Any) -> None:
    page = client.get("/").text
    for url in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert not url.startswith(("http:", "https:", "//")), url
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "keydown" in js.text


def test_sources_page_and_trust_form(client: Any, seeded: dict[str, Any]) -> None:
    pytest.importorskip("treatywatch.kb.sources")
    page = client.get("/sources").text
    assert "wire.example" in page and "farm.example" in page
    csrf = sign_in(client)
    done = client.post("/sources/farm.example/trust", data={"level": "untrusted", "csrf_token": csrf})
    assert "farm.example is now untrusted (set by ana)." in done.text
    api = client.get("/api/v1/sources/farm.example").json()
    assert api["trust"] == "untrusted"
    assert client.post("/sources/farm.example/trust", data={"level": "evil", "csrf_token": csrf}).status_code == 400


def test_web_never_imports_nlp() -> None:
    root = Path(treatywatch.web.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.startswith("treatywatch.nlp") for n in names), path


def test_story_siblings_and_story_page(client: Any, seeded: dict[str, Any]) -> None:
    article = client.get(f"/articles/{seeded['pol']}").text
    assert f'/stories/{seeded["story"]}' in article and "Poland will quit mine treaty" in article
    story = client.get(f"/stories/{seeded['story']}").text
    assert "Articles (2)" in story and "similarity 0.91" in story and "wire.example" in story
    assert client.get("/stories/nope").status_code == 404
    listed = client.get("/api/v1/stories").json()["items"]
    assert [s["id"] for s in listed] == [seeded["story"]]
    assert "2 articles" in client.get("/stories").text
