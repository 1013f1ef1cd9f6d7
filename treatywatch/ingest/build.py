"""Turn what a reader found (an ``ArticleDraft``) into an ``Article`` or a ``Rejection``.

Every input kind ends here, so furniture removal, the content-hash id, the source domain and the
"never an empty article" rule are applied the same way to pages, feed entries, JSONL records and
WARC records. So is field hygiene: no control characters or lone surrogates in any text field,
titles on one line, a date only if it is ISO 8601 (or RFC 2822, normalised), a language only if
it is a language tag (stored as its primary subtag).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from tld import get_fld

from treatywatch.ingest.decoding import strip_controls
from treatywatch.ingest.furniture import RecurringLines, remove_furniture
from treatywatch.ingest.options import INGEST_VERSION, IngestOptions
from treatywatch.ingest.sandbox import Outcome, run_parse
from treatywatch.models import (
    Article,
    Rejection,
    Source,
    article_id_for,
    normalise_text,
    sha256_bytes,
)

_BAD_HOST = re.compile(r"[\x00-\x20\x7f/\\]")
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class ReadContext:
    """What is shared by every record of one ``read_input`` call.

    Readers run their parse jobs through ``parse`` (the sandbox or in-process, as ``options``
    say) rather than importing the sandbox, which receives its ``warm_up`` from the caller.
    ``seen`` answers which content hashes the caller's knowledge base recorded as dropped
    (pages skipped before scoring, when ``options.drop_off_topic``).
    """

    options: IngestOptions
    first_seen: str
    recurring: RecurringLines | None = None
    warm_up: Callable[[], object] | None = None
    seen: Callable[[list[str]], Collection[str]] | None = None

    def parse(self, job: Callable[..., Any], *args: Any) -> Outcome:
        """Run one pure parse job under the run's isolation (``ingest.sandbox``)."""
        return run_parse(self.options, job, *args, warm_up=self.warm_up)


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
    if not host or len(host) > 253 or _BAD_HOST.search(host):
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


def iso_date(value: object) -> str | None:
    """An ISO 8601 or RFC 2822 date/datetime as ISO text; None for anything else."""
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        return None
    text = value.strip()
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text).isoformat()
        except ValueError:
            continue
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()


def _is_iso(value: str) -> bool:
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            parse(value)
            return True
        except ValueError:
            continue
    return False


def _plain(value: str) -> str:
    """Text without C0 controls and without lone surrogates (which no database accepts)."""
    return strip_controls(value).encode("utf-8", "replace").decode("utf-8")


def _one_line(value: str | None) -> str | None:
    """A title, author or site name: plain text on one line, or None when nothing is left."""
    return " ".join(_plain(value).split()) or None if isinstance(value, str) else None


def _url(value: str | None) -> str | None:
    return _plain(value).strip() or None if isinstance(value, str) else None


def _published(value: str | None) -> str | None:
    """An ISO 8601 date as given (a WARC-Date, a feed date), normalised when it is RFC 2822,
    None when it is neither: a date the status engine cannot read is no date."""
    if isinstance(value, str) and len(value) <= 40 and _is_iso(value):
        return value
    return iso_date(value)


def language_code(value: str | None) -> str | None:
    """The primary subtag of a BCP 47-like tag (``en-GB`` → ``en``); None for anything else
    (a feed's ``<language>2025</language>``, a JSONL ``"language": "English"``)."""
    match = _LANGUAGE_TAG.match(value.strip()) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def finish_article(location: str, draft: ArticleDraft, context: ReadContext) -> Article | Rejection:
    """Remove furniture, compute the id, and refuse an article that is empty after cleaning."""
    url, canonical_url = _url(draft.url), _url(draft.canonical_url)
    domain = registrable_domain(canonical_url or url) or draft.source_domain
    kept, removed = remove_furniture(
        _plain(draft.text).split("\n"), domain=domain, recurring=context.recurring
    )
    text = "\n".join(kept)
    published = _published(draft.published)
    size = len(normalise_text(text))
    if size < max(1, context.options.min_text_chars):
        what = f"{size} characters left, {len(removed)} furniture lines removed"
        return Rejection(location, "extraction_empty", f"empty after cleaning ({what})", draft.record)
    return Article(
        id=article_id_for(text),
        text=text,
        url=url,
        canonical_url=canonical_url,
        source=Source(domain, _one_line(draft.site_name)) if domain else None,
        title=_one_line(draft.title),
        author=_one_line(draft.author),
        published=published,
        published_from=draft.published_from if published else None,
        language=language_code(draft.language),
        removed=tuple(removed),
        raw_sha256=sha256_bytes(draft.raw),
        first_seen=context.first_seen,
        input_kind=draft.input_kind,
        encoding=draft.encoding,
        extractor_versions=(("treatywatch.ingest", INGEST_VERSION), *draft.extractor_versions),
        raw=draft.raw,
    )
