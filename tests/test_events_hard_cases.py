"""The hard cases of issue 4, each pinned with sentences written for these tests."""

from __future__ import annotations

import pytest

from treatywatch.events import detect_events
from treatywatch.models import Article, Event, article_id_for
from treatywatch.nlp import analyse


def events_of(text: str, published: str = "2025-12-18") -> list[Event]:
    return detect_events(analyse(Article(id=article_id_for(text), text=text, published=published)))


def only(events: list[Event], event_type: str) -> list[Event]:
    return [e for e in events if e.type == event_type]


def test_an_older_step_is_still_an_event_with_its_own_date() -> None:
    events = events_of("Poland ratified the Ottawa Convention in 2012, officials recalled on Monday.")
    joined = only(events, "treaty_joined")
    assert [(e.actor, e.actor_iso3, e.treaty, e.date, e.modality) for e in joined] == [
        ("state:POL", "POL", "APMBT", "2012", "asserted")
    ]


def test_signed_and_ratified_in_one_sentence_are_two_dated_steps() -> None:
    events = events_of("Finland signed the Mine Ban Treaty in 1997 and ratified it in 2012.")
    assert sorted(e.date for e in only(events, "treaty_joined")) == ["1997", "2012"]


def test_exclusion_gives_no_event_for_the_excluded_state() -> None:
    text = (
        "The Ottawa Convention bans anti-personnel mines. "
        "Lithuania, Latvia and Estonia, but not Norway, announced their withdrawal from the Ottawa Convention."
    )
    actors = {e.actor_iso3 for e in only(events_of(text), "treaty_withdrawal_announced")}
    assert actors == {"LTU", "LVA", "EST"}


def test_except_keeps_the_named_state_out() -> None:
    text = "All the Baltic states except Estonia will produce anti-personnel mines next year."
    actors = {e.actor_iso3 for e in events_of(text)}
    assert "EST" not in actors


def test_no_formal_decision_is_a_denial() -> None:
    text = (
        "Norway has been a party to the Ottawa Convention since 1998. "
        "No formal decision on withdrawing from the convention was made, the Norwegian government said."
    )
    steps = [e for e in events_of(text) if e.type.startswith("treaty_withdrawal")]
    assert steps and all(e.modality == "denied" for e in steps)


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("Some of the anti-personnel mines could be exported to Ukraine, Poland said.", "transfer_planned"),
        ("Latvia would lay anti-personnel mines along its border with Russia if needed.", "deployment_planned"),
        ("Lithuania's output of anti-personnel mines depends on production capacity.", "production_planned"),
    ],
)
def test_hedges_and_conditions_are_possible(text: str, event_type: str) -> None:
    found = only(events_of(text), event_type)
    assert found and all(e.modality == "possible" for e in found)


def test_future_and_past_tense_resolve_a_bare_month_to_either_side_of_publication() -> None:
    future = events_of("The Ottawa Convention is under strain. Poland's withdrawal will take effect in February.")
    past = events_of("The Ottawa Convention is under strain. Poland notified the United Nations of its withdrawal in August.")
    assert [(e.type, e.date, e.modality) for e in only(future, "treaty_withdrawal_effective")] == [
        ("treaty_withdrawal_effective", "2026-02", "planned")
    ]
    assert [(e.type, e.date, e.modality) for e in only(past, "treaty_withdrawal_notified")] == [
        ("treaty_withdrawal_notified", "2025-08", "asserted")
    ]


def test_next_year_is_resolved_against_publication() -> None:
    events = events_of("Estonia will start producing anti-personnel mines next year.", published="2025-12-18")
    assert [(e.type, e.date, e.modality) for e in events] == [("production_planned", "2026", "planned")]


def test_one_sentence_with_two_actors_gives_two_events() -> None:
    events = events_of("Lithuania and Finland said they would start producing mines next year.")
    produced = only(events, "production_planned")
    assert sorted(e.actor_iso3 for e in produced) == ["FIN", "LTU"]
    assert {(e.date, e.modality, e.weapon) for e in produced} == {("2026", "planned", "anti-personnel mine")}


def test_reciprocal_accusations_give_one_alleged_use_per_side() -> None:
    text = (
        "Fighting between Russia and Ukraine continued on Tuesday. "
        "Each side has accused the other of using anti-personnel landmines."
    )
    uses = only(events_of(text), "use_alleged")
    assert sorted((e.actor_iso3, e.attributed_to) for e in uses) == [
        ("RUS", "state:UKR"),
        ("UKR", "state:RUS"),
    ]
    assert {e.modality for e in uses} == {"alleged"}


def test_a_named_accuser_is_the_attribution() -> None:
    events = events_of("Thailand accused Cambodia of laying new anti-personnel mines near the border.")
    assert [(e.type, e.actor_iso3, e.attributed_to) for e in only(events, "use_alleged")] == [
        ("use_alleged", "KHM", "state:THA")
    ]


def test_capacity_keeps_its_rate() -> None:
    events = events_of("The Belma plant can produce 100,000 anti-tank mines a year, the company said.")
    capacity = only(events, "production_capacity")
    assert len(capacity) == 1
    assert capacity[0].weapon == "anti-tank mine"
    assert capacity[0].quantity is not None and capacity[0].quantity["value"] == 100000
    assert capacity[0].quantity["per"] == "year"
    assert capacity[0].actor == "org:belma" and capacity[0].actor_iso3 == "POL"


def test_a_group_name_stands_for_its_member_states() -> None:
    text = (
        "The Ottawa Convention has 166 parties. "
        "The Baltic states deposited their instruments of withdrawal with the United Nations on 27 June."
    )
    notified = only(events_of(text, published="2025-12-27"), "treaty_withdrawal_notified")
    assert sorted(e.actor_iso3 for e in notified) == ["EST", "LTU", "LVA"]
    assert {e.date for e in notified} == {"2025-06-27"}


def test_according_to_names_the_source() -> None:
    text = "According to the Landmine Monitor, Russia used anti-personnel mines in the Kharkiv region in 2024."
    uses = [e for e in events_of(text) if e.type.startswith("use_")]
    assert [(e.type, e.actor_iso3, e.attributed_to) for e in uses] == [
        ("use_confirmed", "RUS", "org:landmine-monitor")
    ]


def test_evidence_is_the_sentence_and_its_span() -> None:
    text = "The treaty is old. Poland ratified the Ottawa Convention in 2012."
    (event,) = only(events_of(text), "treaty_joined")
    start, end = event.evidence.span
    assert text[start:end].strip() == event.evidence.sentence.strip() == "Poland ratified the Ottawa Convention in 2012."
    assert 0 < event.confidence <= 1


def test_the_states_of_a_move_to_leave_each_announce_it() -> None:
    text = "Rights groups were dismayed by the moves of Lithuania, Latvia and Estonia to quit the Ottawa Convention."
    actors = {e.actor_iso3 for e in only(events_of(text), "treaty_withdrawal_announced")}
    assert actors == {"LTU", "LVA", "EST"}


def test_a_verbless_list_of_figures_gives_one_report_per_state() -> None:
    text = (
        "Landmines killed or injured 1,200 people in 2023, the monitor said. "
        "Yemen recorded 410, Iraq 298 and Sudan 150."
    )
    by_state = {e.actor_iso3: (e.quantity or {}).get("value") for e in only(events_of(text), "casualties_reported") if e.actor_iso3}
    assert by_state == {"YEM": 410, "IRQ": 298, "SDN": 150}


def test_a_recorded_figure_is_no_casualty_report_outside_a_casualty_story() -> None:
    text = "Poland recorded 410 anti-personnel mines in its stockpile, Iraq 298."
    assert only(events_of(text), "casualties_reported") == []


def test_a_state_after_a_preposition_does_not_take_a_gapped_figure() -> None:
    text = "Landmines killed 1,200 people in 2023. Yemen recorded 410 casualties, twice as many as in Iraq 2022."
    assert {e.actor_iso3 for e in only(events_of(text), "casualties_reported") if e.actor_iso3} == {"YEM"}


def test_weighing_a_similar_step_to_an_approved_exit_is_a_possible_announcement() -> None:
    text = (
        "Latvia's parliament voted on Thursday to leave the Ottawa Convention. "
        "Norway is weighing a similar step, officials in Oslo said."
    )
    steps = [(e.type, e.modality, e.treaty) for e in events_of(text) if e.actor_iso3 == "NOR"]
    assert steps == [("treaty_withdrawal_announced", "possible", "APMBT")]


def test_a_similar_step_with_no_treaty_step_before_it_is_no_event() -> None:
    text = "Norway is weighing a similar step on anti-personnel mines, officials in Oslo said."
    assert [e for e in events_of(text) if e.type.startswith("treaty_")] == []


def test_a_ranking_does_not_take_the_date_of_the_states_it_lists() -> None:
    text = (
        "Poland's withdrawal from the Ottawa Convention took effect on 20 February. "
        "Poland is the fifth country to leave the treaty, after Estonia and Latvia in December."
    )
    effective = {(e.actor_iso3, e.date) for e in only(events_of(text, "2026-02-21"), "treaty_withdrawal_effective")}
    assert effective == {("POL", "2026-02-20"), ("EST", "2025-12"), ("LVA", "2025-12")}


def test_two_approvals_of_one_exit_stay_two_events() -> None:
    text = (
        "Estonia's parliament approved the law to leave the Ottawa Convention on 12 May. "
        "The president must still sign the law before it can leave the treaty."
    )
    assert len(only(events_of(text, "2025-05-13"), "treaty_withdrawal_approved")) == 2
