"""Page furniture removal: the shipped patterns, their loader, and recurring lines per site."""

from __future__ import annotations

from pathlib import Path

import pytest

from treatywatch.errors import DataFileError
from treatywatch.ingest import IngestOptions, RecurringLines, read_input
from treatywatch.ingest.furniture import (
    default_patterns,
    furniture_pattern_for,
    parse_patterns,
    remove_furniture,
)
from treatywatch.models import Article

FURNITURE = {
    "Add thelocalreport.in As A Trusted Source": "trusted_source",
    "Add Example News as a preferred source": "trusted_source",
    "Follow us on Facebook, X and Instagram": "follow_us",
    "Sign up for our newsletter": "newsletter_signup",
    "Subscribe to our daily briefing newsletter": "newsletter_signup",
    "Read more: Ostmark army plans new border barrier": "read_more",
    "Also read: Parliament to vote next week": "read_more",
    "READ MORE »": "read_more",
    "Continue reading...": "read_more_bare",
    "Share | Tweet | Email": "share_buttons",
    "Facebook Twitter LinkedIn WhatsApp": "share_buttons",
    "Share this article": "share_this",
    "We use cookies to improve your experience on our site.": "cookie_notice",
    "Accept all cookies": "cookie_notice",
    "Photo: Reuters": "photo_credit",
    "(Photo by Anna Kovac/Getty Images)": "photo_credit",
    "FILE PHOTO: A deminer works in a field / REUTERS": "photo_credit",
    "Image credit: Ministry of Defence": "photo_label",
    "Tags: Ostmark, landmines, Ottawa Convention": "tag_list",
    "Advertisement": "advertisement",
    "Story continues below advertisement": "advertisement",
    "© 2025 Northern Ledger. All rights reserved.": "copyright",
    "Download our app for breaking news": "download_app",
    "Follow Northern Ledger on Google News": "google_news",
    "4 min read": "reading_time",
}

STORY = [
    "He said they would follow the treaty.",
    "The minister said the country would follow the treaty's rules until the withdrawal took effect.",
    "Campaigners urged parliament to read more carefully the obligations of Article 5.",
    "Reuters reported that 21,000 mines had been destroyed in 2012.",
    "The photo showed a minefield near the border, the ministry said.",
    "Officials share concerns about the stockpile, according to a statement.",
    "Ostmark signed up to the convention in 1997 and ratified it in 1999.",
    "The tags on the munitions showed they were produced in 1987.",
    "Cookies were handed out to children at the mine-awareness event.",
    "Advertisement campaigns warned villagers about unexploded ordnance for years.",
    "Comments by the defence minister drew criticism from campaigners.",
    "Updated figures from the clearance agency showed 14 square kilometres were cleared.",
    "Published in 2025, the report lists 33 states that used the weapons.",
    "Photographers from Reuters and AFP were not allowed near the site.",
]


@pytest.mark.parametrize(("line", "name"), FURNITURE.items())
def test_furniture_lines_match_their_pattern(line: str, name: str) -> None:
    assert furniture_pattern_for(line, default_patterns()) == name


@pytest.mark.parametrize("line", STORY)
def test_story_lines_are_kept(line: str) -> None:
    assert furniture_pattern_for(line, default_patterns()) is None


def test_remove_furniture_keeps_order() -> None:
    lines = ["Photo: Reuters", STORY[0], "", "Tags: a, b", STORY[1], "Share this article"]
    kept, removed = remove_furniture(lines)
    assert kept == [STORY[0], STORY[1]]
    assert removed == ["Photo: Reuters", "Tags: a, b", "Share this article"]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"version": 2, "patterns": []}, "version: Input should be 1"),
        ({"version": 1, "patterns": []}, "patterns: .*at least 1 item"),
        ({"version": 1, "patterns": [{"name": "a", "pattern": "("}]}, r"patterns\[0\]\.pattern: bad regex"),
        ({"version": 1, "patterns": [{"name": "a", "pattern": "x"}, {"name": "a", "pattern": "y"}]},
         r"patterns: duplicate pattern names \['a'\]"),
        ({"version": 1, "patterns": [{"name": "a", "pattern": "x", "flags": "i"}]},
         r"patterns\[0\]\.flags: Extra inputs are not permitted"),
        ({"version": 1, "patterns": [{"name": "a", "pattern": "x", "max_len": 0}]},
         r"patterns\[0\]\.max_len: Input should be greater than 0"),
    ],
)
def test_loader_rejects_bad_pattern_files(document: object, message: str) -> None:
    with pytest.raises(DataFileError, match=f"^furniture patterns: {message}"):
        parse_patterns(document)


def test_shipped_patterns_load_with_unique_names() -> None:
    names = [p.name for p in default_patterns()]
    assert len(names) == len(set(names)) >= 15


def test_recurring_lines_need_three_distinct_pages() -> None:
    recurring = RecurringLines()
    slogan = "Independent news since 1921"
    for _ in range(2):
        recurring.observe("ledger.example", [slogan, slogan])
    assert not recurring.is_furniture("ledger.example", slogan)
    recurring.observe("ledger.example", [slogan.upper()])
    assert recurring.is_furniture("ledger.example", "  independent   news since 1921 ")
    assert not recurring.is_furniture("other.example", slogan)
    long_line = "x " * 60
    for _ in range(5):
        recurring.observe("ledger.example", [long_line])
    assert not recurring.is_furniture("ledger.example", long_line)


def page(n: int, slogan: str) -> str:
    return (
        f"<html><head><link rel='canonical' href='https://www.ledger.example/a/{n}'></head><body><article>"
        f"<p>{slogan}</p><p>Story {n}: the committee heard {n + 2} witnesses on the withdrawal bill and "
        "adjourned until the following week without a vote.</p><p>He said they would follow the treaty.</p>"
        "</article></body></html>"
    )


def test_recurring_lines_shared_across_inputs(tmp_path: Path) -> None:
    recurring = RecurringLines()
    slogan = "The paper of record for the northern provinces"
    articles: list[Article] = []
    for n in range(4):
        path = tmp_path / f"{n}.html"
        path.write_text(page(n, slogan))
        articles += read_input(str(path), IngestOptions(), recurring=recurring).articles
    assert [slogan in a.text for a in articles] == [True, True, False, False]
    assert articles[2].removed == (slogan,)
    assert all("He said they would follow the treaty." in a.text for a in articles)
