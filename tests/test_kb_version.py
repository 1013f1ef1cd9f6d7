"""The knowledge base's version (`treatywatch.kb.version`): bumped by each content write, and the
caches that trust it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from treatywatch.kb.backup import backup_sqlite
from treatywatch.kb.store import KB, open_kb
from treatywatch.kb.version import VersionedCache


def _counter(version: str | None) -> int:
    assert version is not None
    return int(version.rsplit(".", 1)[1])


def test_each_write_transaction_bumps_the_version_once(kb: KB) -> None:
    start = kb.version()
    with kb.write() as conn:
        conn.exec_driver_sql("SELECT 1")
        conn.exec_driver_sql("SELECT 2")
    assert _counter(kb.version()) == _counter(start) + 1


def test_a_bookkeeping_write_leaves_the_version_alone(kb: KB) -> None:
    start = kb.version()
    with kb.write(bump=False) as conn:
        conn.exec_driver_sql("SELECT 1")
    assert kb.version() == start


def test_a_rolled_back_write_leaves_the_version_alone(kb: KB) -> None:
    start = kb.version()
    with pytest.raises(RuntimeError), kb.write():
        raise RuntimeError("abandoned")
    assert kb.version() == start


def test_two_handles_on_one_database_see_the_same_version(kb_url: str) -> None:
    with open_kb(kb_url) as first, open_kb(kb_url) as second:
        with first.write():
            pass
        assert first.version() == second.version()


def test_two_databases_never_share_a_version(tmp_path: Path) -> None:
    with open_kb(str(tmp_path / "a.db")) as a, open_kb(str(tmp_path / "b.db")) as b:
        assert _counter(a.version()) == _counter(b.version())
        assert a.version() != b.version()


def test_an_existing_database_gets_the_version_table_by_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_kb(str(path)).close()
    with sqlite3.connect(path) as conn:  # as a database made before migration 0009
        conn.execute("DROP TABLE kb_version")
        conn.execute("DELETE FROM schema_migrations WHERE name = '0009_kb_version'")
    with open_kb(str(path)) as kb:
        assert _counter(kb.version()) == 1
        with kb.write():
            pass
        assert _counter(kb.version()) == 2


def test_a_backup_copy_gets_its_own_epoch(tmp_path: Path) -> None:
    with open_kb(str(tmp_path / "kb.db")) as kb:
        copy = backup_sqlite(kb, tmp_path / "copy.db")
        with open_kb(str(copy)) as restored:
            assert _counter(restored.version()) == _counter(kb.version())
            assert restored.version() != kb.version()


def test_a_versioned_cache_forgets_everything_when_the_version_moves() -> None:
    cache = VersionedCache()
    cache.put("e.1", "a", 1)
    assert cache.get("e.1", "a") == 1
    assert cache.get("e.2", "a") is None
    cache.put("e.2", "b", 2)
    assert cache.get("e.1", "a") is None and cache.get("e.2", "b") == 2


def test_a_versioned_cache_computes_once_per_key_and_keeps_its_bound() -> None:
    cache = VersionedCache(max_entries=2)
    calls: list[str] = []
    for key in ("a", "a", "b", "c"):
        cache.get_or_compute("e.1", key, lambda key=key: calls.append(key) or key)
    assert calls == ["a", "b", "c"]
    assert cache.get("e.1", "a") is None and cache.get("e.1", "c") == "c"


def test_a_versioned_cache_keeps_nothing_without_a_version() -> None:
    cache = VersionedCache()
    cache.put(None, "a", 1)
    assert cache.get(None, "a") is None
