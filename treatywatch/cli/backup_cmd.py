"""``treatywatch backup``: a consistent copy of a live SQLite knowledge base."""

from __future__ import annotations

import typer

from treatywatch.cli.common import DbOption, fail
from treatywatch.errors import BackupError
from treatywatch.kb.backup import backup_sqlite
from treatywatch.kb.store import open_kb


def backup(
    destination: str = typer.Argument(..., help="File to write the copy to (must not exist)."),
    db: str | None = DbOption,
) -> None:
    """Copy the database with SQLite's backup API (safe while ingest is writing)."""
    with open_kb(db) as kb:
        try:
            path = backup_sqlite(kb, destination)
        except (BackupError, OSError) as exc:
            raise fail(exc, code=1) from exc
    print(f"backup written to {path} (integrity ok)")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
