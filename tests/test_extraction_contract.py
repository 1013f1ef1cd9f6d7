"""The extraction document (docs/contracts.md#extraction-document) is a public contract: its shape, and golden outputs.

Golden files in tests/golden/ hold `treatywatch extract --format json` for the sample corpus.
When the extractor changes on purpose, regenerate them with

    python -m pytest tests/test_extraction_contract.py --regen-golden

and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.models import EVENT_TYPES, EXTRACTION_SCHEMA, MODALITIES
from treatywatch.sample import corpus_path

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = sorted(p for p in corpus_path().iterdir() if not p.name.endswith(".meta.json"))

ENTITY_TYPES = {"STATE", "ORG", "PERSON", "TREATY", "PLACE", "WEAPON"}
GRAINS = {"day", "month", "year", "decade"}


def extract_documents(path: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(app, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    text = result.stdout.strip()
    if text.startswith("{") and "\n{" not in text:
        return [json.loads(text)]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def check_span(doc: dict[str, Any], item: dict[str, Any], key: str = "span") -> None:
    start, end = item[key]
    assert 0 <= start < end <= len(doc["article"]["text"])


def check_document(doc: dict[str, Any]) -> None:
    assert doc["schema"] == EXTRACTION_SCHEMA
    assert set(doc) == {"schema", "article", "entities", "quotes", "quantities", "times", "events"}
    assert {"id", "url", "source", "title", "published", "language", "text", "removed"} <= set(doc["article"])
    text = doc["article"]["text"]
    ids = {e["id"] for e in doc["entities"]}
    for entity in doc["entities"]:
        assert entity["type"] in ENTITY_TYPES
        assert entity["mentions"], entity
        for start, end in entity["mentions"]:
            assert 0 <= start < end <= len(text)
    for quote in doc["quotes"]:
        check_span(doc, quote)
        assert quote["kind"] in {"direct", "indirect", "partial"}
        assert quote["speaker"] is None or quote["speaker"] in ids
    for quantity in doc["quantities"]:
        check_span(doc, quantity)
        assert text[quantity["span"][0] : quantity["span"][1]] == quantity["text"]
    for time in doc["times"]:
        check_span(doc, time)
        assert time["grain"] in GRAINS
    for event in doc["events"]:
        assert event["type"] in EVENT_TYPES and event["modality"] in MODALITIES
        assert 0.0 <= event["confidence"] <= 1.0
        check_span(doc, event["evidence"])
        assert event["evidence"]["sentence"].strip() in text


@pytest.fixture(scope="module")
def documents() -> dict[str, list[dict[str, Any]]]:
    return {path.name: extract_documents(path) for path in SAMPLES}


def test_every_sample_document_has_the_contract_shape(documents: dict[str, list[dict[str, Any]]]) -> None:
    assert sum(len(docs) for docs in documents.values()) >= 24
    for docs in documents.values():
        for doc in docs:
            check_document(doc)


@pytest.mark.parametrize("name", [p.name for p in SAMPLES])
def test_extraction_matches_the_golden_file(
    name: str, documents: dict[str, list[dict[str, Any]]], request: pytest.FixtureRequest
) -> None:
    golden = GOLDEN / f"{name}.json"
    current = json.dumps(documents[name], ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if request.config.getoption("--regen-golden"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(current, encoding="utf-8")
    assert golden.exists(), f"no golden file for {name}: run with --regen-golden and review it"
    assert current == golden.read_text(encoding="utf-8"), f"{name}: extraction changed; review and --regen-golden"
