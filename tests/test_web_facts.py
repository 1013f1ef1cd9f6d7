"""Facts on the web: /api/v1/facts, the facts pages, the review queue by impact, the country timeline."""

from __future__ import annotations

from typing import Any

from test_kb_facts import event, store
from test_web_support import client_for

from treatywatch.kb.users import add_user, create_token


def seeded_facts(kb: Any) -> str:
    """POL's effective withdrawal in three stories; EST's with a date the record contradicts."""
    for domain in ("a.example", "b.example", "c.example"):
        store(kb, [event("2026-02-20")], domain=domain)
    store(kb, [event("2025-06-04", iso3="EST")], domain="d.example")
    store(kb, [event("2025-06-05", iso3="EST")], domain="e.example")
    store(kb, [event("2025-04-01", type="treaty_withdrawal_announced", iso3="FIN")], domain="f.example")
    add_user(kb, "ana", "correct horse battery staple 42")
    return create_token(kb, "ana", days=1)["token"]


def test_api_lists_facts_with_support_and_expands_to_claims_and_quotes(kb: Any) -> None:
    seeded_facts(kb)
    with client_for(kb) as c:
        body = c.get("/api/v1/facts", params={"state": "POL", "expand": "claims"}).json()
    [fact] = body["items"]
    assert fact["stories"] == 3 and fact["date"] == "2026-02-20"
    assert fact["reference"]["state"] == "agrees"
    assert len(fact["claims"]) == 3 and len(fact["quotes"]) == 3


def test_api_orders_facts_that_would_change_a_status_first(kb: Any) -> None:
    seeded_facts(kb)
    with client_for(kb) as c:
        items = c.get("/api/v1/facts", params={"pending": "true"}).json()["items"]
    assert items[0]["actor_iso3"] == "EST" and items[0]["changes_status"]
    assert items[0]["conflict"] and items[0]["reference"]["state"] == "contradicts"
    assert [i["actor_iso3"] for i in items] == ["EST", "POL", "FIN"]


def test_api_review_of_a_fact_needs_an_analyst_and_reviews_its_claims(kb: Any) -> None:
    token = seeded_facts(kb)
    with client_for(kb) as c:
        fact = c.get("/api/v1/facts", params={"state": "POL"}).json()["items"][0]
        anonymous = c.post(f"/api/v1/facts/{fact['id']}/review", json={"state": "accepted"})
        assert anonymous.status_code in (401, 403)
        done = c.post(f"/api/v1/facts/{fact['id']}/review", json={"state": "accepted"},
                      headers={"authorization": f"Bearer {token}"})
        assert done.status_code == 200, done.text
        shown = c.get(f"/api/v1/facts/{fact['id']}").json()
        pending = c.get("/api/v1/facts", params={"pending": "true"}).json()["items"]
    assert shown["review_state"] == "accepted"
    assert {cl["review_state"] for cl in shown["claims"]} == {"accepted"}
    assert fact["id"] not in {p["id"] for p in pending}


def test_api_unknown_fact_is_404(kb: Any) -> None:
    with client_for(kb) as c:
        assert c.get("/api/v1/facts/" + "0" * 64).status_code == 404


def test_pages_show_facts_queue_and_conflicts(kb: Any) -> None:
    seeded_facts(kb)
    with client_for(kb) as c:
        dashboard = c.get("/").text
        queue = c.get("/review/facts").text
        facts_page = c.get("/facts", params={"conflicts": "true"}).text
        country = c.get("/countries/EST").text
    assert "3 stories" in dashboard
    assert queue.index("EST") < queue.index("POL") and "would change a status" in queue
    assert "contradicts the legal record" in facts_page and "POL" not in facts_page.split("<main")[-1]
    assert "pt-conflict" in country and "conflict-link" in country


def test_alerts_are_listed_and_in_an_atom_feed(kb: Any) -> None:
    from xml.etree import ElementTree

    from treatywatch.kb import watch as kb_watch

    seeded_facts(kb)
    kb_watch.record_alert(kb, "a" * 64, "pol", "new fact: POL <withdrawal>", {"link": "/facts/xyz"}, fact_id="xyz")
    with client_for(kb) as c:
        page = c.get("/alerts").text
        feed = c.get("/alerts.atom")
    assert "new fact: POL &lt;withdrawal&gt;" in page
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [entry] = root.findall("a:entry", ns)
    assert entry.find("a:title", ns).text == "new fact: POL <withdrawal>"
    assert entry.find("a:link", ns).get("href").endswith("/facts/xyz")
