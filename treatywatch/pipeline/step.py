"""The per-input step: read one input and extract its new articles, as a pure function.

``process_input`` is what ``ingest``, a watch loop and a batch engine all run for one input: it
reads the input (``ingest.read_input``: never raises, bad input becomes ``Rejection``s, the
parsers run in the parse sandbox) and extracts the articles worth extracting. It does no
database access: what is already stored comes in as ``known`` (a callable the caller answers,
e.g. from its knowledge base; None where there is none), and the result goes to the store step
(``kb.articles.store_input``) as one ``Processed`` record.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from treatywatch.ingest import Fetched, IngestOptions, RecurringLines, read_fetched, read_input
from treatywatch.models import Article, Extraction, InputBatch

KnownIds = Callable[[list[str]], Collection[str]]


@dataclass(frozen=True)
class Processed:
    """One input, read and extracted: what the store step writes in one transaction."""

    target: str
    batch: InputBatch
    extractions: dict[str, Extraction]


def process_input(
    target: str,
    options: IngestOptions,
    *,
    first_seen: str,
    known: KnownIds | None = None,
    prefilter: bool = False,
    extract: bool = True,
    recurring: RecurringLines | None = None,
    seen: KnownIds | None = None,
) -> Processed:
    """Read ``target`` and extract its articles, except those ``known`` names (already stored)
    and, with ``prefilter``, those that mention no treaty or weapons term.

    ``recurring`` is shared by the inputs of one run (per-site furniture); ``first_seen`` is the
    record time given to new articles. With ``options.drop_off_topic`` the reader drops
    off-topic pages before parsing them, and those whose content hash ``seen`` names (dropped
    by an earlier run) without scoring them.
    """
    batch = read_input(target, options, first_seen=first_seen, recurring=recurring, seen=seen)
    chosen = articles_to_extract(batch, known, prefilter=prefilter) if extract else []
    return Processed(target, batch, extract_articles(chosen))


def process_fetched(
    url: str,
    fetched: Fetched,
    options: IngestOptions,
    *,
    first_seen: str,
    known: KnownIds | None = None,
    prefilter: bool = False,
    recurring: RecurringLines | None = None,
) -> Processed:
    """`process_input` for a URL already fetched (watch mode's conditional GET): the same read
    and extraction, without fetching again."""
    batch = read_fetched(url, fetched, options, first_seen=first_seen, recurring=recurring)
    chosen = articles_to_extract(batch, known, prefilter=prefilter)
    return Processed(url, batch, extract_articles(chosen))


def articles_to_extract(batch: InputBatch, known: KnownIds | None, *, prefilter: bool) -> list[Article]:
    """The articles of ``batch`` to extract: not already known, and relevant when prefiltering."""
    if not batch.articles:
        return []
    skip = known([a.id for a in batch.articles]) if known is not None else ()
    return [a for a in batch.articles if a.id not in skip and (not prefilter or _relevant(a))]


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
