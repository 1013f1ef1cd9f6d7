"""Story clustering: copies, short versions and garbled rewrites join; same-topic stories stay apart."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from treatywatch.models import Article, Source, article_id_for
from treatywatch.provenance import StoredStoryMember, StoryIndex
from treatywatch.provenance.fingerprint import Fingerprint, fingerprint

ORIGINAL = """HELSINKI, June 19 (Reuters) - Finland will start producing anti-personnel mines at a plant in Lapua next year and could make up to 300,000 a year, Defence Minister Antti Hakkanen told Reuters in an interview on Thursday.

Hakkanen said the first mines would go to depots near the eastern border and that Finland was ready to sell part of the output to Ukraine and to the Baltic states if they asked.

"We cannot plan our defence around the assumption that the next war will follow the rules of the last peace," Hakkanen said, adding that the first order was worth 85 million euros.

Finland's parliament approved the withdrawal from the Ottawa Convention this month. The treaty bans the use, stockpiling, production and transfer of anti-personnel mines and has 164 states parties."""

COPY = "By News Desk\n\n" + ORIGINAL + "\n\nShare this article"

SHORT = "\n\n".join(ORIGINAL.split("\n\n")[:2])

GARBLED = """Add thelocalreport.in As A Trusted Source

Finland is set to begin manufacturing anti-personnel landmines at a factory in Lapua next year and may build up to 300,000 a year, Defence Minister Anti Häkkänen said to the agency Reuters in the conversation on Thursday.

"We cannot plan our defence around the assumption that the next war will follow the rules of the last peace," Häkkänen declared, adding that the initial order was worth 58 million euros.

Häkkänen stated the initial landmines would go to depots near the eastern frontier and that the nation was prepared to sell part of the output to Ukraine and to the Baltic states if they asked.

Subscribe to our Telegram channel for more news"""

SAME_TOPIC = """HELSINKI - Defence Minister Antti Hakkanen said on Monday that Finland would not deploy anti-personnel mines in peacetime and that stocks would be kept in central depots run by the army.

Speaking to a parliamentary committee, Hakkanen said the armed forces had asked for 12 months to draw up rules for marking and recording minefields. "Every field we might lay will be on a map before the first mine leaves the store," he said.

Finland's parliament approved the withdrawal from the Ottawa Convention this month. The treaty bans the use, stockpiling, production and transfer of anti-personnel mines and has 164 states parties.

Opposition lawmakers said the government had not answered how civilians would be warned."""

UNRELATED = """VILNIUS (BNS) - Lithuania's parliament voted on Thursday to leave the Convention on Cluster Munitions by 107 votes to 3, the first country to quit the 2008 treaty. Defence Minister Dovile Sakaliene said the army needed every tool to defend the country."""


def article(text: str, outlet: str, published: str = "2025-06-19") -> Article:
    return Article(id=article_id_for(text), text=text, source=Source(outlet), published=published)


def assign_all(texts: list[tuple[str, str]]) -> dict[str, str]:
    index = StoryIndex()
    return {name: index.assign(article(text, f"{name}.example")).story_id for name, text in texts}


VARIANTS = [("original", ORIGINAL), ("copy", COPY), ("short", SHORT), ("garbled", GARBLED)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(4)))[::5])
def test_copies_short_and_garbled_versions_join_one_story_in_any_order(order: tuple[int, ...]) -> None:
    stories = assign_all([VARIANTS[i] for i in order] + [("other", SAME_TOPIC), ("unrelated", UNRELATED)])
    assert len({stories[name] for name, _ in VARIANTS}) == 1
    assert stories["other"] != stories["original"]
    assert stories["unrelated"] not in (stories["original"], stories["other"])


def test_same_minister_same_topic_different_day_stays_a_different_story() -> None:
    index = StoryIndex()
    first = index.assign(article(ORIGINAL, "reuters.com"))
    second = index.assign(article(SAME_TOPIC, "yle.fi", "2025-06-23"))
    assert second.is_new_story
    assert second.story_id != first.story_id
    assert index.story_count == 2


def test_assignment_carries_story_origin_similarity_and_signature() -> None:
    index = StoryIndex()
    first = index.assign(article(ORIGINAL, "reuters.com"))
    garbled = index.assign(article(GARBLED, "thelocalreport.in", "2025-06-20"))
    assert first.is_new_story and first.similarity is None
    assert first.story_id == "story:" + first.article_id[:24]
    assert not garbled.is_new_story and garbled.story_id == first.story_id
    assert garbled.similarity is not None and 0 < garbled.similarity <= 1
    assert (garbled.original_source, garbled.original_basis) == ("reuters.com", "credited")
    assert garbled.signature is not None
    restored = Fingerprint.from_bytes(garbled.signature)
    assert restored.credits == ()  # the spinner broke the credit line
    assert (restored.full == fingerprint(GARBLED).full).all()


def test_same_article_twice_is_not_a_second_member() -> None:
    index = StoryIndex()
    first = index.assign(article(ORIGINAL, "reuters.com"))
    again = index.assign(article(ORIGINAL, "reuters.com"))
    assert again.story_id == first.story_id and not again.is_new_story
    assert len(index) == 1


def test_assignment_is_deterministic() -> None:
    texts = [("a", ORIGINAL), ("b", SAME_TOPIC), ("c", GARBLED), ("d", SHORT)]
    assert assign_all(texts) == assign_all(texts)


def test_empty_and_tiny_texts_start_their_own_stories() -> None:
    index = StoryIndex()
    one = index.assign(article("Breaking.", "a.example"))
    two = index.assign(article("Breaking news.", "b.example"))
    assert one.is_new_story and two.is_new_story


def test_benchmark_fixtures_cluster_without_merging_stories() -> None:
    bench = Path(__file__).resolve().parent.parent / "bench"
    sys.path.insert(0, str(bench))
    try:
        from provenance_bench import quality
    finally:
        sys.path.remove(str(bench))
    rows = quality()
    in_publication_order = rows[0]
    assert in_publication_order["merged"] == 0
    assert in_publication_order["f1"] >= 0.95
    assert all(row["precision"] == 1.0 for row in rows)


def test_an_index_rebuilt_from_rows_skips_unreadable_signatures() -> None:
    index = StoryIndex()
    first = index.assign(article(ORIGINAL, "reuters.com"))
    rows = [
        StoredStoryMember(first.story_id, first.article_id, "2025-06-19", first.signature, "reuters.com"),
        StoredStoryMember("story:old", "f" * 64, "2025-01-01", b"not a fingerprint", "old.example"),
    ]
    rebuilt = StoryIndex.from_rows(rows)
    assert len(rebuilt) == 2 and rebuilt.story_count == 2
    joined = rebuilt.assign(article(COPY, "paper.example", "2025-06-20"))
    assert joined.story_id == first.story_id and not joined.is_new_story
