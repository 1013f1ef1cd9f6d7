"""Issue 13: the relevance prefilter on raw bytes, the seen table, and ``--keep-off-topic``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from treatywatch.batch.relevance import default_prefilter
from treatywatch.cli import app
from treatywatch.ingest import IngestOptions, read_input
from treatywatch.ingest import jsonl as jsonl_reader
from treatywatch.kb import seen as kb_seen
from treatywatch.monitor import Monitor

ON_TOPIC = {
    "en": "Poland's parliament voted to withdraw from the Ottawa Convention banning anti-personnel mines.",
    "pl": "Sejm przegłosował wystąpienie Polski z konwencji ottawskiej o zakazie min przeciwpiechotnych.",
    "uk": "Верховна Рада зупинила дію Оттавської конвенції про заборону протипіхотних мін.",
    "ru": "Российские войска устанавливают противопехотные мины вдоль границы с Украиной.",
    "lt": "Seimas pritarė pasitraukimui iš Otavos konvencijos dėl priešpėstinių minų.",
    "lv": "Saeima atbalstīja izstāšanos no Otavas konvencijas par pretkājnieku mīnām.",
    "et": "Riigikogu toetas lahkumist Ottawa konventsioonist, mis keelab jalaväemiinid.",
    "fi": "Eduskunta hyväksyi eroamisen Ottawan sopimuksesta, joka kieltää jalkaväkimiinat.",
}
CLUSTER = {
    "en": "The army said cluster munitions were used near the border.",
    "pl": "Wojsko potwierdziło użycie amunicji kasetowej przy granicy.",
    "uk": "Військові повідомили про касетні боєприпаси біля кордону.",
    "ru": "Военные сообщили о применении кассетных боеприпасов у границы.",
    "lt": "Kariuomenė pranešė apie kasetinius šaudmenis prie sienos.",
    "lv": "Armija ziņoja par kasešu munīciju pie robežas.",
    "et": "Kaitsevägi teatas kobarmoona kasutamisest piiri lähedal.",
    "fi": "Puolustusvoimat kertoi rypäleammusten käytöstä rajalla.",
}
OFF_TOPIC = {
    "en": "The trade treaty was ratified after the minister withdrew his objections to the convention.",
    "pl": "Minister podpisał traktat handlowy, a konwencja podatkowa wejdzie w życie w maju.",
    "uk": "Міністр підписав торговельний договір, а податкова конвенція набуде чинності у травні.",
    "ru": "Министр подписал торговый договор, налоговая конвенция вступит в силу в мае.",
    "fi": "Ministeri allekirjoitti kauppasopimuksen, joka tulee voimaan toukokuussa.",
}
GOLD_MINE = "The gold mine expanded production; mine workers said the mine owner will hire more miners."
PAGE = "<html><head><title>{title}</title><script>var mines = 'landmine treaty';</script></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize("language", sorted(ON_TOPIC))
def test_the_prefilter_keeps_the_mine_ban_treaty_in_every_language(language: str) -> None:
    assert default_prefilter().is_relevant(ON_TOPIC[language])


@pytest.mark.parametrize("language", sorted(CLUSTER))
def test_the_prefilter_keeps_cluster_munitions_in_every_language(language: str) -> None:
    assert default_prefilter().is_relevant(CLUSTER[language])


@pytest.mark.parametrize("language", sorted(OFF_TOPIC))
def test_treaty_words_without_a_weapon_do_not_pass(language: str) -> None:
    assert not default_prefilter().is_relevant(OFF_TOPIC[language])


def test_a_gold_mine_is_not_a_weapon_and_mines_inside_words_do_not_count() -> None:
    prefilter = default_prefilter()
    assert not prefilter.is_relevant(GOLD_MINE)
    assert not prefilter.is_relevant("The ruling undermines the treaty and determines the army's budget. " * 3)


def test_an_off_topic_page_is_dropped_before_parsing_and_scripts_do_not_count(tmp_path: Path) -> None:
    off, on = tmp_path / "off.html", tmp_path / "on.html"
    off.write_text(PAGE.format(title="Tennis", body="The tennis player withdrew from the tournament."), encoding="utf-8")
    on.write_text(PAGE.format(title="Mines", body=ON_TOPIC["en"] + " " + "Details follow. " * 5), encoding="utf-8")
    options = IngestOptions(sandbox=False, drop_off_topic=True)
    dropped = read_input(str(off), options)
    assert dropped.articles == () and dropped.rejections == ()
    [record] = dropped.dropped
    assert record.reason == "off_topic" and len(record.content_hash) == 64
    kept = read_input(str(on), options)
    assert len(kept.articles) == 1 and kept.dropped == ()
    assert len(read_input(str(off), IngestOptions(sandbox=False)).articles) == 1  # the old behaviour


def _jsonl(path: Path, rows: list[tuple[str, str]]) -> str:
    lines = [json.dumps({"url": f"https://wire.example/{i}-{title[:8]}", "title": title, "text": text})
             for i, (title, text) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_recrawl_skips_the_dropped_lines_without_scoring_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tennis = ("Tennis", "The tennis player withdrew from the tournament with a knee injury, her coach said.")
    mines = ("Mines", ON_TOPIC["en"] + " The vote passed by a large majority.")
    options = IngestOptions(sandbox=False, drop_off_topic=True)
    with Monitor(str(tmp_path / "kb.db"), extract=False) as monitor:
        first = monitor.ingest([_jsonl(tmp_path / "day1.jsonl", [tennis, mines])], options)
        assert (first.new_articles, first.dropped, first.dropped_again) == (1, 1, 0)
        assert [c.pages for c in kb_seen.dropped_counts(monitor.kb)] == [1]

        scored: list[str] = []
        real_score = jsonl_reader.score_text
        monkeypatch.setattr(jsonl_reader, "score_text", lambda text: scored.append(text) or real_score(text))
        fresh = ("Weather", "Rain is expected across the north on Sunday, with snow on the hills later.")
        again = monitor.ingest([_jsonl(tmp_path / "day2.jsonl", [tennis, fresh])], options)
        assert (again.dropped, again.dropped_again) == (2, 1)
        assert [t for t in scored if "tennis" in t] == []  # the seen line was not even scored
        assert len(scored) == 1
        counts = kb_seen.dropped_counts(monitor.kb)
        assert [(c.reason, c.pages, c.sightings) for c in counts] == [("off_topic", 2, 3)]


def test_the_ingest_command_drops_off_topic_pages_unless_told_to_keep_them(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "tennis.html").write_text(
        PAGE.format(title="Tennis", body="The tennis player withdrew from the tournament. " * 3), encoding="utf-8")
    (folder / "mines.html").write_text(
        PAGE.format(title="Mines", body=ON_TOPIC["en"] + " Details follow. " * 5), encoding="utf-8")
    runner = CliRunner()
    dropping = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "a.db"), "--no-extract", "--no-sandbox"])
    assert dropping.exit_code == 0, dropping.output
    assert "1 new articles" in dropping.stdout and "1 dropped off topic" in dropping.stdout
    assert "1 pages dropped off topic" in dropping.stdout
    keeping = runner.invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "b.db"), "--no-extract", "--no-sandbox",
                                  "--keep-off-topic"])
    assert keeping.exit_code == 0, keeping.output
    assert "2 new articles" in keeping.stdout and "0 dropped off topic" in keeping.stdout


def _warc(path: Path, pages: list[tuple[str, str]]) -> str:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=BytesIO(html.encode("utf-8")),
                                               http_headers=headers)
            writer.write_record(record)
    return str(path)


def test_a_dropped_warc_record_names_its_record_and_url(tmp_path: Path) -> None:
    target = _warc(tmp_path / "crawl.warc", [
        ("https://sport.example/tennis", PAGE.format(title="Tennis", body="The player withdrew from the final. " * 3)),
        ("https://wire.example/mines", PAGE.format(title="Mines", body=ON_TOPIC["en"] + " Details follow. " * 5)),
    ])
    for sandbox in (False, True):
        batch = read_input(target, IngestOptions(sandbox=sandbox, drop_off_topic=True))
        assert [(d.record, d.url) for d in batch.dropped] == [("record 1", "https://sport.example/tennis")]
        assert [a.url for a in batch.articles] == ["https://wire.example/mines"]


def test_a_term_with_an_inner_star_is_refused_when_the_file_is_loaded(tmp_path: Path) -> None:
    from treatywatch.batch.relevance import load_prefilter
    from treatywatch.errors import DataFileError

    bad = tmp_path / "relevance.yaml"
    bad.write_text("window: 100\nthreshold: 3\ngroups:\n  x:\n    kind: weapon\n    weight: 3\n"
                   "    terms: ['amunicj* kasetow*']\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="terms"):
        load_prefilter(bad)


def test_a_recrawled_warc_says_which_dropped_records_were_seen_before(tmp_path: Path) -> None:
    tennis = ("https://sport.example/tennis", PAGE.format(title="Tennis", body="The player withdrew from the final. " * 3))
    mines = ("https://wire.example/mines", PAGE.format(title="Mines", body=ON_TOPIC["en"] + " Details follow. " * 5))
    golf = ("https://sport.example/golf", PAGE.format(title="Golf", body="The golfer won the open by two shots. " * 3))
    options = IngestOptions(sandbox=False, drop_off_topic=True)
    with Monitor(str(tmp_path / "kb.db"), extract=False) as monitor:
        first = monitor.ingest([_warc(tmp_path / "day1.warc", [tennis, mines])], options)
        assert (first.new_articles, first.dropped, first.dropped_again) == (1, 1, 0)
        second = monitor.ingest([_warc(tmp_path / "day2.warc", [golf, tennis])], options)
        assert (second.new_articles, second.dropped, second.dropped_again) == (0, 2, 1)
        assert [(d["url"], d["times"]) for d in sorted(kb_seen.list_dropped(monitor.kb), key=lambda d: str(d["url"]))] \
            == [("https://sport.example/golf", 1), ("https://sport.example/tennis", 2)]
