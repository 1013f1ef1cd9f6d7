"""``treatywatch batch``: ingest a stream with the extraction on a Dask cluster (issue 13).

The same flow as ``treatywatch ingest`` (same reading, prefilter, store step and summary): only
the extraction runs on Dask workers, on a ``LocalCluster`` of ``--workers`` processes by
default, or on an existing cluster (``--scheduler tcp://host:8786``). Needs the ``batch`` extra
(``pip install 'treatywatch[batch]'``).
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from treatywatch.cli.common import DbOption, fail
from treatywatch.cli.ingest_cmd import open_ingest_monitor, report_run, run_ingest
from treatywatch.ingest import IngestOptions


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, else of a local cluster of ``workers`` processes."""
    if importlib.util.find_spec("distributed") is None:
        raise fail("treatywatch batch needs Dask: pip install 'treatywatch[batch]'", code=2)
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def batch(
    targets: list[str] = typer.Argument(..., help="Files, folders (recursive: crawls, WARCs, JSONL shards) or URLs."),
    db: str | None = DbOption,
    scheduler: str | None = typer.Option(None, "--scheduler", help="An existing Dask scheduler, e.g. tcp://host:8786."),
    workers: int = typer.Option(2, "--workers", min=1, max=256, help="Worker processes of the local Dask cluster."),
    keep_off_topic: bool = typer.Option(
        False, "--keep-off-topic", help="Parse and store every page; by default off-topic pages are dropped before parsing."
    ),
    prefilter: bool = typer.Option(False, "--prefilter", help="Extract only articles that mention treaty or weapons terms."),
    sandbox: bool = typer.Option(True, "--sandbox/--no-sandbox", help="Parse in a child process under limits."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary."),
) -> None:
    """Ingest with the extraction on Dask; every input that fails gets one line on stderr, exit code 1."""
    options = IngestOptions(sandbox=sandbox, drop_off_topic=not keep_off_topic)
    monitor = open_ingest_monitor(db)
    with monitor, dask_client(scheduler, workers) as client:
        report = run_ingest(monitor, targets, options, workers=1, prefilter=prefilter,
                            show_progress=not quiet and sys.stderr.isatty(), client=client)
        report_run(monitor, report, quiet)
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
