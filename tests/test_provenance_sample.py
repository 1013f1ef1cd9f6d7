"""The sample corpus (treatywatch/sample/corpus) ingested end to end yields its true stories."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from treatywatch.kb import articles as kb_articles
from treatywatch.kb import stories as kb_stories
from treatywatch.monitor import Monitor

SAMPLE = Path(__file__).resolve().parent.parent / "treatywatch" / "sample"
CORPUS = SAMPLE / "corpus"
MANIFEST = next((p for p in (SAMPLE / "manifest.json", CORPUS / "manifest.json") if p.exists()), SAMPLE / "manifest.json")


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], dict[str, str]]:
    if not MANIFEST.exists():
        pytest.skip("the sample corpus has no manifest.json")
    db = str(tmp_path_factory.mktemp("sample") / "kb.db")
    with Monitor(db, extract=False) as monitor:
        monitor.ingest([str(CORPUS)])
        stories = kb_stories.list_stories(monitor.kb, limit=None)
        predicted = {
            sighting["url"]: story["id"]
            for story in stories
            for member in story["members"]
            for sighting in (kb_articles.get_article(monitor.kb, member["article_id"]) or {})["sightings"]
        }
    return stories, predicted


def test_sample_articles_are_grouped_into_their_true_stories(ingested: tuple[list[dict], dict[str, str]]) -> None:
    _stories, predicted = ingested
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    true_story_of = {entry["url"]: entry["story"] for entry in manifest}
    assert set(true_story_of) <= set(predicted), "every manifest article is stored with a story"
    members: dict[str, set[str]] = defaultdict(set)
    for url, story in true_story_of.items():
        members[story].add(predicted[url])
    assert all(len(ids) == 1 for ids in members.values()), members  # no true story split
    assert len({predicted[u] for u in true_story_of}) == len(members)  # no two true stories merged


def test_the_wire_interview_is_credited_to_the_wire(ingested: tuple[list[dict], dict[str, str]]) -> None:
    stories, _predicted = ingested
    biggest = max(stories, key=lambda s: s["member_count"])
    assert biggest["member_count"] >= 4
    assert (biggest["original_source"], biggest["original_basis"]) == ("nordicwire.example", "credited")
