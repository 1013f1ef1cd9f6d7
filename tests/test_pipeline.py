"""The per-input pipeline: one store step that decides done, fresh and stories in its own
transaction; known articles never extracted again, with or without workers; a worker that
dies costs its input only."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
from collections.abc import Sequence
from pathlib import Path

import pytest
from test_hostile_payloads import deep_article, story, warc_pages
from test_kb_store import count, make_article

from treatywatch.ingest import IngestOptions
from treatywatch.kb import articles as kb_articles
from treatywatch.kb.schema import ingest_progress, story_members
from treatywatch.kb.store import KB, utcnow
from treatywatch.models import Article, Extraction, InputBatch, StoryAssignment
from treatywatch.monitor import Monitor
from treatywatch.pipeline import extract_articles
from treatywatch.pipeline.pool import process_in_workers
from treatywatch.provenance import StoryIndex
from treatywatch.sample import corpus_path

POISON = "This sentence makes the worker that extracts it die."


def test_the_store_step_skips_done_inputs_and_assigns_stories_to_fresh_articles_only(kb: KB) -> None:
    old = make_article("Poland deposited its instrument of withdrawal from the Mine Ban Treaty on Wednesday.",
                       "https://wire.example/a")
    new = make_article("Finland's parliament approved the withdrawal from the Ottawa Convention on Tuesday.",
                       "https://wire.example/b")
    kb_articles.store_batch(kb, InputBatch("first", "k1", (old,)))
    index, asked = StoryIndex(), []

    def assign(fresh: Sequence[Article]) -> list[StoryAssignment]:
        asked.append([a.id for a in fresh])
        return [index.assign(a) for a in fresh]

    batch = InputBatch("second", "k2", (old, new))
    stored = kb_articles.store_input(kb, batch, assign=assign)
    again = kb_articles.store_input(kb, batch, assign=assign)
    assert asked == [[new.id]]
    assert (stored.new_articles, stored.known_articles, stored.skipped_done) == (1, 1, False)
    assert (again.new_articles, again.known_articles, again.skipped_done) == (0, 2, True)
    assert count(kb, story_members) == 1 and count(kb, ingest_progress) == 2


def test_a_failing_story_step_writes_nothing_of_the_input(kb: KB) -> None:
    fresh = make_article("Lithuania announced it would leave the Convention on Cluster Munitions.", "https://w.example/c")

    def assign(_fresh: Sequence[Article]) -> list[StoryAssignment]:
        raise RuntimeError("story index unavailable")

    with pytest.raises(RuntimeError):
        kb_articles.store_input(kb, InputBatch("c", "kc", (fresh,)), assign=assign)
    assert not kb_articles.is_done(kb, "kc") and kb_articles.known_article_ids(kb, [fresh.id]) == set()


def reencoded(corpus: Path, out: Path) -> Path:
    """The corpus with every input's bytes changed and none of its content (gzip added or
    removed), so every input is new to the knowledge base and every article already in it."""
    for path in sorted(corpus.iterdir()):
        if path.name.endswith(".meta.json"):
            continue
        name = path.name[:-3] if path.name.endswith(".gz") else path.name + ".gz"
        data = path.read_bytes()
        (out / name).write_bytes(gzip.decompress(data) if path.name.endswith(".gz") else gzip.compress(data, mtime=0))
        sidecar = path.with_suffix(".meta.json")
        if sidecar.is_file():
            shutil.copy(sidecar, out / (name + ".meta.json"))
    return out


@pytest.mark.parametrize("workers", [1, 2], ids=["serial", "two-workers"])
def test_known_articles_are_never_extracted_again_with_or_without_workers(tmp_path: Path, workers: int) -> None:
    copies = reencoded(corpus_path(), tmp_path)
    with Monitor(str(tmp_path / "kb.db")) as monitor:
        first = monitor.ingest([str(corpus_path())], workers=workers)
        again = monitor.ingest([str(corpus_path())], workers=workers)
        moved = monitor.ingest([str(copies)], workers=workers)
    assert first.extracted >= first.new_articles > 0 and first.claims > 0
    assert again.skipped_inputs == again.inputs and again.extracted == 0
    assert moved.skipped_inputs == 0 and moved.new_articles == 0 and moved.known_articles > 0
    assert moved.extracted == 0


def extract_or_die(articles: Sequence[Article]) -> dict[str, Extraction]:
    """The flow's extraction, except that the worker dies outright on the poison sentence."""
    if any(POISON in a.text for a in articles):
        os.kill(os.getpid(), signal.SIGKILL)
    return extract_articles(articles)


@pytest.mark.slow
def test_a_worker_that_dies_costs_its_input_only(tmp_path: Path) -> None:
    texts = {
        "a.txt": "Poland deposited its instrument of withdrawal from the Mine Ban Treaty on Wednesday.",
        "b.txt": f"Estonia's government met on Monday. {POISON}",
        "c.txt": "Finland's parliament approved the withdrawal from the Ottawa Convention on Tuesday.",
    }
    for name, body in texts.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    targets = [str(tmp_path / name) for name in texts]
    options = IngestOptions(published="2025-06-01")
    results = list(process_in_workers(targets, options, utcnow, workers=2, extractor=extract_or_die))
    assert [r.target for r in results] == targets
    dead = results[1]
    assert [(r.code, r.location) for r in dead.batch.rejections] == [("resource_limit", targets[1])]
    assert dead.batch.articles == () and dead.extractions == {}
    for done in (results[0], results[2]):
        assert done.batch.rejections == ()
        assert set(done.extractions) == {a.id for a in done.batch.articles} != set()


@pytest.mark.slow
def test_a_hostile_page_costs_the_same_with_workers_as_without(tmp_path: Path) -> None:
    """One isolation layer whatever the number of workers: a page or a WARC record that stalls
    the parser gets the same code, and the rest of its archive is kept, with two workers too."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(story(1).encode())
    (folder / "b-slow.html").write_bytes(deep_article(150_000))
    (folder / "c.warc").write_bytes(warc_pages([story(2).encode(), deep_article(150_000), story(3).encode()]))
    options = IngestOptions(parse_timeout=1.0, max_elements=10**6)
    outcomes = []
    for workers in (1, 2):
        with Monitor(str(tmp_path / f"kb{workers}.db")) as monitor:
            report = monitor.ingest([str(folder)], options, workers=workers)
            ids = sorted(a["id"] for a in monitor.articles(limit=10))
        outcomes.append((sorted((Path(r.location).name, r.code, r.record) for r in report.rejections), ids))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][0] == [("b-slow.html", "timeout", None), ("c.warc", "timeout", "record 2")]
    assert len(outcomes[0][1]) == 3
