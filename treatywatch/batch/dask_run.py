"""Batch on Dask: the per-input step with its extraction on a Dask cluster (issue 13).

The same split as ``pipeline.pool`` and the same step as ``pipeline.step``: the parent reads each
input in order (the parse sandbox, one ``RecurringLines`` for the run, the relevance prefilter
on raw bytes, the seen table) and asks ``known`` which articles to skip; the cluster runs
``extract_articles`` on the rest; the caller stores each ``Processed`` in input order through
the one store step (``Pipeline.store``). Reading stays in the parent on purpose: the prefilter
drops the off-topic 99% there for the price of a regular expression and a term scan, furniture
detection depends on the order pages are read (so a serial run and a batch run store the same
articles), and what is left (NLP over the on-topic 1%) is the part worth distributing.

The cluster is a ``dask.distributed`` client the caller made: a ``LocalCluster`` by default,
or an existing scheduler (``treatywatch batch --scheduler tcp://host:8786``). Its workers need
treatywatch installed and never open the database. A worker that dies mid-task costs nothing:
the scheduler redoes the task on another worker; a task that kills workers again and again
(``KilledWorker``) costs its input only, recorded as ``resource_limit``.

A bounded number of inputs is in flight (``window``), so memory stays bounded on a stream of
any length.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from treatywatch.ingest import IngestOptions, RecurringLines, read_input
from treatywatch.models import Article, Extraction, InputBatch, Rejection
from treatywatch.pipeline.step import KnownIds, Processed, articles_to_extract, extract_articles

Extractor = Callable[[Sequence[Article]], dict[str, Extraction]]


@dataclass
class _InFlight:
    """An input read by the parent whose articles the cluster is extracting (None: nothing to)."""

    target: str
    batch: InputBatch
    future: Any | None


def worker_count(client: Any) -> int:
    """How many workers the client's cluster has now (at least 1)."""
    return max(1, len(client.scheduler_info().get("workers", {})))


def process_on_dask(
    targets: Sequence[str],
    options: IngestOptions,
    first_seen: Callable[[], str],
    *,
    client: Any,
    known: KnownIds | None = None,
    prefilter: bool = False,
    seen: KnownIds | None = None,
    extractor: Extractor = extract_articles,
    window: int | None = None,
) -> Iterator[Processed]:
    """Yield every target processed, in input order, extraction on ``client``'s cluster."""
    recurring = RecurringLines()  # one run shares what it learns about each site's furniture
    limit = window or max(4, worker_count(client) * 4)
    in_flight: deque[_InFlight] = deque()
    try:
        for target in targets:
            batch = read_input(target, options, first_seen=first_seen(), recurring=recurring, seen=seen)
            chosen = articles_to_extract(batch, known, prefilter=prefilter)
            future = client.submit(extractor, chosen, pure=False) if chosen else None
            in_flight.append(_InFlight(target, batch, future))
            if len(in_flight) >= limit:
                yield _finish(in_flight.popleft())
        while in_flight:
            yield _finish(in_flight.popleft())
    finally:
        for item in in_flight:
            if item.future is not None:
                item.future.cancel()


def _finish(item: _InFlight) -> Processed:
    """The input with its extractions; an input whose task kept killing workers is rejected."""
    if item.future is None:
        return Processed(item.target, item.batch, {})
    from distributed import KilledWorker

    try:
        extractions: dict[str, Extraction] = item.future.result()
    except KilledWorker:
        rejection = Rejection(item.target, "resource_limit", "the Dask workers extracting this input kept dying")
        failed = InputBatch(item.target, f"failed:{item.target}", rejections=(rejection,))
        return Processed(item.target, failed, {})
    return Processed(item.target, item.batch, extractions)
