"""Stories through the knowledge base: incremental joins across runs, origins, signals, migration."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from test_provenance_clustering import GARBLED, ORIGINAL, SAME_TOPIC, SHORT

from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb import sources as kb_sources
from treatywatch.kb import stories as kb_stories
from treatywatch.kb.store import KB, open_kb
from treatywatch.models import (
    Article,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Source,
    article_id_for,
)
from treatywatch.provenance import StoryIndex

UNCREDITED = ORIGINAL.replace("HELSINKI, June 19 (Reuters) - ", "").replace(" told Reuters in an interview", " said")


def article(body: str, domain: str, published: str) -> Article:
    return Article(id=article_id_for(body), text=body, url=f"https://{domain}/{article_id_for(body)[:8]}",
                   source=Source(domain), published=published)


def ingest_run(kb: KB, items: list[Article], events: dict[str, Event] | None = None) -> list[str]:
    """One ingest run as the monitor does it: rebuild the index from the kb, assign, store."""
    index = StoryIndex.from_rows(kb_stories.load_index_rows(kb))
    story_ids = []
    for item in items:
        assignment = index.assign(item)
        extraction = {item.id: Extraction(item, events=(events[item.id],))} if events and item.id in events else None
        kb_articles.store_batch(kb, InputBatch(item.url or item.id, item.id, (item,)),
                                extractions_by_id=extraction, assignments=[assignment])
        story_ids.append(assignment.story_id)
    return story_ids


def test_a_later_run_joins_the_stored_story(kb: KB) -> None:
    first_run = ingest_run(kb, [article(UNCREDITED, "yle.fi", "2025-06-19"), article(SAME_TOPIC, "yle.fi", "2025-06-23")])
    second_run = ingest_run(
        kb, [article(GARBLED, "thelocalreport.in", "2025-06-20"), article(SHORT, "msn.com", "2025-06-18")]
    )
    assert second_run == [first_run[0], first_run[0]]
    assert first_run[1] != first_run[0]
    story = kb_stories.get_story(kb, first_run[0])
    assert story is not None
    assert [m["outlet"] for m in story["members"]] == ["msn.com", "yle.fi", "thelocalreport.in"]
    # the short version credits Reuters: credited beats the earliest member
    assert (story["original_source"], story["original_basis"]) == ("reuters.com", "credited")
    assert (story["first_seen"], story["last_seen"]) == ("2025-06-18", "2025-06-20")
    assert story["member_count"] == 3
    listed = kb_stories.list_stories(kb)
    assert {s["id"]: s["member_count"] for s in listed} == {first_run[0]: 3, first_run[1]: 1}
    assert kb_stories.count_stories(kb) == 2


def test_without_credit_the_earliest_member_is_the_origin(kb: KB) -> None:
    ids = ingest_run(kb, [article(UNCREDITED, "yle.fi", "2025-06-19"), article(UNCREDITED + " Ends.", "farm.example", "2025-06-18")])
    story = kb_stories.get_story(kb, ids[0])
    assert story is not None and ids[0] == ids[1]
    assert (story["original_source"], story["original_basis"]) == ("farm.example", "earliest")


def test_reingesting_the_same_article_keeps_one_membership(kb: KB) -> None:
    item = article(ORIGINAL, "reuters.com", "2025-06-19")
    ingest_run(kb, [item])
    ingest_run(kb, [item])
    rows = kb_stories.load_index_rows(kb)
    assert [r.article_id for r in rows] == [item.id]
    assert rows[0].signature is not None and rows[0].outlet == "reuters.com"


def withdrawal_claim(sentence: str) -> Event:
    return Event(type="production_planned", actor="state:FIN", actor_iso3="FIN", weapon="anti_personnel_mine",
                 modality="planned", evidence=Evidence((0, len(sentence)), sentence), confidence=0.8)


def test_claims_count_independent_stories_and_trusted_sources(kb: KB) -> None:
    items = [article(ORIGINAL, "reuters.com", "2025-06-19"), article(GARBLED, "thelocalreport.in", "2025-06-20"),
             article(SHORT, "msn.com", "2025-06-19"), article(SAME_TOPIC, "yle.fi", "2025-06-23")]
    events = {a.id: withdrawal_claim(a.text.split(".")[0]) for a in items}
    kb_sources.set_trust(kb, "reuters.com", "trusted", "ana")
    story_ids = ingest_run(kb, items, events)
    assert len(set(story_ids)) == 2
    claims = kb_claims.list_claims(kb)
    assert len(claims) == 4
    assert {c["corroboration"] for c in claims} == {2}
    assert {c["trusted_sources"] for c in claims} == {1}


def test_outlet_signals_measure_copying_garbling_and_credits(kb: KB) -> None:
    ingest_run(kb, [article(ORIGINAL, "reuters.com", "2025-06-19"), article(SHORT, "msn.com", "2025-06-19"),
                    article(GARBLED, "thelocalreport.in", "2025-06-20")])
    wire = kb_sources.source_signals(kb, "reuters.com")
    farm = kb_sources.source_signals(kb, "thelocalreport.in")
    assert (wire["articles"], wire["copied_share"], wire["credited_rate"]) == (1, 0.0, 1.0)
    assert (farm["copied_share"], farm["credited_rate"], farm["uncredited_copies"]) == (1.0, 0.0, 1)
    assert farm["garbling"] > wire["garbling"]
    assert farm["garbled_items"] >= 3  # Anti, Häkkänen, 58 (for 85)


def test_sources_know_seeded_kinds_and_keep_trust(kb: KB) -> None:
    ingest_run(kb, [article(ORIGINAL, "reuters.com", "2025-06-19")])
    source = kb_sources.set_trust(kb, "reuters.com", "trusted", "ana")
    assert (source["kind"], source["trust"], source["trust_set_by"]) == ("wire", "trusted", "ana")
    listed = {s["domain"]: s for s in kb_sources.list_sources(kb)}
    assert listed["reuters.com"]["articles"] == 1 and listed["reuters.com"]["kind"] == "wire"
    assert kb_sources.update_source_kinds(kb) == 1
    assert kb_sources.update_source_kinds(kb) == 0
    assert kb_sources.get_source(kb, "unheard-of.example") is None


def test_migration_adds_member_signatures_to_an_existing_database(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    with open_kb(path) as kb, kb.write() as conn:
        conn.execute(text("ALTER TABLE story_members DROP COLUMN signature"))
        conn.execute(text("DELETE FROM schema_migrations WHERE name = '0002_story_features'"))
    with open_kb(path) as kb, kb.read() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("story_members")}
        applied = set(conn.execute(text("SELECT name FROM schema_migrations")).scalars())
    assert "signature" in columns
    assert "0002_story_features" in applied


def test_an_article_that_bridges_two_stored_stories_merges_them(kb: KB) -> None:
    garbled, short = article(GARBLED, "thelocalreport.in", "2025-06-20"), article(SHORT, "msn.com", "2025-06-19")
    first_run = ingest_run(kb, [garbled, short])
    assert first_run[0] != first_run[1]  # the garbled copy and the short version share too little
    original = article(ORIGINAL, "reuters.com", "2025-06-19")
    [joined] = ingest_run(kb, [original])
    assert joined == first_run[0]  # the story started first keeps its id
    stories = kb_stories.list_stories(kb)
    assert [(s["id"], s["member_count"]) for s in stories] == [(joined, 3)]
    assert (stories[0]["first_seen"], stories[0]["last_seen"]) == ("2025-06-19", "2025-06-20")
    assert kb_stories.get_story(kb, first_run[1]) is None
    assert kb_articles.get_article(kb, short.id)["story_id"] == joined  # type: ignore[index]
    rebuilt = StoryIndex.from_rows(kb_stories.load_index_rows(kb))
    assert rebuilt.story_count == 1
