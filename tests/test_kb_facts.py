"""Facts: claims that state the same step grouped incrementally, with support, conflicts and reviews."""

from __future__ import annotations

from itertools import count

import pytest

from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb import fact_reviews, facts_read
from treatywatch.kb import facts as kb_facts
from treatywatch.kb import sources as kb_sources
from treatywatch.kb.schema import fact_claims, facts, schema_migrations
from treatywatch.kb.store import KB, open_kb
from treatywatch.models import (
    Article,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Source,
    StoryAssignment,
    article_id_for,
)

_n = count()


def event(date: str | None, *, type: str = "treaty_withdrawal_effective", iso3: str = "POL",
          treaty: str | None = "APMBT", weapon: str | None = None, modality: str = "asserted",
          sentence: str | None = None) -> Event:
    text = sentence or f"{iso3} step {type} {treaty} {weapon} {date} {modality} ({next(_n)})."
    return Event(type=type, actor=f"state:{iso3}", actor_iso3=iso3, treaty=treaty, weapon=weapon, date=date,
                 modality=modality, evidence=Evidence((0, len(text)), text), confidence=0.9)


def store(kb: KB, events: list[Event], *, domain: str = "wire.example", story: str | None = None,
          body: str | None = None) -> Article:
    """One article (its own story unless ``story`` is given) with these events, as ingest stores it."""
    text = body or f"Article {next(_n)} from {domain}."
    art = Article(id=article_id_for(text), text=text, url=f"https://{domain}/{next(_n)}", source=Source(domain),
                  published="2026-02-21")
    assignments = [StoryAssignment(art.id, story or f"story-{art.id[:8]}", is_new_story=True)]
    kb_articles.store_batch(kb, InputBatch(art.url or "x", f"key-{next(_n)}", (art,)),
                            extractions_by_id={art.id: Extraction(art, events=tuple(events))}, assignments=assignments)
    return art


def only_fact(kb: KB, **filters: object) -> dict:
    [fact] = facts_read.list_facts(kb, **filters)
    return fact


def test_reports_of_one_withdrawal_from_several_stories_are_one_fact(kb: KB) -> None:
    for domain in ("a.example", "b.example", "c.example"):
        store(kb, [event("2026-02-20")], domain=domain)
    fact = only_fact(kb)
    assert (fact["type"], fact["actor_iso3"], fact["treaty"], fact["date"]) == (
        "treaty_withdrawal_effective", "POL", "APMBT", "2026-02-20")
    assert (fact["claims"], fact["articles"], fact["stories"]) == (3, 3, 3)
    assert not fact["conflict"]


def test_articles_of_one_story_count_as_one_independent_story(kb: KB) -> None:
    store(kb, [event("2026-02-20")], domain="a.example", story="wire-1")
    store(kb, [event("2026-02-20")], domain="b.example", story="wire-1")
    fact = only_fact(kb)
    assert (fact["articles"], fact["stories"]) == (2, 1)


def test_a_coarser_date_supports_the_finer_one_it_contains(kb: KB) -> None:
    store(kb, [event("2026-02")])
    store(kb, [event("2026-02-20")])
    store(kb, [event("2026")])
    fact = only_fact(kb)
    assert fact["date"] == "2026-02-20" and not fact["conflict"]
    assert {d["date"] for d in fact["dates"]} == {"2026", "2026-02", "2026-02-20"}


def test_disagreeing_days_of_a_once_step_are_a_conflict_within_one_fact(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    store(kb, [event("2026-02-20")])
    store(kb, [event("2026-02-21")])
    fact = only_fact(kb)
    assert fact["date"] == "2026-02-20" and fact["conflict"]
    assert {(d["date"], d["stories"], d["agrees"]) for d in fact["dates"]} == {
        ("2026-02-20", 2, True), ("2026-02-21", 1, False)}


def test_repeatable_steps_on_incompatible_dates_are_separate_facts(kb: KB) -> None:
    mines = {"type": "use_confirmed", "treaty": None, "weapon": "anti-personnel mines", "iso3": "RUS"}
    store(kb, [event("2025-03", **mines)])
    store(kb, [event("2025-03-12", **mines)])
    store(kb, [event("2025-09", **mines)])
    dates = sorted(f["date"] for f in facts_read.list_facts(kb))
    assert dates == ["2025-03-12", "2025-09"]


def test_other_treaty_actor_or_type_is_another_fact(kb: KB) -> None:
    store(kb, [event("2026-02-20"), event("2026-02-20", treaty="CCM"), event("2026-02-20", iso3="LTU"),
               event("2026-02-20", type="treaty_withdrawal_notified")])
    assert len(facts_read.list_facts(kb)) == 4


def test_modality_mix_counts_stories_per_modality(kb: KB) -> None:
    for _ in range(3):
        store(kb, [event("2026-02-20", type="treaty_withdrawal_notified", modality="planned")])
    store(kb, [event("2026-02-20", type="treaty_withdrawal_notified")])
    assert only_fact(kb)["modalities"] == {"asserted": 1, "planned": 3}


def test_fact_and_its_review_survive_reextraction(kb: KB) -> None:
    sentence = "Poland's withdrawal takes effect on 20 February 2026."
    body = "Poland's withdrawal takes effect on 20 February 2026. More text."
    store(kb, [event("2026-02", sentence=sentence)], body=body)
    fact = only_fact(kb)
    fact_reviews.review_fact(kb, fact["id"], "accepted", "ana")
    store(kb, [event("2026-02-20", sentence=sentence)], body=body)  # better extractor, same article
    again = only_fact(kb)
    assert again["id"] == fact["id"] and again["review_state"] == "accepted"
    assert again["date"] == "2026-02-20" and again["claims"] == 1
    [claim] = facts_read.get_fact(kb, fact["id"])["claims"]
    assert claim["review_state"] == "accepted" and claim["support"] == "reviewed"


def test_reviewing_a_fact_reviews_each_of_its_claims(kb: KB) -> None:
    store(kb, [event("2026-02-20")], domain="a.example")
    store(kb, [event("2026-02-20")], domain="b.example")
    fact = only_fact(kb)
    fact_reviews.review_fact(kb, fact["id"], "accepted", "ana", note="checked with the depositary")
    states = {c["review_state"] for c in kb_claims.list_claims(kb)}
    assert states == {"accepted"}
    assert facts_read.list_facts(kb, review_state="pending") == []


def test_a_claim_joining_an_accepted_fact_is_new_support_not_a_new_review_item(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    fact = only_fact(kb)
    fact_reviews.review_fact(kb, fact["id"], "accepted", "ana")
    store(kb, [event("2026-02-20")], domain="late.example")
    store(kb, [event("2026-02")], domain="later.example")
    fact = only_fact(kb)
    assert fact["review_state"] == "accepted" and fact["new_support"] == 2 and fact["stories"] == 3
    assert facts_read.list_facts(kb, review_state="pending") == []


def test_a_claim_contradicting_an_accepted_fact_puts_it_back_in_the_queue(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    fact = only_fact(kb)
    fact_reviews.review_fact(kb, fact["id"], "accepted", "ana")
    store(kb, [event("2026-03-05")], domain="other.example")
    [pending] = facts_read.list_facts(kb, review_state="pending")
    assert pending["id"] == fact["id"] and pending["new_conflicts"] == 1 and pending["conflict"]


def test_rejecting_a_fact_removes_its_claims_from_its_support(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    fact = only_fact(kb)
    fact_reviews.review_fact(kb, fact["id"], "rejected", "ana")
    assert facts_read.list_facts(kb) == []
    assert facts_read.get_fact(kb, fact["id"])["review_state"] == "rejected"


def test_correcting_a_claims_date_moves_it_to_the_fact_of_that_date(kb: KB) -> None:
    mines = {"type": "use_confirmed", "treaty": None, "weapon": "anti-personnel mines", "iso3": "RUS"}
    store(kb, [event("2025-03-12", **mines)])
    store(kb, [event("2025-09-01", **mines)])
    [claim] = kb_claims.list_claims(kb, since="2025-09")
    kb_claims.review_claim(kb, claim["id"], "corrected", "ana", correction={"date": "2025-03"})
    [fact] = facts_read.list_facts(kb)
    assert fact["date"] == "2025-03-12" and fact["claims"] == 2


def test_trusted_outlets_are_counted_once_trust_is_set(kb: KB) -> None:
    store(kb, [event("2026-02-20")], domain="a.example")
    store(kb, [event("2026-02-20")], domain="b.example")
    assert only_fact(kb)["trusted"] == 0
    kb_sources.set_trust(kb, "a.example", "trusted", "ana")
    assert only_fact(kb)["trusted"] == 1


def test_expanded_fact_lists_its_claims_and_quotes(kb: KB) -> None:
    store(kb, [event("2026-02-20", sentence="Poland leaves the treaty on 20 February.")])
    fact = facts_read.get_fact(kb, only_fact(kb)["id"])
    assert [q["text"] for q in fact["quotes"]] == ["Poland leaves the treaty on 20 February."]
    assert fact["claims"][0]["outlet"] == "wire.example"


def test_incremental_grouping_equals_a_rebuild(kb: KB) -> None:
    dates = ["2026-02-20", "2026-02", "2026-02-21", None, "2026"]
    for i in range(15):
        store(kb, [event(dates[i % 5], treaty=("APMBT", "CCM")[i % 2]),
                   event(dates[(i + 2) % 5], type="use_confirmed", treaty=None, weapon="cluster munitions")],
              domain=f"o{i % 4}.example", story=f"s{i % 6}")

    def snapshot() -> list[tuple]:
        keep = ("id", "date", "claims", "articles", "stories", "conflict", "dates", "modalities")
        return sorted(tuple(str(f[k]) for k in keep) for f in facts_read.list_facts(kb))

    incremental = snapshot()
    with kb.write() as conn:
        kb_facts.regroup_all(conn, "2026-01-01T00:00:00+00:00")
    assert snapshot() == incremental


def test_migration_0008_groups_the_claims_already_stored(kb_url: str) -> None:
    with open_kb(kb_url) as kb:
        store(kb, [event("2026-02-20")], domain="a.example")
        store(kb, [event("2026-02-20")], domain="b.example")
        with kb.write() as conn:  # as a database from before 0008 would be
            conn.execute(fact_claims.delete())
            conn.execute(facts.delete())
            conn.execute(schema_migrations.delete().where(schema_migrations.c.name == "0008_facts_watch_alerts"))
    with open_kb(kb_url) as kb:
        assert only_fact(kb)["stories"] == 2


@pytest.mark.parametrize(("dated", "best", "conflict"), [
    ({"2026-02-20": {"a", "b"}, "2026-02-21": {"c"}}, "2026-02-20", True),
    ({"2026-02": {"a", "b"}, "2026-02-21": {"c"}}, "2026-02-21", False),
    ({"2026-02-20": {"a"}, "2026-02-21": {"b"}}, "2026-02-20", True),
    ({"2025": {"a"}, "2026": {"b", "c"}}, "2026", True),
])
def test_best_supported_date(dated: dict, best: str, conflict: bool) -> None:
    chosen, listed = kb_facts.best_date(dated)
    assert chosen == best
    assert any(not d["agrees"] for d in listed) is conflict


def test_merging_two_stories_lowers_the_fact_count_of_independent_stories(kb: KB) -> None:
    store(kb, [event("2026-02-20")], domain="a.example", story="s1")
    store(kb, [event("2026-02-20")], domain="b.example", story="s2")
    assert only_fact(kb)["stories"] == 2
    text = "A third copy that shows s1 and s2 are one report."
    art = Article(id=article_id_for(text), text=text, url="https://c.example/3", source=Source("c.example"))
    merge = StoryAssignment(art.id, "s1", is_new_story=False, merged_stories=("s2",))
    kb_articles.store_batch(kb, InputBatch("merge", "merge", (art,)), extractions_by_id={art.id: Extraction(art)},
                            assignments=[merge])
    assert only_fact(kb)["stories"] == 1


def test_a_corrected_actor_longer_than_extraction_gives_is_kept_within_the_column(kb: KB) -> None:
    mines = {"type": "use_confirmed", "treaty": None, "weapon": "anti-personnel mines", "iso3": "RUS"}
    store(kb, [event("2025-03-12", **mines)])
    [claim] = kb_claims.list_claims(kb)
    kb_claims.review_claim(kb, claim["id"], "corrected", "ana", correction={"actor_iso3": None, "actor": "x" * 450})
    [fact] = facts_read.list_facts(kb)
    assert fact["actor"] == "x" * 200 and fact["claims"] == 1
