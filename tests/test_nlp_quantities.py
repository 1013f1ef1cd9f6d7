"""Quantities: number words, scales, ranges, approximations, units, rates, what is counted."""

from __future__ import annotations

import pytest
from nlp_helpers import run

from treatywatch.models import Quantity


def only(text: str) -> Quantity:
    found = run(text).quantities
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("phrase", ["5-6 million", "between 5 and 6 million", "5 million to 6 million",
                                    "5 to 6 million", "five to six million"])
def test_ranges_share_the_scale(phrase: str) -> None:
    q = only(f"Belma could deliver {phrase} anti-personnel mines.")
    assert (q.value, q.value_max) == (5_000_000, 6_000_000)
    assert q.text == phrase and q.about == "anti-personnel mines" and q.unit == "mines"


@pytest.mark.parametrize(("phrase", "value"), [("about 100,000", 100_000), ("nearly 2,500", 2_500),
                                               ("some 40", 40), ("almost a million", 1_000_000),
                                               ("roughly 1.5 million", 1_500_000)])
def test_approximations(phrase: str, value: float) -> None:
    q = only(f"The war displaced {phrase} people, officials said.")
    assert q.approx and q.value == value and q.text == phrase and q.unit == "people"


def test_exact_numbers_are_not_approximate() -> None:
    q = only("The army has 12,000 soldiers.")
    assert (q.value, q.approx, q.unit, q.about) == (12_000, False, "soldiers", "soldiers")


def test_conversion_in_brackets_is_kept_together() -> None:
    q = only("Poland will fortify an 800 km (500 mi) stretch of its border.")
    assert (q.text, q.value, q.unit) == ("800 km (500 mi)", 800, "km")


@pytest.mark.parametrize(("phrase", "value", "unit"), [("$1.2bn", 1.2e9, "USD"), ("€300 million", 3e8, "EUR"),
                                                       ("800 million zlotys", 8e8, "PLN"),
                                                       ("US$ 40 million", 4e7, "USD"), ("40%", 40, "percent")])
def test_money_and_percent(phrase: str, value: float, unit: str) -> None:
    q = only(f"The budget grew by {phrase} under the plan.")
    assert (q.text, q.value, q.unit) == (phrase, value, unit)


@pytest.mark.parametrize(("tail", "per"), [("a year", "year"), ("per year", "year"), ("annually", "year"),
                                           ("a month", "month")])
def test_rates(tail: str, per: str) -> None:
    q = only(f"The plant can make 100,000 mines {tail}.")
    assert (q.value, q.per, q.about) == (100_000, per, "mines")


def test_rate_after_a_money_amount_is_part_of_the_text() -> None:
    q = only("Support will cost €300 million a year.")
    assert (q.text, q.per) == ("€300 million a year", "year")


def test_number_words() -> None:
    q = only("Seven states have left the treaty.")
    assert (q.value, q.about) == (7, "states")
    assert only("Twenty-five deminers were trained.").value == 25


def test_years_dates_articles_and_ages_are_not_quantities() -> None:
    text = ("Under Article 20, Poland, which signed in 1997, notified the UN on 18 December 2024. "
            "Zalewski, 54, said one of them was F-16.")
    assert run(text).quantities == ()


@pytest.mark.parametrize(("phrase", "value"), [("at least 3%", 3), ("more than 40%", 40), ("up to 1.2 million", 1.2e6)])
def test_bounds_are_exact_numbers(phrase: str, value: float) -> None:
    q = only(f"The government wants {phrase} more, officials said.")
    assert (q.value, q.approx) == (value, False)
    assert phrase.endswith(q.text) and q.text.split()[-1] == phrase.split()[-1]


def test_durations_ages_and_identifiers_are_not_quantities() -> None:
    text = ("The exit takes effect six months later. The 24-year-old prevailed, a four-year high. "
            "Reference: C.N.391.2025.TREATIES-XXVI.5.")
    assert run(text).quantities == ()


def test_bare_large_numbers_are_kept() -> None:
    found = run("In all, 1,945 people were killed and 4,325 were injured; 12 were missing.").quantities
    assert [(q.value, q.unit) for q in found] == [(1945, "people"), (4325, None)]
