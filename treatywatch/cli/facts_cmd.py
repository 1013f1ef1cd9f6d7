"""Commands ``facts``, ``fact`` and ``review-fact``: claims that state the same step, as one.

``facts`` lists them with their support (independent stories, trusted outlets), their date and
any disagreeing dates, the modality mix and their agreement with the legal record, biggest
impact first; ``fact`` shows one with its claims and quotes; ``review-fact`` reviews all its
claims at once (see docs/facts.md).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from treatywatch.cli.claims_cmd import DECISIONS, parse_corrections
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
from treatywatch.kb.claims import REVIEW_STATES
from treatywatch.monitor import Monitor
from treatywatch.status.factcheck import modality_summary

FACT_COLUMNS = (
    "id", "date", "type", "actor_iso3", "treaty", "weapon", "stories", "trusted", "claims", "conflict",
    "other_dates", "record", "modality", "review_state", "new_support",
)
ORDERS = ("impact", "stories", "recent")
SHORT_ID = 12


def flat(row: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A fact as a table/CSV row: disagreeing dates, record check and modality mix as text."""
    check = row.get("reference") or {}
    record = "; ".join(f"{r['step']} {r['date']}" for r in check.get("record", []))
    out = {
        **row,
        "other_dates": ", ".join(d["date"] for d in row.get("dates", []) if not d["agrees"]),
        "record": check.get("state", "") + (f" ({record})" if record and check.get("state") == "contradicts" else ""),
        "modality": modality_summary(row.get("modalities") or {}),
        "conflict": "yes" if row.get("conflict") else "",
    }
    if fmt == "table":
        out["id"] = row["id"][:SHORT_ID]
    return out


def facts_command(
    state: str | None = typer.Option(None, "--state", help="Actor state, ISO3 (e.g. POL)."),
    types: list[str] = typer.Option(None, "--type", help="Event type; repeat for several."),
    treaty: str | None = typer.Option(None, "--treaty", help="Treaty id, e.g. APMBT."),
    since: str | None = typer.Option(None, "--since", help="Only facts dated on/after YYYY[-MM[-DD]]."),
    until: str | None = typer.Option(None, "--until", help="Only facts dated on/before YYYY[-MM[-DD]]."),
    review_state: str | None = typer.Option(
        None, "--review-state", help="new, accepted, rejected, corrected, or pending (the review queue)."),
    conflicts: bool = typer.Option(False, "--conflicts", help="Only facts whose sources disagree on the date."),
    min_stories: int = typer.Option(0, "--min-stories", min=0, help="Only facts with at least N stories."),
    order: str = typer.Option("impact", "--order", help="impact (status-changing first), stories or recent."),
    limit: int = typer.Option(100, "--limit", min=1, max=10000, help="At most N facts."),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
    db: str | None = DbOption,
) -> None:
    """List facts: claims stating the same step, with support, dates, conflicts and the record."""
    check_format(fmt)
    if review_state and review_state not in (*REVIEW_STATES, "pending"):
        raise fail(f"unknown review state {review_state!r}; use new, accepted, rejected, corrected or pending")
    if order not in ORDERS:
        raise fail(f"unknown order {order!r}; use {', '.join(ORDERS)}")
    first, last = grain_date_option("--since", since), grain_date_option("--until", until)
    with open_monitor(db) as monitor:
        rows = monitor.facts(actor_iso3=state, treaty=treaty, types=types or None, since=first, until=last,
                             review_state=review_state, conflicts_only=conflicts, min_stories=min_stories,
                             order=order, limit=limit)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    emit_rows([flat(r, fmt) for r in rows], FACT_COLUMNS, fmt, title="facts")


def _resolve(monitor: Monitor, fact: str) -> str:
    """A full fact id, or a unique prefix of one (as the table shows)."""
    return resolve_prefix(monitor.fact_ids(fact), fact, "fact", monitor.kb.url)


def fact_command(
    fact: str = typer.Argument(..., help="Fact id (or a unique prefix)."),
    fmt: str = typer.Option("table", "--format", help="table or json"),
    db: str | None = DbOption,
) -> None:
    """Show one fact with its claims, quotes and its agreement with the legal record."""
    check_format(fmt, ("table", "json"))
    with open_monitor(db) as monitor:
        row = monitor.fact(_resolve(monitor, fact))
    assert row is not None
    if fmt == "json":
        sys.stdout.write(json.dumps(row, ensure_ascii=False, indent=2) + "\n")
        return
    emit_rows([flat(row, fmt)], FACT_COLUMNS, fmt, title="fact")
    emit_rows(row.get("claims", []), ("date", "modality", "outlet", "published", "support", "review_state",
                                      "sentence"), fmt, title="claims")


def review_fact_command(
    fact: str = typer.Argument(..., help="Fact id (or a unique prefix)."),
    decision: str = typer.Argument(..., help="accept, reject or correct"),
    sets: list[str] = typer.Option(None, "--set", help="field=value for a correction; repeat."),
    reviewer: str = typer.Option(..., "--reviewer", help="Who reviews (kept with each claim's review)."),
    note: str | None = typer.Option(None, "--note", help="A note kept with the review."),
    db: str | None = DbOption,
) -> None:
    """Accept, reject or correct a fact: every claim of it gets the review."""
    if decision not in DECISIONS:
        raise fail(f"unknown decision {decision!r}; use accept, reject or correct")
    correction = parse_corrections(sets or [])
    if (decision == "correct") != bool(correction):
        raise fail("correct needs --set field=value, and --set is only for correct")
    with open_monitor(db) as monitor:
        fact_id = _resolve(monitor, fact)
        try:
            now_in = monitor.review_fact(fact_id, DECISIONS[decision], reviewer, correction=correction or None,
                                         note=note)
        except (ReviewError, NotFoundError) as exc:
            raise fail(exc) from None
    sys.stdout.write(f"reviewed fact {fact_id[:SHORT_ID]} ({DECISIONS[decision]}); its claims are in "
                     f"{', '.join(f[:SHORT_ID] for f in now_in)}\n")


def register(app: typer.Typer) -> None:
    app.command("facts")(facts_command)
    app.command("fact")(fact_command)
    app.command("review-fact")(review_fact_command)
