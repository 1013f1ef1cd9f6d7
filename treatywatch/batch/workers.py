"""Reading and extraction in worker processes, with the knowledge base left to the parent.

Each worker reads one input and extracts its articles (the CPU-heavy part); the parent assigns
stories and stores, so SQLite keeps its single writer and no database connection ever crosses a
``fork()`` (RELIABILITY.md F13: the pool uses the ``spawn`` start method). A worker runs under an
address-space limit, so one hostile page that blows up a parser kills only its worker: the input
is retried alone once and then recorded as ``resource_limit`` (F10).
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from treatywatch.ingest import IngestOptions, RecurringLines, read_input
from treatywatch.models import Article, Extraction, InputBatch, Rejection

WORKER_MEMORY_LIMIT = 2 * 1024**3


@dataclass(frozen=True)
class Processed:
    """One input, read and extracted: what the parent stores in one transaction."""

    target: str
    batch: InputBatch
    extractions: dict[str, Extraction]


def read_and_extract(
    target: str,
    options: IngestOptions,
    first_seen: str,
    prefilter: bool,
    *,
    recurring: RecurringLines | None = None,
    known: Callable[[list[str]], set[str]] | None = None,
    extract: bool = True,
) -> Processed:
    """Read ``target`` and extract its articles. No database access of its own: ``known`` (ids
    already stored, whose extraction can be skipped) is asked of the caller."""
    batch = read_input(target, options, first_seen=first_seen, recurring=recurring)
    if not extract or not batch.articles:
        return Processed(target, batch, {})
    skip = known([a.id for a in batch.articles]) if known else set()
    chosen = [a for a in batch.articles if a.id not in skip and (not prefilter or _relevant(a))]
    return Processed(target, batch, extract_articles(chosen))


def _relevant(article: Article) -> bool:
    from treatywatch.batch.relevance import default_prefilter

    return default_prefilter().is_relevant(f"{article.title or ''}\n{article.text}")


def extract_articles(articles: Sequence[Article]) -> dict[str, Extraction]:
    """Run extraction with events over ``articles``, recording the extractor version on each."""
    if not articles:
        return {}
    from treatywatch.events import detect_events
    from treatywatch.nlp import EXTRACTOR_VERSION, extract_many

    stamped = [
        replace(a, extractor_versions=(*a.extractor_versions, ("treatywatch-nlp", EXTRACTOR_VERSION)))
        for a in articles
    ]
    return {x.article.id: x for x in extract_many(stamped, event_detector=detect_events)}


def _init_worker(memory_limit: int) -> None:
    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    from treatywatch.nlp import load_pipeline

    load_pipeline()


def _pool(workers: int, memory_limit: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(memory_limit,),
    )


def process_in_workers(
    targets: Sequence[str],
    options: IngestOptions,
    first_seen: Callable[[], str],
    *,
    workers: int = 2,
    prefilter: bool = False,
    memory_limit: int = WORKER_MEMORY_LIMIT,
) -> Iterator[Processed]:
    """Yield every target processed, in input order, surviving workers that die."""
    window = max(2, workers * 2)
    pool = _pool(workers, memory_limit)
    try:
        for start in range(0, len(targets), window):
            chunk = targets[start : start + window]
            futures = [pool.submit(read_and_extract, t, options, first_seen(), prefilter) for t in chunk]
            broken = False
            for target, future in zip(chunk, futures, strict=True):
                result = _result_or_none(future)
                if result is None:
                    broken = True
                    result = _retry_alone(target, options, first_seen(), prefilter, memory_limit)
                yield result
            if broken:
                pool.shutdown(cancel_futures=True)
                pool = _pool(workers, memory_limit)
    finally:
        pool.shutdown(cancel_futures=True)


def _result_or_none(future: Future[Processed]) -> Processed | None:
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _retry_alone(target: str, options: IngestOptions, seen: str, prefilter: bool, memory_limit: int) -> Processed:
    """Give an input whose worker died one isolated retry, so a neighbour's crash costs nothing."""
    with _pool(1, memory_limit) as single:
        try:
            return single.submit(read_and_extract, target, options, seen, prefilter).result()
        except BrokenProcessPool:
            rejection = Rejection(target, "resource_limit", "the worker processing this input died (memory limit)")
            return Processed(target, InputBatch(target, f"failed:{target}", rejections=(rejection,)), {})
