"""Precision on look-alikes: pits, sports, other treaties, clearance; weapon classes apart."""

from __future__ import annotations

import pytest

from treatywatch.events import WEAPON_CLASSES, detect_events
from treatywatch.models import Article, Event, article_id_for
from treatywatch.nlp import analyse


def events_of(text: str, published: str = "2025-10-16") -> list[Event]:
    return detect_events(analyse(Article(id=article_id_for(text), text=text, published=published)))


@pytest.mark.parametrize(
    "text",
    [
        "Two miners were killed in a methane blast at a coal mine in Silesia on Tuesday. "
        "The company said it would resume production at the mine next week.",
        "Northbay Gold will spend 420 million euros to expand its gold mine in Lapland and "
        "plans to produce 200,000 ounces a year from 2027.",
        "The tennis player withdrew from the Warsaw Open with a shoulder injury and will leave "
        "the tour for a month.",
        "The United States withdrew from the Paris climate agreement in January, the White House said.",
        "Sappers cleared 300 old mines left from the Second World War near Gdansk, the army said.",
        "A deminer was injured while clearing mines from a field near Kharkiv, the mine action centre said.",
        "The decision is mine, the coach said, and the team will leave the league next season.",
    ],
)
def test_no_weapons_or_treaty_event_from_look_alikes(text: str) -> None:
    assert events_of(text) == []


def test_anti_tank_and_anti_personnel_mines_are_told_apart() -> None:
    events = events_of(
        "Belma will raise its output of anti-tank mines this year. "
        "It will also start producing anti-personnel mines once the law allows it."
    )
    assert {e.weapon for e in events} == {"anti-tank mine", "anti-personnel mine"}
    assert all(e.weapon in WEAPON_CLASSES for e in events)


def test_naval_mines_are_their_own_class() -> None:
    events = events_of("Sweden plans to buy 400 naval mines to protect its harbours, the defence ministry said.")
    assert [(e.type, e.actor_iso3, e.weapon) for e in events] == [("acquisition_planned", "SWE", "naval mine")]


def test_cluster_munitions_are_their_own_class() -> None:
    events = events_of("The United States approved the transfer of cluster munitions to Ukraine in July 2023.")
    transfers = [e for e in events if e.type.startswith("transfer")]
    assert [(e.type, e.actor_iso3, e.weapon, e.recipient) for e in transfers] == [
        ("transfer_delivered", "USA", "cluster munition", "state:UKR")
    ]


def test_a_bare_mine_takes_the_class_named_before_it() -> None:
    events = events_of(
        "Nordmark makes anti-tank mines near Kongsberg. The company will double production of the mines by 2030."
    )
    assert {e.weapon for e in events} == {"anti-tank mine"}


def test_an_unrelated_treaty_named_beside_a_mine_treaty_is_not_taken() -> None:
    events = events_of(
        "Lithuania left the Ottawa Convention in December. "
        "Separately, the United States withdrew from the Paris climate agreement."
    )
    assert {(e.actor_iso3, e.treaty) for e in events} == {("LTU", "APMBT")}
