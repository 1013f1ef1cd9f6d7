"""Limits and user-given metadata for one ingest run.

One frozen options object instead of keyword arguments forwarded through every layer
(docs/style.md#the-models-we-follow): every reader takes it, nothing changes it.
"""

from __future__ import annotations

from dataclasses import dataclass

INGEST_VERSION = "1"


@dataclass(frozen=True)
class IngestOptions:
    """What an ingest run may read and what the user told us about plain inputs.

    ``max_bytes`` caps one input (file or fetched body, after HTTP content decoding);
    ``max_decompressed`` caps what a ``.gz`` may expand to; ``max_record_bytes`` caps one JSONL
    line or one WARC record payload; ``max_elements`` caps the number of tags (``<`` bytes) of an
    HTML page before it is parsed; ``max_entries`` caps entries read from one feed. A clean text
    shorter than ``min_text_chars`` characters is ``extraction_empty`` (a menu, not an article).

    ``sandbox`` runs the parsers of untrusted bytes (HTML cleaning, feed parsing, WARC reading)
    in a reusable child process limited to ``parse_memory`` bytes of address space, waiting at
    most ``parse_timeout`` seconds for each result (``ingest.sandbox``); ``sandbox=False``
    parses in-process (faster to start, for tests and trusted inputs).

    ``drop_off_topic`` scores every page (file, fetched page, JSONL line, feed entry, WARC
    record) with the relevance prefilter before parsing it and drops the off-topic ones
    (``ingest.prefilter``); off by default here, on by default in the ``ingest`` command.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_decompressed: int = 64 * 1024 * 1024
    allow_private: bool = False
    published: str | None = None
    url: str | None = None
    timeout: float = 30.0
    max_redirects: int = 5
    max_record_bytes: int = 8 * 1024 * 1024
    max_elements: int = 200_000
    max_entries: int = 5_000
    min_text_chars: int = 25
    sandbox: bool = True
    parse_timeout: float = 30.0
    parse_memory: int = 1536 * 1024 * 1024
    drop_off_topic: bool = False
