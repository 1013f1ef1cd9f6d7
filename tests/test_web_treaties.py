"""Treaty pages, the status map, the States Parties chart, the treaty API, ``status --series`` and
``report --treaty``, through the real app (ASGI client) and the real CLI over one seeded kb."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from test_web_support import seeded_client
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.kb.claims import status_claims
from treatywatch.status import STATUSES, StatusResult, TreatyStatus, load_facts, status_for_treaty
from treatywatch.status.series import SERIES_COLUMNS
from treatywatch.web.map import Dot, Shape, World, load_world, status_map_svg

# Accepted claims: Hungary's withdrawal (effective date computed by Art. 20), Ukraine's (held by
# the armed-conflict clause), Taiwan joining (a state only a claim names); one left unreviewed.
STEPS = (
    ("HUN", "treaty_withdrawal_notified", "APMBT", "2026-04-02", "Hungary deposited its instrument of withdrawal.",
     "accepted"),
    ("UKR", "treaty_withdrawal_notified", "APMBT", "2026-03-10", "Ukraine deposited an instrument of withdrawal.",
     "accepted"),
    ("TWN", "treaty_joined", "APMBT", "2026-02-02", "Taiwan acceded to the Ottawa Convention.", "accepted"),
    ("FRA", "treaty_withdrawal_notified", "APMBT", "2026-07-01", "France deposited its instrument of withdrawal.",
     "new"),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("treaties") / "kb.db"
    with seeded_client(path, STEPS, prefix="treaty", published="2026-08-01") as (data, client):
        yield {**data, "db": str(path), "client": client}


def _engine(seeded: dict[str, Any], on: str) -> TreatyStatus:
    return status_for_treaty("APMBT", date.fromisoformat(on), claims=status_claims(seeded["kb"], treaty="APMBT"))


def _marks(html: str) -> dict[str, str]:
    """iso3 -> data-status of every shape and dot on the map."""
    svg = html[html.index('<svg class="world-map"'): html.index("</svg>", html.index('<svg class="world-map"'))]
    return dict(re.findall(r'data-iso3="([A-Z]{3})" data-status="([a-z_]+)"', svg))


def test_treaty_list_links_every_treaty_file(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties")
    assert page.status_code == 200
    for treaty in load_facts().treaties:
        assert f'href="/treaties/{treaty}"' in page.text
    assert '<a href="/treaties">Treaties</a>' in page.text


@pytest.mark.parametrize(("on", "poland"), [("2026-01-01", "withdrawing"), ("2026-03-01", "withdrawn"),
                                             ("2025-01-01", "party")])
def test_map_colours_every_state_by_its_status_on_the_day(seeded: dict[str, Any], on: str, poland: str) -> None:
    page = seeded["client"].get("/treaties/APMBT", params={"on": on})
    assert page.status_code == 200
    marks = _marks(page.text)
    answer = _engine(seeded, on)
    assert marks["POL"] == poland
    on_map = {r.iso3 for r in answer.results} & set(load_world().marks)
    assert {iso3: marks[iso3] for iso3 in on_map} == {r.iso3: r.status for r in answer.results if r.iso3 in on_map}
    assert len(re.findall(r'<tr id="state-[A-Z]{3}"', page.text)) == len(answer.results)
    assert f'<strong id="states-parties" data-date="{on}">{answer.states_parties}</strong>' in page.text


def test_every_state_of_the_reference_lists_has_a_mark_on_the_map() -> None:
    world = load_world()
    assert set(load_facts().states) <= set(world.marks)
    assert {"AND", "MLT", "TUV", "SGP"} <= {d.iso3 for d in world.dots}


def test_a_state_only_a_claim_names_is_coloured_where_the_map_has_it(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties/APMBT", params={"on": "2026-09-01"})
    assert _marks(page.text)["TWN"] == "party"
    assert _marks(seeded["client"].get("/treaties/APMBT", params={"on": "2026-01-01"}).text)["TWN"] == "non_party"


def test_withdrawals_show_effective_dates_and_say_which_are_computed(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties/APMBT", params={"on": "2026-12-01"}).text
    hungary = page[page.index('<tr id="withdrawal-HUN">'): page.index("</tr>", page.index('<tr id="withdrawal-HUN">'))]
    assert "2026-04-02" in hungary and "2026-10-02" in hungary and "computed from the treaty" in hungary
    poland = page[page.index('<tr id="withdrawal-POL">'): page.index("</tr>", page.index('<tr id="withdrawal-POL">'))]
    assert "2026-02-20" in poland and "stated by sources" in poland
    ukraine = page[page.index('<tr id="withdrawal-UKR">'): page.index("</tr>", page.index('<tr id="withdrawal-UKR">'))]
    assert "pending: armed-conflict clause" in ukraine and "armed-conflict clause defers it" in ukraine
    assert '<tr id="withdrawal-FRA">' not in page  # reported, not reviewed: not used
    assert _marks(page)["UKR"] == "pending_armed_conflict"


def test_contested_acts_appear_once_they_happened(seeded: dict[str, Any]) -> None:
    client = seeded["client"]
    later = client.get("/treaties/APMBT", params={"on": "2026-01-01"}).text
    assert 'id="contested-UKR"' in later and "suspends the operation of the Mine Ban Treaty" in later
    assert "Human Rights Watch" in later
    assert 'id="contested-UKR"' not in client.get("/treaties/APMBT", params={"on": "2025-07-01"}).text


def test_states_link_to_their_pages_on_the_same_day(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties/APMBT", params={"on": "2026-01-01"}).text
    assert '<a href="/countries/POL?on=2026-01-01">' in page


def test_chart_ends_on_the_day_with_the_count_of_that_day(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties/APMBT", params={"on": "2026-01-01"}).text
    found = re.findall(r'class="last-point"[^>]*data-date="([0-9-]+)" data-value="([0-9]+)"', page)
    assert found and set(found) == {("2026-01-01", str(_engine(seeded, "2026-01-01").states_parties))}
    assert 'data-kind="notified"' in page and 'data-kind="effective"' in page


def test_the_date_control_is_a_plain_get_form(seeded: dict[str, Any]) -> None:
    page = seeded["client"].get("/treaties/ottawa convention", params={"on": "2026-01-01"}).text
    assert '<form class="on-form" method="get" action="/treaties/APMBT">' in page
    assert '<input type="date" name="on" value="2026-01-01"' in page


@pytest.mark.parametrize(("path", "status"), [("/treaties/NOPE", 404), ("/treaties/APMBT?on=2026-02-30", 400),
                                              ("/treaties/APMBT?on=0001-01-01", 400)])
def test_bad_treaty_or_day_is_a_clear_error_page(seeded: dict[str, Any], path: str, status: int) -> None:
    page = seeded["client"].get(path, headers={"accept": "text/html"})
    assert page.status_code == status and '<h1>Error' in page.text


def test_map_escapes_every_text_it_draws() -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    result = StatusResult("XSS", "APMBT", date(2026, 1, 1), "party", hostile, {}, [], [], name=hostile)
    answer = TreatyStatus("APMBT", date(2026, 1, 1), (result,), dict.fromkeys(STATUSES, 0), 1)
    world = World(960, 400, (Shape("XSS", hostile, 'M0 0l1 1z"/><script>alert(3)</script>'),
                             Shape(None, hostile, "M0 0z")), (Dot("XSS", hostile, 1, 1),), "test")
    svg = str(status_map_svg(answer, href=lambda iso3: f"/countries/{iso3}", world=world))
    assert "<script" not in svg and "<img" not in svg and 'onerror=alert(2)>"' not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


# --- API ------------------------------------------------------------------------------------


def test_api_treaty_answer_matches_the_engine(seeded: dict[str, Any]) -> None:
    body = seeded["client"].get("/api/v1/treaties/APMBT", params={"on": "2026-12-01"}).json()
    answer = _engine(seeded, "2026-12-01")
    assert body["counts"] == dict(answer.counts) and body["states_parties"] == answer.states_parties
    assert {s["iso3"]: s["status"] for s in body["states"]} == {r.iso3: r.status for r in answer.results}
    hungary = next(w for w in body["withdrawals"] if w["iso3"] == "HUN")
    assert (hungary["effective"], hungary["effective_basis"]) == ("2026-10-02", "computed")
    assert body["treaty"]["withdrawal_rule"]["article"] == "Art. 20"
    assert [c["iso3"] for c in body["contested_acts"]] == ["UKR"]


def test_api_series_as_json_and_csv_say_the_same_as_the_engine(seeded: dict[str, Any]) -> None:
    client = seeded["client"]
    params = {"from": "1999-03-01", "to": "2026-12-31", "step": "month"}
    body = client.get("/api/v1/treaties/APMBT/parties", params=params).json()
    assert (body["treaty"], body["from"], body["to"], len(body["points"])) == ("APMBT", "1999-03-01", "2026-12-31", 335)
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/treaties/APMBT/parties",
                                                      params={**params, "format": "csv"}).text)))
    assert [{k: str(v) for k, v in p.items()} for p in body["points"]] == rows
    for point in body["points"][-14::4]:
        answer = _engine(seeded, point["date"])
        assert point["states_parties"] == answer.states_parties
        assert {s: point[s] for s in STATUSES} == dict(answer.counts)


def test_api_series_defaults_run_from_entry_into_force_to_today(seeded: dict[str, Any]) -> None:
    body = seeded["client"].get("/api/v1/treaties/Ottawa Convention/parties", params={"step": "year"}).json()
    assert body["from"] == "1999-03-01" and body["to"] == date.today().isoformat()
    assert body["points"][-1]["date"] == date.today().isoformat()


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "2026-01-01", "to": "2025-01-01"}, 400),
    ({"from": "1800-01-01", "to": "2025-01-01"}, 400),
    ({"from": "1900-01-01", "to": "2100-12-31", "step": "day"}, 400),
    ({"from": "2025-02-30"}, 400),
    ({"step": "fortnight"}, 422),
])
def test_api_series_refuses_what_it_cannot_answer(seeded: dict[str, Any], params: dict[str, str], status: int) -> None:
    answer = seeded["client"].get("/api/v1/treaties/APMBT/parties", params=params)
    assert answer.status_code == status and "error" in answer.json()


def test_api_unknown_treaty_is_404(seeded: dict[str, Any]) -> None:
    answer = seeded["client"].get("/api/v1/treaties/NOPE/parties")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "unknown_treaty"


# --- CLI ------------------------------------------------------------------------------------


def test_cli_series_csv_is_the_api_series(seeded: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    result = CliRunner().invoke(app, ["status", "--treaty", "APMBT", "--series", "1999-03-01:2026-12-31",
                                      "--step", "month", "--format", "csv", "--db", seeded["db"]])
    assert result.exit_code == 0, result.stderr
    api = seeded["client"].get("/api/v1/treaties/APMBT/parties",
                               params={"from": "1999-03-01", "to": "2026-12-31", "format": "csv"})
    assert result.stdout == api.text
    assert result.stdout.splitlines()[0] == ",".join(SERIES_COLUMNS)


def test_cli_series_json_without_a_kb_says_no_claims_were_considered(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    result = CliRunner().invoke(app, ["status", "--treaty", "APMBT", "--series", "2025-01-01:2026-03-01",
                                      "--step", "quarter", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["claims_considered"] is False and document["points"][-1]["states_parties"] == 161
    assert not (tmp_path / "treatywatch.db").exists()


@pytest.mark.parametrize("args", [["--series", "2025-01-01"], ["POL", "--series", "2025-01-01:"],
                                  ["--series", "2025-01-01:", "--step", "fortnight"],
                                  ["--series", "2026-01-01:2025-01-01"], ["--format", "csv"]])
def test_cli_series_refuses_bad_arguments_in_one_line(args: list[str], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    result = CliRunner().invoke(app, ["status", "--treaty", "APMBT", *args])
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert "Traceback" not in result.stderr


def test_treaty_report_is_one_self_contained_page_with_map_and_chart(seeded: dict[str, Any], tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    out = tmp_path / "apmbt.html"
    result = CliRunner().invoke(app, ["report", "--treaty", "APMBT", "--format", "html", "--on", "2026-12-01",
                                      "--db", seeded["db"], "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert _marks(html)["POL"] == "withdrawn"
    assert '<svg class="parties-chart"' in html and 'id="withdrawal-HUN"' in html
    assert "<script" not in html and not re.search(r'(src|href)="/(static|countries)', html)
    assert not re.search(r'<link[^>]+href="http', html)
