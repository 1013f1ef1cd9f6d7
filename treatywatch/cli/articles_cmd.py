"""``treatywatch articles`` and ``treatywatch show``: read what has been ingested."""

from __future__ import annotations

import json
import sys

import typer
from rich.console import Console

from treatywatch.cli.common import (
    DbOption,
    check_format,
    emit_rows,
    fail,
    grain_date_option,
    open_monitor,
)

COLUMNS = ("id", "published", "source", "title", "url")
TABLE_COLUMNS = ("id", "published", "source", "title", "url or file")


def articles(
    db: str | None = DbOption,
    source: str | None = typer.Option(None, help="Only this outlet (domain)."),
    since: str | None = typer.Option(None, help="Published on or after this date (YYYY[-MM[-DD]])."),
    until: str | None = typer.Option(None, help="Published on or before this date (YYYY[-MM[-DD]])."),
    search: str | None = typer.Option(None, "--search", "-s", help="Text to find in title or body."),
    limit: int = typer.Option(50, min=1, max=10000),
    fmt: str = typer.Option("table", "--format", help="table, json or csv"),
) -> None:
    """List stored articles, newest first."""
    check_format(fmt)
    first, last = grain_date_option("--since", since), grain_date_option("--until", until)
    with open_monitor(db) as monitor:
        rows = monitor.articles(source=source, since=first, until=last, text=search, limit=limit)
    if fmt != "table":
        emit_rows(rows, (*COLUMNS, "read_from"), fmt, title="articles")
        return
    for row in rows:  # something in every column: what is not known says so
        row["id"] = row["id"][:12]
        row["url or file"] = row.get("url") or row.get("read_from") or "-"
        row["title"] = row.get("title") or "(untitled)"
        row["source"] = row.get("source") or "-"
        row["published"] = row.get("published") or "-"
    emit_rows(rows, TABLE_COLUMNS, fmt, title="articles")


def show(
    article_id: str = typer.Argument(..., help="Article id or an unambiguous prefix (6+ characters)."),
    db: str | None = DbOption,
    fmt: str = typer.Option("text", "--format", help="text or json"),
) -> None:
    """Show one article: metadata, clean text and the furniture lines removed from it."""
    check_format(fmt, ("text", "json"))
    with open_monitor(db) as monitor:
        article = monitor.article(article_id)
    if article is None:
        raise fail(f"no article {article_id!r} (or the prefix is ambiguous)", code=1)
    if fmt == "json":
        sys.stdout.write(json.dumps(article, ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    for key in ("id", "title", "url", "canonical_url", "source", "author", "published", "published_from",
                "language", "input_kind", "encoding", "first_seen", "story_id"):
        if article.get(key):
            console.print(f"[bold]{key}[/bold]: {article[key]}", markup=True, highlight=False, soft_wrap=True)
    console.print()
    console.print(article["text"], markup=False)
    if article["removed"]:
        console.print("\n[bold]removed lines[/bold]")
        for line in article["removed"]:
            console.print(f"  - {line}", markup=False)
    if len(article["sightings"]) > 1:
        console.print("\n[bold]also seen at[/bold]")
        for sighting in article["sightings"]:
            console.print(f"  - {sighting['url']}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("articles")(articles)
    app.command("show")(show)
