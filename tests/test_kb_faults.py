"""Crash safety of the SQLite knowledge base (docs/reliability.md#faults F1, F3, F4, F12)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from treatywatch.kb import articles as kb_articles
from treatywatch.kb.backup import BackupError, backup_sqlite
from treatywatch.kb.store import KBError, open_kb

WRITER = Path(__file__).with_name("kb_writer.py")
sys.path.insert(0, str(WRITER.parent))
from kb_writer import ARTICLES_PER_INPUT, synthetic_batch  # noqa: E402

INPUTS = 80


def run_writer(db: Path, total: int = INPUTS) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), str(db), str(total)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(WRITER.parent.parent)},
    )


def check_consistent(db: Path) -> tuple[int, int]:
    """Integrity ok, no partial input, no duplicate; returns (inputs done, articles)."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        done = conn.execute("SELECT count(*) FROM ingest_progress").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        distinct = conn.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
    conn.close()
    assert articles == distinct == claims == done * ARTICLES_PER_INPUT
    return done, articles


def test_sigkill_at_random_points_never_leaves_partial_inputs(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    open_kb(str(db)).close()
    rng = random.Random(20251218)
    trials = 0
    for _ in range(24):
        proc = run_writer(db)
        assert proc.stdout is not None
        stop_after = rng.randint(1, 3)
        for _ in range(stop_after):
            if not proc.stdout.readline():
                break
        time.sleep(rng.random() * 0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        trials += 1
        check_consistent(db)
    finisher = run_writer(db)
    finisher.communicate(timeout=120)
    assert finisher.returncode == 0
    assert trials >= 20
    assert check_consistent(db) == (INPUTS, INPUTS * ARTICLES_PER_INPUT)


def test_a_writer_holding_the_lock_gives_db_busy_while_reads_go_on(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    kb = open_kb(str(db), busy_timeout_ms=300)
    batch, extractions = synthetic_batch(0)
    kb_articles.store_batch(kb, batch, extractions_by_id=extractions)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        second, second_extractions = synthetic_batch(1)
        with pytest.raises(KBError) as excinfo:
            kb_articles.store_batch(kb, second, extractions_by_id=second_extractions)
        assert excinfo.value.code == "db_busy"
        assert kb_articles.count_articles(kb)["articles"] == ARTICLES_PER_INPUT  # reads still work
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    kb_articles.store_batch(kb, second, extractions_by_id=second_extractions)
    kb.close()
    check_consistent(db)


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True, check=False)
    return result.returncode == 0


def test_a_full_disk_rolls_back_the_input_and_resumes_after(tmp_path: Path) -> None:
    mount = tmp_path / "small"
    mount.mkdir()
    if not _mount_tmpfs(mount, "384k"):
        pytest.skip("needs root and tmpfs to simulate a full disk")
    try:
        db = mount / "full.db"
        kb = open_kb(str(db))
        stored = 0
        with pytest.raises(KBError) as excinfo:
            for i in range(200):
                batch, extractions = synthetic_batch(i)
                kb_articles.store_batch(kb, batch, extractions_by_id=extractions)
                stored += 1
        assert excinfo.value.code == "disk_full"
        kb.close()
        assert check_consistent(db) == (stored, stored * ARTICLES_PER_INPUT)
        subprocess.run(["mount", "-o", "remount,size=8m", str(mount)], check=True)
        kb = open_kb(str(db))
        for i in range(stored + 3):
            batch, extractions = synthetic_batch(i)
            if not kb_articles.is_done(kb, batch.key):
                kb_articles.store_batch(kb, batch, extractions_by_id=extractions)
        kb.close()
        assert check_consistent(db) == (stored + 3, (stored + 3) * ARTICLES_PER_INPUT)
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_backups_taken_while_writing_pass_integrity_check(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    kb = open_kb(str(db))
    stop = threading.Event()

    def write() -> None:
        i = 0
        while not stop.is_set() and i < 400:
            batch, extractions = synthetic_batch(i)
            kb_articles.store_batch(kb, batch, extractions_by_id=extractions)
            i += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup_sqlite(kb, tmp_path / f"copy{n}.db") for n in range(5)]
    finally:
        stop.set()
        writer.join()
    for copy in copies:
        check_consistent(copy)
    with pytest.raises(BackupError, match="exists"):
        backup_sqlite(kb, copies[0])
    kb.close()


def test_concurrent_ingest_reviews_and_reads_never_see_a_locked_database(tmp_path: Path) -> None:
    """F5: one ingest writer, a second writer (reviews, its own engine as a server would have)
    and four readers at once: every write is BEGIN IMMEDIATE, so no read fails and no write
    fails on a read-to-write upgrade."""
    from treatywatch.kb import claims as kb_claims

    db = tmp_path / "soak.db"
    ingest_kb, review_kb = open_kb(str(db)), open_kb(str(db))
    batch, extractions = synthetic_batch(0)
    kb_articles.store_batch(ingest_kb, batch, extractions_by_id=extractions)
    errors: list[BaseException] = []
    done = threading.Event()

    def guarded(work: object) -> object:
        def run() -> None:
            try:
                work()  # type: ignore[operator]
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
        return run

    def ingest() -> None:
        for i in range(1, 61):
            more, more_extractions = synthetic_batch(i)
            kb_articles.store_batch(ingest_kb, more, extractions_by_id=more_extractions)
        done.set()

    def review() -> None:
        for n in range(60):
            claim = kb_claims.list_claims(review_kb, limit=1, offset=n % 3)[0]
            kb_claims.review_claim(review_kb, claim["id"], "accepted" if n % 2 else "rejected", "soak")

    def read() -> None:
        while not done.is_set():
            kb_articles.count_articles(ingest_kb)
            kb_claims.list_claims(ingest_kb, limit=20)

    threads = [threading.Thread(target=guarded(f)) for f in (ingest, review, read, read, read, read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    ingest_kb.close()
    review_kb.close()
    assert errors == []
    assert check_consistent(db) == (61, 61 * ARTICLES_PER_INPUT)
