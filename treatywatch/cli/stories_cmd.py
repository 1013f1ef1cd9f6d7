"""``treatywatch stories``: the stories (one original report and its copies) in the knowledge base."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from treatywatch.cli.common import DbOption, check_format, emit_rows, fail, open_monitor

COLUMNS = ("id", "original_source", "basis", "members", "outlets", "first_seen", "last_seen")
MEMBER_COLUMNS = ("published", "outlet", "similarity", "url", "article_id")
# A table is read by a person: the most recent stories. JSON is read by programs (scorers,
# exports), which must see every story unless they ask for fewer: a silent cut would hide pairs.
TABLE_LIMIT = 50


def stories(
    db: str | None = DbOption,
    story: str | None = typer.Option(None, "--story", help="Show the members of this story id."),
    limit: int | None = typer.Option(
        None, min=1, max=100000,
        help=f"Stories to list, most recently active first (table: {TABLE_LIMIT} by default; json: all).",
    ),
    offset: int = typer.Option(0, min=0),
    fmt: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """List stories: id, original source, members (url, outlet, published), first and last seen."""
    check_format(fmt, ("table", "json"))
    with open_monitor(db) as monitor:
        if story is not None:
            found = monitor.story(story)
            if found is None:
                raise fail(f"no story {story!r} in {monitor.kb.url}", code=1)
            rows = [found]
        else:
            shown = limit if limit is not None or fmt == "json" else TABLE_LIMIT
            rows = monitor.stories(limit=shown, offset=offset)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif story is not None:
        _print_story(rows[0])
    else:
        emit_rows([_summary(r) for r in rows], COLUMNS, "table", title="stories")


def _summary(story: dict[str, Any]) -> dict[str, Any]:
    outlets = sorted({m["outlet"] for m in story["members"] if m["outlet"]})
    return {
        "id": story["id"],
        "original_source": " ← ".join(reversed(story["credit_chain"])) or story["original_source"],
        "basis": story["original_basis"],
        "members": story["member_count"],
        "outlets": ", ".join(outlets[:6]) + (f" (+{len(outlets) - 6})" if len(outlets) > 6 else ""),
        "first_seen": story["first_seen"],
        "last_seen": story["last_seen"],
    }


def _print_story(story: dict[str, Any]) -> None:
    emit_rows([_summary(story)], COLUMNS, "table", title="story")
    members = [{**m, "article_id": m["article_id"][:12]} for m in story["members"]]
    emit_rows(members, MEMBER_COLUMNS, "table", title="members")


def register(app: typer.Typer) -> None:
    app.command("stories")(stories)
