"""The event engine's data files: validated on load; a new trigger is a data change."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from treatywatch.errors import DataFileError
from treatywatch.events import (
    EVENT_TYPES,
    WEAPON_CLASSES,
    detect_events,
    engine_data,
    load_engine_data,
)
from treatywatch.events.rules import PREVIOUS, SUPPRESS
from treatywatch.models import Article, article_id_for
from treatywatch.nlp import analyse

PACKAGED_RULES = Path(__file__).resolve().parents[1] / "treatywatch" / "events" / "data" / "event_rules.yaml"


def test_packaged_data_is_valid_and_covers_the_ontology() -> None:
    data = engine_data()
    produced = {r.type for r in data.rules} - {SUPPRESS, PREVIOUS}
    assert produced <= set(EVENT_TYPES)
    assert set(EVENT_TYPES) - produced == set(), "every event type of docs/contracts.md#event-types has a trigger"
    assert set(data.weapons.entity_classes.values()) == set(WEAPON_CLASSES)


@pytest.mark.parametrize(
    ("entry", "field", "message"),
    [
        ({"type": "treaty_exploded", "anchors": ["leave"]}, "type", "unknown event type 'treaty_exploded'"),
        ({"type": "treaty_joined"}, "anchors", "Field required"),
        ({"type": "treaty_joined", "anchors": []}, "anchors", "at least 1 item"),
        ({"type": "treaty_joined", "anchors": ["join"], "requires": ["moon"]}, "requires[0]", "(got 'moon')"),
        ({"type": "treaty_joined", "anchors": ["join"], "requires": ["weapon"]}, "", "does not carry"),
        ({"type": "treaty_joined", "anchors": ["join"], "tense": "someday"}, "tense[0]", "'past', 'present'"),
        ({"type": "treaty_joined", "anchors": ["join"], "colour": "red"}, "colour", "not permitted"),
        ({"type": "previous", "anchors": ["weigh"], "step_map": {"treaty_joined": "treaty_left"}}, "step_map",
         "unknown event types ['treaty_left']"),
    ],
)
def test_a_malformed_rule_is_refused_in_one_line_naming_file_and_field(
    tmp_path: Path, entry: dict, field: str, message: str
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [entry]}), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_engine_data(path)
    text = str(info.value)
    where = f"{path}: rules[0]{'.' + field if field and not field.startswith('[') else field}: "
    assert text.startswith(where) and message in text and "\n" not in text, text


def test_a_new_trigger_is_a_data_change(tmp_path: Path) -> None:
    text = "Nordmark mothballed its anti-tank mine lines in 2019, the company said."
    analysis = analyse(Article(id=article_id_for(text), text=text, published="2025-10-01"))
    assert [e.type for e in detect_events(analysis)] == []
    rules = yaml.safe_load(PACKAGED_RULES.read_text(encoding="utf-8"))
    rules["rules"].insert(0, {"type": "production_stopped", "anchors": ["mothball"], "requires": ["weapon"]})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(rules), encoding="utf-8")
    events = detect_events(analysis, data=load_engine_data(path))
    assert [(e.type, e.weapon, e.date, e.modality) for e in events] == [
        ("production_stopped", "anti-tank mine", "2019", "asserted")
    ]
