"""The signature that survives rewriting and translation (issue 12): each signal, then the rules
that use it. All texts are written here."""

from __future__ import annotations

from treatywatch.models import Article, Source, article_id_for
from treatywatch.provenance import StoredStoryMember, StoryIndex
from treatywatch.provenance.fingerprint import Fingerprint, fingerprint
from treatywatch.provenance.signature import (
    date_keys,
    name_keys,
    published_key,
    sentence_keys,
    skeleton,
    title_of,
)
from treatywatch.provenance.similarity import Match, align, compare

# A wire report and a machine translation of it back into English from another language: few
# word pairs survive, names are transliterated differently, a figure changes units, the order stays.
WIRE = """Poland to build mine belt along eastern border

WARSAW, March 12 - Poland will lay anti-personnel mines along parts of its border with Russia and Belarus within two years, Defence Minister Wladyslaw Kosiniak-Kamysz said on Wednesday, a week after parliament voted to leave the Ottawa Convention.
The plan, part of the East Shield programme, will cost about 2,450 million zlotys and cover 700 kilometres of the frontier, Kosiniak-Kamysz told a news conference in Warsaw.
Engineers from the 1st Engineer Brigade will begin surveying the first sections in the Podlasie region in May, the minister said.
Ukraine's President Volodymyr Zelensky welcomed the decision in a telephone call with Prime Minister Donald Tusk, according to a statement from the prime minister's office.
Human rights groups criticised the plan and said mines would kill civilians for decades after any war had ended."""

TRANSLATED = """Poland will build a belt of mines on its eastern frontier

The defence minister Vladislav Kosinyak-Kamysh announced on Wednesday that within two years Poland is going to place antipersonnel mines on sections of the border with Russia and Belarus, one week after the deputies decided on the exit from the Ottawa Convention.
According to Kosinyak-Kamysh, speaking at a press conference in Warsaw, the project belongs to the East Shield programme, costs approximately 2.45 billion zlotys and covers 700 kilometres of frontier.
Specialists of the 1st Engineer Brigade in May start to survey the first sections in the region of Podlasie, he specified.
The Ukrainian leader Vladimir Zelenskyy welcomed the decision during a phone conversation with premier Donald Tusk, the press service of the prime minister reported.
Defenders of human rights condemned the plan, stating mines will kill civilians for decades after the end of any war."""

# Another report on the same topic from the same week: same names, same background, its own news.
OTHER_REPORT = """Lithuania starts buying anti-personnel mines

VILNIUS, March 14 - Lithuania signed a contract on Friday for its first anti-personnel mines since it left the Ottawa Convention, Defence Minister Dovile Sakaliene said, adding that Poland and the Baltic states were coordinating their border plans.
The order, worth 31 million euros, will be delivered over three years, the ministry said in a statement.
Sakaliene said Lithuania would not lay mines in peacetime but needed stocks ready along the border with Russia and Belarus.
Poland's Defence Minister Wladyslaw Kosiniak-Kamysz said earlier this week that Poland would lay mines under the East Shield programme.
Human rights groups said the decision undermined a treaty that had saved thousands of lives."""

# An update that reuses the first report's paragraphs under a new lead, nine days later.
UPDATE = """Polish president signs mine law

WARSAW - President Andrzej Duda signed on Friday, March 21, the law that takes Poland out of the Ottawa Convention, clearing the way for mines along the eastern border, his office said.
Poland will lay anti-personnel mines along parts of its border with Russia and Belarus within two years, Defence Minister Wladyslaw Kosiniak-Kamysz said on March 12, a week after parliament voted to leave the Ottawa Convention.
The plan, part of the East Shield programme, will cost about 2,450 million zlotys and cover 700 kilometres of the frontier, Kosiniak-Kamysz told a news conference in Warsaw.
Engineers from the 1st Engineer Brigade will begin surveying the first sections in the Podlasie region in May, the minister said.
Human rights groups criticised the plan and said mines would kill civilians for decades after any war had ended."""


def article(text: str, outlet: str, published: str | None = "2025-03-12") -> Article:
    return Article(id=article_id_for(text), text=text, source=Source(outlet), published=published)


def test_transliterated_spellings_of_one_name_share_a_skeleton() -> None:
    assert skeleton("Zelensky") == skeleton("Zelenskyy") == skeleton("Zelenski")
    assert skeleton("Kosiniak") == skeleton("Kosinyak") and skeleton("Kamysz") == skeleton("Kamysh")
    assert skeleton("Volodymyr") == skeleton("Wolodymyr")
    assert skeleton("Kamysz") != skeleton("Kosiniak")


def test_hyphenated_names_are_keyed_by_their_parts_and_calendar_words_are_not_names() -> None:
    polish = name_keys("The minister, Wladyslaw Kosiniak-Kamysz, spoke on Monday in July.")
    russian = name_keys("The minister, Vladislav Kosinyak-Kamysh, spoke on Friday in March.")
    assert len(polish & russian) == 3  # Wladyslaw / Vladislav, Kosiniak / Kosinyak, Kamysz / Kamysh
    assert not name_keys("It rained on Monday in July and on Friday.")


def test_dates_are_read_in_both_orders_and_may_as_a_verb_is_not_a_month() -> None:
    assert date_keys("On July 29 and on 10 Aug. and on Aug. 10th, the mines may 2 times explode.") == {
        "07-29", "08-10"}
    assert published_key("2025-03-12T10:00:00Z") == {"03-12"} and published_key("yesterday") == frozenset()


def test_the_headline_is_the_first_short_line_before_the_body_not_page_furniture() -> None:
    assert title_of("ADVERTISEMENT\n\nPoland to build mine belt along border\nWARSAW - ...", None) == (
        "Poland to build mine belt along border")
    assert title_of("One paragraph only, no headline at all in this text.", None) is None
    assert title_of("anything", "Given title") == "Given title"


def test_sentences_of_a_translation_align_in_order_with_the_original() -> None:
    aligned, count, lead = align(sentence_keys(WIRE), sentence_keys(TRANSLATED))
    assert count >= 4 and aligned >= 0.6 and lead
    other, other_count, _ = align(sentence_keys(WIRE), sentence_keys(OTHER_REPORT))
    assert other_count <= 1 and other < 0.3


def test_a_machine_translation_joins_the_story_its_wording_alone_would_miss() -> None:
    match = compare(fingerprint(WIRE), fingerprint(TRANSLATED), days_apart=0)
    assert not match.reworded  # few word pairs survive: the old tiers alone miss it
    assert match.rewritten and match.same_story
    assert match.names >= 0.5 and match.title >= 0.5


def test_another_report_on_the_same_topic_in_the_same_week_stays_apart() -> None:
    match = compare(fingerprint(WIRE), fingerprint(OTHER_REPORT), days_apart=2)
    assert not match.same_story


def test_an_update_reusing_the_reports_paragraphs_under_a_later_lead_is_a_new_report() -> None:
    wire = fingerprint(WIRE, published="2025-03-12")
    update = fingerprint(UPDATE, published="2025-03-21")
    match = compare(wire, update)  # publication gap unknown to compare: the lead's date tells
    assert match.later_news and not match.rewritten


def test_rewrites_published_weeks_apart_are_not_joined() -> None:
    wire, translated = fingerprint(WIRE), fingerprint(TRANSLATED)
    assert compare(wire, translated, days_apart=3).same_story
    assert not compare(wire, translated, days_apart=40).same_story


def test_a_translation_joins_through_the_index_and_survives_a_rebuild_from_stored_rows() -> None:
    index = StoryIndex()
    first = index.assign(article(WIRE, "pap.pl"))
    index.assign(article(OTHER_REPORT, "lrt.lt", "2025-03-14"))
    rows = [StoredStoryMember(index.story_of(a.id) or "", a.id, a.published, sig, a.source.domain if a.source else None,
                              a.published)
            for a, sig in ((article(WIRE, "pap.pl"), first.signature),)]
    rebuilt = StoryIndex.from_rows(rows)
    joined = rebuilt.assign(article(TRANSLATED, "ria.example", "2025-03-13"))
    assert not joined.is_new_story and joined.story_id == first.story_id


def test_one_outlets_retelling_stays_apart_but_its_republished_copy_joins() -> None:
    rewrite = compare(fingerprint(WIRE), fingerprint(TRANSLATED), days_apart=0, same_outlet=True)
    assert rewrite.rewritten and not rewrite.same_story  # one outlet's new text on its story
    assert compare(fingerprint(WIRE), fingerprint(WIRE + "\nShare this article."), same_outlet=True).same_story
    for outlet, joins in (("pap.pl", False), ("ria.example", True)):
        index = StoryIndex()
        first = index.assign(article(WIRE, "pap.pl"))
        assert (index.assign(article(TRANSLATED, outlet)).story_id == first.story_id) is joins


def test_the_signature_round_trips_through_bytes_and_old_fingerprints_still_load() -> None:
    fp = fingerprint(WIRE, published="2025-03-12")
    back = Fingerprint.from_bytes(fp.to_bytes())
    assert (back.words, back.names, back.gist, back.title, back.dates, back.sentences, back.lead_dates) == (
        fp.words, fp.names, fp.gist, fp.title, fp.dates, fp.sentences, fp.lead_dates)
    assert back.sentences and back.names and back.title
    old = _version_one_bytes(fp)
    loaded = Fingerprint.from_bytes(old)
    assert (loaded.full == fp.full).all() and loaded.words == frozenset() and loaded.sentences == ()


def _version_one_bytes(fp: Fingerprint) -> bytes:
    """The stored form before issue 12 (header TWF1, two MinHashes, quotes/figures/credits)."""
    import json
    import struct

    extra = json.dumps({"q": sorted(fp.quote_hashes), "n": sorted(fp.numbers), "c": list(fp.credits)},
                       separators=(",", ":")).encode("utf-8")
    header = struct.Struct("<4sHIII").pack(b"TWF1", len(fp.full), fp.size, fp.lead_size, len(extra))
    return header + fp.full.astype("<u4").tobytes() + fp.lead.astype("<u4").tobytes() + extra


SPEECH = """Minister warns of mines on the frontier

Speaking in Tallinn, Foreign Minister Margus Tsahkna said Estonia, Latvia and Lithuania would coordinate their mine stocks with Poland and Finland.
"We will not wait until Russian tanks are standing at Narva before we prepare the border," Tsahkna told reporters after meeting his counterparts from Riga and Vilnius.
The ministers also discussed drones, the Rail Baltica line and help for Ukraine.
"Every metre of the border must be ready to be closed within hours," he added, according to the ministry.
Opposition leader Kristen Michal questioned the cost of the plan."""

SPUN = """Opposition figure Kristen Michal raised doubts about what the scheme would cost.
The top diplomat Margus Tsahkna, in Tallinn, declared that Estonia, Latvia and Lithuania are going to coordinate landmine stockpiles together with Poland and Finland.
Per the ministry, he stated that every metre of the border must be ready to be closed within hours, and that "we will not wait until Russian tanks are standing at Narva before we prepare the border".
Drones, the Rail Baltica railway and support to Ukraine were also on the agenda of the ministers from Riga and Vilnius."""


def test_a_spun_copy_that_reorders_everything_joins_on_its_names_and_the_gist_of_its_quotes() -> None:
    match = compare(fingerprint(SPEECH), fingerprint(SPUN), days_apart=1)
    assert match.aligned_count < 4 and match.numbers == 0  # no order, no figures to go by
    assert match.gist >= 0.6 and match.names >= 0.75
    assert match.rewritten
    assert not compare(fingerprint(SPEECH), fingerprint(OTHER_REPORT), days_apart=1).same_story


def test_a_translation_ingested_in_a_later_run_joins_the_stored_story(tmp_path: object) -> None:
    from pathlib import Path

    from test_provenance_kb import ingest_run

    from treatywatch.kb import stories as kb_stories
    from treatywatch.kb.store import open_kb

    def item(text: str, outlet: str, published: str) -> Article:
        return Article(id=article_id_for(text), text=text, url=f"https://{outlet}/{article_id_for(text)[:8]}",
                       source=Source(outlet), published=published)

    with open_kb(str(Path(str(tmp_path)) / "kb.db")) as kb:
        [first] = ingest_run(kb, [item(WIRE, "pap.pl", "2025-03-12")])
        [other] = ingest_run(kb, [item(OTHER_REPORT, "lrt.lt", "2025-03-14")])
        [joined] = ingest_run(kb, [item(TRANSLATED, "ria.example", "2025-03-13")])
        rows = kb_stories.load_index_rows(kb)
    assert joined == first != other
    assert {r.dated for r in rows} == {"2025-03-12", "2025-03-13", "2025-03-14"}


def test_aligned_sentences_alone_do_not_make_a_rewrite_without_the_headline_or_the_names() -> None:
    base = dict(score=0.2, containment=0.2, lead=0.1, quotes=0.0, numbers=0, words=0.5, names=0.55,
                shared_names=10, smaller_words=120, aligned=0.5, aligned_count=6, smaller_sentences=12,
                lead_aligned=True)
    assert not Match(**base, title=0.2).rewritten  # type: ignore[arg-type]
    assert Match(**base, title=0.8).rewritten  # type: ignore[arg-type]


def test_shared_figures_support_a_partial_copy_only_beside_a_shared_lead_or_quote() -> None:
    base = dict(score=0.35, containment=0.35, numbers=2, words=0.6, smaller_words=60, aligned=0.5,
                aligned_count=3, smaller_sentences=6)
    assert not Match(**base, lead=0.1, quotes=0.0).reworded  # type: ignore[arg-type]
    assert Match(**base, lead=0.3, quotes=0.0).reworded  # type: ignore[arg-type]
    assert Match(**base, lead=0.1, quotes=0.5).reworded  # type: ignore[arg-type]
