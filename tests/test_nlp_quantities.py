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


def test_conversion_in_brackets_is_a_figure_of_its_own() -> None:
    found = run("Poland will fortify an 800 km (500 mi) stretch of its border.").quantities
    assert [(q.text, q.value, q.unit) for q in found] == [("800 km", 800, "km"), ("500 mi", 500, "mi")]


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


def test_years_dates_and_articles_are_not_quantities() -> None:
    text = ("Under Article 20, Poland, which signed in 1997, notified the UN on 18 December 2024. "
            "One of them was F-16. The 2021 coup and the votes of 2000, 1999 and 1998 came later.")
    assert run(text).quantities == ()


def test_clock_times_date_fragments_and_calibres_are_not_quantities() -> None:
    text = ("A mine went off at 9:45 AM (0245 GMT) on 20-11-2024, near 155 mm guns. Posted 2025-06-30 12:35. "
            "The 70:30 venture marked the war's 1,000th day on 16 April.")
    assert run(text).quantities == ()


def test_numbers_naming_places_and_units_are_not_quantities() -> None:
    text = "Soldiers from Company 6021 patrolled near Hill 481, at coordinates UA 24542 87382 (Unit 200)."
    assert run(text).quantities == ()


def test_ages_after_a_name_are_figures() -> None:
    found = run("The house of Ivan Petrenko, 77, was hit.").quantities
    assert [q.value for q in found] == [77]


def test_votes_are_counts_not_ranges() -> None:
    found = run("The chamber voted 107 to 14, while 9 abstained and 3 were against.").quantities
    assert [(q.value, q.value_max) for q in found] == [(107, None), (14, None), (9, None), (3, None)]


def test_units_glued_to_the_number() -> None:
    found = run("The mine produced 104,000oz, and a bomb 7ft long lay 1.6km offshore.").quantities
    assert [(q.value, q.unit) for q in found] == [(104000, "oz"), (7, "ft"), (1.6, "km")]


@pytest.mark.parametrize(("phrase", "value"), [("at least 3%", 3), ("more than 40%", 40), ("up to 1.2 million", 1.2e6)])
def test_bounds_are_exact_numbers(phrase: str, value: float) -> None:
    q = only(f"The government wants {phrase} more, officials said.")
    assert (q.value, q.approx) == (value, False)
    assert phrase.endswith(q.text) and q.text.split()[-1] == phrase.split()[-1]


def test_identifiers_are_not_quantities() -> None:
    assert run("Reference: C.N.391.2025.TREATIES-XXVI.5.").quantities == ()


def test_durations_and_ages_are_quantities_with_their_noun_as_unit() -> None:
    text = "The exit takes effect after a notice of six months. The 24-year-old ended a 14-year war 20 years ago."
    found = run(text).quantities
    assert [(q.value, q.unit) for q in found] == [(6, "month"), (24, "year"), (14, "year"), (20, "year")]


def test_bare_large_numbers_are_kept() -> None:
    found = run("In all, 1,945 people were killed and 4,325 were injured; 12 were missing.").quantities
    assert [(q.value, q.unit) for q in found] == [(1945, "people"), (4325, None)]


def test_a_state_before_a_number_is_a_gapped_figure_not_a_name() -> None:
    found = run("Yemen recorded 410 casualties, Iraq 298 and Sudan 150.").quantities
    assert [q.value for q in found] == [410, 298, 150]
