"""Issue 15, items 2 and 4 through the web app: no offsets, exports in bounded streamed pieces,
words instead of wildcards, and every read under the time limit."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_web_queries import _random_kb
from test_web_support import client_for

from treatywatch.kb.claims import list_claims


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    kb = _random_kb(tmp_path_factory.mktemp("many") / "kb.db")
    yield kb
    kb.close()


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/articles", "/api/v1/stories", "/api/v1/sources"])
def test_offset_is_refused_not_read(many: Any, path: str) -> None:
    with client_for(many) as client:
        response = client.get(path, params={"limit": 50, "offset": 10_000_000})
    assert response.status_code == 400 and "cursor" in response.json()["error"]["message"]


@pytest.mark.parametrize("path", ["/", "/review", "/stories", "/sources"])
def test_pages_walk_by_cursor(many: Any, path: str) -> None:
    with client_for(many) as client:
        first = client.get(path)
        assert first.status_code == 200
        if 'rel="next"' in first.text:
            link = first.text.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
            assert "cursor=" in link
            assert client.get(path + link).status_code == 200
        assert client.get(path, params={"page": 100_000}).status_code == 200  # an old link: the first page


def test_api_pages_walk_every_claim_once(many: Any) -> None:
    walked: list[str] = []
    with client_for(many) as client:
        url: str | None = "/api/v1/claims?limit=100"
        while url:
            body = client.get(url).json()
            walked += [c["id"] for c in body["items"]]
            url = body["next_url"]
    assert walked == [c["id"] for c in list_claims(many)]


def test_exports_are_streamed_in_bounded_pieces_that_link_to_the_next(many: Any) -> None:
    everything = [c["id"] for c in list_claims(many)]
    with client_for(many) as client:
        assert client.get("/api/v1/claims", params={"format": "json", "limit": 10_001}).status_code == 422
        assert client.get("/api/v1/claims.csv", params={"limit": 100_000}).status_code == 422
        got: list[str] = []
        url: str | None = "/api/v1/claims?format=json&limit=200"
        while url:
            response = client.get(url)
            assert "content-length" not in response.headers  # streamed, not built whole
            got += [c["id"] for c in json.loads(response.text)]
            link = response.headers.get("link")
            url = link.split(">", 1)[0].lstrip("<") if link else None
        assert got == everything
        exported = client.get("/api/v1/claims.csv", params={"limit": 150})
        rows = list(csv.DictReader(io.StringIO(exported.text)))
        assert [r["id"] for r in rows] == everything[:150]
        rest = client.get(exported.headers["link"].split(">", 1)[0].lstrip("<"))
        assert [r["id"] for r in csv.DictReader(io.StringIO(rest.text))] == everything[150:300]


@pytest.mark.parametrize("q", ["%", "_", "%%", "__", "%_%"])
def test_wildcards_find_nothing(many: Any, q: str) -> None:
    with client_for(many) as client:
        articles = client.get("/api/v1/articles", params={"q": q, "limit": 500}).json()
        claims = client.get("/api/v1/claims", params={"q": q, "limit": 500}).json()
        found = client.get("/api/v1/search", params={"q": q}).json()
    assert articles["items"] == [] and claims["items"] == []
    assert found == {"articles": [], "claims": []}


def test_words_find_articles_and_claims(many: Any) -> None:
    with client_for(many) as client:
        articles = client.get("/api/v1/articles", params={"q": "sentence 7-1"}).json()["items"]
        claims = client.get("/api/v1/claims", params={"q": "sentence 7-1"}).json()["items"]
    assert [a["url"] for a in articles] == ["https://o0.example/7"]
    assert {c["sentence"] for c in claims} == {"Sentence 7-1 about mines."}


@pytest.mark.parametrize("path", ["/api/v1/claims", "/api/v1/sources", "/api/v1/articles?q=mines", "/", "/sources",
                                  "/countries/POL", "/api/v1/states/POL", "/treaties/APMBT"])
def test_every_read_stops_at_the_time_limit(many: Any, path: str) -> None:
    with client_for(many, read_time_limit=1e-9) as client:
        response = client.get(path, headers={"accept": "application/json"})
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    many.read_time_limit = None


def test_the_app_bounds_every_read_of_its_kb(tmp_path: Path) -> None:
    from treatywatch.web.app import create_app
    from treatywatch.web.settings import WebSettings

    app = create_app(str(tmp_path / "kb.db"), settings=WebSettings(read_time_limit=0.5))
    assert app.state.kb.read_time_limit == 0.5
    app.state.kb.close()
