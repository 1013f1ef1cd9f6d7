"""Polling sources: conditional GET, backoff, per-host pacing and robots.txt, then the pipeline.

A source is a feed, a page, or a sitemap (whose listed pages are ingested once each, see
`watch.sitemaps`).

Each due source is fetched with the guard of ``ingest URL`` (`ingest.fetch`), conditionally
(If-None-Match / If-Modified-Since from the validators its last answer gave). A 304, or a body
with the same hash as last time, costs nothing more. A changed body goes through the per-input
step (`pipeline.step.process_fetched`) and the one store step (`Pipeline.store`), exactly as
``ingest URL`` would: articles already stored are not extracted again, so a feed that gains two
items ingests those two. Failures back off exponentially (interval × 2^failures, capped); the
state lives in the knowledge base (`kb.watch`), so a restart resumes.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from treatywatch.errors import IngestError
from treatywatch.ingest import Fetched, IngestOptions, RecurringLines, fetch
from treatywatch.kb import watch as kb_watch
from treatywatch.kb.store import utcnow
from treatywatch.models import Rejection
from treatywatch.pipeline.run import IngestReport, Pipeline
from treatywatch.pipeline.step import process_fetched, process_input
from treatywatch.watch.config import SourceConfig, WatchConfig
from treatywatch.watch.sitemaps import is_sitemap, sitemap_pages

Clock = Callable[[], float]
ROBOTS_AGENT = "treatywatch-ingest"


@dataclass
class PollOutcome:
    """What one poll of one source did (for the live summary and the tests)."""

    url: str
    status: str  # changed | not_modified | unchanged | failed | robots_disallowed
    new_articles: int = 0
    message: str = ""


@dataclass
class Poller:
    """Polls the configured sources into ``pipeline``'s knowledge base."""

    pipeline: Pipeline
    config: WatchConfig
    clock: Clock = time.time
    sleep: Callable[[float], None] = time.sleep
    _last_request: dict[str, float] = field(default_factory=dict)
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _recurring: RecurringLines = field(default_factory=RecurringLines)

    @property
    def options(self) -> IngestOptions:
        return IngestOptions(max_bytes=self.config.max_bytes, timeout=self.config.timeout,
                             allow_private=self.config.allow_private)

    def due(self, *, everything: bool = False) -> list[SourceConfig]:
        """The sources whose next poll is due (all of them with ``everything``: ``--once``)."""
        now = self.clock()
        kb = self.pipeline.kb
        return [s for s in self.config.sources
                if everything or float(kb_watch.source_state(kb, s.url).get("next_due") or 0) <= now]

    def poll(self, source: SourceConfig) -> PollOutcome:
        """Poll one source and record the outcome (never raises for a bad source)."""
        kb, interval = self.pipeline.kb, source.interval or self.config.interval
        state = kb_watch.source_state(kb, source.url)
        if not self._allowed(source.url):
            outcome = PollOutcome(source.url, "robots_disallowed", message="robots.txt disallows it")
            kb_watch.save_source_state(kb, source.url, last_checked=utcnow(), last_status=outcome.status,
                                       next_due=self.clock() + interval)
            return outcome
        self._pace(source.url)
        try:
            fetched = fetch(source.url, self.options, etag=state.get("etag"), last_modified=state.get("last_modified"))
        except IngestError as exc:
            return self._failed(source, state, f"{exc.code}: {exc.message}")
        digest = hashlib.sha256(fetched.body).hexdigest()
        if fetched.not_modified or digest == state.get("body_sha256"):
            status = "not_modified" if fetched.not_modified else "unchanged"
            kb_watch.save_source_state(kb, source.url, last_checked=utcnow(), last_status=status, failures=0,
                                       next_due=self.clock() + interval)
            return PollOutcome(source.url, status)
        report = self._sitemap(source.url, fetched) if is_sitemap(fetched.body) else self._ingest(source.url, fetched)
        kb_watch.save_source_state(
            kb, source.url, etag=fetched.etag, last_modified=fetched.last_modified, body_sha256=digest,
            last_checked=utcnow(), last_changed=utcnow(), last_status="changed", failures=0,
            next_due=self.clock() + interval)
        problems = "; ".join(r.one_line() for r in report.rejections[:3])
        return PollOutcome(source.url, "changed", report.new_articles, problems)

    def _ingest(self, url: str, fetched: Fetched) -> IngestReport:
        report = IngestReport()
        processed = process_fetched(url, fetched, self.options, first_seen=utcnow(), known=self.pipeline.known,
                                    recurring=self._recurring)
        self.pipeline.store(processed, report)
        return report

    def _sitemap(self, url: str, fetched: Fetched) -> IngestReport:
        """Ingest the pages a sitemap lists that were not ingested yet (at most
        ``max_pages_per_poll`` per poll; the rest next time). A page that cannot be fetched is
        tried again at the next change of the sitemap."""
        report = IngestReport()
        try:
            pages = sitemap_pages(fetched.body)
        except ValueError as exc:
            report.rejections.append(Rejection(url, "parse_error", str(exc)))
            return report
        for page in kb_watch.unseen_items(self.pipeline.kb, url, pages)[: self.config.max_pages_per_poll]:
            if not self._allowed(page):
                continue
            self._pace(page)
            processed = process_input(page, self.options, first_seen=utcnow(), known=self.pipeline.known,
                                      recurring=self._recurring)
            self.pipeline.store(processed, report)
            if processed.batch.articles:
                kb_watch.mark_item_seen(self.pipeline.kb, url, page)
        return report

    def _failed(self, source: SourceConfig, state: dict[str, object], message: str) -> PollOutcome:
        """Back off: the wait doubles with each failure in a row, up to ``max_backoff``."""
        failures = int(str(state.get("failures") or 0)) + 1
        interval = source.interval or self.config.interval
        wait = min(interval * 2 ** (failures - 1), self.config.max_backoff)
        kb_watch.save_source_state(self.pipeline.kb, source.url, last_checked=utcnow(), failures=failures,
                                   last_status=f"failed: {message}"[:40], next_due=self.clock() + wait)
        return PollOutcome(source.url, "failed", message=message)

    def _pace(self, url: str) -> None:
        """Wait so that one host gets at most one request per ``per_host_delay`` seconds."""
        host = urlsplit(url).netloc
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self.config.per_host_delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _allowed(self, url: str) -> bool:
        """robots.txt of the source's host (fetched once per run, under the same guard);
        a robots.txt that cannot be read allows everything, as is usual."""
        if not self.config.robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        if base not in self._robots:
            self._pace(url)
            parser: urllib.robotparser.RobotFileParser | None = None
            try:
                body = fetch(f"{base}/robots.txt", self.options).body
                parser = urllib.robotparser.RobotFileParser()
                parser.parse(body.decode("utf-8", "replace").splitlines())
            except IngestError:
                parser = None
            self._robots[base] = parser
        robots = self._robots[base]
        return robots is None or robots.can_fetch(ROBOTS_AGENT, url)
