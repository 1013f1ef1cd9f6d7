"""`treatywatch serve --workers 2`: several processes over one SQLite file, correct under
concurrent writes (sessions, Idempotency-Keys and the kb version are shared through the kb)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_web_support import PASSWORD, csrf_from, free_port, seed_kb, start_server, stop_server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The web tests' kb served by two worker processes."""
    path = tmp_path_factory.mktemp("workers") / "kb.db"
    data = seed_kb(path)
    data["kb"].close()
    port = free_port()
    process = start_server(path, port, 180.0, "--workers", "2")  # a worker imports the app afresh
    try:
        yield {**data, "path": path, "base": f"http://127.0.0.1:{port}", "process": process}
    finally:
        stop_server(process)


def _children(pid: int, *, with_pid: bool = False) -> list[str]:
    """Command lines of the processes whose parent is ``pid`` (each after its pid, if asked)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                line = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found.append(f"{stat.parent.name} {line}" if with_pid else line)
        except (OSError, ValueError, IndexError):
            continue
    return found


def _worker_pids(pid: int) -> list[str]:
    return [c.split()[0] for c in _children(pid, with_pid=True) if "spawn_main" in c]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _fresh_get(url: str, **kwargs: Any) -> httpx.Response:
    """A GET on a new connection (so that any worker may take it)."""
    with httpx.Client(timeout=30) as client:
        return client.get(url, **kwargs)


def test_the_server_runs_two_worker_processes(served: dict[str, Any]) -> None:
    workers = [c for c in _children(served["process"].pid) if "spawn_main" in c]
    assert len(workers) == 2


def test_concurrent_retried_writes_happen_once_each_across_workers(served: dict[str, Any]) -> None:
    claims = sorted(served["claims"].values())
    auth = {"Authorization": f"Bearer {served['token']}"}

    def write_then_retry(n: int) -> list[tuple[int, Any]]:
        url = f"{served['base']}/api/v1/claims/{claims[n % len(claims)]}/review"
        headers = {**auth, "Idempotency-Key": f"worker-test-{n}"}
        body = {"state": "accepted", "note": f"write {n}"}
        answers = []
        for _ in range(3):  # the write, then two retries with the same key
            with httpx.Client(timeout=60) as client:
                response = client.post(url, json=body, headers=headers)
            answers.append((response.status_code, response.json()))
        return answers

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(write_then_retry, range(8)))
    for answers in results:
        assert [status for status, _ in answers] == [200, 200, 200]
        assert answers[1][1] == answers[0][1] and answers[2][1] == answers[0][1]
    with sqlite3.connect(served["path"]) as conn:
        notes = [n for (n,) in conn.execute("SELECT note FROM reviews WHERE note LIKE 'write %'")]
    assert sorted(notes) == sorted(f"write {n}" for n in range(8))


def test_every_worker_labels_the_kb_the_same_and_no_stale_304_after_a_write(served: dict[str, Any]) -> None:
    url = f"{served['base']}/api/v1/claims?limit=5"
    tags = {_fresh_get(url).headers["etag"] for _ in range(12)}
    assert len(tags) == 1
    old = tags.pop()
    claim = sorted(served["claims"].values())[0]
    auth = {"Authorization": f"Bearer {served['token']}"}
    with httpx.Client(timeout=60) as client:
        assert client.post(f"{served['base']}/api/v1/claims/{claim}/review", headers=auth,
                           json={"state": "rejected"}).status_code == 200
    after = [_fresh_get(url, headers={"If-None-Match": old}) for _ in range(12)]
    assert all(r.status_code == 200 and r.headers["etag"] != old for r in after)
    assert len({r.headers["etag"] for r in after}) == 1


def test_sign_in_and_sessions_work_whichever_worker_answers(served: dict[str, Any]) -> None:
    base = served["base"]
    for _ in range(4):
        with httpx.Client(base_url=base, timeout=30) as browser:
            form = browser.get("/login")
            browser.headers["Connection"] = "close"  # the POST and every page on new connections
            signed = browser.post("/login", data={"username": "ana", "password": PASSWORD,
                                                  "csrf_token": csrf_from(form.text), "next": "/review"})
            assert signed.status_code == 303, signed.text
            pages = [browser.get("/review") for _ in range(6)]
            assert [(p.status_code, "Sign out" in p.text) for p in pages] == [(200, True)] * 6
            logout = browser.post("/logout", data={"csrf_token": csrf_from(pages[0].text)})
            after = [browser.get("/review") for _ in range(6)]
            assert logout.status_code == 303
            assert [(p.status_code, "Sign out" in p.text) for p in after] == [(200, False)] * 6


def test_workers_end_with_the_server_even_when_it_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    seed_kb(path)["kb"].close()
    process = start_server(path, free_port(), 180.0, "--workers", "2")
    try:
        workers = [int(pid) for pid in _worker_pids(process.pid)]
        assert len(workers) == 2
        process.kill()  # SIGKILL: the server cannot stop its workers itself
        process.wait(timeout=30)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in workers)
    finally:
        stop_server(process)
