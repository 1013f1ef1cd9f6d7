"""A real `treatywatch serve` process killed or stopped mid-write (docs/reliability.md#faults F2 and F14).

The review POST is held inside the server by SQLite itself: the test holds the database's write
lock (as another writer would), so the handler waits in BEGIN IMMEDIATE while the process gets
SIGKILL (F2) or SIGTERM (F14). No test hook in the app.
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_web_idempotency import review_rows, write_lock
from test_web_support import free_port, seed_kb, start_server, stop_server

pytestmark = pytest.mark.slow


@pytest.fixture()
def seeded(tmp_path: Path) -> dict[str, Any]:
    data = seed_kb(tmp_path / "kb.db")
    data["kb"].close()
    data["path"] = tmp_path / "kb.db"
    return data


def _post_in_thread(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[threading.Thread, dict[str, Any]]:
    """Send the POST from a thread; the outcome (response or exception) lands in the dict."""
    outcome: dict[str, Any] = {}

    def send() -> None:
        try:
            outcome["response"] = httpx.post(url, json=body, headers=headers, timeout=30)
        except httpx.TransportError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread, outcome


def _wait_for_pending_key(path: Path, key: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(path) as conn:
            if conn.execute("SELECT 1 FROM idempotency_keys WHERE key = ?", (key,)).fetchone():
                return
        time.sleep(0.002)
    raise AssertionError(f"the server never reserved key {key}")


def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.mark.parametrize("when", ["waiting-for-the-lock", "right-after-reserving"])
def test_sigkill_during_a_review_post_then_retry_with_the_same_key(seeded: dict[str, Any], when: str) -> None:
    claim = seeded["claims"]["treaty_withdrawal_announced"]
    headers = {"authorization": f"Bearer {seeded['token']}", "idempotency-key": f"f2-{when}"}
    body = {"state": "corrected", "correction": {"attributed_to": "the defence ministry"}}
    port = free_port()
    server = start_server(seeded["path"], port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/claims/{claim}/review"
        if when == "waiting-for-the-lock":
            with write_lock(seeded["path"]):
                thread, outcome = _post_in_thread(url, body, headers)
                time.sleep(0.5)  # the handler is now waiting in BEGIN IMMEDIATE (busy timeout 5 s)
                server.send_signal(signal.SIGKILL)
                thread.join(timeout=30)
        else:
            thread, outcome = _post_in_thread(url, body, headers)
            _wait_for_pending_key(seeded["path"], headers["idempotency-key"])
            server.send_signal(signal.SIGKILL)
            thread.join(timeout=30)
    finally:
        stop_server(server)
    if when == "waiting-for-the-lock":
        assert isinstance(outcome.get("error"), httpx.TransportError), outcome
    assert _integrity(seeded["path"]) == "ok"
    assert review_rows(seeded["path"], claim) in (0, 1)  # all of the review, or none of it

    port = free_port()
    server = start_server(seeded["path"], port)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/claims/{claim}/review"
        retried = httpx.post(url, json=body, headers=headers, timeout=30)
        assert retried.status_code == 200, retried.text
        assert retried.json()["attributed_to"] == "the defence ministry"
        replay = httpx.post(url, json=body, headers=headers, timeout=30)
        assert replay.status_code == 200 and replay.headers["idempotent-replayed"] == "true"
    finally:
        stop_server(server)
    assert review_rows(seeded["path"], claim) == 1
    assert _integrity(seeded["path"]) == "ok"


def test_sigterm_lets_in_flight_writes_finish(seeded: dict[str, Any]) -> None:
    claims = list(seeded["claims"].values())
    headers = {"authorization": f"Bearer {seeded['token']}"}
    port = free_port()
    server = start_server(seeded["path"], port)
    try:
        with write_lock(seeded["path"]):
            posts = [_post_in_thread(f"http://127.0.0.1:{port}/api/v1/claims/{c}/review", {"state": "accepted"},
                                     headers) for c in claims]
            time.sleep(0.5)  # all of them are inside the server, waiting for the lock
            server.send_signal(signal.SIGTERM)
            time.sleep(0.3)
        for thread, _ in posts:
            thread.join(timeout=30)
        exit_code = server.wait(timeout=30)
        errors = server.stderr.read().decode() if server.stderr else ""
    finally:
        stop_server(server)
    statuses = [outcome["response"].status_code if "response" in outcome else repr(outcome.get("error"))
                for _, outcome in posts]
    assert statuses == [200] * len(claims)
    assert exit_code in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after its graceful shutdown
    assert "Traceback" not in errors
    assert _integrity(seeded["path"]) == "ok"
    assert review_rows(seeded["path"]) == len(claims)
    with sqlite3.connect(seeded["path"]) as conn:
        states = {r[0] for r in conn.execute("SELECT review_state FROM claims")}
    assert states == {"accepted"}
