"""The error classes of issue 11 (extraction on real news), each pinned with sentences written
for these tests, typed as ANNOTATION's rules say."""

from __future__ import annotations

from treatywatch.events import detect_events
from treatywatch.models import Article, Event, article_id_for
from treatywatch.nlp import analyse


def events_of(text: str, published: str = "2025-12-18") -> list[Event]:
    return detect_events(analyse(Article(id=article_id_for(text), text=text, published=published)))


def steps(text: str) -> set[tuple[str, str | None, str]]:
    return {(e.type, e.actor_iso3 or e.actor, e.modality) for e in events_of(text)}


def test_withdrew_is_the_effective_exit_for_every_coordinated_state() -> None:
    text = "Before that, Norway, Sweden and Denmark withdrew from the Ottawa Convention."
    assert steps(text) == {("treaty_withdrawal_effective", iso3, "asserted") for iso3 in ("NOR", "SWE", "DNK")}


def test_has_withdrawn_is_the_effective_exit() -> None:
    assert steps("Croatia has withdrawn from the Mine Ban Treaty.") == {
        ("treaty_withdrawal_effective", "HRV", "asserted")
    }


def test_wanting_to_withdraw_is_not_the_exit_itself() -> None:
    text = "Hungary decided last year to withdraw from the Ottawa Convention."
    assert "treaty_withdrawal_effective" not in {t for t, _, _ in steps(text)}


def test_never_signed_is_not_a_membership_event() -> None:
    text = "Both Chile and Peru have never signed the Convention on Cluster Munitions."
    assert not [e for e in events_of(text) if e.type == "treaty_joined"]


def test_neither_nor_ratified_is_not_a_membership_event() -> None:
    text = "Neither Egypt nor Israel has ever ratified the Mine Ban Treaty, officials noted."
    assert not [e for e in events_of(text) if e.type == "treaty_joined"]


def test_not_a_party_is_not_a_membership_event() -> None:
    assert not events_of("Egypt is not a party to the Ottawa Convention.")


def test_being_a_signatory_is_membership_background() -> None:
    assert steps("Moldova is a signatory to the Ottawa Convention.") == {("treaty_joined", "MDA", "asserted")}


def test_which_is_a_party_is_membership_background_without_a_date() -> None:
    events = events_of("Georgia, which is a party to the Mine Ban Treaty, said nothing.")
    assert [(e.type, e.actor_iso3, e.date) for e in events] == [("treaty_joined", "GEO", None)]


def test_as_a_party_is_how_a_state_speaks_not_a_step() -> None:
    text = "As a state party to the Ottawa Convention, Ireland was informed of the decision by the UN."
    assert not [e for e in events_of(text) if e.type == "treaty_joined"]


def test_ceasing_to_be_a_party_is_not_joining() -> None:
    text = "On Saturday, Norway and Sweden stopped being parties to the Mine Ban Treaty."
    assert "treaty_joined" not in {t for t, _, _ in steps(text)}


def test_denied_past_laying_is_a_denied_use_by_the_denier() -> None:
    text = "Chile denied it had placed any new anti-personnel mines near the border."
    assert ("use_alleged", "CHL", "denied") in steps(text)
    assert "deployment_planned" not in {t for t, _, _ in steps(text)}


def test_no_intention_of_laying_mines_stays_a_plan_not_a_use() -> None:
    text = "Peru said it had no intention of laying anti-personnel mines in peacetime."
    assert "use_alleged" not in {t for t, _, _ in steps(text)}


def test_what_a_treaty_forbids_is_no_step() -> None:
    text = "The Mine Ban Treaty prohibits all use, production, transfer and stockpiling of anti-personnel mines."
    assert not events_of(text)


def test_a_treaty_banning_transfers_gives_only_the_withdrawal() -> None:
    text = ("Chile announced its intention to withdraw from the Ottawa Convention, a treaty banning the use, "
            "production and transfer of anti-personnel mines.")
    assert {t for t, _, _ in steps(text)} == {"treaty_withdrawal_announced"}


def test_what_a_treaty_requires_is_no_step() -> None:
    text = "The Ottawa Convention bans anti-personnel mines and requires states parties to destroy their stockpiles."
    assert not events_of(text)


def test_words_inside_a_treaty_name_are_no_steps() -> None:
    text = ("Peru withdrew from the Convention on the Prohibition of the Use, Stockpiling, Production and "
            "Transfer of Anti-Personnel Mines and on their Destruction.")
    assert {t for t, _, _ in steps(text)} == {"treaty_withdrawal_effective"}


def test_casualties_belong_to_the_state_where_they_occurred() -> None:
    text = "A Russian cluster munition strike killed seven people in Ukraine, officials said."
    assert [(e.type, e.actor_iso3) for e in events_of(text)] == [("casualties_reported", "UKR")]


def test_a_state_recording_its_casualties_is_their_actor() -> None:
    events = events_of("In 2023, Laos recorded 310 casualties from cluster munitions.")
    assert [(e.type, e.actor_iso3) for e in events] == [("casualties_reported", "LAO")]


def test_a_global_figure_is_the_monitors() -> None:
    text = "Landmines killed 1,500 people worldwide and injured 3,100 in 2023, the Landmine Monitor said."
    assert [(e.type, e.actor) for e in events_of(text)] == [("casualties_reported", "org:landmine-monitor")]


def test_mines_laid_at_sea_are_not_land_mines() -> None:
    assert not events_of("Iran laid mines in the strait, the navy said.")


def test_bitcoin_mining_is_a_lookalike() -> None:
    assert not events_of("Bitcoin miners will produce more coins next year as the mining difficulty falls.")


def test_no_actor_drift_from_a_sentence_naming_several_states() -> None:
    text = ("Latvia and Estonia left the Ottawa Convention in December. "
            "Production of anti-personnel mines could begin after the six-month period ends.")
    assert not [e for e in events_of(text) if e.type.startswith("production")]


def test_a_subject_naming_nobody_does_not_borrow_the_last_state() -> None:
    text = ("Greece is a party to the Ottawa Convention. "
            "Some European nations threatened by Russia pull out of the Ottawa Convention.")
    assert not [e for e in events_of(text) if e.type.startswith("treaty_withdrawal")]


def test_the_step_as_subject_still_refers_back_to_the_one_state() -> None:
    text = ("Croatia notified the United Nations of its withdrawal from the Ottawa Convention in March. "
            "The withdrawal becomes effective on 20 September 2025.")
    effective = [e for e in events_of(text) if e.type == "treaty_withdrawal_effective"]
    assert [(e.actor_iso3, e.date) for e in effective] == [("HRV", "2025-09-20")]


def test_a_wounded_soldier_of_a_named_state_is_a_casualty_report() -> None:
    text = "A Chilean soldier was wounded by a landmine near the border on Tuesday."
    assert [(e.type, e.actor_iso3) for e in events_of(text)] == [("casualties_reported", "CHL")]


def test_following_later_repeats_the_last_step_for_the_new_state() -> None:
    text = ("Last month, Chile and Peru announced they would withdraw from the Ottawa Convention. "
            "Bolivia followed several weeks later.")
    assert ("treaty_withdrawal_announced", "BOL", "asserted") in steps(text)


def test_an_article_whose_only_mine_word_is_the_pronoun_holds_no_event() -> None:
    text = "A friend of mine told me Poland plans to produce them in large numbers at a new plant next year."
    assert events_of(text) == []


def test_an_article_whose_only_mine_word_is_a_figure_of_speech_holds_no_event() -> None:
    text = ("That idea of mine is simple, the senator said. Our number one export cannot be topsoil, "
            "and Brazil will export more of them next year.")
    assert events_of(text) == []


def test_plural_mines_still_carry_the_weapon_to_a_later_sentence() -> None:
    text = "The rebels used mines along the road, the army said. Poland plans to produce them at a new plant next year."
    assert ("production_planned", "POL", "planned") in steps(text)
