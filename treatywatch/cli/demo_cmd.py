"""``treatywatch demo``: the README's main job — ingest the bundled sample and show what was found."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from treatywatch.cli.common import DbOption
from treatywatch.cli.serve_cmd import serve as serve_web
from treatywatch.event_types import registry
from treatywatch.ingest import IngestOptions
from treatywatch.monitor import Monitor
from treatywatch.sample import corpus_path


def demo(
    db: str | None = DbOption,
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web UI afterwards."),
    host: str = typer.Option("127.0.0.1", help="Address for the web UI."),
    port: int = typer.Option(8000, help="Port for the web UI."),
) -> None:
    """Ingest the sample corpus into a local database, print a summary, then serve the web UI."""
    console = Console(highlight=False)
    corpus = corpus_path()
    console.print(f"ingesting the sample corpus from {corpus} ...")
    with Monitor(db) as monitor:
        report = monitor.ingest([str(corpus)], IngestOptions())
        summary = monitor.summary()
        facts = monitor.facts(order="stories", limit=10)
        total_facts = len(monitor.facts(order="recent"))
        db_url = monitor.kb.url
    claims = summary.get("claims", {})
    console.print(
        f"[bold]{summary['articles']}[/bold] articles from [bold]{summary['sources']}[/bold] sources "
        f"({report.new_articles} new, {len(report.rejections)} inputs rejected), "
        f"[bold]{summary.get('stories', 0)}[/bold] stories, [bold]{sum(claims.values())}[/bold] claims "
        f"stating [bold]{total_facts}[/bold] facts in {escape(db_url)}"
    )
    if facts:
        console.print(facts_table(facts))
    address = f"http://{host}:{port}/"
    if not serve:
        console.print(f"\nweb UI: run `treatywatch serve --db {escape(str(db or 'treatywatch.db'))}`, then open {address}")
        return
    console.print(f"\nweb UI at [bold]{address}[/bold] (Ctrl-C to stop)")
    serve_web(db=db, host=host, port=port, allowed_host=[], docs=None, open_reads=None, https_cookies=False,
              trusted_proxy=[], header_timeout=10.0, body_timeout=30.0, workers=1, shared_max_age=10,
              answer_cache_mb=32)


def developments_table(developments: list[dict[str, Any]]) -> Table:
    """One line per development. Events by their registry labels (short and distinct: "withdrawal
    announced", "withdrawal notified"); a long value wraps, it is never cut."""
    table = Table(title="latest developments (one line per story)", title_justify="left")
    for column in ("date", "event", "actor", "modality", "outlet", "stories"):
        table.add_column(column, overflow="fold", min_width=len(column))
    for claim in developments:
        table.add_row(
            *(escape(str(v or "")) for v in (
                claim.get("date") or (claim.get("published") or "")[:10],
                registry().label(claim["type"]), claim.get("actor_iso3") or claim.get("actor"),
                claim.get("modality"), claim.get("outlet"), claim.get("corroboration"),
            ))
        )
    return table


def facts_table(facts: list[dict[str, Any]]) -> Table:
    """One line per fact (every claim of one step together), best supported first."""
    table = Table(title="best-supported facts (one line per step; `treatywatch facts` lists all)",
                  title_justify="left")
    for column in ("date", "event", "actor", "treaty/weapon", "stories", "reported as", "legal record"):
        table.add_column(column, overflow="fold", min_width=min(len(column), 8))
    for fact in facts:
        other = ", ".join(d["date"] for d in fact.get("dates", []) if not d["agrees"])
        table.add_row(*(escape(str(v or "")) for v in (
            (fact.get("date") or "undated") + (f" (also: {other})" if other else ""),
            registry().label(fact["type"]), fact.get("actor_iso3") or fact.get("actor"),
            fact.get("treaty") or fact.get("weapon"), fact.get("stories"), fact.get("mix"),
            (fact.get("reference") or {}).get("state", "").replace("_", " "),
        )))
    return table


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
