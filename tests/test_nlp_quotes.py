"""Quotes: every quotation-mark style, nesting, spans over sentences, speakers, indirect speech."""

from __future__ import annotations

import pytest
from nlp_helpers import run

from treatywatch.nlp.quotemarks import find_quote_spans

LEAD = "Deputy Defence Minister Pavel Zalewski spoke in Warsaw on Monday. "


@pytest.mark.parametrize(("open_", "close"), [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"),
                                              ("‘", "’"), ("„", "”")])
def test_every_quotation_mark_style(open_: str, close: str) -> None:
    a = run(f"{LEAD}{open_}We have no choice but to leave the treaty,{close} he said.")
    assert [(q.text, q.kind, q.speaker, q.cue) for q in a.quotes] == [
        ("We have no choice but to leave the treaty", "direct", "person:pavel-zalewski", "said")]


def test_quote_span_points_at_the_text() -> None:
    a = run(f"{LEAD}“We have no choice,” he said.")
    quote = a.quotes[0]
    assert a.article.text[quote.span[0]:quote.span[1]] == quote.text == "We have no choice"


def test_apostrophes_are_not_quotes() -> None:
    assert find_quote_spans("Ukraine’s army and Poland’s don’t matter; the ’90s were calm.") == []


def test_nested_quote_stays_inside_the_outer_quote() -> None:
    a = run(f"{LEAD}“The so-called ‘suspension’ has no basis in the treaty,” Zalewski said.")
    assert len(a.quotes) == 1
    assert a.quotes[0].text == "The so-called ‘suspension’ has no basis in the treaty"
    assert a.quotes[0].speaker == "person:pavel-zalewski"


def test_quote_spanning_sentences_and_speaker_after() -> None:
    a = run(f"{LEAD}\"Nobody will lay mines in peacetime. They will be stored. We are ready,\" said Zalewski.")
    assert [(q.text.count("."), q.speaker) for q in a.quotes] == [(2, "person:pavel-zalewski")]


def test_quote_split_by_the_cue_keeps_the_speaker() -> None:
    a = run(f"{LEAD}“We want production to start soon,” Zalewski said. “The first mines will go east.”")
    assert [(q.text, q.speaker) for q in a.quotes] == [
        ("We want production to start soon", "person:pavel-zalewski"),
        ("The first mines will go east.", "person:pavel-zalewski")]


def test_speaker_before_the_quote_with_colon() -> None:
    a = run("Finnish President Alexander Stubb was clear: “Finland must be able to defend itself.”")
    assert [(q.kind, q.speaker) for q in a.quotes] == [("direct", "person:alexander-stubb")]


def test_pronoun_speaker_is_resolved_to_the_entity() -> None:
    a = run("Jane Smith of the ICBL criticised the plan. “It is a step back,” she told reporters.")
    assert [(q.speaker, q.speaker_name, q.cue) for q in a.quotes] == [
        ("person:jane-smith", "Jane Smith", "told")]


def test_speaker_named_two_sentences_earlier() -> None:
    text = ("Pavel Zalewski visited the Belma plant on Monday. The workers were waiting. "
            "“This factory will make history.”")
    a = run(text)
    assert [(q.kind, q.speaker) for q in a.quotes] == [("direct", "person:pavel-zalewski")]


def test_partial_quote_inside_a_sentence() -> None:
    a = run("Adam Kowalski of Human Rights Watch called the decision “a historic mistake” on Tuesday.")
    assert [(q.text, q.kind, q.speaker) for q in a.quotes] == [
        ("a historic mistake", "partial", "person:adam-kowalski")]


def test_according_to() -> None:
    a = run("According to Landmine Monitor, “casualties rose sharply in 2024 across the region”.")
    assert [(q.speaker, q.cue) for q in a.quotes] == [("org:landmine-monitor", "according to")]


def test_indirect_speech() -> None:
    a = run(f"{LEAD}Zalewski said Poland would start production next year.")
    indirect = [q for q in a.quotes if q.kind == "indirect"]
    assert [(q.text, q.speaker, q.cue) for q in indirect] == [
        ("Poland would start production next year", "person:pavel-zalewski", "said")]


def test_scare_quotes_without_speaker_are_not_quotes() -> None:
    a = run("The “East Shield” programme covers the border.")
    assert a.quotes == ()


def test_relative_pronoun_subject_is_the_noun_it_stands_for() -> None:
    a = run("The bill now goes to President Andrzej Duda, who has said he supports it.")
    assert [(q.text, q.speaker) for q in a.quotes] == [("he supports it", "person:andrzej-duda")]


def test_apposition_subject_prefers_the_person() -> None:
    a = run("GENEVA, July 2 - The United Nations human rights chief, Volker Turk, said on Wednesday "
            "that he was deeply worried by the moves.")
    assert [q.speaker for q in a.quotes] == ["person:volker-turk"]


def test_partial_quote_speaker_comes_from_the_cue_before_it() -> None:
    a = run("Lloyd Austin told reporters that the mines were “safe after some days”, meaning they switch "
            "off, and said Ukraine had made commitments.")
    partial = [q for q in a.quotes if q.kind == "partial"]
    assert [(q.text, q.speaker) for q in partial] == [("safe after some days", "person:lloyd-austin")]


def test_one_and_two_word_quotations_are_not_quotes() -> None:
    a = run("Lloyd Austin told reporters that the mines were “non-persistent” and the plan “a gamble”.")
    assert [q for q in a.quotes if q.kind != "indirect"] == []


def test_quoted_names_are_not_quotes() -> None:
    a = run("The rebels, part of the “Northern Hills Alliance”, said they had lost a village.")
    assert [q for q in a.quotes if q.kind != "indirect"] == []


def _direct(text: str) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_name) for q in run(text).quotes if q.kind != "indirect"]


def test_ministry_speaker_is_the_ministry_acting_for_its_state() -> None:
    text = "A statement from Norway’s foreign ministry said the blast “broke every rule of the treaty”."
    assert _direct(text) == [("state:NOR", "Norway’s foreign ministry")]


def test_statement_speaker_is_its_issuer() -> None:
    text = "The navy’s statement said the vessel “was hit by an old mine near the coast”."
    assert [name for _, name in _direct(text)] == ["navy"]


def test_bare_definite_body_takes_its_earlier_full_name() -> None:
    text = ("The district office of the Upper Valley region said the road “was closed for the whole day”. "
            "Later the office said “the road has reopened to all traffic”.")
    assert [name for _, name in _direct(text)] == ["district office of the Upper Valley region"] * 2


def test_it_added_continues_the_quoted_body() -> None:
    text = ("The water board said the flood “reached the old town by noon”. "
            "The damage “will take many months to repair”, it added.")
    assert [name for _, name in _direct(text)] == ["water board"] * 2


def test_interview_medium_is_not_the_speaker() -> None:
    text = "Anna Kowalczyk said in an interview with Radio Nord: “We will not sign the new treaty.”"
    assert _direct(text) == [("person:anna-kowalczyk", "Anna Kowalczyk")]


def test_given_name_alone_refers_to_the_full_name() -> None:
    text = ("Foreign Minister Somchai Rattanakorn spoke in Geneva. "
            "“We have clear evidence of new mines,” Somchai told reporters.")
    assert _direct(text) == [("person:somchai-rattanakorn", "Somchai Rattanakorn")]


def test_person_named_after_the_quote_before_the_verb() -> None:
    text = ("Rescuers worked all night. “All the workers are safe and at home now,” Bohdan Kravets, "
            "head of the city council, said in a post.")
    assert [name for _, name in _direct(text)] == ["Bohdan Kravets"]


def test_title_subject_is_the_person_given_that_title() -> None:
    text = ("Deputy Defence Minister Pavel Zalewski visited the plant. The weather was cold. "
            "The deputy minister said the plant “will start work next spring”.")
    assert _direct(text) == [("person:pavel-zalewski", "Pavel Zalewski")]


def test_short_quote_with_a_cue_passes_its_speaker_to_the_next_quote() -> None:
    text = "“Talks suspended,” the navy said. “The other side has clearly broken every promise.”"
    assert [name for _, name in _direct(text)] == ["navy"]


def test_honorific_periods_do_not_end_the_frame() -> None:
    text = "“The evidence shows new mines were laid,” Maj. Gen. Arun Chaiyo said in a statement."
    assert [name for _, name in _direct(text)] == ["Arun Chaiyo"]


def test_statement_named_by_its_body_as_compound() -> None:
    text = "A Health Ministry statement on its website stressed, “Four more farmers were hurt this week.”"
    assert [name for _, name in _direct(text)] == ["Health Ministry"]


def test_bare_expert_is_the_person_named_last() -> None:
    text = ("Hanna Lind, who directs a demining charity, visited the site. "
            "The expert said mines “cannot tell a soldier from a child”.")
    assert _direct(text) == [("person:hanna-lind", "Hanna Lind")]


def test_indefinite_title_introduces_someone_new() -> None:
    text = ("Hanna Lind visited the site. The mayor of a nearby village said: “Nobody here feels safe anymore.”")
    assert [name for _, name in _direct(text)] != ["Hanna Lind"]


def test_plural_title_is_not_one_person() -> None:
    text = ("Defence Minister Piotr Nowak met his colleagues. The ministers said the treaty “no longer fits our region”.")
    assert [name for _, name in _direct(text)] == ["The ministers"]
