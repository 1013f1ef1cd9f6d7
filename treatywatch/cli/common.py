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

from treatywatch.dates import GRAIN_FORMATS, GrainDate
from treatywatch.errors import TreatywatchError
from treatywatch.kb.store import DEFAULT_DB, db_name
from treatywatch.monitor import Monitor

DbOption = typer.Option(
    None, "--db", envvar="TREATYWATCH_DB", help=f"Database file or URL (default ./{DEFAULT_DB})."
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


def open_monitor(db: str | None) -> Monitor:
    """The knowledge base named by ``db`` (created when absent), or one clear line and exit 2."""
    try:
        return Monitor(db, extract=False)
    except (TreatywatchError, OSError, ValueError) as exc:
        raise fail(exc, context=f"cannot open the knowledge base {db_name(db)}") from None


def resolve_prefix(matches: Sequence[str], given: str, kind: str, where: str) -> str:
    """The one id among ``matches`` (the ids starting with ``given``, as the tables show them).

    Exit 1 when nothing matches, 2 when the prefix is ambiguous; ``kind`` names the thing
    ("claim", "fact") in the message and ``where`` the knowledge base.
    """
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise fail(f"no {kind} {given!r} in {where}", code=1)
    raise fail(f"{kind} id prefix {given!r} is ambiguous ({len(matches)} {kind}s); give more characters")


def grain_date_option(option: str, value: str | None) -> GrainDate | None:
    """A ``--since``/``--until`` value: a real date at some grain (2026, 2026-03, 2026-03-15)."""
    if value is None:
        return None
    try:
        return GrainDate.parse(value)
    except ValueError:
        raise fail(f"{option} must be {GRAIN_FORMATS}, not {value!r}") from None


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
