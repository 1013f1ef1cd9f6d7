"""``claims``, ``timeline`` and ``review`` over a knowledge base filled by the real extractor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.events import detect_events
from treatywatch.kb import articles as kb_articles
from treatywatch.kb.store import open_kb
from treatywatch.models import Article, InputBatch, Source, article_id_for
from treatywatch.nlp import extract

runner = CliRunner()

TEXTS = {
    "wire.example": (
        "2025-12-17",
        "Poland ratified the Ottawa Convention in 2012. "
        "It notified the United Nations of its withdrawal in August, and the exit takes effect on Feb. 20. "
        "Belma can produce 100,000 anti-tank mines a year, the company said.",
    ),
    "daily.example": (
        "2025-03-19",
        "Lithuania and Poland said on Tuesday they would withdraw from the Ottawa Convention.",
    ),
}


@pytest.fixture()
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "kb.db")
    with open_kb(path) as kb:
        for domain, (published, text) in TEXTS.items():
            art = Article(id=article_id_for(text), text=text, url=f"https://{domain}/a", source=Source(domain),
                          published=published)
            extraction = extract(art, event_detector=detect_events)
            kb_articles.store_batch(kb, InputBatch(art.url or domain, f"key-{domain}", (art,)),
                                    extractions_by_id={art.id: extraction})
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_claims_lists_events_with_outlet_and_review_state(db: str) -> None:
    code, out, _ = run("claims", "--state", "POL", "--format", "json", "--db", db)
    assert code == 0
    rows = json.loads(out)
    types = {r["type"] for r in rows}
    assert {"treaty_joined", "treaty_withdrawal_notified", "treaty_withdrawal_effective",
            "treaty_withdrawal_announced", "production_capacity"} <= types
    assert {r["actor_iso3"] for r in rows} == {"POL"}
    assert all(r["review_state"] == "new" and r["corroboration"] >= 1 for r in rows)
    assert {r["outlet"] for r in rows} == {"wire.example", "daily.example"}


def test_claims_filters_by_type_treaty_and_date(db: str) -> None:
    code, out, _ = run("claims", "--type", "treaty_joined", "--treaty", "APMBT", "--format", "json", "--db", db)
    assert code == 0
    assert [(r["actor_iso3"], r["date"]) for r in json.loads(out)] == [("POL", "2012")]
    code, out, _ = run("claims", "--since", "2025-08", "--treaty", "APMBT", "--format", "csv", "--db", db)
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].startswith("id,date,type")
    assert not any(",2012," in line for line in lines[1:])
    assert any("treaty_withdrawal_effective" in line for line in lines[1:])


def test_timeline_orders_dated_steps_with_evidence(db: str) -> None:
    code, out, _ = run("timeline", "POL", "--format", "json", "--db", db)
    assert code == 0
    rows = json.loads(out)
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates) and dates[0] == "2012" and dates[-1] == "2026-02-20"
    assert all(r["sentence"] and r["outlet"] for r in rows)


def test_review_accepts_rejects_and_corrects_by_id_prefix(db: str) -> None:
    _, out, _ = run("claims", "--type", "treaty_withdrawal_notified", "--format", "json", "--db", db)
    (claim,) = json.loads(out)
    code, out, _ = run("review", claim["id"][:12], "correct", "--set", "date=2025-08-20",
                       "--reviewer", "ana", "--format", "json", "--db", db)
    assert code == 0
    reviewed = json.loads(out)
    assert reviewed["review_state"] == "corrected" and reviewed["date"] == "2025-08-20"
    assert reviewed["reviewed_by"] == "ana"
    code, out, _ = run("claims", "--review-state", "corrected", "--format", "json", "--db", db)
    assert [r["id"] for r in json.loads(out)] == [claim["id"]]
    code, _, _ = run("review", claim["id"], "reject", "--reviewer", "ben", "--db", db)
    assert code == 0
    code, out, _ = run("timeline", "POL", "--format", "json", "--db", db)
    assert claim["id"] not in {r["id"] for r in json.loads(out)}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("review", "ffff", "accept", "--reviewer", "ana"), "no claim"),
        (("review", "ffff", "approve", "--reviewer", "ana"), "unknown decision"),
        (("review", "ffff", "correct", "--reviewer", "ana"), "at least one --set"),
        (("review", "ffff", "correct", "--set", "colour=red", "--reviewer", "ana"), "cannot correct"),
        (("claims", "--since", "last week"), "--since"),
        (("claims", "--review-state", "maybe"), "unknown review state"),
        (("claims", "--format", "xml"), "unknown format"),
    ],
)
def test_errors_are_one_line_without_traceback(db: str, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args, "--db", db)
    assert code != 0
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
