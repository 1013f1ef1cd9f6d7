"""Commands ``status``, ``report`` and ``reference``: thin shells over `Monitor` and treatywatch.status.

``status`` and ``report`` read the knowledge base through `Monitor.for_reading`: with no database
named and none at ./treatywatch.db they answer from the bundled reference data alone and say so.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, stderr
from treatywatch.dates import parse_day
from treatywatch.errors import DataFileError, InputError, KBError, TreatywatchError
from treatywatch.kb.store import db_name
from treatywatch.monitor import Monitor
from treatywatch.status import (
    StatusResult,
    TreatyStatus,
    UnknownState,
    UnknownTreaty,
    counts,
    load_facts,
    states_parties,
)
from treatywatch.status.refcheck import check_reference
from treatywatch.status.reference import PACKAGE_REFERENCE, active_reference_dir, import_reference
from treatywatch.status.report import render_profile
from treatywatch.status.series import SERIES_COLUMNS, SERIES_STEPS, series_csv, series_document
from treatywatch.web.treaty_report import render_treaty_report
from treatywatch.web.treaty_view import treaty_view

reference_app = typer.Typer(help="Inspect, check and re-import the reference data.", no_args_is_help=True)
Answer = TypeVar("Answer")


def _check_reference() -> None:
    """Reference data that cannot be loaded is one clear line, before any question is asked."""
    try:
        load_facts()
    except (DataFileError, OSError, ValueError, KeyError) as exc:
        raise fail(exc, context=f"cannot load reference data from {active_reference_dir()}") from None


def _on(value: str | None, option: str = "--on") -> date:
    if not value:
        return date.today()
    try:
        return parse_day(value)
    except ValueError:
        raise fail(f"{option} must be a date YYYY-MM-DD, not {value!r}") from None


def _reading(ctx: typer.Context, db: str | None) -> Monitor:
    """The knowledge base to read claims from. A ``--db`` given on the command line must exist;
    without one (nothing at $TREATYWATCH_DB or ./treatywatch.db, as on a fresh install) the
    answer comes from the reference data, with a note that no claims were considered."""
    source = ctx.get_parameter_source("db")
    required = source is not None and source.name == "COMMANDLINE"  # typer vendors its own click
    try:
        monitor = Monitor.for_reading(db, required=required)
    except (TreatywatchError, OSError, ValueError) as exc:
        raise fail(exc) from None
    if not monitor.claims_considered:
        stderr.print(f"note: no knowledge base at {db_name(db)}: the answer comes from the bundled "
                     "reference data alone; no reported claims were considered", markup=False, soft_wrap=True)
    return monitor


def _ask(db: str | None, question: Callable[[], Answer]) -> Answer:
    """Ask the monitor; unknown states and treaties, refused dates and unreadable claims are one
    clear line."""
    try:
        return question()
    except (UnknownState, UnknownTreaty) as exc:
        raise fail(str(exc)) from None
    except InputError as exc:
        raise fail(exc) from None
    except KBError as exc:
        raise fail(exc, context=f"cannot read claims from {db_name(db)}") from None


def envelope(treaty: str | None, on: date, results: list[StatusResult], *,
             claims_considered: bool = True) -> dict[str, Any]:
    """The JSON document of ``status --format json``."""
    return {
        "treaty": treaty,
        "on": on.isoformat(),
        "claims_considered": claims_considered,
        "counts": counts(results),
        "states_parties": states_parties(results),
        "uncertain": [r.iso3 for r in results if r.uncertain],
        "states": [r.to_json() for r in results],
    }


def _print_one(result: StatusResult) -> None:
    console = Console(highlight=False)
    console.print(f"[bold]{result.iso3}[/bold] {result.name} — {result.treaty}: "
                  f"[bold]{result.status}[/bold] on {result.on.isoformat()}")
    for reason in result.reasons:
        console.print(f"  • {reason}", markup=False, soft_wrap=True)
    for act in result.contested_acts:
        console.print(f"  contested: {act.date} {act.act} — {act.if_withdrawal}", markup=False, soft_wrap=True)
        for objection in act.objections:
            console.print(f"    objection ({objection.by}, {objection.date}): {objection.summary} "
                          f"<{objection.source_url}>", markup=False, soft_wrap=True)
    rows = [e.to_json() for e in result.evidence]
    emit_rows(rows, ("kind", "step", "date", "source_url", "outlet"), "table", title="evidence")


def _print_all(answer: TreatyStatus) -> None:
    rows = [{"status": k, "states": v} for k, v in answer.counts.items()]
    rows.append({"status": "states parties (consented + party + withdrawing + pending)",
                 "states": answer.states_parties})
    emit_rows(rows, ("status", "states"), "table", title=f"{answer.treaty} on {answer.on.isoformat()}")
    listed = [{"iso3": r.iso3, "name": r.name, "status": r.status, "since": r.since,
               "uncertain": "yes" if r.uncertain else "", "reason": r.reasons[0]} for r in answer.results]
    emit_rows(listed, ("iso3", "name", "status", "since", "uncertain", "reason"), "table")


def _series_range(value: str) -> tuple[date | None, date | None]:
    """``FROM:TO`` (either may be left out: ``:2026-12-31``, ``1999-03-01:``)."""
    first, sep, last = value.partition(":")
    if not sep:
        raise fail(f"--series must be FROM:TO (YYYY-MM-DD:YYYY-MM-DD, either may be empty), not {value!r}")
    return (_on(first, "--series") if first else None), (_on(last, "--series") if last else None)


def _print_series(ctx: typer.Context, db: str | None, treaty: str, span: str, step: str, fmt: str) -> None:
    """``status --treaty T --series FROM:TO``: the counts on every ``step`` (series.py)."""
    if step not in SERIES_STEPS:
        raise fail(f"unknown --step {step!r}; choose one of {', '.join(SERIES_STEPS)}")
    first, last = _series_range(span)
    with _reading(ctx, db) as monitor:
        history = _ask(db, lambda: monitor.treaty_history(treaty, first, last))
        considered = monitor.claims_considered
    points = history.sample(step)
    if fmt == "csv":
        sys.stdout.write(series_csv(points))
    elif fmt == "json":
        document = series_document(history.treaty, history.start, history.end, step, points,
                                   claims_considered=considered)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        emit_rows([p.to_json() for p in points], SERIES_COLUMNS, "table",
                  title=f"{history.treaty}: States Parties, every {step}")


def status_command(
    ctx: typer.Context,
    iso3: str = typer.Argument(None, help="State (ISO 3166-1 alpha-3); omit for all states."),
    treaty: str = typer.Option(None, "--treaty", "-t", help="Treaty id or name (APMBT, CCM, ...)."),
    on: str = typer.Option(None, "--on", help="Date YYYY-MM-DD (default today)."),
    series: str = typer.Option(None, "--series", metavar="FROM:TO",
                               help="With --treaty: the counts on every --step from FROM (default: entry "
                                    "into force) to TO (default today), e.g. 1999-03-01:2026-12-31."),
    step: str = typer.Option("month", "--step", help="With --series: day, week, month, quarter or year."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json; csv with --series."),
    db: str = DbOption,
) -> None:
    """Legal status of a state under a treaty on a date, with reasons and evidence."""
    check_format(fmt, ("table", "json", "csv") if series is not None else ("table", "json"))
    if series is not None and (treaty is None or iso3 is not None or on is not None):
        raise fail("--series needs --treaty and neither a state nor --on")
    day = _on(on)
    if iso3 is None and treaty is None:
        raise fail("give a state (ISO3) or --treaty for all states")
    _check_reference()
    if series is not None:
        _print_series(ctx, db, treaty, series, step, fmt)
        return
    with _reading(ctx, db) as monitor:
        if iso3 is None:
            answer = _ask(db, lambda: monitor.treaty_status(treaty, day))
            results, treaty_id = list(answer.results), answer.treaty
        else:
            results = _ask(db, lambda: monitor.status(iso3, treaty, day))
            treaty_id = results[0].treaty if treaty else None
        considered = monitor.claims_considered
    if fmt == "json":
        document = envelope(treaty_id, day, results, claims_considered=considered)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    elif iso3 is None:
        _print_all(answer)
    else:
        for result in results:
            _print_one(result)


def report_command(
    ctx: typer.Context,
    iso3: str = typer.Argument(None, help="State (ISO 3166-1 alpha-3)."),
    treaty: str = typer.Option(None, "--treaty", "-t",
                               help="A treaty report instead (html): counts, map, withdrawals, contested "
                                    "acts and States Parties over time."),
    fmt: str = typer.Option("html", "--format", "-f", help="html or md (a state); html (a treaty)."),
    out: Path = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    on: str = typer.Option(None, "--on", help="Status date YYYY-MM-DD (default today)."),
    db: str = DbOption,
) -> None:
    """A country profile, or with --treaty a treaty report with a map and a chart.

    A country profile: status per treaty, a timeline plot, events with evidence, quotes. A treaty
    report: counts, a map of every state's status, withdrawals, contested acts, States Parties
    over time."""
    if (iso3 is None) == (treaty is None):
        raise fail("give either a state (ISO3) or --treaty")
    check_format(fmt, ("html", "md") if treaty is None else ("html",))
    day = _on(on)
    _check_reference()
    with _reading(ctx, db) as monitor:
        if treaty is None:
            text = render_profile(_ask(db, lambda: monitor.profile(iso3, day)), fmt)
        else:
            overview = _ask(db, lambda: monitor.treaty_overview(treaty, day))
            facts = load_facts()
            text = render_treaty_report(treaty_view(overview, facts.treaties[overview.status.treaty]),
                                        reference=facts.location, claims_considered=monitor.claims_considered)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    stderr.print(f"wrote {out}", markup=False, soft_wrap=True)


@reference_app.command("info")
def reference_info() -> None:
    """Which reference copy is in use, and its row counts."""
    directory = active_reference_dir()
    report = check_reference(directory)
    origin = "packaged" if directory == PACKAGE_REFERENCE else "imported/explicit"
    typer.echo(f"reference: {directory} ({origin})")
    for name, rows in report.rows.items():
        typer.echo(f"  {name}: {rows} rows")
    typer.echo(f"  errors: {len(report.errors)}, warnings: {len(report.warnings)}")


@reference_app.command("check")
def reference_check(directory: Path = typer.Argument(..., help="A reference folder.")) -> None:
    """Check a reference folder without installing it."""
    report = check_reference(directory)
    _print_check(report)
    if report.errors:
        raise typer.Exit(1)


@reference_app.command("import")
def reference_import(
    directory: Path = typer.Argument(..., help="An updated copy of the reference folder (see docs/contracts.md#reference-data)."),
    dest: Path = typer.Option(None, "--dest", help="Install here (default: the user data dir)."),
    package: bool = typer.Option(False, "--package", help="Replace the packaged copy (maintainers)."),
    as_of: str = typer.Option(None, "--as-of", help="Date the statuses in the copy are valid on."),
) -> None:
    """Check an updated reference folder and install it (user data dir by default)."""
    if as_of:
        _on(as_of)
    target = PACKAGE_REFERENCE if package else dest
    report = import_reference(directory, target, as_of=as_of)
    _print_check(report)
    if report.errors:
        raise fail(f"{directory}: {len(report.errors)} error(s); nothing was imported", 1)
    typer.echo(f"imported {directory} -> {target or active_reference_dir()}")


def _print_check(report: Any) -> None:
    for error in report.errors:
        stderr.print(f"error: {error}", markup=False, soft_wrap=True)
    for warning in report.warnings:
        stderr.print(f"warning: {warning}", markup=False, soft_wrap=True)
    typer.echo(", ".join(f"{name}: {rows} rows" for name, rows in report.rows.items()) or "no files read")


def register(app: typer.Typer) -> None:
    app.command("status")(status_command)
    app.command("report")(report_command)
    app.add_typer(reference_app, name="reference")
