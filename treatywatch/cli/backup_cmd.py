"""``treatywatch backup``: a consistent copy of a live SQLite knowledge base."""

from __future__ import annotations

import typer

from treatywatch.cli.common import DbOption, fail, open_monitor
from treatywatch.errors import BackupError


def backup(
    destination: str = typer.Argument(..., help="File to write the copy to (must not exist)."),
    db: str | None = DbOption,
) -> None:
    """Copy the database with SQLite's backup API (safe while ingest is writing)."""
    with open_monitor(db) as monitor:
        try:
            path = monitor.backup(destination)
        except (BackupError, OSError) as exc:
            raise fail(exc, code=1) from exc
    print(f"backup written to {path} (integrity ok)")


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
