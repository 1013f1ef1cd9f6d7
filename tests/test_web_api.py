"""The REST API under /api/v1 through FastAPI's TestClient on a real SQLite kb."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from test_web_support import client_for

CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def test_claims_list_filters_and_paginates(client: Any, seeded: dict[str, Any]) -> None:
    everything = client.get("/api/v1/claims").json()
    assert {c["actor_iso3"] for c in everything["items"]} == {"POL", "LTU"}
    assert len(everything["items"]) == 4 and everything["next"] is None
    pol = client.get("/api/v1/claims", params={"state": "pol"}).json()["items"]
    assert {c["type"] for c in pol} == {"treaty_withdrawal_announced", "production_planned"}
    typed = client.get("/api/v1/claims", params={"type": "production_planned"}).json()["items"]
    assert [c["weapon"] for c in typed] == ["anti-personnel mine"]
    assert client.get("/api/v1/claims", params={"since": "2025-06-23", "until": "2025-06-23"}).json()["items"][0][
        "type"] == "treaty_withdrawal_approved"
    first = client.get("/api/v1/claims", params={"limit": 3}).json()
    assert len(first["items"]) == 3 and f"cursor={first['next']}" in first["next_url"]
    rest = client.get(first["next_url"]).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    same = client.get("/api/v1/claims", params={"limit": 3, "cursor": first["next"]}).json()
    assert same["items"] == rest["items"]
    assert [c["id"] for c in first["items"] + rest["items"]] == [c["id"] for c in everything["items"]]


def test_date_filters_compare_at_their_grain_and_refuse_impossible_dates(client: Any) -> None:
    june = client.get("/api/v1/claims", params={"until": "2025-06"}).json()["items"]
    assert {c["date"] for c in june} >= {"2025-06-20", "2025-06-23"}
    links = client.get("/api/v1/claims", params={"since": "2025-06", "limit": 1}).json()["next_url"]
    assert "since=2025-06&" in links
    for path, name in (("/api/v1/claims", "until"), ("/api/v1/claims", "since"), ("/api/v1/articles", "since")):
        refused = client.get(path, params={name: "2025-02-30"})
        assert refused.status_code == 400 and f"invalid {name}" in refused.json()["error"]["message"]


@pytest.mark.parametrize("params", [{"state": "POLAND"}, {"since": "June"}, {"review_state": "maybe"},
                                    {"limit": 0}, {"limit": 501}, {"type": "a b"}, {"offset": 10_000_000},
                                    {"cursor": "not a cursor"}, {"cursor": "bm90LWpzb24"}, {"cursor": "WzFd"}])
def test_claims_bad_filters_are_client_errors(client: Any, params: dict[str, Any]) -> None:
    response = client.get("/api/v1/claims", params=params)
    assert response.status_code in (400, 422)
    assert "error" in response.json()


def test_claims_exports_csv_and_json(client: Any) -> None:
    response = client.get("/api/v1/claims.csv", params={"state": "LTU"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["type"] for r in rows} == {"treaty_withdrawal_approved", "other_treaty_event"}
    assert {r["place"] for r in rows} == {"", "<b>Vilnius</b>"}
    same = client.get("/api/v1/claims", params={"state": "LTU", "format": "csv"})
    assert list(csv.DictReader(io.StringIO(same.text))) == rows
    exported = client.get("/api/v1/claims", params={"format": "json", "state": "LTU"})
    assert "attachment" in exported.headers["content-disposition"]
    assert sorted(c["id"] for c in exported.json()) == sorted(r["id"] for r in rows)


def test_article_with_extraction_and_claims(client: Any, seeded: dict[str, Any]) -> None:
    article = client.get(f"/api/v1/articles/{seeded['pol']}").json()
    assert article["extraction"]["schema"] == "treatywatch.extraction/1"
    assert len(article["claims"]) == 2
    assert article["removed"] == ["Subscribe to our newsletter", "Add us as a trusted source"]
    by_prefix = client.get(f"/api/v1/articles/{seeded['pol'][:10]}").json()
    assert by_prefix["id"] == seeded["pol"]
    assert client.get("/api/v1/articles/ffffffffff").status_code == 404
    listed = client.get("/api/v1/articles", params={"source": "farm.example"}).json()["items"]
    assert [a["id"] for a in listed] == [seeded["ltu"]]


def test_state_status_comes_from_the_engine(client: Any) -> None:
    state = client.get("/api/v1/states/POL", params={"on": "2026-06-01"}).json()
    assert state["iso3"] == "POL"
    by_treaty = {r["treaty"]: r for r in state["treaties"]}
    assert list(by_treaty) == ["APMBT", "CCM"] and by_treaty["APMBT"]["reasons"]
    assert by_treaty["APMBT"]["status"] == "withdrawn" and state["name"] == "Poland"
    assert {c["type"] for c in state["claims"]} == {"treaty_withdrawal_announced", "production_planned"}
    assert client.get("/api/v1/states/PO1").status_code == 404
    unknown = client.get("/api/v1/states/ZZZ")
    assert unknown.status_code == 404 and "unknown state 'ZZZ'" in unknown.json()["error"]["message"]
    assert client.get("/api/v1/states/POL", params={"on": "tomorrow"}).status_code == 422
    assert client.get("/api/v1/states/POL", params={"on": "2025-02-30"}).status_code == 400


def test_search_finds_articles_and_claims_and_escapes_wildcards(client: Any, seeded: dict[str, Any]) -> None:
    found = client.get("/api/v1/search", params={"q": "ottawa"}).json()
    assert {a["id"] for a in found["articles"]} == {seeded["pol"], seeded["ltu"], seeded["copy"]}
    assert {c["type"] for c in found["claims"]} >= {"treaty_withdrawal_announced", "treaty_withdrawal_approved"}
    assert client.get("/api/v1/search", params={"q": "%"}).json() == {"articles": [], "claims": []}
    assert client.get("/api/v1/search", params={"q": "x" * 201}).status_code == 422


def test_security_headers_on_every_response(client: Any) -> None:
    for path in ("/", "/api/v1/claims", "/nope", "/static/style.css", "/api/v1/articles/zz"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_unknown_host_is_refused(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as c:
        assert c.get("/", headers={"host": "evil.example"}).status_code == 400
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
    with client_for(seeded["kb"], allowed_hosts=("monitor.lan",)) as c:
        assert c.get("/api/v1/claims", headers={"host": "monitor.lan"}).status_code == 200


def test_body_size_limit_gives_413(client: Any, seeded: dict[str, Any]) -> None:
    headers = {"authorization": f"Bearer {seeded['token']}", "content-type": "application/json"}
    big = b'{"state": "accepted", "note": "' + b"x" * (3 * 1024 * 1024) + b'"}'
    response = client.post(f"/api/v1/claims/{'a' * 64}/review", content=big, headers=headers)
    assert response.status_code == 413
    assert response.headers["content-security-policy"] == CSP

    def chunks() -> Any:
        for _ in range(40):
            yield b"y" * 100_000

    streamed = client.post(f"/api/v1/claims/{'a' * 64}/review", content=chunks(), headers=headers)
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "body",
    [{"state": False}, {"state": "accepted", "extra": 1}, {"state": "approved"},
     {"state": "corrected", "correction": {"confidence": "1"}}, {"state": "accepted", "note": "a\x00b"},
     {"state": "corrected", "correction": {"actor": "x" * 1000}}, {"state": "accepted", "note": 5},
     {"state": "accepted", "note": "\ud800"}, {"state": "corrected"}, {"state": "corrected", "correction": {}},
     {"state": "accepted", "correction": {"actor": "Poland"}}, {"state": "corrected", "correction": {"actor": "a\x00"}}],
)
def test_schema_violating_review_bodies_are_422(client: Any, seeded: dict[str, Any], body: dict[str, Any]) -> None:
    claim = next(iter(seeded["claims"].values()))
    response = client.post(f"/api/v1/claims/{claim}/review", content=json.dumps(body),  # ASCII: keeps \ud800
                           headers={"authorization": f"Bearer {seeded['token']}", "content-type": "application/json"})
    assert response.status_code == 422
    assert client.get(f"/api/v1/claims/{claim}").json()["review_state"] == "new"


def test_a_corrected_date_must_be_a_real_date(client: Any, seeded: dict[str, Any]) -> None:
    claim = next(iter(seeded["claims"].values()))
    headers = {"authorization": f"Bearer {seeded['token']}"}
    body = {"state": "corrected", "correction": {"date": "9999-99-99"}}
    refused = client.post(f"/api/v1/claims/{claim}/review", json=body, headers=headers)
    assert refused.status_code == 400 and "not a real date" in refused.json()["error"]["message"]
    assert client.get(f"/api/v1/claims/{claim}").json()["review_state"] == "new"
    body["correction"]["date"] = "2025-08"
    assert client.post(f"/api/v1/claims/{claim}/review", json=body, headers=headers).json()["date"] == "2025-08"


def test_openapi_documents_the_stable_addresses(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/articles", "/api/v1/articles/{article_id}", "/api/v1/claims", "/api/v1/claims.csv",
                 "/api/v1/states/{iso3}", "/api/v1/stories", "/api/v1/sources",
                 "/api/v1/claims/{claim_id}/review", "/api/v1/sources/{domain}/trust"):
        assert path in spec["paths"], path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/claims/{claim_id}/review" in docs.text
    assert "<script" not in docs.text.replace('<script src="/static/app.js" defer></script>', "")


def test_docs_can_be_turned_off(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"], docs=False) as c:
        assert c.get("/docs").status_code == 404
        assert c.get("/openapi.json").status_code == 404


def test_closed_reads_need_an_analyst(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"], open_reads=False) as c:
        assert c.get("/api/v1/claims").status_code == 401
        ok = c.get("/api/v1/claims", headers={"authorization": f"Bearer {seeded['token']}"})
        assert ok.status_code == 200 and len(ok.json()["items"]) == 4
        assert c.get("/login").status_code == 200


def test_huge_forms_are_refused_not_crashing(seeded: dict[str, Any]) -> None:
    from test_web_support import sign_in

    with client_for(seeded["kb"]) as c:
        csrf = sign_in(c)
        fields = "&".join(f"claim_ids={i:064d}" for i in range(10_000))
        for path in ("/review-bulk", "/login"):
            response = c.post(path, content=f"csrf_token={csrf}&action=accept&{fields}",
                              headers={"content-type": "application/x-www-form-urlencoded"})
            assert response.status_code in (400, 413), (path, response.status_code)


def test_correctable_fields_match_the_kb() -> None:
    from treatywatch.kb.claims import CORRECTABLE_FIELDS
    from treatywatch.web.api_models import CorrectionIn

    assert tuple(CorrectionIn.model_fields) == CORRECTABLE_FIELDS
