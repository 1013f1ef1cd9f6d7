"""Turn what a reader found (an ``ArticleDraft``) into an ``Article`` or a ``Rejection``.

Every input kind ends here, so furniture removal, the content-hash id, the source domain and the
"never an empty article" rule are applied the same way to pages, feed entries, JSONL records and
WARC records.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from tld import get_fld

from treatywatch.ingest.furniture import RecurringLines, remove_furniture
from treatywatch.ingest.options import INGEST_VERSION, IngestOptions
from treatywatch.models import (
    Article,
    Rejection,
    Source,
    article_id_for,
    normalise_text,
    sha256_bytes,
)

_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class ReadContext:
    """What is shared by every record of one ``read_input`` call."""

    options: IngestOptions
    first_seen: str
    recurring: RecurringLines | None = None


@dataclass(frozen=True)
class ArticleDraft:
    """A candidate article before furniture removal: text lines joined by ``\\n``, and metadata."""

    text: str
    raw: bytes
    input_kind: str
    record: str | None = None
    encoding: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_from: str | None = None
    site_name: str | None = None
    language: str | None = None
    source_domain: str | None = None
    extractor_versions: tuple[tuple[str, str], ...] = field(default=())


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def registrable_domain(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/x`` → ``bbc.co.uk``; IP hosts and unknown suffixes as the host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return _domain_of_host(host.rstrip(".").lower())


@lru_cache(maxsize=4096)
def _domain_of_host(host: str) -> str:
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    found = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(found, str) and found:
        return found
    return host.removeprefix("www.")


def language_code(value: str | None) -> str | None:
    """The primary subtag of a BCP 47-like tag (``en-GB`` → ``en``); None for anything else
    (a feed's ``<language>2025</language>``, a JSONL ``"language": "English"``)."""
    match = _LANGUAGE_TAG.match(value.strip()) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def finish_article(location: str, draft: ArticleDraft, context: ReadContext) -> Article | Rejection:
    """Remove furniture, compute the id, and refuse an article that is empty after cleaning."""
    domain = registrable_domain(draft.canonical_url or draft.url) or draft.source_domain
    kept, removed = remove_furniture(
        draft.text.split("\n"), domain=domain, recurring=context.recurring
    )
    text = "\n".join(kept)
    size = len(normalise_text(text))
    if size < max(1, context.options.min_text_chars):
        what = f"{size} characters left, {len(removed)} furniture lines removed"
        return Rejection(location, "extraction_empty", f"empty after cleaning ({what})", draft.record)
    return Article(
        id=article_id_for(text),
        text=text,
        url=draft.url,
        canonical_url=draft.canonical_url,
        source=Source(domain, draft.site_name) if domain else None,
        title=draft.title,
        author=draft.author,
        published=draft.published,
        published_from=draft.published_from if draft.published else None,
        language=language_code(draft.language),
        removed=tuple(removed),
        raw_sha256=sha256_bytes(draft.raw),
        first_seen=context.first_seen,
        input_kind=draft.input_kind,
        encoding=draft.encoding,
        extractor_versions=(("treatywatch.ingest", INGEST_VERSION), *draft.extractor_versions),
        raw=draft.raw,
    )
