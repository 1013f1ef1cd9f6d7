"""HTTP caching of reads (`treatywatch.web.caching`): the kb version as a strong ETag, 304s,
Cache-Control for anonymous and signed-in readers, and the in-process cache of answers."""

from __future__ import annotations

from typing import Any

import pytest
from test_web_support import client_for, sign_in

from treatywatch.kb import sessions
from treatywatch.kb.claims import review_claim
from treatywatch.kb.store import open_kb
from treatywatch.web import api_claims

READS = ["/", "/api/v1/claims?limit=2", "/api/v1/articles?limit=2", "/countries/POL", "/review?state=new"]


def _etag(client: Any, path: str = "/api/v1/claims?limit=2", **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return str(response.headers["etag"])


@pytest.mark.parametrize("path", READS[:4])
def test_anonymous_reads_carry_a_strong_etag_and_a_public_cache_control(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert response.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    assert response.headers["vary"] == "Cookie, Authorization"
    assert "set-cookie" not in response.headers  # a page without a form makes no CSRF cookie


def test_every_read_of_an_unchanged_kb_has_the_same_etag(client: Any) -> None:
    tags = {client.get(path).headers["etag"] for path in READS[:4]}
    assert len(tags) == 1


def test_if_none_match_answers_304_without_a_body_and_without_reading_the_lists(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    etag = _etag(client)

    def no_list(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a revalidation must not read the claims")

    monkeypatch.setattr(api_claims, "browse_claims", no_list)
    for header in (etag, f'"other", {etag}', "*", f"W/{etag}"):
        response = client.get("/api/v1/claims?limit=2", headers={"If-None-Match": header})
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"].startswith("public")
        assert "content-security-policy" in response.headers


def test_a_write_changes_the_etag_and_the_old_one_gets_the_new_answer(client: Any, seeded: dict[str, Any]) -> None:
    claim = seeded["claims"]["treaty_withdrawal_announced"]
    before = _etag(client, f"/api/v1/claims/{claim}")
    review_claim(seeded["kb"], claim, "rejected", "tester")
    after = client.get(f"/api/v1/claims/{claim}", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before
    assert after.json()["review_state"] == "rejected"


def test_a_write_by_another_process_is_seen_at_once_despite_the_answer_cache(
    client: Any, seeded: dict[str, Any], tmp_path: Any
) -> None:
    claim = seeded["claims"]["treaty_withdrawal_announced"]
    first = client.get("/api/v1/claims?limit=50&state=POL&review_state=new")
    assert claim in first.text
    assert client.get("/api/v1/claims?limit=50&state=POL&review_state=new").text == first.text
    with open_kb(str(tmp_path / "kb.db")) as other:  # another handle: as another server process or an ingest
        review_claim(other, claim, "accepted", "tester")
    again = client.get("/api/v1/claims?limit=50&state=POL&review_state=new")
    assert claim not in again.text
    assert again.headers["etag"] != first.headers["etag"]


def test_the_answer_cache_serves_a_repeated_anonymous_read_without_the_route(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = client.get("/api/v1/claims?limit=3")
    monkeypatch.setattr(api_claims, "browse_claims", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
    second = client.get("/api/v1/claims?limit=3")
    assert second.status_code == 200 and second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]


def test_an_answer_during_which_a_write_landed_gets_no_etag(
    client: Any, seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = api_claims.browse_claims

    def write_then_read(*args: Any, **kwargs: Any) -> Any:
        review_claim(seeded["kb"], seeded["claims"]["treaty_withdrawal_announced"], "accepted", "tester")
        return real(*args, **kwargs)

    monkeypatch.setattr(api_claims, "browse_claims", write_then_read)
    response = client.get("/api/v1/claims?limit=4")
    assert response.status_code == 200
    assert "etag" not in response.headers and response.headers["cache-control"] == "no-cache"


def test_session_and_login_bookkeeping_does_not_change_the_etag(client: Any, seeded: dict[str, Any]) -> None:
    before = _etag(client)
    session_id = sessions.start_session(seeded["kb"], "ana", lifetime_s=600)
    sessions.record_login_failure(seeded["kb"], ["user:ana"], 60)
    sessions.end_session(seeded["kb"], session_id)
    assert _etag(client) == before


def test_signed_in_pages_are_private_and_labelled_apart_from_anonymous_ones(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as anonymous, client_for(seeded["kb"]) as analyst:
        public_tag = _etag(anonymous, "/")
        sign_in(analyst)
        page = analyst.get("/")
        assert page.status_code == 200 and "Sign out" in page.text
        assert page.headers["cache-control"] == "private, no-cache"
        assert page.headers["etag"] != public_tag
        assert analyst.get("/", headers={"If-None-Match": public_tag}).status_code == 200
        assert analyst.get("/", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
        review = analyst.get("/review")
        assert review.status_code == 200 and review.headers["cache-control"] == "private, no-cache"


def test_a_bearer_token_reader_gets_private_answers(client: Any, seeded: dict[str, Any]) -> None:
    auth = {"Authorization": f"Bearer {seeded['token']}"}
    response = client.get("/api/v1/claims?limit=2", headers=auth)
    assert response.headers["cache-control"] == "private, no-cache"
    assert response.headers["etag"] != _etag(client)


def test_a_new_flash_message_changes_the_signed_in_etag(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as analyst:
        sign_in(analyst)
        before = analyst.get("/review").headers["etag"]
        session = sessions.live_session(seeded["kb"], analyst.cookies["tw_session"], idle_s=3600)
        assert session is not None
        sessions.set_flash(seeded["kb"], session, "3 claims accepted")
        after = analyst.get("/review", headers={"If-None-Match": before})
        assert after.status_code == 200 and "3 claims accepted" in after.text


def test_pages_that_set_a_cookie_or_are_not_kb_reads_are_not_labelled(client: Any) -> None:
    login = client.get("/login")
    assert "set-cookie" in login.headers and "etag" not in login.headers
    assert "public" not in login.headers.get("cache-control", "")
    assert "etag" not in client.get("/healthz").headers
    missing = client.get("/api/v1/claims/nope")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_closed_reads_answer_401_not_304_to_anonymous_readers(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"], open_reads=False) as closed:
        response = closed.get("/api/v1/claims?limit=2", headers={"If-None-Match": "*"})
        assert response.status_code == 401
        auth = {"Authorization": f"Bearer {seeded['token']}"}
        assert closed.get("/api/v1/claims?limit=2", headers=auth).headers["cache-control"] == "private, no-cache"


def test_a_signed_in_answer_is_kept_for_that_analyst_only(seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    with client_for(seeded["kb"]) as analyst:
        sign_in(analyst)
        analyst.get("/api/v1/claims?limit=3")  # an answer with no flash pending is kept
        mine = analyst.get("/api/v1/claims?limit=3")
        monkeypatch.setattr(api_claims, "browse_claims", lambda *a, **k: (_ for _ in ()).throw(AssertionError))
        assert analyst.get("/api/v1/claims?limit=3").content == mine.content
        with pytest.raises(AssertionError):  # a bearer reader is another viewer: not served the kept copy
            analyst.get("/api/v1/claims?limit=3", headers={"Authorization": f"Bearer {seeded['token']}"})


def test_a_page_with_a_pending_flash_message_is_not_kept(seeded: dict[str, Any]) -> None:
    with client_for(seeded["kb"]) as analyst:
        sign_in(analyst)
        session = sessions.live_session(seeded["kb"], analyst.cookies["tw_session"], idle_s=3600)
        assert session is not None
        sessions.set_flash(seeded["kb"], session, "2 claims rejected")
        assert "2 claims rejected" in analyst.get("/review").text
        assert "2 claims rejected" not in analyst.get("/review").text  # shown once, then gone


def test_a_page_with_a_visitors_own_csrf_token_is_neither_shared_nor_kept(client: Any) -> None:
    first = client.get("/review")  # anonymous: the page shows a sign-in form, and sets the cookie
    assert first.status_code == 200 and "set-cookie" in first.headers
    again = client.get("/review")  # now with the cookie: no new cookie, but the token is printed
    assert "set-cookie" not in again.headers
    assert "etag" not in again.headers and again.headers["cache-control"] == "private, no-store"
    token = client.cookies["tw_csrf"]
    client.cookies.clear()
    other = client.get("/review")
    assert token not in other.text
