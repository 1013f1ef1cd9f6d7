"""Credit lines: which outlet a text names as its source, the chain of agencies, the story's origin."""

from __future__ import annotations

import pytest

from treatywatch.provenance import find_credits
from treatywatch.provenance.origin import MemberFacts, story_origin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deputy minister Pawel Zalewski told Reuters in an interview on Tuesday.", ["reuters.com"]),
        ("WARSAW, Dec 16 (Reuters) - Poland will begin producing mines.", ["reuters.com"]),
        ("KYIV (AP) — Ukraine's president signed the decree.", ["apnews.com"]),
        ("Kyiv is laying mines near Belgorod, RIA Novosti reported.", ["ria.ru"]),
        ("The plant will open in May, according to BELTA citing RMF24.", ["rmf24.pl", "belta.by"]),
        ("TASS said, citing RIA Novosti, that the note was sent.", ["ria.ru", "tass.com"]),
        ("Saar told ERR News on Tuesday that the tender had opened.", ["err.ee"]),
        ("The minister told the BBC that no decision had been taken.", ["bbc.com"]),
        ("(With inputs from Reuters; editing by Tom Hale)", ["reuters.com"]),
        ("The decision was first reported by Politico and confirmed to Reuters by officials.",
         ["politico.eu", "reuters.com"]),
    ],
)
def test_credited_outlets_in_chain_order(text: str, expected: list[str]) -> None:
    assert find_credits(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The minister told reporters after the vote that nothing had changed.",
        "An ap official said the map was wrong; the err was corrected.",  # lower-case short names
        "Reuters could not independently verify the claim.",
        "The ministry's press service declined to comment.",
        "(With the inputs from Nordik Wire agency reporting by Marta Nowicka)",  # garbled credit
    ],
)
def test_no_credit_where_none_is_given(text: str) -> None:
    assert find_credits(text) == []


def member(article_id: str, published: str | None, outlet: str, credits: tuple[str, ...] = ()) -> MemberFacts:
    return MemberFacts(article_id, published, outlet, credits)


def test_a_credit_beats_the_earliest_member() -> None:
    origin = story_origin(
        [member("a", "2025-01-01", "farm.example"), member("b", "2025-01-02", "paper.example", ("reuters.com",))]
    )
    assert (origin.source, origin.basis, origin.chain) == ("reuters.com", "credited", ("reuters.com",))


def test_without_credits_the_earliest_published_member_is_the_origin() -> None:
    origin = story_origin(
        [member("b", "2025-01-03", "late.example"), member("a", "2025-01-02", "early.example"),
         member("c", None, "undated.example")]
    )
    assert (origin.source, origin.basis, origin.chain) == ("early.example", "earliest", ())


def test_the_deepest_chain_names_the_original_agency() -> None:
    origin = story_origin(
        [member("a", "2025-01-01", "x.example", ("belta.by",)), member("b", "2025-01-01", "y.example", ("belta.by",)),
         member("c", "2025-01-02", "z.example", ("rmf24.pl", "belta.by"))]
    )
    assert origin.source == "rmf24.pl"
    assert origin.chain == ("rmf24.pl", "belta.by")


def test_no_members_no_origin() -> None:
    assert story_origin([]).source is None
