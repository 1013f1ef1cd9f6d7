"""The public surface of treatywatch.nlp and the ``treatywatch extract`` command."""

from __future__ import annotations

import json
from pathlib import Path

from nlp_helpers import article, run
from spacy.language import Language
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.models import EXTRACTION_SCHEMA, Event, Evidence
from treatywatch.nlp import (
    COMPONENTS,
    EXTRACTOR_VERSION,
    Analysis,
    extract,
    extract_many,
    load_pipeline,
)

TEXT = ("WARSAW, Dec 17 - Poland will begin producing anti-personnel mines next year, Deputy Defence "
        "Minister Pavel Zalewski said on Wednesday. “Belma can make up to 1.2 million mines next "
        "year,” he said. Poland notified the United Nations of its withdrawal from the Ottawa "
        "Convention in August.\n")


def test_pipeline_is_the_model_plus_named_components() -> None:
    nlp = load_pipeline()
    assert nlp is load_pipeline()
    assert nlp.pipe_names[-len(COMPONENTS):] == list(COMPONENTS)
    assert "ner" in nlp.pipe_names and EXTRACTOR_VERSION
    assert all(Language.has_factory(name) for name in COMPONENTS)


def test_extraction_document_follows_the_contract() -> None:
    doc = extract(article(TEXT, url="https://wire.example/a")).to_json()
    assert doc["schema"] == EXTRACTION_SCHEMA
    assert list(doc) == ["schema", "article", "entities", "quotes", "quantities", "times", "events"]
    assert set(doc["article"]) == {"id", "url", "source", "title", "published", "language", "text", "removed"}
    for entity in doc["entities"]:
        assert {"id", "type", "name", "aliases", "roles", "mentions"} <= set(entity)
        for start, end in entity["mentions"]:
            assert 0 <= start < end <= len(TEXT)
    for quote in doc["quotes"]:
        assert set(quote) == {"text", "span", "kind", "speaker", "speaker_name", "cue"}
        assert TEXT[quote["span"][0]:quote["span"][1]] == quote["text"]
    for item in doc["quantities"] + doc["times"]:
        assert TEXT[item["span"][0]:item["span"][1]] == item["text"]
    assert {t["value"] for t in doc["times"]} == {"2025-12-17", "2026", "2025-08"}
    assert doc["events"] == []
    assert json.loads(json.dumps(doc)) == doc


def test_extraction_is_a_pure_function_of_the_article() -> None:
    one = extract(article(TEXT)).to_json()
    two = extract(article(TEXT)).to_json()
    assert one == two


def test_extract_many_equals_extract() -> None:
    texts = [TEXT, "Finland left the Ottawa Convention in 2025, officials said.", "No names here."]
    batch = [x.to_json() for x in extract_many(article(t) for t in texts)]
    assert batch == [extract(article(t)).to_json() for t in texts]


def test_analysis_helpers() -> None:
    a = run(TEXT)
    assert isinstance(a, Analysis)
    start = TEXT.index("Pavel Zalewski")
    person = a.entity_at(start, start + 5)
    assert person is not None and person.id == "person:pavel-zalewski"
    assert a.entity("state:POL") is not None and a.entity("state:XXX") is None
    assert a.entity_at(TEXT.index("begin"), TEXT.index("begin") + 5) is None
    sentence = a.sentence_at(start)
    assert sentence is not None and "Zalewski" in sentence.text
    assert {e.id for e, _ in a.entities_in(0, sentence.end_char)} >= {"state:POL", "person:pavel-zalewski"}
    assert [t.value for t in a.times_in(0, sentence.end_char)] == ["2025-12-17", "2026", "2025-12-17"]
    assert a.quantities_in(0, len(TEXT))[0].value == 1_200_000
    assert len(a.sentences) >= 3


def test_event_detector_plugs_into_extract() -> None:
    def detector(analysis: Analysis) -> list[Event]:
        sentence = analysis.sentences[0]
        return [Event("production_planned", "state:POL", "planned",
                      Evidence((sentence.start_char, sentence.end_char), sentence.text), 0.9)]

    doc = extract(article(TEXT), event_detector=detector).to_json()
    assert [e["type"] for e in doc["events"]] == ["production_planned"]


def test_cli_extract_json(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--published", "2025-12-17",
                                      "--url", "https://wire.example/world/a"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["schema"] == EXTRACTION_SCHEMA
    assert doc["article"]["published"] == "2025-12-17"
    assert doc["article"]["url"] == "https://wire.example/world/a"
    assert "person:pavel-zalewski" in {e["id"] for e in doc["entities"]}
    assert any(t["value"] == "2026" for t in doc["times"])


def test_cli_extract_text_highlights(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(path), "--published", "2025-12-17", "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "person:pavel-zalewski" in result.stdout and "Zalewski" in result.stdout
    assert "quotes" in result.stdout


def test_cli_extract_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert missing.exit_code == 1 and "nope.txt" in missing.stderr and "Traceback" not in missing.output
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    bad_date = runner.invoke(app, ["extract", str(path), "--published", "17/12/2025"])
    assert bad_date.exit_code == 2 and "--published" in bad_date.stderr
    bad_format = runner.invoke(app, ["extract", str(path), "--format", "xml"])
    assert bad_format.exit_code == 2
