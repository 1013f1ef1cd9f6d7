"""``--workers N``: the per-input step with its extraction in worker processes.

A thin layer over the same step as ``process_input`` (``step``): the parent reads each input,
in order, with one ``RecurringLines`` for the run, and asks ``known`` which articles to skip;
the workers run ``extract_articles`` on the rest; the caller stores each ``Processed`` in input
order. Reading stays in the parent on purpose: its parsers run in the one parse sandbox
(``ingest.sandbox`` says why that is the isolation layer), so a worker never sees raw bytes and
needs no sandbox or limits of its own; and the known articles are skipped as in a serial run.

Workers are started with ``spawn`` and never open the database (docs/reliability.md#faults F13); SQLite
keeps its single writer, the parent. A worker that dies anyway (killed, out of memory) costs
its input only: the pool is replaced, the other inputs in flight are resubmitted, and the
victim is retried alone once, then recorded as ``resource_limit``. Issue 13 replaces this pool
with Dask over the same step.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from treatywatch.ingest import IngestOptions, RecurringLines, read_input
from treatywatch.models import Article, Extraction, InputBatch, Rejection
from treatywatch.pipeline.step import KnownIds, Processed, articles_to_extract, extract_articles

Extractor = Callable[[Sequence[Article]], dict[str, Extraction]]


@dataclass
class _InFlight:
    """An input read by the parent whose articles a worker is extracting."""

    target: str
    batch: InputBatch
    chosen: list[Article]
    future: Future[dict[str, Extraction]]


def _pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def process_in_workers(
    targets: Sequence[str],
    options: IngestOptions,
    first_seen: Callable[[], str],
    *,
    workers: int = 2,
    known: KnownIds | None = None,
    prefilter: bool = False,
    extractor: Extractor = extract_articles,
    seen: KnownIds | None = None,
) -> Iterator[Processed]:
    """Yield every target processed, in input order, surviving workers that die.

    ``extractor`` runs in the workers (a module-level function; the default is the flow's).
    """
    recurring = RecurringLines()  # one run shares what it learns about each site's furniture
    window = max(4, workers * 4)  # read-ahead, so workers stay busy while the parent stores and reads
    in_flight: deque[_InFlight] = deque()
    pool = _pool(workers)
    try:
        for target in targets:
            batch = read_input(target, options, first_seen=first_seen(), recurring=recurring, seen=seen)
            chosen = articles_to_extract(batch, known, prefilter=prefilter)
            in_flight.append(_InFlight(target, batch, chosen, _submit(pool, extractor, chosen)))
            if len(in_flight) >= window:
                done, pool = _finish(in_flight, pool, workers, extractor)
                yield done
        while in_flight:
            done, pool = _finish(in_flight, pool, workers, extractor)
            yield done
    finally:
        pool.shutdown(cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, extractor: Extractor, chosen: list[Article]) -> Future[dict[str, Extraction]]:
    if chosen:
        return pool.submit(extractor, chosen)
    nothing: Future[dict[str, Extraction]] = Future()
    nothing.set_result({})
    return nothing


def _finish(
    in_flight: deque[_InFlight], pool: ProcessPoolExecutor, workers: int, extractor: Extractor
) -> tuple[Processed, ProcessPoolExecutor]:
    """The oldest input, done; after a worker died, the pool that replaces the broken one."""
    oldest = in_flight.popleft()
    try:
        return Processed(oldest.target, oldest.batch, oldest.future.result()), pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
        pool = _pool(workers)
        for other in in_flight:
            if not _succeeded(other.future):
                other.future = _submit(pool, extractor, other.chosen)
        return _retry_alone(oldest, extractor), pool


def _succeeded(future: Future[dict[str, Extraction]]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


def _retry_alone(item: _InFlight, extractor: Extractor) -> Processed:
    """Give an input whose worker died one isolated retry, so a neighbour's crash costs nothing."""
    with _pool(1) as single:
        try:
            return Processed(item.target, item.batch, single.submit(extractor, item.chosen).result())
        except BrokenProcessPool:
            rejection = Rejection(item.target, "resource_limit", "the worker extracting this input died")
            return Processed(item.target, InputBatch(item.target, f"failed:{item.target}", rejections=(rejection,)), {})
