"""The status, report and reference commands through the real CLI, with a real SQLite KB."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb.store import open_kb
from treatywatch.models import (
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Quote,
    Source,
    article_id_for,
)
from treatywatch.status.reference import PACKAGE_REFERENCE

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
BODY = ('Brazil deposited its instrument of withdrawal from the Mine Ban Treaty on 15 January. '
        '"We will not <script>alert(1)</script> leave our borders open," said Ana Lima, the defence minister.')


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TREATYWATCH_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("TREATYWATCH_REFERENCE_DIR", raising=False)
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_poland_withdrawing_then_withdrawn() -> None:
    code, out, _ = run("status", "POL", "--treaty", "APMBT", "--on", "2026-01-01")
    assert code == 0
    assert "withdrawing" in out and "2025-08-20" in out and "2026-02-20" in out
    code, out, _ = run("status", "POL", "--treaty", "Mine Ban Treaty", "--on", "2026-03-01", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["treaty"] == "APMBT" and doc["on"] == "2026-03-01"
    [state] = doc["states"]
    assert (state["iso3"], state["status"], state["since"]) == ("POL", "withdrawn", "2026-02-20")
    assert state["dates"]["withdrawal_notified"] == "2025-08-20" and state["reasons"]
    assert doc["counts"]["withdrawn"] == 1


def test_all_states_counts_and_table() -> None:
    code, out, _ = run("status", "--treaty", "APMBT", "--on", "2025-06-30", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["states_parties"] == 166 and len(doc["states"]) == 197
    assert doc["counts"]["consented"] == 2 and sum(doc["counts"].values()) == 197
    assert set(doc["states"][0]) >= {"iso3", "status", "since", "dates", "reasons"}
    code, out, _ = run("status", "--treaty", "CCM", "--on", "2025-03-07")
    assert code == 0 and re.search(r"states parties.*111", out, re.S)


def test_one_state_all_treaties() -> None:
    code, out, _ = run("status", "UKR", "--on", "2026-03-01", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["treaty"] is None
    by_treaty = {s["treaty"]: s for s in doc["states"]}
    assert by_treaty["APMBT"]["status"] == "party" and by_treaty["APMBT"]["contested_acts"]
    assert by_treaty["CCM"]["status"] == "non_party"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "POL", "--on", "2026-13-01"), "--on must be a date"),
        (("status", "POL", "--treaty", "XYZ"), "unknown treaty"),
        (("status", "ZZZ", "--treaty", "APMBT"), "unknown state"),
        (("status",), "give a state"),
        (("status", "POL", "--format", "xml"), "unknown format"),
        (("status", "POL", "--db", "missing.db"), "no knowledge base at missing.db"),
        (("report", "POL", "--format", "pdf"), "unknown format"),
    ],
)
def test_errors_are_one_line(args: tuple[str, ...], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("environment", [None, "./treatywatch.db"])
def test_a_fresh_install_answers_from_the_reference_and_says_no_claims_were_considered(
        environment: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15 item 7: no knowledge base yet (none at $TREATYWATCH_DB or ./treatywatch.db)."""
    if environment:
        monkeypatch.setenv("TREATYWATCH_DB", environment)
    code, out, err = run("status", "POL", "--treaty", "APMBT", "--on", "2026-03-01")
    assert code == 0 and "withdrawn" in out
    assert "no knowledge base at" in err and "no reported claims were considered" in err
    code, out, _ = run("status", "POL", "--on", "2026-03-01", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["claims_considered"] is False
    assert {s["treaty"]: s["status"] for s in doc["states"]} == {"APMBT": "withdrawn", "CCM": "non_party"}
    code, out, err = run("report", "POL", "--format", "md", "--on", "2026-03-01")
    assert code == 0 and out.startswith("# Poland (POL)") and "no reported claims were considered" in err
    assert not Path("treatywatch.db").exists()


def test_a_db_named_on_the_command_line_must_exist() -> None:
    for command in (("status", "POL"), ("status", "--treaty", "APMBT"), ("report", "POL")):
        code, out, err = run(*command, "--db", "missing.db")
        assert code == 2 and out == "" and "no knowledge base at missing.db" in err
    assert not Path("missing.db").exists()


def _kb_with_brazil(path: Path) -> str:
    db = str(path / "kb.db")
    sentence = BODY.split(". ")[0] + "."
    event = Event("treaty_withdrawal_notified", "state:BRA", "asserted", Evidence((0, len(sentence)), sentence),
                  0.9, actor_iso3="BRA", treaty="APMBT", date="2025-01-15")
    art = Article(id=article_id_for(BODY), text=BODY, url="https://paper.example/brazil", source=Source("paper.example"),
                  published="2025-01-16")
    start = BODY.index('"')
    quote = Quote(BODY[start + 1: BODY.index('"', start + 1)], (start, BODY.index('"', start + 1)), "direct",
                  "person:ana-lima", "Ana Lima")
    entities = (Entity("state:BRA", "STATE", "Brazil", ((0, 6),), iso3="BRA"),)
    extraction = Extraction(art, entities=entities, quotes=(quote,), events=(event,))
    with open_kb(db) as kb:
        kb_articles.store_batch(kb, InputBatch("t", "t", (art,)), extractions_by_id={art.id: extraction})
    return db


def test_claims_from_the_knowledge_base(tmp_path: Path) -> None:
    db = _kb_with_brazil(tmp_path)
    code, out, _ = run("status", "BRA", "--treaty", "APMBT", "--on", "2025-03-01", "--db", db, "--format", "json")
    doc = json.loads(out)
    [state] = doc["states"]
    assert code == 0 and state["status"] == "party" and doc["claims_considered"] is True
    assert any(e["kind"] == "claim_reported" for e in state["evidence"])
    with open_kb(db) as kb:
        [row] = kb_claims.list_claims(kb, actor_iso3="BRA")
        kb_claims.review_claim(kb, row["id"], "accepted", "tester")
    code, out, _ = run("status", "BRA", "--treaty", "APMBT", "--on", "2025-03-01", "--db", db, "--format", "json")
    [state] = json.loads(out)["states"]
    assert state["status"] == "withdrawing" and state["dates"]["withdrawal_effective"] == "2025-07-15"
    assert any(e["kind"] == "claim_accepted" and e["outlet"] == "paper.example" for e in state["evidence"])


def test_html_profile_renders_offline_with_its_plot(tmp_path: Path) -> None:
    db = _kb_with_brazil(tmp_path)
    out_file = tmp_path / "bra.html"
    code, _, _ = run("report", "BRA", "--format", "html", "--on", "2025-03-01", "--db", db, "--out", str(out_file))
    html = out_file.read_text(encoding="utf-8")
    assert code == 0 and html.startswith("<!DOCTYPE html>")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r'<(link|script|img)[^>]+(src|href)="https?:', html)
    assert "Ana Lima" in html and "reported, not reviewed" in html
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) >= 2
    bars = [r.find(f"{SVG}title").text for r in ET.fromstring(svgs[0]).iter(f"{SVG}rect")]
    assert any(t.startswith("party: ") for t in bars)


def test_markdown_profile_for_ukraine() -> None:
    code, out, _ = run("report", "UKR", "--format", "md", "--on", "2026-03-01")
    assert code == 0 and out.startswith("# Ukraine (UKR)")
    assert "| APMBT | **party**" in out and "Contested act, 2025-07-18" in out
    assert "No quotes stored" in out


def test_poland_profile_shows_the_withdrawal_in_the_plot(tmp_path: Path) -> None:
    code, out, _ = run("report", "POL", "--on", "2026-03-01")
    svg = re.findall(r"<svg.*?</svg>", out, re.S)[0]
    titles = [r.find(f"{SVG}title").text for r in ET.fromstring(svg).iter(f"{SVG}rect")]
    assert code == 0
    assert "withdrawing: 2025-08-20 to 2026-02-20" in titles
    assert any(t.startswith("withdrawn: 2026-02-20") for t in titles)


def test_reference_import_check_and_info(tmp_path: Path) -> None:
    src = tmp_path / "ref"
    shutil.copytree(PACKAGE_REFERENCE, src)
    code, out, _ = run("reference", "import", str(src))
    assert code == 0 and "imported" in out
    code, out, _ = run("reference", "info")
    assert code == 0 and str(tmp_path / "userdata" / "reference") in out
    (src / "treaties.csv").unlink()
    code, _, err = run("reference", "check", str(src))
    assert code == 1 and "treaties.csv: missing file" in err
    code, _, err = run("reference", "import", str(src))
    assert code == 1 and "nothing was imported" in err
