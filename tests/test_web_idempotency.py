"""Writes under faults, in process: a locked database (F4) and retried writes (Idempotency-Key).

The crash windows of F2 are rebuilt exactly here (a pending key left by a dead process, with
or without its review committed); tests/test_web_process_faults.py kills a real server.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from test_web_support import client_for, seed_kb

from treatywatch.kb import idempotency
from treatywatch.kb.claims import review_claim
from treatywatch.kb.store import open_kb
from treatywatch.web.api_models import ReviewIn
from treatywatch.web.idempotent import fingerprint


@pytest.fixture()
def seeded(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The seeded kb reopened with a short busy timeout, so a held lock fails writes quickly."""
    data = seed_kb(tmp_path / "kb.db")
    data["kb"].close()
    data["path"] = tmp_path / "kb.db"
    data["kb"] = open_kb(str(data["path"]), busy_timeout_ms=200)
    yield data
    data["kb"].close()


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another process's writer: holds SQLite's write lock until the block ends."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


def review_rows(path: Path, claim: str | None = None) -> int:
    with sqlite3.connect(path) as conn:
        if claim is None:
            return int(conn.execute("SELECT count(*) FROM reviews").fetchone()[0])
        return int(conn.execute("SELECT count(*) FROM reviews WHERE claim_id = ?", (claim,)).fetchone()[0])


def _auth(seeded: dict[str, Any], key: str | None = None) -> dict[str, str]:
    headers = {"authorization": f"Bearer {seeded['token']}"}
    return {**headers, "idempotency-key": key} if key else headers


def test_locked_database_gives_503_db_busy_and_reads_keep_working(seeded: dict[str, Any]) -> None:
    claim = seeded["claims"]["treaty_withdrawal_announced"]
    writes = [
        (f"/api/v1/claims/{claim}/review", {"state": "accepted"}),
        ("/api/v1/reviews", {"claim_ids": [claim], "state": "rejected"}),
        ("/api/v1/sources/wire.example/trust", {"level": "trusted"}),
    ]
    with client_for(seeded["kb"]) as client:
        with write_lock(seeded["path"]):
            for path, body in writes:
                for key in (None, "busy-key-" + path):
                    response = client.post(path, json=body, headers=_auth(seeded, key))
                    assert response.status_code == 503, (path, response.text)
                    assert response.json()["error"]["code"] == "db_busy"
                    assert int(response.headers["retry-after"]) >= 1
            assert client.get(f"/api/v1/claims/{claim}").json()["review_state"] == "new"
            assert client.get("/api/v1/claims").status_code == 200
            assert client.get(f"/articles/{seeded['pol']}").status_code == 200
            client.cookies.clear()  # the page started a session; Bearer writes must come without one
        assert review_rows(seeded["path"]) == 0
        retried = client.post(writes[0][0], json=writes[0][1], headers=_auth(seeded, "busy-key-" + writes[0][0]))
        assert retried.status_code == 200 and retried.json()["review_state"] == "accepted"
    assert review_rows(seeded["path"]) == 1


def test_same_key_is_performed_once_and_replayed(seeded: dict[str, Any]) -> None:
    claim = seeded["claims"]["production_planned"]
    path = f"/api/v1/claims/{claim}/review"
    body = {"state": "corrected", "correction": {"weapon": "cluster munition"}, "note": "misread"}
    with client_for(seeded["kb"]) as client:
        first = client.post(path, json=body, headers=_auth(seeded, "k-1"))
        again = client.post(path, json=body, headers=_auth(seeded, "k-1"))
        assert first.status_code == again.status_code == 200
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        assert first.json()["weapon"] == "cluster munition"
        reused = client.post(path, json={"state": "rejected"}, headers=_auth(seeded, "k-1"))
        assert reused.status_code == 422 and reused.json()["error"]["code"] == "idempotency_key_reused"
        other = client.post(path, json={"state": "rejected"}, headers=_auth(seeded, "k-2"))
        assert other.status_code == 200
        bulk = {"claim_ids": list(seeded["claims"].values()), "state": "accepted"}
        assert client.post("/api/v1/reviews", json=bulk, headers=_auth(seeded, "k-3")).status_code == 200
        assert client.post("/api/v1/reviews", json=bulk, headers=_auth(seeded, "k-3")).status_code == 200
        bad_key = client.post(path, json=body, headers=_auth(seeded, "with space"))
        assert bad_key.status_code == 422
    assert review_rows(seeded["path"], claim) == 3
    assert review_rows(seeded["path"]) == 2 + len(seeded["claims"])


def _dead_owner() -> str:
    """The owner tag of a process that has exited."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return f"{idempotency.owner_tag().rpartition(':')[0]}:{done.stdout.strip()}"


@pytest.mark.parametrize("review_committed", [False, True], ids=["died-before-review", "died-after-review"])
def test_retry_after_a_crash_between_reserve_and_answer(seeded: dict[str, Any], review_committed: bool) -> None:
    claim = seeded["claims"]["treaty_withdrawal_approved"]
    path = f"/api/v1/claims/{claim}/review"
    body = {"state": "rejected", "note": "duplicate report"}
    with client_for(seeded["kb"]) as client:
        # The first attempt, as the dead server left it: key pending, review committed or not.
        fingerprint = _fingerprint_of(path, body)
        kb = seeded["kb"]
        got = idempotency.reserve(kb, "ana", "crash-1", fingerprint, owner=_dead_owner())
        assert isinstance(got, idempotency.Reservation) and not got.resumed
        if review_committed:
            review_claim(kb, claim, "rejected", "ana", note="duplicate report")
        retried = client.post(path, json=body, headers=_auth(seeded, "crash-1"))
        assert retried.status_code == 200 and retried.json()["review_state"] == "rejected"
        replay = client.post(path, json=body, headers=_auth(seeded, "crash-1"))
        assert replay.headers.get("idempotent-replayed") == "true"
    assert review_rows(seeded["path"], claim) == 1


def test_a_live_attempt_blocks_retries_with_409(seeded: dict[str, Any]) -> None:
    claim = seeded["claims"]["treaty_withdrawal_approved"]
    path = f"/api/v1/claims/{claim}/review"
    with client_for(seeded["kb"]) as client:
        fingerprint = _fingerprint_of(path, {"state": "accepted"})
        idempotency.reserve(seeded["kb"], "ana", "live-1", fingerprint)  # owned by this (live) process
        busy = client.post(path, json={"state": "accepted"}, headers=_auth(seeded, "live-1"))
        assert busy.status_code == 409 and busy.headers["retry-after"] == "1"
        assert busy.json()["error"]["code"] == "idempotency_in_progress"
        idempotency.release(seeded["kb"], "ana", "live-1")
        assert client.post(path, json={"state": "accepted"}, headers=_auth(seeded, "live-1")).status_code == 200
    assert review_rows(seeded["path"], claim) == 1


def test_failed_write_frees_its_key(seeded: dict[str, Any]) -> None:
    path = f"/api/v1/claims/{'0' * 64}/review"
    with client_for(seeded["kb"]) as client:
        for _ in range(2):
            response = client.post(path, json={"state": "accepted"}, headers=_auth(seeded, "gone-1"))
            assert response.status_code == 404


def _fingerprint_of(path: str, body: dict[str, Any]) -> str:
    """The fingerprint the app computes for this request."""
    return fingerprint("POST", path, TypeAdapter(ReviewIn).validate_python(body))
