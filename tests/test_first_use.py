"""Issue 15, items 8 and 9: what a new user sees of a plain-text article and of the demo's table."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from treatywatch.cli import app as cli_app
from treatywatch.cli.demo_cmd import developments_table
from treatywatch.ingest import IngestOptions, read_input
from treatywatch.kb.store import open_kb
from treatywatch.monitor import Monitor

HEADLINE = "Poland to leave the mine ban treaty"
EXPORT = f"{HEADLINE}\nWarsaw said on Friday it would notify the United Nations of its withdrawal.\nIt gave no date.\n"


def test_a_headline_above_the_text_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(EXPORT, encoding="utf-8")
    (article,) = read_input(str(path), IngestOptions()).articles
    assert article.title == HEADLINE and article.text.startswith("Warsaw said on Friday")


def test_a_first_sentence_or_a_wrapped_line_is_no_title(tmp_path: Path) -> None:
    for n, text in enumerate(["The government confirmed the review on Monday.\nIt gave no date.\n",
                              "Poland's minister said on Friday that the government would\nleave the treaty.\n",
                              "officials in warsaw\nSaid nothing.\n"]):
        path = tmp_path / f"t{n}.txt"
        path.write_text(text, encoding="utf-8")
        (article,) = read_input(str(path), IngestOptions()).articles
        assert article.title is None and article.text == text.strip("\n")


def test_the_articles_table_fills_its_columns(tmp_path: Path) -> None:
    db = str(tmp_path / "kb.db")
    path = tmp_path / "export.txt"
    path.write_text(EXPORT, encoding="utf-8")
    with Monitor(db, kb=open_kb(db), extract=False) as monitor:
        monitor.ingest([str(path)])
    table = CliRunner().invoke(cli_app, ["articles", "--db", db], env={"COLUMNS": "200"})
    assert table.exit_code == 0
    line = next(row for row in table.stdout.splitlines() if "Poland to leave" in row)
    assert HEADLINE in line and str(path) in line and "(untitled)" not in line
    listed = json.loads(CliRunner().invoke(cli_app, ["articles", "--db", db, "--format", "json"]).stdout)
    assert listed[0]["title"] == HEADLINE and listed[0]["read_from"] == str(path) and listed[0]["url"] is None


def test_the_demo_table_keeps_what_tells_events_apart_in_80_columns() -> None:
    rows = [{"date": "2026-02-20", "type": f"treaty_withdrawal_{step}", "actor_iso3": "POL", "modality": "planned",
             "outlet": "a-rather-long-outlet-name.example", "corroboration": 4}
            for step in ("announced", "approved", "notified", "effective")]
    console = Console(width=80, record=True, force_terminal=False)
    console.print(developments_table(rows))
    shown = console.export_text()
    assert "…" not in shown and max(len(line) for line in shown.splitlines()) <= 80
    for step in ("announced", "approved", "notified", "effective"):
        assert step in shown
