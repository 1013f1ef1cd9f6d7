"""Commands ``claims``, ``timeline`` and ``review``: thin shells over treatywatch.kb.claims.

``claims`` lists extracted events as stored (with outlet, publication date, corroboration and
review state), ``timeline`` puts one state's dated claims in order with their evidence, and
``review`` records an analyst's accept / reject / correct decision (docs/contracts.md#claims-evidence-review).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from treatywatch.cli.common import (
    DbOption,
    check_format,
    emit_rows,
    fail,
    grain_date_option,
    open_monitor,
    resolve_prefix,
)
from treatywatch.errors import NotFoundError, ReviewError
from treatywatch.kb.claims import CORRECTABLE_FIELDS, REVIEW_STATES
from treatywatch.monitor import Monitor

CLAIM_COLUMNS = (
    "id", "date", "type", "actor", "actor_iso3", "treaty", "weapon", "modality", "outlet",
    "published", "corroboration", "review_state", "sentence",
)
TIMELINE_COLUMNS = ("date", "type", "actor", "treaty", "weapon", "modality", "outlet", "review_state", "sentence")
DECISIONS = {"accept": "accepted", "reject": "rejected", "correct": "corrected"}
SHORT_ID = 12


def _short(rows: list[dict[str, Any]], fmt: str) -> list[dict[str, Any]]:
    """Tables show a 12-character id prefix (enough for ``review``); JSON/CSV the full id."""
    if fmt != "table":
        return rows
    return [{**r, "id": r["id"][:SHORT_ID]} for r in rows]


def claims_command(
    state: str | None = typer.Option(None, "--state", help="Actor state, ISO3 (e.g. POL)."),
    types: list[str] = typer.Option(None, "--type", help="Event type; repeat for several."),
    treaty: str | None = typer.Option(None, "--treaty", help="Treaty id, e.g. APMBT."),
    since: str | None = typer.Option(None, "--since", help="Only claims dated on/after YYYY[-MM[-DD]]."),
    review_state: str | None = typer.Option(None, "--review-state", help="new, accepted, rejected or corrected."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
    db: str | None = DbOption,
) -> None:
    """List extracted claims with outlet, publication date, corroboration and review state."""
    check_format(fmt)
    if review_state and review_state not in REVIEW_STATES:
        raise fail(f"unknown review state {review_state!r}; use new, accepted, rejected or corrected")
    first = grain_date_option("--since", since)
    with open_monitor(db) as monitor:
        rows = monitor.claims(actor_iso3=state, treaty=treaty, types=types or None, since=first,
                              review_state=review_state)
    emit_rows(_short(rows, fmt), CLAIM_COLUMNS, fmt, title="claims")


def timeline_command(
    iso3: str = typer.Argument(..., help="State, ISO3 (e.g. POL)."),
    treaty: str | None = typer.Option(None, "--treaty", help="Only this treaty's steps."),
    include_rejected: bool = typer.Option(False, "--include-rejected", help="Show rejected claims too."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
    db: str | None = DbOption,
) -> None:
    """One state's dated developments in order, each with its outlet and evidence sentence."""
    check_format(fmt)
    with open_monitor(db) as monitor:
        rows = monitor.timeline(iso3, treaty=treaty, include_rejected=include_rejected)
    emit_rows(rows, TIMELINE_COLUMNS, fmt, title=f"timeline of {iso3.upper()}")


def parse_corrections(values: list[str]) -> dict[str, Any]:
    """The `--set field=value` options of `review` and `review-fact` as one correction."""
    correction: dict[str, Any] = {}
    for item in values:
        field, sep, value = item.partition("=")
        if not sep or not field:
            raise fail(f"--set takes field=value, not {item!r}")
        if field not in CORRECTABLE_FIELDS:
            raise fail(f"cannot correct {field!r}; correctable: {', '.join(CORRECTABLE_FIELDS)}")
        correction[field] = value or None
    return correction


def _resolve_id(monitor: Monitor, claim: str) -> str:
    """A full claim id, or a unique prefix of one (as the table shows)."""
    return resolve_prefix(monitor.claim_ids(claim), claim, "claim", monitor.kb.url)


def review_command(
    claim: str = typer.Argument(..., help="Claim id (or a unique prefix)."),
    decision: str = typer.Argument(..., help="accept, reject or correct"),
    sets: list[str] = typer.Option(None, "--set", help="field=value for a correction; repeat."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who reviews (kept with the review)."),
    note: str | None = typer.Option(None, "--note", help="A note kept with the review."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    db: str | None = DbOption,
) -> None:
    """Accept, reject or correct a claim; the review survives re-extraction of the article."""
    check_format(fmt, ("table", "json"))
    if decision not in DECISIONS:
        raise fail(f"unknown decision {decision!r}; use accept, reject or correct")
    correction = parse_corrections(sets or [])
    if decision == "correct" and not correction:
        raise fail("correct needs at least one --set field=value")
    if decision != "correct" and correction:
        raise fail("--set is only for correct")
    with open_monitor(db) as monitor:
        claim_id = _resolve_id(monitor, claim)
        try:
            result = monitor.review(claim_id, DECISIONS[decision], reviewer, correction=correction or None, note=note)
        except (ReviewError, NotFoundError) as exc:
            raise fail(exc) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
        return
    emit_rows([result], ("id", "type", "actor", "treaty", "weapon", "date", "modality", "review_state",
                         "reviewed_by"), "table", title="reviewed")


def register(app: typer.Typer) -> None:
    app.command("claims")(claims_command)
    app.command("timeline")(timeline_command)
    app.command("review")(review_command)
