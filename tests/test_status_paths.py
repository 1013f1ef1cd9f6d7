"""One status path: for the same kb, state and day, the CLI and the API give the same answer.

Both go through `status_for_state` fed by `kb.claims.status_claims`; this pins that they cannot
drift apart again (the CLI once read claims of every type, the web only treaty types, capped,
with its own treaty order).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from test_web_support import seeded_client
from typer.testing import CliRunner

from treatywatch.cli import app

STEPS = (
    ("BRA", "treaty_withdrawal_notified", "APMBT", "2025-01-15",
     "Brazil deposited its instrument of withdrawal from the Mine Ban Treaty on 15 January.", "accepted"),
    ("POL", "treaty_joined", "ATT", "2014-12", "Poland ratified the Arms Trade Treaty in December 2014.",
     "accepted"),
    ("LTU", "treaty_withdrawal_notified", "APMBT", "2025-06-27",
     "Lithuania notified the UN of its withdrawal on 27 June.", "new"),
    ("LTU", "treaty_withdrawal_effective", "APMBT", "2025-07", "The withdrawal took effect in July.",
     "rejected"),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    path = tmp_path_factory.mktemp("paths") / "kb.db"
    # Claims that move statuses: accepted, unreviewed and rejected, one naming a treaty the
    # reference does not track for the state.
    with seeded_client(path, STEPS) as (_, client):
        yield str(path), client


@pytest.mark.parametrize("iso3", ["POL", "LTU", "BRA", "UKR"])
@pytest.mark.parametrize("on", ["2025-03-01", "2026-06-01"])
def test_cli_json_and_api_give_the_same_status_per_treaty(seeded: tuple[str, Any], iso3: str, on: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db, client = seeded
    monkeypatch.delenv("TREATYWATCH_DB", raising=False)
    result = CliRunner().invoke(app, ["status", iso3, "--on", on, "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    cli = json.loads(result.stdout)
    api = client.get(f"/api/v1/states/{iso3}", params={"on": on}).json()
    assert cli["claims_considered"] is True
    assert [(r["treaty"], r["status"]) for r in cli["states"]] == [(r["treaty"], r["status"]) for r in api["treaties"]]
    assert [r["reasons"] for r in cli["states"]] == [r["reasons"] for r in api["treaties"]]
    assert cli["states"] == api["treaties"]


def test_the_claims_decide_what_both_show(seeded: tuple[str, Any]) -> None:
    """The cases above are not vacuous: claims change statuses, and add a treaty to a state."""
    _, client = seeded
    statuses = {(iso3, r["treaty"]): r["status"]
                for iso3 in ("POL", "BRA", "LTU")
                for r in client.get(f"/api/v1/states/{iso3}", params={"on": "2025-03-01"}).json()["treaties"]}
    assert statuses[("BRA", "APMBT")] == "withdrawing"
    assert statuses[("POL", "ATT")] == "party"
    assert statuses[("LTU", "APMBT")] == "party"  # the unreviewed notice is shown, not used
