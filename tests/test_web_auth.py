"""Who may write: accounts, tokens, sessions, CSRF (docs/reliability.md#bad-inputs row 36) and the users CLI."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from test_web_support import PASSWORD, client_for, sign_in
from typer.testing import CliRunner

from treatywatch.cli import app as cli_app
from treatywatch.kb import users as users_store
from treatywatch.kb.claims import get_claim, reviews_of
from treatywatch.kb.store import open_kb


def _claim(seeded: dict[str, Any], kind: str = "treaty_withdrawal_announced") -> str:
    return str(seeded["claims"][kind])


def test_passwords_are_hashed_and_checked(seeded: dict[str, Any]) -> None:
    kb = seeded["kb"]
    assert users_store.authenticate(kb, "ana", PASSWORD)
    assert not users_store.authenticate(kb, "ana", PASSWORD + "!")
    assert not users_store.authenticate(kb, "nobody", PASSWORD)
    stored = users_store.hash_password("s3cret-pass")
    assert stored.startswith("scrypt$") and "s3cret-pass" not in stored
    assert users_store.hash_password("s3cret-pass") != stored  # salted
    with pytest.raises(users_store.UserError):
        users_store.add_user(kb, "ana", "another password")
    with pytest.raises(users_store.UserError):
        users_store.add_user(kb, "bob", "short")
    with pytest.raises(users_store.UserError):
        users_store.add_user(kb, "bad name!", "long enough pw")


def test_tokens_are_hashed_and_expire(seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    kb = seeded["kb"]
    token = seeded["token"]
    assert users_store.user_for_token(kb, token) == "ana"
    assert users_store.user_for_token(kb, token + "x") is None
    assert users_store.list_users(kb)[0]["tokens"] == 1
    monkeypatch.setattr(users_store, "utcnow", lambda: "2999-01-01T00:00:00+00:00")
    assert users_store.user_for_token(kb, token) is None
    with pytest.raises(users_store.UserError):
        users_store.create_token(kb, "ana", days=0)
    with pytest.raises(users_store.UserError):
        users_store.create_token(kb, "ghost", days=3)


def _session_client(seeded: dict[str, Any]) -> tuple[Any, str]:
    client = client_for(seeded["kb"])
    return client, sign_in(client)


# The header-based matrix: cookie cross-site 403, Bearer alone allowed, Bearer + cookie 403, Basic 403.
@pytest.mark.parametrize(
    "case,expected",
    [
        ("cookie_cross_origin", 403),
        ("cookie_cross_site_fetch", 403),
        ("cookie_same_origin_with_csrf", 200),
        ("cookie_without_csrf", 403),
        ("bearer_only", 200),
        ("bearer_and_cookie", 403),
        ("basic", 403),
        ("anonymous", 401),
        ("bad_bearer", 401),
    ],
)
def test_write_matrix(seeded: dict[str, Any], case: str, expected: int) -> None:
    claim = _claim(seeded)
    bearer = {"authorization": f"Bearer {seeded['token']}"}
    with client_for(seeded["kb"]) as client:
        headers: dict[str, str] = {}
        if case.startswith("cookie") or case == "bearer_and_cookie":
            csrf = sign_in(client)
            headers = {"x-csrf-token": csrf}
        if case == "cookie_cross_origin":
            headers["origin"] = "http://evil.example"
        elif case == "cookie_cross_site_fetch":
            headers["sec-fetch-site"] = "cross-site"
        elif case == "cookie_same_origin_with_csrf":
            headers.update({"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"})
        elif case == "cookie_without_csrf":
            headers.pop("x-csrf-token")
        elif case in ("bearer_only", "bearer_and_cookie"):
            headers.update(bearer)
        elif case == "basic":
            headers["authorization"] = "Basic " + base64.b64encode(f"ana:{PASSWORD}".encode()).decode()
        elif case == "bad_bearer":
            headers["authorization"] = "Bearer tw_not-a-token"
        response = client.post(f"/api/v1/claims/{claim}/review", json={"state": "accepted"}, headers=headers)
    assert response.status_code == expected, response.text
    state = get_claim(seeded["kb"], claim)
    assert state is not None
    assert state["review_state"] == ("accepted" if expected == 200 else "new")


def test_token_review_records_who_and_correction(seeded: dict[str, Any]) -> None:
    claim = _claim(seeded, "production_planned")
    with client_for(seeded["kb"]) as client:
        response = client.post(
            f"/api/v1/claims/{claim}/review",
            json={"state": "corrected", "correction": {"date": "2028"}, "note": "minister said 2028 later"},
            headers={"authorization": f"Bearer {seeded['token']}"},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["date"] == "2028" and body["extracted"] == {"date": "2027"}
        assert body["reviewed_by"] == "ana"
        history = client.get(f"/api/v1/claims/{claim}/reviews").json()
    assert [(r["state"], r["reviewer"]) for r in history] == [("corrected", "ana")]
    assert client.post(f"/api/v1/claims/{'0' * 64}/review", json={"state": "accepted"},
                       headers={"authorization": f"Bearer {seeded['token']}"}).status_code == 404


def test_bulk_review_by_token(seeded: dict[str, Any]) -> None:
    ids = list(seeded["claims"].values())[:3]
    with client_for(seeded["kb"]) as client:
        response = client.post("/api/v1/reviews", json={"claim_ids": ids, "state": "rejected"},
                               headers={"authorization": f"Bearer {seeded['token']}"})
    assert response.status_code == 200 and sorted(response.json()["reviewed"]) == sorted(ids)
    assert all(get_claim(seeded["kb"], cid)["review_state"] == "rejected" for cid in ids)  # type: ignore[index]


def test_login_needs_csrf_and_right_password(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        client.get("/login")
        no_token = client.post("/login", data={"username": "ana", "password": PASSWORD})
        assert no_token.status_code == 403
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        wrong = client.post("/login", data={"username": "ana", "password": "nope-nope", "csrf_token": token})
        assert wrong.status_code == 401 and "wrong password" in wrong.text
        ok = client.post("/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token,
                                         "next": "//evil.example/"}, follow_redirects=False)
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        assert "Signed in as <strong>ana</strong>" in client.get("/").text


def test_review_form_flow(seeded: dict[str, Any]) -> None:
    claim = _claim(seeded)
    with client_for(seeded["kb"]) as client:
        anonymous = client.post(f"/review/{claim}", data={"action": "accept"}, follow_redirects=False)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
        csrf = sign_in(client)
        forged = client.post(f"/review/{claim}", data={"action": "accept", "csrf_token": "forged"})
        assert forged.status_code == 403
        done = client.post(f"/review/{claim}", data={"action": "accept", "csrf_token": csrf, "next": "/review"})
        assert done.status_code == 200 and f"Claim {claim[:10]} accepted by ana." in done.text
        assert [r["reviewer"] for r in reviews_of(seeded["kb"], claim)] == ["ana"]
        other = _claim(seeded, "treaty_withdrawal_approved")
        form = {"action": "correct", "csrf_token": csrf, "c_date": "2025-06-22", "o_date": "2025-06-23",
                "c_actor": "state:LTU", "o_actor": "state:LTU"}
        client.post(f"/review/{other}", data=form)
        corrected = get_claim(seeded["kb"], other)
        assert corrected is not None and corrected["review_state"] == "corrected"
        assert corrected["date"] == "2025-06-22" and corrected["extracted"] == {"date": "2025-06-23"}
        rest = [c for c in seeded["claims"].values() if c not in (claim, other)]
        bulk = client.post("/review-bulk", data={"action": "reject", "csrf_token": csrf, "claim_ids": rest})
        assert "2 claims rejected by ana." in bulk.text
        assert all(get_claim(seeded["kb"], c)["review_state"] == "rejected" for c in rest)  # type: ignore[index]


def test_logout_ends_the_session(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        csrf = sign_in(client)
        client.post("/logout", data={"csrf_token": csrf})
        response = client.post(f"/api/v1/claims/{_claim(seeded)}/review", json={"state": "accepted"},
                               headers={"x-csrf-token": csrf})
        assert response.status_code == 401


def test_users_cli(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    added = runner.invoke(cli_app, ["users", "add", "max", "--password-stdin", "--db", db],
                          input="a long password\n")
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli_app, ["users", "add", "max", "--password-stdin", "--db", db],
                          input="a long password\n")
    assert again.exit_code != 0 and "already exists" in again.output
    issued = runner.invoke(cli_app, ["users", "token", "max", "--days", "7", "--db", db])
    assert issued.exit_code == 0
    token = issued.stdout.strip().splitlines()[0]
    assert token.startswith("tw_")
    with open_kb(db) as kb:
        assert users_store.user_for_token(kb, token) == "max"
        assert users_store.authenticate(kb, "max", "a long password")
    listed = runner.invoke(cli_app, ["users", "list", "--format", "json", "--db", db])
    assert '"username": "max"' in listed.stdout and '"tokens": 1' in listed.stdout
    missing = runner.invoke(cli_app, ["users", "token", "ghost", "--db", db])
    assert missing.exit_code != 0 and "no user" in missing.output
