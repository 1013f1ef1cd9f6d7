"""Claims keep their reviews across re-extraction and count stories, not articles."""

from __future__ import annotations

import pytest

from treatywatch.kb import articles as kb_articles
from treatywatch.kb import claims as kb_claims
from treatywatch.kb.store import KB
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

SENTENCE = "Poland deposited its instrument of withdrawal on 20 August."


def article(body: str, domain: str) -> Article:
    return Article(id=article_id_for(body), text=body, url=f"https://{domain}/x", source=Source(domain),
                   published="2025-08-21")


def withdrawal(date: str | None = "2025-08-20", sentence: str = SENTENCE) -> Event:
    return Event(
        type="treaty_withdrawal_notified",
        actor="state:POL",
        actor_iso3="POL",
        treaty="APMBT",
        date=date,
        modality="asserted",
        evidence=Evidence((0, len(sentence)), sentence),
        confidence=0.9,
    )


def store(kb: KB, art: Article, events: list[Event], story: str | None = None) -> None:
    """Store an article with its events, as ingest does; each call is a distinct input."""
    assignments = [StoryAssignment(art.id, story, is_new_story=True)] if story else []
    key = f"key-{art.id}-{[e.date for e in events]}"
    kb_articles.store_batch(
        kb,
        InputBatch(art.url or "x", key, (art,)),
        extractions_by_id={art.id: Extraction(art, events=tuple(events))},
        assignments=assignments,
    )


def test_events_become_claims_with_evidence_and_outlet(kb: KB) -> None:
    art = article(SENTENCE, "wire.example")
    store(kb, art, [withdrawal()])
    [claim] = kb_claims.list_claims(kb, actor_iso3="POL")
    assert claim["type"] == "treaty_withdrawal_notified"
    assert claim["sentence"] == SENTENCE and claim["outlet"] == "wire.example"
    assert claim["review_state"] == "new"


def test_review_survives_reextraction_that_still_matches(kb: KB) -> None:
    art = article(SENTENCE, "wire.example")
    store(kb, art, [withdrawal(date="2025-08")])
    [claim] = kb_claims.list_claims(kb)
    kb_claims.review_claim(kb, claim["id"], "accepted", "ana")
    store(kb, art, [withdrawal(date="2025-08-20")])  # improved extractor: finer date, same claim
    [current] = kb_claims.list_claims(kb)
    assert current["id"] != claim["id"]
    assert current["review_state"] == "accepted"
    assert [r["reviewer"] for r in kb_claims.reviews_of(kb, current["id"])] == ["ana"]
    retracted = kb_claims.list_claims(kb, include_retracted=True)
    assert len(retracted) == 2  # the old reading is kept, marked retracted


def test_correction_overrides_fields_and_keeps_the_extracted_value(kb: KB) -> None:
    store(kb, article(SENTENCE, "wire.example"), [withdrawal()])
    [claim] = kb_claims.list_claims(kb)
    corrected = kb_claims.review_claim(kb, claim["id"], "corrected", "ben", correction={"date": "2025-08-21"})
    assert corrected["date"] == "2025-08-21"
    assert corrected["extracted"] == {"date": "2025-08-20"}
    assert corrected["reviewed_by"] == "ben"


@pytest.mark.parametrize(
    ("state", "correction", "message"),
    [("maybe", None, "unknown review state"), ("corrected", None, "needs at least one field"),
     ("corrected", {"sentence": "x"}, "cannot be corrected"),
     ("corrected", {"date": "9999-99-99"}, "not a real date"), ("corrected", {"date": "2026-02-30"}, "not a real date"),
     ("corrected", {"date": "next week"}, "not a date"),
     ("corrected", {"type": "treaty_withdrawal_rumoured"}, "type: unknown value"),
     ("corrected", {"modality": "probably"}, "modality: unknown value"),
     ("corrected", {"actor_iso3": "XYZ"}, "actor_iso3: unknown value"),
     ("corrected", {"actor_iso3": "Poland"}, "actor_iso3: unknown value"),
     ("corrected", {"treaty": "OTTAWA"}, "treaty: unknown value")],
)
def test_invalid_reviews_are_refused(kb: KB, state: str, correction: dict | None, message: str) -> None:
    store(kb, article(SENTENCE, "wire.example"), [withdrawal()])
    [claim] = kb_claims.list_claims(kb)
    with pytest.raises(kb_claims.ReviewError, match=message):
        kb_claims.review_claim(kb, claim["id"], state, "ana", correction=correction)


def test_a_correction_takes_the_values_extraction_gives(kb: KB) -> None:
    store(kb, article(SENTENCE, "wire.example"), [withdrawal()])
    [claim] = kb_claims.list_claims(kb)
    corrected = kb_claims.review_claim(kb, claim["id"], "corrected", "ana", correction={
        "type": "treaty_withdrawal_notified", "modality": "asserted", "actor_iso3": "ltu", "treaty": "ccm",
        "date": " 2025-08 ", "place": "Vilnius", "weapon": None})
    assert (corrected["type"], corrected["modality"], corrected["actor_iso3"], corrected["treaty"], corrected["date"],
            corrected["place"]) == ("treaty_withdrawal_notified", "asserted", "LTU", "CCM", "2025-08", "Vilnius")


def test_corroboration_counts_independent_stories_not_articles(kb: KB) -> None:
    copy_a = article(SENTENCE + " Copy one.", "copy-a.example")
    copy_b = article(SENTENCE + " Copy two.", "copy-b.example")
    other = article("Warsaw's envoy handed over the withdrawal instrument.", "paper.example")
    store(kb, copy_a, [withdrawal(sentence=copy_a.text)], story="story:one")
    store(kb, copy_b, [withdrawal(sentence=copy_b.text)], story="story:one")
    store(kb, other, [withdrawal(sentence=other.text)], story="story:two")
    claims = kb_claims.list_claims(kb)
    assert len(claims) == 3
    assert {c["corroboration"] for c in claims} == {2}


def test_since_compares_dates_at_their_own_grain(kb: KB) -> None:
    store(kb, article(SENTENCE, "wire.example"), [withdrawal(date="2026")])
    assert len(kb_claims.list_claims(kb, since="2026-01")) == 1
    assert kb_claims.list_claims(kb, since="2027") == []


@pytest.mark.parametrize("listing", ["list_claims", "browse_claims"])
def test_until_keeps_what_falls_within_its_grain(kb: KB, listing: str) -> None:
    """``until=2026-03`` ends on 31 March: a claim of 15 March is kept, as is an undated claim of
    an article published during 31 March; April is not."""
    from treatywatch.kb.search import browse_claims

    found = {"list_claims": kb_claims.list_claims,
             "browse_claims": lambda kb, **bounds: browse_claims(kb, **bounds).items}[listing]
    store(kb, article(SENTENCE, "wire.example"), [withdrawal(date="2026-03-15")])
    store(kb, article("Later. " + SENTENCE, "late.example"), [withdrawal(date="2026-04")])
    evening = Article(id=article_id_for("Undated. " + SENTENCE), text="Undated. " + SENTENCE,
                      url="https://evening.example/x", source=Source("evening.example"),
                      published="2026-03-31T21:30:00+00:00")
    store(kb, evening, [withdrawal(date=None, sentence="Undated. " + SENTENCE)])

    def outlets(**bounds: str) -> set[str]:
        return {c["outlet"] for c in found(kb, **bounds)}

    assert outlets(until="2026-03") == {"wire.example", "evening.example"}
    assert outlets(until="2026") == {"wire.example", "late.example", "evening.example"}
    assert outlets(until="2026-03-14") == set()
    assert outlets(since="2026-03-16", until="2026-04-30") == {"late.example", "evening.example"}
    assert outlets(since="2026-04") == {"late.example"}


def test_the_web_listing_compares_dates_at_their_grain_too(kb: KB) -> None:
    from treatywatch.kb.search import browse_claims

    store(kb, article(SENTENCE, "wire.example"), [withdrawal(date="2026")])
    assert len(browse_claims(kb, since="2026-01").items) == 1
    assert browse_claims(kb, since="2027").items == []
