"""Consistent backups of a live SQLite knowledge base through SQLite's online backup API.

Copying the database file while a writer is active can produce a corrupt copy (the WAL is not
included, pages change mid-copy); the backup API copies a consistent snapshot instead.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from treatywatch.errors import BackupError
from treatywatch.kb.store import KB, create_private_file
from treatywatch.kb.version import new_epoch


def backup_sqlite(kb: KB, destination: str | Path, *, pages_per_step: int = 1024) -> Path:
    """Write a consistent copy of the knowledge base to ``destination`` and check its integrity."""
    if not kb.is_sqlite:
        raise BackupError("backup copies SQLite databases; for PostgreSQL use pg_dump")
    target = Path(destination)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file")
    tmp = target.with_name(target.name + ".partial")
    source_path = kb.engine.url.database
    if not source_path:
        raise BackupError("an in-memory database cannot be backed up")
    create_private_file(tmp)
    with sqlite3.connect(source_path) as source, sqlite3.connect(tmp) as copy:
        source.backup(copy, pages=pages_per_step)
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        # The copy is a new lineage: once restored, its counter repeats versions the original
        # has passed (with other contents), so it gets its own epoch (`kb.version`).
        if copy.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kb_version'").fetchone():
            copy.execute("UPDATE kb_version SET epoch = ?", (new_epoch(),))
    source.close()
    copy.close()
    if verdict != "ok":
        tmp.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {verdict}")
    tmp.rename(target)
    return target
