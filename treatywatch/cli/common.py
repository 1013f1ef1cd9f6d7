"""Helpers shared by the command modules: database option, output formats, error exits."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from treatywatch.errors import TreatywatchError

DbOption = typer.Option(
    None, "--db", envvar="TREATYWATCH_DB", help="Database file or URL (default ./treatywatch.db)."
)
FORMATS = ("table", "json", "csv")

stderr = Console(stderr=True, highlight=False)


def fail(problem: str | Exception, code: int = 2, *, context: str | None = None) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise.

    An error of `treatywatch.errors` shows its machine code first (``error: db_busy: the
    database is locked ...``) so that scripts can match on it; ``context`` says what was being
    done when it happened (``cannot open the knowledge base x.db``).
    """
    code_part = f"{problem.code}: " if isinstance(problem, TreatywatchError) else ""
    text = problem.message if isinstance(problem, TreatywatchError) else str(problem)
    if context:
        text = f"{context}: {text}"
    stderr.print(f"error: {code_part}{text}", markup=False, soft_wrap=True)
    return typer.Exit(code)


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    if fmt not in allowed:
        raise fail(f"unknown format {fmt!r}; choose one of {', '.join(allowed)}")
    return fmt


def emit_rows(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, title: str = "") -> None:
    """Print rows as a rich table, a JSON array or CSV with the given columns."""
    rows = list(rows)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows({c: _cell(r.get(c)) for c in columns} for r in rows)
        sys.stdout.write(buffer.getvalue())
        return
    table = Table(title=title or None, show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    Console(highlight=False).print(table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
