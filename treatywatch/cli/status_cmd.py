"""Commands ``status``, ``report`` and ``reference``: thin shells over treatywatch.status."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, stderr
from treatywatch.errors import DataFileError
from treatywatch.status import (
    Facts,
    StatusResult,
    counts,
    find_treaty,
    load_facts,
    states_parties,
    status,
    status_all,
)
from treatywatch.status.refcheck import check_reference
from treatywatch.status.reference import PACKAGE_REFERENCE, active_reference_dir, import_reference
from treatywatch.status.report import build_profile, render_profile

reference_app = typer.Typer(help="Inspect, check and re-import the reference data.", no_args_is_help=True)


def _facts() -> Facts:
    try:
        return load_facts()
    except (DataFileError, OSError, ValueError, KeyError) as exc:
        raise fail(exc, context=f"cannot load reference data from {active_reference_dir()}") from None


def _on(value: str | None) -> date:
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--on must be a date YYYY-MM-DD, not {value!r}") from None


def _treaty_id(facts: Facts, name: str) -> str:
    treaty = find_treaty(facts.treaties, name)
    if treaty is None:
        raise fail(f"unknown treaty {name!r}; known: {', '.join(facts.treaties)}")
    return treaty.id


def load_claims(db: str | None, *, iso3: str | None = None, treaty: str | None = None) -> list[dict[str, Any]]:
    """Claims from the knowledge base, or [] when there is none (the default file is absent)."""
    if db is None and not Path("treatywatch.db").exists():
        return []
    if db is not None and "://" not in db and not Path(db).expanduser().exists():
        raise fail(f"no knowledge base at {db}")
    try:
        from treatywatch.kb.claims import list_claims
        from treatywatch.kb.store import open_kb
    except ImportError:
        stderr.print("note: treatywatch.kb.claims is not available; reference data only", markup=False, soft_wrap=True)
        return []
    try:
        kb = open_kb(db)
        try:
            return list(list_claims(kb, actor_iso3=iso3, treaty=treaty))
        finally:
            kb.close()
    except Exception as exc:  # the CLI boundary: one clear line, no traceback
        raise fail(f"cannot read claims from {db or 'treatywatch.db'}: {exc}") from None


def envelope(treaty: str | None, on: date, results: list[StatusResult]) -> dict[str, Any]:
    """The JSON document of ``status --format json``."""
    return {
        "treaty": treaty,
        "on": on.isoformat(),
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


def _print_all(treaty: str, on: date, results: list[StatusResult]) -> None:
    tally = counts(results)
    rows = [{"status": k, "states": v} for k, v in tally.items()]
    rows.append({"status": "states parties (consented + party + withdrawing + pending)",
                 "states": states_parties(results)})
    emit_rows(rows, ("status", "states"), "table", title=f"{treaty} on {on.isoformat()}")
    listed = [{"iso3": r.iso3, "name": r.name, "status": r.status, "since": r.since,
               "uncertain": "yes" if r.uncertain else "", "reason": r.reasons[0]} for r in results]
    emit_rows(listed, ("iso3", "name", "status", "since", "uncertain", "reason"), "table")


def status_command(
    iso3: str = typer.Argument(None, help="State (ISO 3166-1 alpha-3); omit for all states."),
    treaty: str = typer.Option(None, "--treaty", "-t", help="Treaty id or name (APMBT, CCM, ...)."),
    on: str = typer.Option(None, "--on", help="Date YYYY-MM-DD (default today)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    db: str = DbOption,
) -> None:
    """Legal status of a state under a treaty on a date, with reasons and evidence."""
    check_format(fmt, ("table", "json"))
    facts, day = _facts(), _on(on)
    treaty_id = _treaty_id(facts, treaty) if treaty else None
    if iso3 is None:
        if treaty_id is None:
            raise fail("give a state (ISO3) or --treaty for all states")
        results = status_all(treaty_id, day, facts=facts, claims=load_claims(db, treaty=treaty_id))
    else:
        results = _one_state(facts, iso3.upper(), treaty_id, day, db)
    if fmt == "json":
        sys.stdout.write(json.dumps(envelope(treaty_id, day, results), ensure_ascii=False, indent=2) + "\n")
    elif iso3 is None:
        _print_all(str(treaty_id), day, results)
    else:
        for result in results:
            _print_one(result)


def _one_state(facts: Facts, iso3: str, treaty_id: str | None, day: date, db: str | None) -> list[StatusResult]:
    claims = load_claims(db, iso3=iso3, treaty=treaty_id)
    treaties = [treaty_id] if treaty_id else _treaties_for(facts, iso3, claims)
    if iso3 not in facts.states and not claims:
        raise fail(f"unknown state {iso3!r}: not in the reference lists and no claims about it")
    return [status(iso3, t, day, facts=facts, claims=claims) for t in treaties]


def _treaties_for(facts: Facts, iso3: str, claims: list[dict[str, Any]]) -> list[str]:
    """Treaties with reference rows for the state, plus treaties its claims mention."""
    found = {t for (t, i) in facts.rows if i == iso3}
    found |= {str(c["treaty"]) for c in claims if c.get("treaty") in facts.treaties}
    return [t for t in facts.treaties if t in found]


def report_command(
    iso3: str = typer.Argument(..., help="State (ISO 3166-1 alpha-3)."),
    fmt: str = typer.Option("html", "--format", "-f", help="html or md."),
    out: Path = typer.Option(None, "--out", "-o", help="Write here instead of stdout."),
    on: str = typer.Option(None, "--on", help="Status date YYYY-MM-DD (default today)."),
    db: str = DbOption,
) -> None:
    """A country profile: status per treaty, a timeline plot, events with evidence, quotes."""
    check_format(fmt, ("html", "md"))
    facts, day, code = _facts(), _on(on), iso3.upper()
    claims = load_claims(db, iso3=code)
    if code not in facts.states and not claims:
        raise fail(f"unknown state {code!r}: not in the reference lists and no claims about it")
    profile = build_profile(code, day, facts=facts, claims=claims, quotes=_quotes(db, code))
    text = render_profile(profile, fmt)
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from None
    stderr.print(f"wrote {out}", markup=False, soft_wrap=True)


def _quotes(db: str | None, iso3: str) -> list[dict[str, Any]]:
    """Officials' quotes from stored extractions, or [] when there is no KB or no helper."""
    if db is None and not Path("treatywatch.db").exists():
        return []
    try:
        from treatywatch.kb.articles import quotes_for_state
        from treatywatch.kb.store import open_kb
    except ImportError:
        return []
    try:
        kb = open_kb(db)
        try:
            return list(quotes_for_state(kb, iso3))
        finally:
            kb.close()
    except Exception as exc:  # the CLI boundary: one clear line, no traceback
        raise fail(f"cannot read quotes from {db or 'treatywatch.db'}: {exc}") from None


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
    directory: Path = typer.Argument(..., help="Updated copy of ../shared/reference."),
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
