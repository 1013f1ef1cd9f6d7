"""Linked entities, one per real-world thing, pronouns and roles (treatywatch.nlp)."""

from __future__ import annotations

import csv
import re

import pytest
from nlp_helpers import entity_for, mention_texts, run

from treatywatch.nlp.names import name_key, similar_given_names, slug
from treatywatch.nlp.resources import data_path, fold, load_gazetteer


def test_gazetteer_beats_statistical_ner_for_arms_maker() -> None:
    a = run("Belma said on Monday it had doubled its output. Belma employs 800 people.")
    belma = entity_for(a, "Belma")
    assert belma is not None
    assert (belma.id, belma.type) == ("org:belma", "ORG")
    assert len(belma.mentions) == 2


@pytest.mark.parametrize(("surface", "expected"), [
    ("Warsaw", "state:POL"), ("Polish", "state:POL"), ("Kyiv", "state:UKR"),
    ("Moscow", "state:RUS"), ("Lithuanian", "state:LTU"),
])
def test_capitals_and_demonyms_resolve_to_the_state(surface: str, expected: str) -> None:
    a = run(f"{surface} reacted angrily to the decision, an adviser said.")
    entity = entity_for(a, surface)
    assert entity is not None and entity.id == expected and entity.type == "STATE"
    assert entity.iso3 == expected.split(":")[1]


def test_polish_adjective_and_capital_join_the_state_entity() -> None:
    a = run("Poland wants to leave. Warsaw says the Polish army needs mines.")
    poland = [e for e in a.entities if e.id == "state:POL"]
    assert len(poland) == 1
    assert mention_texts(a, poland[0]) == ["Poland", "Warsaw", "Polish"]


def test_capital_after_a_locative_is_the_city() -> None:
    a = run("Helsinki wants to leave the treaty, officials in Helsinki said.")
    first, second = (a.entity_at(m.start(), m.end()) for m in re.finditer("Helsinki", a.article.text))
    assert first is not None and first.id == "state:FIN"
    assert second is not None and (second.id, second.type) == ("place:helsinki", "PLACE")


def test_all_caps_dateline_is_the_state() -> None:
    a = run("WARSAW, Dec 17 (Nordic Wire) - Poland will produce mines.")
    assert entity_for(a, "WARSAW").id == "state:POL"  # type: ignore[union-attr]


def test_kaliningrad_is_a_place_not_a_state() -> None:
    a = run("Russia keeps troops in Kaliningrad, the exclave between Poland and Lithuania.")
    entity = entity_for(a, "Kaliningrad")
    assert entity is not None and (entity.id, entity.type) == ("place:kaliningrad", "PLACE")


@pytest.mark.parametrize(("surface", "treaty"), [
    ("Ottawa Convention", "treaty:APMBT"), ("Mine Ban Treaty", "treaty:APMBT"),
    ("1997 treaty banning anti-personnel mines", "treaty:APMBT"), ("Oslo Convention", "treaty:CCM"),
    ("Convention on Cluster Munitions", "treaty:CCM"), ("Arms Trade Treaty", "treaty:ATT"),
    ("Chemical Weapons Convention", "treaty:CWC"), ("NPT", "treaty:NPT"),
])
def test_treaty_aliases(surface: str, treaty: str) -> None:
    a = run(f"Estonia said it would stay in the {surface} for now.")
    entity = entity_for(a, surface)
    assert entity is not None and (entity.id, entity.type) == (treaty, "TREATY")


def test_weapons_singular_and_plural_are_one_weapon() -> None:
    a = run("Anti-personnel mines were banned. Each anti-personnel mine costs little; landmines kill.")
    mines = [e for e in a.entities if e.id == "weapon:anti-personnel-mine"]
    assert len(mines) == 1 and mines[0].type == "WEAPON" and len(mines[0].mentions) == 3
    b = run("Russia used cluster munitions and anti-tank mines near Kharkiv.")
    ids = {e.id for e in b.entities}
    assert {"weapon:cluster-munition", "weapon:anti-tank-mine", "place:kharkiv"} <= ids


def test_person_variants_and_pronoun_are_one_entity() -> None:
    text = ("Deputy Defence Minister Pavel Zalewski visited the plant on Monday. "
            "Paweł Zalewski later met workers. Mr Zalewski praised them. "
            "Zalewski said he was proud of the factory.")
    a = run(text)
    people = [e for e in a.entities if e.type == "PERSON"]
    assert len(people) == 1
    person = people[0]
    assert person.id == "person:pavel-zalewski"
    texts = mention_texts(a, person)
    assert texts.count("Zalewski") == 2 and "Paweł Zalewski" in texts and "Pavel Zalewski" in texts
    assert texts[-1] == "he"


def test_pronoun_prefers_the_subject_and_respects_gender() -> None:
    text = ("Defence Minister Anna Kowalska met Pavel Zalewski in Warsaw. She said the plant would open. "
            "Mr Zalewski said he agreed.")
    a = run(text)
    kowalska = entity_for(a, "Anna Kowalska")
    zalewski = entity_for(a, "Pavel Zalewski")
    assert kowalska is not None and zalewski is not None and kowalska.id != zalewski.id
    she = text.index("She")
    he = text.index(" he ") + 1
    assert a.entity_at(she, she + 3) == kowalska
    assert a.entity_at(he, he + 2) == zalewski


def test_definite_descriptions_refer_to_the_last_named_treaty_and_mine() -> None:
    text = ("Poland left the Ottawa Convention. The treaty bans anti-personnel mines, and mines "
            "remain in the ground. The convention has 164 members.")
    a = run(text)
    treaty = a.entity("treaty:APMBT")
    mine = a.entity("weapon:anti-personnel-mine")
    assert treaty is not None and mention_texts(a, treaty) == ["Ottawa Convention", "The treaty", "The convention"]
    assert mine is not None and mention_texts(a, mine) == ["anti-personnel mines", "mines"]


def test_context_retypes_statistical_ner() -> None:
    a = run("Estonian Defence Minister Hanno Pevkur spoke in Narva. Northbay Gold said output rose.")
    assert entity_for(a, "Hanno Pevkur").type == "PERSON"  # type: ignore[union-attr]
    assert entity_for(a, "Northbay Gold").type == "ORG"  # type: ignore[union-attr]


def test_transliteration_tolerant_names() -> None:
    a = run("Volodymyr Zelensky spoke in Kyiv. President Zelenskyy later said the plan stood. "
            "Zelenskiy did not elaborate.")
    people = [e for e in a.entities if e.type == "PERSON"]
    assert len(people) == 1 and len(people[0].mentions) == 3


@pytest.mark.parametrize(("text", "title", "of"), [
    ("Deputy Defense Minister Pavel Zalewski said production would start.", "Deputy Defense Minister", None),
    ("Belma CEO Jaroslaw Zakrzewski said the plant was ready.", "CEO", "org:belma"),
    ("Pavel Zalewski, Poland's deputy defence minister, said production would start.",
     "deputy defence minister", "state:POL"),
    ("Jaroslaw Zakrzewski, the chief executive of Belma, said the plant was ready.",
     "chief executive", "org:belma"),
    ("Polish Deputy Defence Minister Pavel Zalewski said production would start.",
     "Deputy Defence Minister", "state:POL"),
    ("Poland will make mines, Deputy Defence Minister Pavel Zalewski said, and Ukraine may buy them.",
     "Deputy Defence Minister", "state:POL"),
    ("Belma expects to make mines soon, chief executive Jaroslaw Zakrzewski said.",
     "chief executive", "org:belma"),
])
def test_roles_from_titles_and_appositions(text: str, title: str, of: str | None) -> None:
    a = run(text)
    people = [e for e in a.entities if e.type == "PERSON"]
    assert len(people) == 1
    assert [(r.title, r.of) for r in people[0].roles] == [(title, of)]


def test_roles_merge_spelling_variants_and_keep_the_owner() -> None:
    a = run("Deputy Defense Minister Pavel Zalewski spoke. Zalewski, Poland's deputy defence minister, "
            "said more.")
    person = next(e for e in a.entities if e.type == "PERSON")
    assert [(r.title, r.of) for r in person.roles] == [("Deputy Defense Minister", "state:POL")]


def test_entity_ids_and_types_follow_the_contract() -> None:
    a = run("Human Rights Watch and the ICRC urged Finland, whose president Alexander Stubb "
            "backed the exit, to stay in the Ottawa Convention.")
    prefixes = {"STATE": "state:", "ORG": "org:", "PERSON": "person:", "TREATY": "treaty:",
                "PLACE": "place:", "WEAPON": "weapon:"}
    assert a.entities
    for entity in a.entities:
        assert entity.id.startswith(prefixes[entity.type])
        assert list(entity.mentions) == sorted(entity.mentions)
    assert len({e.id for e in a.entities}) == len(a.entities)
    assert {"org:hrw", "org:icrc", "state:FIN", "treaty:APMBT"} <= {e.id for e in a.entities}


def test_state_list_covers_all_197_treaty_states() -> None:
    with data_path("states.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 197 == len({r["iso3"] for r in rows})
    assert {"VAT", "PSE", "COK", "NIU", "USA", "RUS", "CHN"} <= {r["iso3"] for r in rows}
    states = [e for e in load_gazetteer() if e.type == "STATE"]
    assert all(e.id == f"state:{e.iso3}" for e in states)


def test_name_keys_fold_accents_and_transliteration() -> None:
    assert fold("Paweł Żółć") == "pawel zolc"
    assert name_key("Paweł") == name_key("Pavel")
    assert name_key("Zelenskyy") == name_key("Zelensky") == name_key("Zelenskiy")
    assert similar_given_names("j", "jaroslav") and not similar_given_names("anna", "pavel")
    assert slug("Jarosław Zakrzewski") == "jaroslaw-zakrzewski"
