"""Issue 15, items 1, 5 and 6: sessions that end, sign-in that tells nothing and cannot be
hammered, passwords that are not guessable, cookies that carry nothing, files only the owner reads."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from test_web_support import PASSWORD, client_for, csrf_from, sign_in
from typer.testing import CliRunner

from treatywatch.cli import app as cli_app
from treatywatch.errors import ConfigError, UserError
from treatywatch.kb import users as users_store
from treatywatch.kb.backup import backup_sqlite
from treatywatch.kb.schema import sessions
from treatywatch.kb.store import open_kb
from treatywatch.web.security import CSRF_COOKIE, SESSION_COOKIE
from treatywatch.web.settings import WebSettings

STRONG = "quiet lantern orbit 42"


def _claim(seeded: dict[str, Any]) -> str:
    return str(seeded["claims"]["treaty_withdrawal_announced"])


def _writes(client: Any, seeded: dict[str, Any], cookie: str, csrf: str) -> tuple[int, int, str]:
    """An API review and a form review sent with ``cookie`` as the session: their statuses and
    where the form was sent."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    claim = _claim(seeded)
    api = client.post(f"/api/v1/claims/{claim}/review", json={"state": "accepted"}, headers={"x-csrf-token": csrf})
    form = client.post(f"/review/{claim}", data={"action": "accept", "csrf_token": csrf}, follow_redirects=False)
    return api.status_code, form.status_code, form.headers.get("location", "")


def _signed_in(seeded: dict[str, Any], **settings: Any) -> tuple[Any, str, str]:
    client = client_for(seeded["kb"], **settings)
    csrf = sign_in(client)
    return client, client.cookies[SESSION_COOKIE], csrf


def test_a_saved_cookie_is_worthless_after_logout(seeded: dict[str, Any]) -> None:
    client, saved, csrf = _signed_in(seeded)
    with client:
        client.post("/logout", data={"csrf_token": csrf})
        api, form, location = _writes(client, seeded, saved, csrf)
    assert api == 401 and form == 303 and location.startswith("/login")
    assert seeded["kb"] and users_store.authenticate(seeded["kb"], "ana", PASSWORD)


@pytest.mark.parametrize("ending", ["revoke", "passwd", "delete"])
def test_revoke_password_change_and_deletion_end_sessions(seeded: dict[str, Any], ending: str) -> None:
    client, saved, csrf = _signed_in(seeded)
    db = str(seeded["kb"].engine.url.database)
    args = {"revoke": ["users", "revoke", "ana"], "passwd": ["users", "passwd", "ana", "--password-stdin"],
            "delete": ["users", "delete", "ana"]}[ending]
    done = CliRunner().invoke(cli_app, [*args, "--db", db], input=STRONG + "\n")
    assert done.exit_code == 0, done.output
    assert "1 web session(s)" in done.output
    with client:
        api, form, location = _writes(client, seeded, saved, csrf)
        client.cookies.clear()
        token = client.post(f"/api/v1/claims/{_claim(seeded)}/review", json={"state": "accepted"},
                            headers={"authorization": f"Bearer {seeded['token']}"})
    assert api == 401 and form == 303 and location.startswith("/login")
    assert token.status_code == (200 if ending == "passwd" else 401)  # a password change keeps tokens


def test_a_deleted_users_token_stops_working(seeded: dict[str, Any]) -> None:
    users_store.delete_user(seeded["kb"], "ana")
    assert users_store.user_for_token(seeded["kb"], seeded["token"]) is None
    assert not users_store.authenticate(seeded["kb"], "ana", PASSWORD)
    with pytest.raises(UserError):
        users_store.delete_user(seeded["kb"], "ana")


@pytest.mark.parametrize("column", ["last_seen", "expires_at"])
def test_idle_and_absolute_timeouts_end_a_session(seeded: dict[str, Any], column: str) -> None:
    client, saved, csrf = _signed_in(seeded)
    with seeded["kb"].write() as conn:  # as if the idle time or the lifetime had passed
        conn.execute(update(sessions).values({column: "2000-01-01T00:00:00+00:00"}))
    with client:
        api, form, location = _writes(client, seeded, saved, csrf)
    assert api == 401 and form == 303 and location.startswith("/login")


def test_a_live_session_still_writes(seeded: dict[str, Any]) -> None:
    client, saved, csrf = _signed_in(seeded)
    with client:
        api, form, location = _writes(client, seeded, saved, csrf)
    assert api == 200 and form == 303 and location == "/review"


def test_the_cookie_holds_only_an_opaque_id(seeded: dict[str, Any]) -> None:
    client, cookie, _ = _signed_in(seeded)
    client.close()
    assert "ana" not in cookie and len(cookie) >= 40 and "." not in cookie
    with seeded["kb"].read() as conn:
        stored = list(conn.execute(select(sessions.c.id_hash, sessions.c.username)))
    assert stored == [(hashlib.sha256(cookie.encode()).hexdigest(), "ana")]
    listed = CliRunner().invoke(cli_app, ["users", "sessions", "--format", "json", "--db",
                                          str(seeded["kb"].engine.url.database)])
    assert '"username": "ana"' in listed.stdout and cookie not in listed.stdout


@pytest.mark.parametrize("settings,base,secure", [({}, "http://127.0.0.1", False),
                                                  ({"https_only_cookies": True}, "http://127.0.0.1", True),
                                                  ({}, "https://127.0.0.1", True)])
def test_cookies_are_secure_when_served_over_https(seeded: dict[str, Any], settings: dict[str, Any], base: str,
                                                   secure: bool) -> None:
    with client_for(seeded["kb"], **settings) as client:
        client.base_url = base  # type: ignore[assignment]
        page = client.get("/login")
        client.cookies.clear()  # a browser would not send a Secure cookie over http: the test sends it
        client.cookies.set(CSRF_COOKIE, page.cookies[CSRF_COOKIE])
        login = client.post("/login", data={"username": "ana", "password": PASSWORD,
                                            "csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert login.status_code == 303
    cookie = login.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert ("Secure" in cookie) is secure
    assert ("Secure" in page.headers["set-cookie"]) is secure


def test_unknown_and_known_users_cost_the_same_work(seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    users_store.authenticate(seeded["kb"], "nobody", "warm-up")  # the unknown-user hash is made once
    calls: list[str] = []
    real = hashlib.scrypt

    def counting(*args: Any, **kwargs: Any) -> bytes:
        calls.append("scrypt")
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    assert not users_store.authenticate(seeded["kb"], "nobody", PASSWORD)
    unknown = len(calls)
    calls.clear()
    assert not users_store.authenticate(seeded["kb"], "ana", "wrong password here")
    assert unknown == len(calls) == 1


def _try(client: Any, username: str, password: str) -> Any:
    page = client.get("/login")
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_from(page.text)}, follow_redirects=False)


def test_sign_in_is_refused_after_five_failures_for_a_user(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        assert [_try(client, "ana", f"wrong {n}").status_code for n in range(5)] == [401] * 5
        refused = _try(client, "ana", PASSWORD)  # the right password, too late
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
        assert "Too many failed sign-ins" in refused.text
        assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
        assert "content-security-policy" in refused.headers


def test_sign_in_is_refused_after_twenty_failures_from_an_address(seeded: dict[str, Any]) -> None:
    users_store.add_user(seeded["kb"], "bo", STRONG)
    with client_for(seeded["kb"]) as client:
        statuses = [_try(client, f"user{n}", "wrong password").status_code for n in range(20)]
        assert statuses == [401] * 20
        assert _try(client, "bo", STRONG).status_code == 429


def test_a_success_clears_the_users_failures(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as client:
        for n in range(4):
            _try(client, "ana", f"wrong {n}")
        assert _try(client, "ana", PASSWORD).status_code == 303
        assert [_try(client, "ana", f"again {n}").status_code for n in range(4)] == [401] * 4


@pytest.mark.parametrize("password", ["aaaaaaaa", "aaaaaaaaaaaa", "password1234", "qwertyuiop12", "ana-ana-ana-ana",
                                      "short pw 1"])
def test_weak_passwords_are_refused(seeded: dict[str, Any], password: str) -> None:
    with pytest.raises(UserError):
        users_store.add_user(seeded["kb"], "ana2", password)
    with pytest.raises(UserError):
        users_store.change_password(seeded["kb"], "ana", password)
    added = CliRunner().invoke(cli_app, ["users", "add", "zed", "--password-stdin", "--db",
                                         str(seeded["kb"].engine.url.database)], input=password + "\n")
    assert added.exit_code == 2 and "password" in added.output


def test_a_short_secret_is_refused_with_a_clear_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        WebSettings(secret_key="s3cret")
    monkeypatch.setenv("TREATYWATCH_SECRET", "too-short-for-a-key")
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "kb.db"), "--port", "1"])
    assert result.exit_code == 2
    assert "TREATYWATCH_SECRET must have at least 32 bytes" in result.output and "Traceback" not in result.output
    monkeypatch.setenv("TREATYWATCH_SECRET", "x" * 32)
    assert WebSettings().secret_key == "x" * 32


def test_database_and_backup_files_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with open_kb(str(tmp_path / "kb.db")) as kb:
            users_store.add_user(kb, "ana", STRONG)
            backup_sqlite(kb, tmp_path / "copy.db")
            files = [p for p in tmp_path.iterdir() if p.name.startswith(("kb.db", "copy.db"))]
            assert {p.name for p in files} >= {"kb.db", "kb.db-wal", "copy.db"}
            assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
    finally:
        os.umask(old)
