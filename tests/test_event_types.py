"""The event-type registry: one data file defines every type; a new type is a data change only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_web_support import client_for
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.errors import DataFileError
from treatywatch.event_types import ENV_VAR, PACKAGED, load_registry, registry
from treatywatch.events import detect_events
from treatywatch.events.rules import RULES_ENV_VAR
from treatywatch.kb.store import open_kb
from treatywatch.models import (
    EVENT_TYPES,
    TREATY_EVENT_TYPES,
    WEAPON_EVENT_TYPES,
    Article,
    article_id_for,
)
from treatywatch.nlp import analyse
from treatywatch.status.treaties import load_claim_mapping
from treatywatch.web.render import event_label

PACKAGED_RULES = Path(__file__).resolve().parents[1] / "treatywatch" / "events" / "data" / "event_rules.yaml"
SENTENCE = "Nordmark mothballed its anti-tank mine lines in 2019, the company said."
NEW_TYPE = {
    "id": "production_mothballed",
    "family": "weapon",
    "label": "production put on hold",
    "order": 145,
    "arguments": ["weapon", "quantity"],
    "identified_by": ["weapon"],
    "actor": "state_or_company",
}


def _registry_doc() -> dict[str, Any]:
    return yaml.safe_load(PACKAGED.read_text(encoding="utf-8"))


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_models_constants_are_the_registry_in_its_order() -> None:
    types = registry()
    assert EVENT_TYPES == types.ids == TREATY_EVENT_TYPES + WEAPON_EVENT_TYPES
    assert [types[t].order for t in EVENT_TYPES] == sorted(types[t].order for t in EVENT_TYPES)
    assert {types[t].family for t in TREATY_EVENT_TYPES} == {"treaty"}
    assert {types[t].family for t in WEAPON_EVENT_TYPES} == {"weapon"}


def test_no_two_types_are_shown_the_same_way() -> None:
    types = registry()
    shown = [event_label(t).casefold() for t in types.ids]
    assert len(set(shown)) == len(shown)
    assert not set(shown) & {t.casefold() for t in types.ids}


def test_the_status_steps_come_from_the_registry() -> None:
    types = registry()
    assert types.status_steps() == {"treaty_joined": "consent", "treaty_withdrawal_notified": "withdrawal_notified",
                                     "treaty_withdrawal_effective": "withdrawal_effective"}
    assert types.status_context() == {"treaty_withdrawal_announced", "treaty_withdrawal_approved",
                                      "other_treaty_event"}


def test_a_status_step_the_engine_does_not_know_fails_at_load(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    document = _registry_doc()
    document["types"][0]["status_step"] = "accession_party"
    monkeypatch.setenv(ENV_VAR, str(_write(tmp_path / "types.yaml", document)))
    with pytest.raises(DataFileError, match=r"types\[treaty_joined\]\.status_step: 'accession_party' is not a step"):
        load_claim_mapping()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d["types"].append({**d["types"][0], "id": "treaty_copy"}), "types",
         "two types share the label joined treaty"),
        (lambda d: d["types"][0].update(family="nuclear"), "types[0].family", "'treaty' or 'weapon'"),
        (lambda d: d["types"][0].update(identified_by=["weapon"]), "types[0]", "among the type's arguments"),
        (lambda d: d["types"][0].update(colour="red"), "types[0].colour", "not permitted"),
        (lambda d: d["types"][0].pop("label"), "types[0].label", "Field required"),
        (lambda d: d["types"][15].update(unconfirmed_as="use_rumoured"), "types", "unknown type 'use_rumoured'"),
    ],
)
def test_a_malformed_registry_is_refused_in_one_line_naming_file_and_field(
    tmp_path: Path, change: Any, field: str, message: str
) -> None:
    document = _registry_doc()
    change(document)
    path = _write(tmp_path / "types.yaml", document)
    with pytest.raises(DataFileError) as info:
        load_registry(path)
    text = str(info.value)
    assert text.startswith(f"{path}: {field}: ") and message in text and "\n" not in text, text


def test_a_new_event_type_is_a_data_change_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One entry in a copy of the registry and one rule in a copy of the rules, nothing else:
    the type is extracted, stored, listed by ``claims`` and labelled by the web UI."""
    text_file = tmp_path / "mothballed.txt"
    text_file.write_text(SENTENCE, encoding="utf-8")
    analysis = analyse(Article(id=article_id_for(SENTENCE), text=SENTENCE, published="2025-10-01"))
    assert [e.type for e in detect_events(analysis)] == []

    types = _registry_doc()
    types["types"].append(NEW_TYPE)
    rules = yaml.safe_load(PACKAGED_RULES.read_text(encoding="utf-8"))
    rules["rules"].insert(0, {"type": "production_mothballed", "anchors": ["mothball"], "requires": ["weapon"]})
    monkeypatch.setenv(ENV_VAR, str(_write(tmp_path / "event_types.yaml", types)))
    monkeypatch.setenv(RULES_ENV_VAR, str(_write(tmp_path / "event_rules.yaml", rules)))

    events = detect_events(analysis)
    assert [(e.type, e.weapon, e.date) for e in events] == [("production_mothballed", "anti-tank mine", "2019")]

    db = str(tmp_path / "kb.db")
    runner = CliRunner()
    ingested = runner.invoke(app, ["ingest", str(text_file), "--published", "2025-10-01", "--url",
                                   "https://wire.example/mothballed", "--no-sandbox", "--quiet", "--db", db])
    assert ingested.exit_code == 0, ingested.output
    listed = runner.invoke(app, ["claims", "--type", "production_mothballed", "--format", "json", "--db", db])
    assert listed.exit_code == 0, listed.output
    [claim] = json.loads(listed.stdout)
    assert (claim["type"], claim["weapon"], claim["date"]) == ("production_mothballed", "anti-tank mine", "2019")
    assert claim["corroboration"] == 1

    assert event_label("production_mothballed") == "production put on hold"
    with open_kb(db) as kb, client_for(kb) as client:
        page = client.get("/", params={"type": "production_mothballed"})
    assert page.status_code == 200
    assert ">production put on hold</span>" in page.text and "production_mothballed" in page.text
