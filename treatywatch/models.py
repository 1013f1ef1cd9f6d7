"""The plain data objects that move between treatywatch's stages (docs/contracts.md).

Every stage takes and returns these records and nothing else: ingest produces `Article` and
`Rejection`, extraction turns an `Article` into an `Extraction`, the knowledge base stores them.
They are frozen so that a stage can never change what an earlier stage produced; the JSON forms
(`to_json`) are the public contract of docs/contracts.md#extraction-document.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from treatywatch.errors import REJECTION_CODES
from treatywatch.event_types import registry

__all__ = [
    "EVENT_TYPES",
    "EXTRACTION_SCHEMA",
    "MODALITIES",
    "Modality",
    "REJECTION_CODES",
    "TREATY_EVENT_TYPES",
    "WEAPON_EVENT_TYPES",
    "Article",
    "Entity",
    "Event",
    "Evidence",
    "Extraction",
    "Dropped",
    "InputBatch",
    "Quantity",
    "Quote",
    "Rejection",
    "Role",
    "Source",
    "StoryAssignment",
    "TimeExpr",
    "article_id_for",
    "normalise_text",
    "sha256_bytes",
]
EXTRACTION_SCHEMA = "treatywatch.extraction/1"

# The event ontology (docs/contracts.md#event-types): every event has one of these types and modalities. The
# types are defined in the event-type registry (treatywatch/data/event_types.yaml), in its order.
TREATY_EVENT_TYPES: tuple[str, ...] = registry().treaty_ids
WEAPON_EVENT_TYPES: tuple[str, ...] = registry().weapon_ids
EVENT_TYPES: tuple[str, ...] = TREATY_EVENT_TYPES + WEAPON_EVENT_TYPES
Modality = Literal["asserted", "planned", "possible", "denied", "alleged"]
MODALITIES: tuple[Modality, ...] = get_args(Modality)

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form of a text that identity is computed on: NFC, whitespace runs collapsed, stripped.

    Two pages whose clean text differs only in spacing or Unicode composition are one article.
    """
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def article_id_for(text: str) -> str:
    """Content-hash identity of an article (docs/contracts.md#article): sha256 of the normalised clean text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Source:
    """An outlet, identified by its registrable domain (``reuters.com``)."""

    domain: str
    name: str | None = None


@dataclass(frozen=True)
class Article:
    """One clean news article, the unit everything downstream works on (docs/contracts.md#article).

    ``published_from`` says which signal gave the publication date: ``user``, ``feed``,
    ``page_metadata``, ``url``, ``text``, ``warc`` or ``first_seen``.
    """

    id: str
    text: str
    url: str | None = None
    canonical_url: str | None = None
    source: Source | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_from: str | None = None
    language: str | None = None
    removed: tuple[str, ...] = ()
    raw_sha256: str | None = None
    first_seen: str | None = None
    input_kind: str | None = None
    encoding: str | None = None
    extractor_versions: tuple[tuple[str, str], ...] = ()
    raw: bytes | None = field(default=None, repr=False, compare=False)

    def summary_json(self) -> dict[str, Any]:
        """The ``article`` block of the extraction document (docs/contracts.md#extraction-document)."""
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source.domain if self.source else None,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "removed": list(self.removed),
        }


@dataclass(frozen=True)
class Rejection:
    """An input (file, URL, feed entry, WARC record, JSONL line) that could not become an article.

    ``location`` names the file or URL, ``record`` the part of it (``line 3``, ``entry 2``).
    """

    location: str
    code: str
    message: str
    record: str | None = None

    def __post_init__(self) -> None:
        if self.code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {self.code!r}")

    def one_line(self) -> str:
        where = f"{self.location} ({self.record})" if self.record else self.location
        return f"{where}: {self.code}: {self.message}"


@dataclass(frozen=True)
class Dropped:
    """A page or record (JSONL line, feed entry, WARC record) the relevance prefilter skipped
    before parsing it (issue 13), recorded as seen so that a re-crawl skips it too.

    ``content_hash`` is the sha256 of its raw bytes; ``again`` is true when the knowledge base
    had already recorded it (it was skipped without even being scored).
    """

    location: str
    content_hash: str
    record: str | None = None
    url: str | None = None
    reason: str = "off_topic"
    score: int = 0
    again: bool = False


@dataclass(frozen=True)
class InputBatch:
    """Everything read from one input (file or URL): stored in one transaction.

    ``key`` identifies the input for resuming (path or URL plus the hash of its bytes);
    ``dropped`` are its pages or records the relevance prefilter skipped before parsing.
    """

    location: str
    key: str
    articles: tuple[Article, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    dropped: tuple[Dropped, ...] = ()


@dataclass(frozen=True)
class StoryAssignment:
    """Provenance's verdict for one article: the story it joins (or starts) and its original source.

    ``original_basis`` is ``credited`` (the text names a wire/outlet) or ``earliest`` (no credit:
    the earliest member stands in). ``signature`` is the serialised MinHash kept for later joins.
    ``merged_stories`` are stories this article showed to be the same report as ``story_id``
    (it matched members of each): they are folded into ``story_id``.
    """

    article_id: str
    story_id: str
    is_new_story: bool
    similarity: float | None = None
    original_source: str | None = None
    original_basis: str | None = None
    credit_chain: tuple[str, ...] = ()
    signature: bytes | None = field(default=None, repr=False)
    merged_stories: tuple[str, ...] = ()


# --- Extraction (docs/contracts.md#extraction-document) -------------------------------------------


@dataclass(frozen=True)
class Role:
    title: str
    of: str | None = None


@dataclass(frozen=True)
class Entity:
    id: str
    type: str  # STATE, ORG, PERSON, TREATY, PLACE, WEAPON
    name: str
    mentions: tuple[tuple[int, int], ...]
    iso3: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name}
        if self.iso3:
            out["iso3"] = self.iso3
        out["aliases"] = list(self.aliases)
        out["roles"] = [asdict(r) for r in self.roles]
        out["mentions"] = [list(m) for m in self.mentions]
        return out


@dataclass(frozen=True)
class Quote:
    text: str
    span: tuple[int, int]
    kind: str  # direct, indirect, partial
    speaker: str | None = None
    speaker_name: str | None = None
    cue: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True)
class Quantity:
    text: str
    span: tuple[int, int]
    value: float
    value_max: float | None = None
    approx: bool = False
    unit: str | None = None
    per: str | None = None
    about: str | None = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True)
class TimeExpr:
    text: str
    span: tuple[int, int]
    value: str  # 2026, 2025-08, 2026-02-20, 1980s
    grain: str  # day, month, year, decade
    relative: bool = False

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["span"] = list(self.span)
        return d


@dataclass(frozen=True)
class Evidence:
    span: tuple[int, int]
    sentence: str

    def to_json(self) -> dict[str, Any]:
        return {"span": list(self.span), "sentence": self.sentence}


@dataclass(frozen=True)
class Event:
    """A typed treaty or weapons development (docs/contracts.md#event-types) with the sentence that shows it."""

    type: str
    actor: str | None
    modality: str  # asserted, planned, possible, denied, alleged
    evidence: Evidence
    confidence: float
    actor_iso3: str | None = None
    treaty: str | None = None
    weapon: str | None = None
    recipient: str | None = None
    place: str | None = None
    date: str | None = None
    quantity: dict[str, Any] | None = field(default=None, hash=False)
    attributed_to: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "actor": self.actor}
        for key in ("actor_iso3", "treaty", "weapon", "recipient", "place", "date", "quantity"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["modality"] = self.modality
        if self.attributed_to is not None:
            out["attributed_to"] = self.attributed_to
        out["evidence"] = self.evidence.to_json()
        out["confidence"] = round(self.confidence, 3)
        return out


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article: the document of docs/contracts.md#extraction-document."""

    article: Article
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    events: tuple[Event, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": EXTRACTION_SCHEMA,
            "article": self.article.summary_json(),
            "entities": [e.to_json() for e in self.entities],
            "quotes": [q.to_json() for q in self.quotes],
            "quantities": [q.to_json() for q in self.quantities],
            "times": [t.to_json() for t in self.times],
            "events": [e.to_json() for e in self.events],
        }
