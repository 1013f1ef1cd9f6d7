"""`treatywatch stories` and `treatywatch sources list|show|trust` through the real CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from test_provenance_clustering import GARBLED, ORIGINAL, SAME_TOPIC
from test_provenance_kb import article, ingest_run
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.kb.store import open_kb

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "kb.db")
    with open_kb(path) as kb:
        ingest_run(kb, [article(ORIGINAL, "reuters.com", "2025-06-19"),
                        article(GARBLED, "thelocalreport.in", "2025-06-20"),
                        article(SAME_TOPIC, "yle.fi", "2025-06-23")])
    return path


def test_stories_json_lists_members_and_original_source(db: str) -> None:
    result = runner.invoke(app, ["stories", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    stories = json.loads(result.stdout)
    assert [s["member_count"] for s in stories] == [1, 2]  # most recently active first
    story = stories[1]
    assert story["original_source"] == "reuters.com" and story["original_basis"] == "credited"
    assert [(m["outlet"], m["published"]) for m in story["members"]] == [
        ("reuters.com", "2025-06-19"), ("thelocalreport.in", "2025-06-20")]
    assert all(m["url"].startswith("https://") for m in story["members"])
    assert (story["first_seen"], story["last_seen"]) == ("2025-06-19", "2025-06-20")


def test_stories_table_and_one_story(db: str) -> None:
    table = runner.invoke(app, ["stories", "--db", db])
    assert table.exit_code == 0, table.output
    assert "reuters.com" in table.stdout and "credited" in table.stdout
    story_id = json.loads(runner.invoke(app, ["stories", "--db", db, "--format", "json"]).stdout)[1]["id"]
    one = runner.invoke(app, ["stories", "--db", db, "--story", story_id])
    assert one.exit_code == 0, one.output
    assert "thelocalreport.in" in one.stdout


def test_unknown_story_is_a_one_line_error(db: str) -> None:
    result = runner.invoke(app, ["stories", "--db", db, "--story", "story:nope"])
    assert result.exit_code == 1
    assert "no story 'story:nope'" in result.stderr
    assert "Traceback" not in result.output


def test_trust_is_set_listed_and_shown(db: str) -> None:
    result = runner.invoke(app, ["sources", "trust", "thelocalreport.in", "untrusted", "--analyst", "ana", "--db", db])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(app, ["sources", "list", "--db", db, "--format", "json"]).stdout)
    by_domain = {s["domain"]: s for s in listed}
    assert by_domain["thelocalreport.in"]["trust"] == "untrusted"
    assert by_domain["thelocalreport.in"]["trust_set_by"] == "ana"
    assert by_domain["reuters.com"]["kind"] == "wire" and by_domain["reuters.com"]["trust"] == "neutral"
    shown = json.loads(runner.invoke(app, ["sources", "show", "thelocalreport.in", "--db", db, "--format", "json"]).stdout)
    assert shown["trust"] == "untrusted" and shown["kind"] == "aggregator"
    assert shown["signals"]["copied_share"] == 1.0
    table = runner.invoke(app, ["sources", "show", "reuters.com", "--db", db])
    assert table.exit_code == 0 and "credited_rate" in table.stdout


def test_bad_trust_level_and_unknown_source_are_clear_errors(db: str) -> None:
    bad = runner.invoke(app, ["sources", "trust", "reuters.com", "very", "--db", db])
    assert bad.exit_code == 2
    assert "unknown trust level 'very'" in bad.stderr
    missing = runner.invoke(app, ["sources", "show", "nowhere.example", "--db", db])
    assert missing.exit_code == 1
    assert "no source 'nowhere.example'" in missing.stderr


def test_stories_json_lists_every_story_unless_limited(tmp_path: Path) -> None:
    """A scorer reads the JSON without --limit: it must see all stories, not the table's 50."""
    path = str(tmp_path / "many.db")
    rng = random.Random(7)

    def unrelated_text() -> str:  # pseudo-words: no two texts share wording, so no two are one story
        return " ".join("".join(rng.choice("bcdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))
                        for _ in range(40)) + "."

    with open_kb(path) as kb:
        ingest_run(kb, [article(unrelated_text(), f"outlet{n}.example", "2025-06-19") for n in range(53)])
    everything = json.loads(runner.invoke(app, ["stories", "--db", path, "--format", "json"]).stdout)
    assert len(everything) == 53
    limited = json.loads(runner.invoke(app, ["stories", "--db", path, "--format", "json", "--limit", "5"]).stdout)
    assert len(limited) == 5
    table = runner.invoke(app, ["stories", "--db", path])
    assert table.stdout.count("story:") == 50
