"""``treatywatch ingest``: read files, folders and URLs into the knowledge base."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from treatywatch.cli.common import DbOption, fail, stderr
from treatywatch.errors import KBError
from treatywatch.ingest import IngestOptions, iter_inputs
from treatywatch.models import InputBatch
from treatywatch.monitor import IngestReport, Monitor


def ingest(
    targets: list[str] = typer.Argument(..., help="Files, folders (recursive) or http(s) URLs."),
    db: str | None = DbOption,
    published: str | None = typer.Option(None, help="Publication date for plain-text inputs (YYYY-MM-DD)."),
    url: str | None = typer.Option(None, help="URL for plain-text inputs."),
    max_size: int = typer.Option(20, "--max-size", help="Largest input accepted, in MB."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow fetching loopback/private addresses."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Store articles without running extraction."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes for extraction."),
    prefilter: bool = typer.Option(False, "--prefilter", help="Extract only articles that mention treaty or weapons terms."),
    keep_off_topic: bool = typer.Option(
        False, "--keep-off-topic",
        help="Parse and store every page; by default off-topic pages are dropped before parsing and recorded as seen.",
    ),
    sandbox: bool = typer.Option(True, "--sandbox/--no-sandbox", help="Parse in a child process under limits."),
    parse_timeout: float = typer.Option(30.0, "--parse-timeout", min=1.0, help="Seconds one parse may take."),
    parse_memory: int = typer.Option(1536, "--parse-memory", min=256, help="MB of memory one parse may use."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Ingest articles; every input that fails gets one line on stderr and the exit code is 1."""
    options = IngestOptions(
        max_bytes=max_size * 1024 * 1024,
        allow_private=allow_private,
        published=published,
        url=url,
        sandbox=sandbox,
        parse_timeout=parse_timeout,
        parse_memory=parse_memory * 1024 * 1024,
        drop_off_topic=not keep_off_topic,
    )
    monitor = open_ingest_monitor(db, extract=not no_extract)
    with monitor:
        report = run_ingest(monitor, targets, options, workers=workers, prefilter=prefilter,
                      show_progress=not quiet and sys.stderr.isatty())
        report_run(monitor, report, quiet)
    if report.failed:
        raise typer.Exit(1)


def open_ingest_monitor(db: str | None, **monitor_options: Any) -> Monitor:
    """The monitor `ingest` and `batch` store into; a database we cannot open is a one-line
    error, not a traceback."""
    try:
        return Monitor(db, **monitor_options)
    except Exception as exc:
        raise fail(exc, context=f"cannot open database {db or 'treatywatch.db'}") from exc


def report_run(monitor: Monitor, report: IngestReport, quiet: bool) -> None:
    """One stderr line per rejected input, then the summary unless ``quiet``."""
    for rejection in report.rejections:
        stderr.print(rejection.one_line(), markup=False, soft_wrap=True)
    if not quiet:
        print_summary(monitor, report)


def run_ingest(
    monitor: Monitor,
    targets: list[str],
    options: IngestOptions,
    *,
    workers: int,
    prefilter: bool,
    show_progress: bool,
    client: Any | None = None,
) -> IngestReport:
    """The run behind ``ingest`` and ``batch``, with a progress bar when asked (``client``: Dask)."""
    expanded = list(iter_inputs(targets))
    progress = (
        Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=stderr)
        if show_progress
        else None
    )
    with progress or nullcontext():
        task = progress.add_task("ingest", total=len(expanded)) if progress else None

        def advance(_target: str, _batch: InputBatch | None) -> None:
            if progress is not None and task is not None:
                progress.advance(task)

        try:
            return monitor.ingest(expanded, options, workers=workers, prefilter=prefilter, on_input=advance, client=client)
        except KBError as exc:
            raise fail(exc, code=1) from exc


def print_summary(monitor: Monitor, report: IngestReport) -> None:
    """The two summary lines: what this run did, and what the knowledge base now holds."""
    totals: dict[str, Any] = monitor.summary()
    claims = totals.get("claims", {})
    print(
        f"ingested {report.inputs} inputs: {report.new_articles} new articles, "
        f"{report.known_articles} already known, {len(report.rejections)} failed, "
        f"{report.dropped} dropped off topic ({report.dropped_again} seen before)"
    )
    print(
        f"knowledge base {monitor.kb.url}: {totals['articles']} articles from {totals['sources']} sources, "
        f"{totals.get('stories', 0)} stories, {sum(claims.values())} claims, "
        f"{totals.get('dropped', 0)} pages dropped off topic"
    )


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
