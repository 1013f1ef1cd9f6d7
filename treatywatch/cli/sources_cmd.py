"""``treatywatch sources list|show|trust``: outlets, their trust levels and measured signals."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, open_monitor
from treatywatch.errors import SourceError

sources_app = typer.Typer(help="Outlets: kinds, analyst trust levels, measured signals.", no_args_is_help=True)

LIST_COLUMNS = ("domain", "name", "kind", "trust", "articles", "stories", "trust_set_by")
SIGNAL_KEYS = ("articles", "copied_share", "garbling", "garbled_items", "credited_rate", "uncredited_copies")


@sources_app.command("list")
def list_command(
    db: str | None = DbOption,
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
) -> None:
    """List outlets seen in the knowledge base (or given a trust level), most articles first."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = monitor.sources()
    emit_rows(rows, LIST_COLUMNS, fmt, title="sources")


@sources_app.command("show")
def show_command(
    domain: str = typer.Argument(..., help="Outlet domain, e.g. reuters.com"),
    db: str | None = DbOption,
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Show one outlet: kind, trust (who set it, when) and its measured signals."""
    check_format(fmt, ("table", "json"))
    with open_monitor(db) as monitor:
        source = monitor.source(domain)
    if source is None:
        raise fail(f"no source {domain!r}: not seen in the knowledge base nor in the seed registry", code=1)
    _emit_source(source, fmt)


@sources_app.command("trust")
def trust_command(
    domain: str = typer.Argument(..., help="Outlet domain, e.g. reuters.com"),
    level: str = typer.Argument(..., help="trusted, neutral or untrusted"),
    analyst: str = typer.Option(
        None, "--analyst", help="Who sets it (default: $TREATYWATCH_ANALYST or $USER)."
    ),
    db: str | None = DbOption,
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Set an outlet's trust level (kept with who set it and when)."""
    check_format(fmt, ("table", "json"))
    who = analyst or os.environ.get("TREATYWATCH_ANALYST") or os.environ.get("USER") or "analyst"
    with open_monitor(db) as monitor:
        try:
            source = monitor.set_trust(domain, level, who)
        except SourceError as exc:
            raise fail(exc) from None
    _emit_source(source, fmt)


def _emit_source(source: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(source, ensure_ascii=False, indent=2) + "\n")
        return
    fields = [
        {"field": key, "value": source.get(key)}
        for key in ("domain", "name", "kind", "trust", "trust_set_by", "trust_set_at", "first_seen")
    ]
    fields += [{"field": key, "value": source["signals"].get(key)} for key in SIGNAL_KEYS]
    emit_rows(fields, ("field", "value"), "table", title=source["domain"])


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
