"""Batch mode: worker processes give the same knowledge base as a serial run; the prefilter."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from treatywatch.batch.relevance import default_prefilter
from treatywatch.cli import app
from treatywatch.sample import corpus_path


def test_prefilter_keeps_treaty_news_and_drops_the_rest() -> None:
    prefilter = default_prefilter()
    assert prefilter.is_relevant("Poland left the Ottawa Convention banning anti-personnel mines.")
    assert not prefilter.is_relevant("The tennis player pulled out of the tournament with a knee injury.")
    assert not prefilter.is_relevant("Gold mines reported record output; the treaty on trade was signed.")
    assert {"mine ban treaty", "landmine"} <= set(default_prefilter().matches("the MINE BAN treaty, landmines"))


def test_workers_store_the_same_articles_and_claims_as_a_serial_run(tmp_path: Path) -> None:
    runner = CliRunner()
    serial, parallel = tmp_path / "serial.db", tmp_path / "parallel.db"
    for db, extra in ((serial, []), (parallel, ["--workers", "2"])):
        result = runner.invoke(app, ["ingest", str(corpus_path()), "--db", str(db), "--quiet", *extra])
        assert result.exit_code == 0, result.stderr

    def snapshot(db: Path) -> tuple[list[str], list[tuple[str, str]]]:
        articles = json.loads(runner.invoke(app, ["articles", "--db", str(db), "--format", "json",
                                                  "--limit", "100"]).stdout)
        claims = json.loads(runner.invoke(app, ["claims", "--db", str(db), "--format", "json"]).stdout)
        return sorted(a["id"] for a in articles), sorted((c["type"], c["sentence"]) for c in claims)

    assert snapshot(serial) == snapshot(parallel)
    assert snapshot(serial)[1]
