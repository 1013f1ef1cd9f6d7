"""The ingest flow over one knowledge base: every input processed, then stored.

``Pipeline.ingest`` expands the targets, runs the per-input step on each (``process_input``, or
the worker pool with ``workers > 1``) and hands each result to ``Pipeline.store``, the one store
step: ``kb.articles.store_input`` writes the input in one transaction that itself decides
whether the input is done and which articles are fresh, and calls back here for the fresh
articles' stories. A ``Pipeline`` is long-lived (a ``Monitor`` or a watch loop keeps one), so
the story index is loaded once and grows with every stored input.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from treatywatch.batch.dask_run import process_on_dask
from treatywatch.errors import KBError
from treatywatch.ingest import IngestOptions, RecurringLines, iter_inputs
from treatywatch.kb import articles as kb_articles
from treatywatch.kb import seen as kb_seen
from treatywatch.kb import sources as kb_sources
from treatywatch.kb import stories as kb_stories
from treatywatch.kb.store import KB, utcnow
from treatywatch.models import Article, Extraction, InputBatch, Rejection, StoryAssignment
from treatywatch.pipeline.pool import process_in_workers
from treatywatch.pipeline.step import Processed, process_input

if TYPE_CHECKING:
    from treatywatch.provenance import StoryIndex


@dataclass
class IngestReport:
    """What an ingest run did, for the summary line and the exit code."""

    inputs: int = 0
    skipped_inputs: int = 0
    new_articles: int = 0
    known_articles: int = 0
    new_sightings: int = 0
    claims: int = 0
    extracted: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    dropped: int = 0  # off-topic pages dropped before parsing (issue 13), this run
    dropped_again: int = 0  # of which already recorded by an earlier run (skipped unscored)

    @property
    def failed(self) -> bool:
        return bool(self.rejections)


ProgressCallback = Callable[[str, InputBatch | None], None]


class Pipeline:
    """read → extract → store for the inputs given, into ``kb`` (``extract=False``: store only)."""

    def __init__(self, kb: KB, *, extract: bool = True) -> None:
        self.kb = kb
        self.extract = extract
        self._story_index: StoryIndex | None = None

    def ingest(
        self,
        targets: Sequence[str],
        options: IngestOptions,
        *,
        workers: int = 1,
        prefilter: bool = False,
        on_input: ProgressCallback | None = None,
        client: Any | None = None,
    ) -> IngestReport:
        """Read every file, folder and URL in ``targets`` into the knowledge base (``client``: a
        Dask client, whose cluster runs the extraction; ``treatywatch batch``)."""
        report = IngestReport()
        expanded = list(iter_inputs(targets))
        for processed in self.process(expanded, options, workers=workers, prefilter=prefilter, client=client):
            self.store(processed, report)
            if on_input:
                on_input(processed.target, processed.batch)
        if report.new_articles:
            kb_sources.update_source_kinds(self.kb)  # outlets met for the first time get their kind
        return report

    def process(
        self,
        targets: Sequence[str],
        options: IngestOptions,
        *,
        workers: int = 1,
        prefilter: bool = False,
        client: Any | None = None,
    ) -> Iterator[Processed]:
        """The per-input step over ``targets``, in order; each is stored before the next is read
        (serially), so an article met twice is extracted once."""
        if client is not None and self.extract:  # issue 13: extraction on a Dask cluster
            yield from process_on_dask(
                targets, options, utcnow, client=client, known=self.known, prefilter=prefilter, seen=self.seen
            )
            return
        if workers > 1 and self.extract:
            yield from process_in_workers(
                targets, options, utcnow, workers=workers, known=self.known, prefilter=prefilter, seen=self.seen
            )
            return
        recurring = RecurringLines()  # one run shares what it learns about each site's furniture
        for target in targets:
            yield process_input(
                target,
                options,
                first_seen=utcnow(),
                known=self.known,
                prefilter=prefilter,
                extract=self.extract,
                recurring=recurring,
                seen=self.seen,
            )

    def known(self, ids: list[str]) -> set[str]:
        """The ids already stored: their extraction is skipped."""
        return kb_articles.known_article_ids(self.kb, ids)

    def seen(self, hashes: list[str]) -> set[str]:
        """The content hashes recorded as dropped: a re-crawl skips them unscored."""
        return kb_seen.seen_hashes(self.kb, hashes)

    def store(self, processed: Processed, report: IngestReport) -> None:
        """Store one processed input (one transaction) and count what it did in ``report``."""
        batch = processed.batch
        report.inputs += 1
        report.extracted += len(processed.extractions)
        report.rejections.extend(batch.rejections)
        report.dropped += len(batch.dropped)
        report.dropped_again += sum(d.again for d in batch.dropped)
        try:
            result = kb_articles.store_input(
                self.kb, batch, extractions=processed.extractions, assign=self._assigner(processed.extractions)
            )
        except KBError as exc:
            report.rejections.append(Rejection(batch.location, exc.code, str(exc)))
            self._story_index = None  # the in-memory index saw articles that were not stored
            return
        report.skipped_inputs += int(result.skipped_done)
        report.new_articles += result.new_articles
        report.known_articles += result.known_articles
        report.new_sightings += result.new_sightings
        report.claims += result.claims

    def _assigner(self, extractions: dict[str, Extraction]) -> Callable[[Sequence[Article]], list[StoryAssignment]]:
        """The story step for the store transaction: each fresh article joins or starts a story."""

        def assign(fresh: Sequence[Article]) -> list[StoryAssignment]:
            index = self._stories()
            return [index.assign(article, extractions.get(article.id)) for article in fresh]

        return assign

    def _stories(self) -> StoryIndex:
        if self._story_index is None:
            from treatywatch.provenance import StoryIndex

            self._story_index = StoryIndex.from_rows(kb_stories.load_index_rows(self.kb))
        return self._story_index
