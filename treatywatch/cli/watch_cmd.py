"""Command ``watch``: poll sources on a schedule, ingest what changed, fire alerts (docs/watch.md).

Also ``alerts``: the alerts fired so far, newest first.
"""

from __future__ import annotations

from datetime import date

import typer

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, open_monitor
from treatywatch.errors import DataFileError
from treatywatch.kb import watch as kb_watch
from treatywatch.watch import Round, load_config, watch


def watch_command(
    config: str = typer.Argument(..., help="The watch configuration (YAML; see docs/watch.md)."),
    once: bool = typer.Option(False, "--once", help="Poll every source once, fire and deliver alerts, then exit."),
    today: str | None = typer.Option(None, "--today", help="Take this day (YYYY-MM-DD) as today for deadline rules."),
    db: str | None = DbOption,
) -> None:
    """Watch feeds and pages: conditional GET on a schedule, new items ingested once, alerts fired once."""
    try:
        settings = load_config(config)
    except DataFileError as exc:
        raise fail(exc) from None
    day = None
    if today is not None:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            raise fail(f"--today must be YYYY-MM-DD, not {today!r}") from None

    def report(result: Round) -> None:
        typer.echo(result.summary(), err=True)

    with open_monitor(db) as monitor:
        try:
            watch(monitor.pipeline, settings, once=once, report=report, today=day)
        except KeyboardInterrupt:
            typer.echo("stopped; the next run resumes where this one stopped", err=True)


def alerts_command(
    limit: int = typer.Option(50, "--limit", min=1, max=10000, help="At most N alerts."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
    db: str | None = DbOption,
) -> None:
    """List the alerts fired so far, newest first, with where each was delivered."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = kb_watch.list_alerts(monitor.kb, limit=limit)
    emit_rows(rows, ("created_at", "rule", "title", "fact_id", "delivered"), fmt, title="alerts")


def register(app: typer.Typer) -> None:
    app.command("watch")(watch_command)
    app.command("alerts")(alerts_command)
