"""Issue 13: ``treatywatch batch`` runs the extraction on a Dask cluster and stores what a serial
run stores; a worker killed mid-task loses nothing."""

from __future__ import annotations

import json
import logging
import os
import signal
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import distributed
import pytest
from typer.testing import CliRunner

from treatywatch.batch.dask_run import process_on_dask
from treatywatch.cli import app
from treatywatch.ingest import IngestOptions
from treatywatch.models import Article, Extraction
from treatywatch.pipeline import extract_articles
from treatywatch.sample import corpus_path


def _snapshot(runner: CliRunner, db: Path) -> tuple[list[str], list[tuple[str, str]]]:
    articles = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json", "--limit", "100"]).stdout)
    claims = json.loads(runner.invoke(app, ["claims", "--db", str(db), "--format", "json"]).stdout)
    return sorted(a["id"] for a in articles), sorted((c["type"], c["sentence"]) for c in claims)


def test_batch_on_dask_stores_the_same_articles_and_claims_as_a_serial_ingest(tmp_path: Path) -> None:
    runner = CliRunner()
    serial, dask = tmp_path / "serial.db", tmp_path / "dask.db"
    ingested = runner.invoke(app, ["ingest", str(corpus_path()), "--db", str(serial), "--quiet"])
    assert ingested.exit_code == 0, ingested.output
    batched = runner.invoke(app, ["batch", str(corpus_path()), "--db", str(dask), "--workers", "1"])
    assert batched.exit_code == 0, batched.output
    assert "dropped off topic" in batched.stdout
    assert _snapshot(runner, serial) == _snapshot(runner, dask)
    assert _snapshot(runner, serial)[1]


@pytest.fixture
def client() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=logging.ERROR) as cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


def test_a_worker_killed_mid_task_loses_nothing(tmp_path: Path, client: Any) -> None:
    marker = tmp_path / "killed-once"

    def dies_once(articles: Sequence[Article]) -> dict[str, Extraction]:
        if not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
        return extract_articles(articles)

    targets = [str(corpus_path() / "nordicwire-poland-mines-interview.html"),
               str(corpus_path() / "kyivobserver-mine-accusations.html")]
    done = list(process_on_dask(targets, IngestOptions(sandbox=False), lambda: "2026-01-01T00:00:00+00:00",
                                client=client, extractor=dies_once))
    assert marker.exists()  # a worker did die
    assert [p.target for p in done] == targets
    assert all(p.batch.rejections == () and p.extractions for p in done)
    expected = {p.target: sorted(extract_articles(p.batch.articles)) for p in done}
    assert {p.target: sorted(p.extractions) for p in done} == expected
