"""Readers for one HTML page and one plain-text file, and the user-given metadata they use.

User metadata comes from the command line (``--url``, ``--published``: ``IngestOptions``) or a
sidecar file ``<name>.meta.json`` beside the input; the command line wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from treatywatch.errors import IngestError
from treatywatch.ingest.build import ArticleDraft, ReadContext, finish_article, iso_date
from treatywatch.ingest.decoding import decode_bytes, strip_controls
from treatywatch.ingest.htmlclean import (
    HTML_EXTRACTOR_VERSIONS,
    CleanPage,
    clean_html_job,
    count_elements,
)
from treatywatch.models import Article, Rejection

MAX_TITLE_LINE = 150
MAX_TITLE_WORDS = 20
MAX_SIDECAR_BYTES = 64 * 1024
SIDECAR_KEYS = frozenset({"url", "published", "title", "source"})


@dataclass(frozen=True)
class UserMeta:
    """Metadata a person gave for an input (sidecar or command line)."""

    url: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None


def sidecar_path(path: Path) -> Path | None:
    """``story.meta.json`` or ``story.txt.meta.json`` beside ``story.txt``, if present."""
    for candidate in (path.with_name(path.name + ".meta.json"), path.with_suffix(".meta.json")):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def load_sidecar(path: Path) -> UserMeta:
    """Read and validate a sidecar. Raises ``IngestError('malformed_record')``."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SIDECAR_BYTES + 1)
        if len(data) > MAX_SIDECAR_BYTES:
            raise IngestError("malformed_record", f"sidecar {path.name} is over 64 KiB")
        document = json.loads(decode_bytes(data)[0].lstrip("\ufeff"))
    except (OSError, ValueError, RecursionError) as exc:
        raise IngestError("malformed_record", f"sidecar {path.name}: {exc}") from None
    if not isinstance(document, dict) or set(document) - SIDECAR_KEYS:
        raise IngestError("malformed_record", f"sidecar {path.name}: keys must be {sorted(SIDECAR_KEYS)}")
    values = {key: document.get(key) for key in SIDECAR_KEYS}
    if any(v is not None and not isinstance(v, str) for v in values.values()):
        raise IngestError("malformed_record", f"sidecar {path.name}: values must be strings")
    return UserMeta(**values)


def merged_meta(context: ReadContext, sidecar: UserMeta | None) -> UserMeta:
    """Command-line values over sidecar values."""
    side = sidecar or UserMeta()
    return UserMeta(
        url=context.options.url or side.url,
        published=context.options.published or side.published,
        title=side.title,
        source=side.source,
    )


def clean_page(raw: bytes, url: str | None, context: ReadContext, charset: str | None = None) -> CleanPage:
    """``clean_html`` under the run's sandbox; the tag-count pre-check runs here first, so a tag
    flood is refused before its bytes are even sent to the child."""
    limit = context.options.max_elements
    tags = count_elements(raw)
    if tags > limit:
        raise IngestError("too_many_elements", f"{tags} tags, more than the limit of {limit}")
    page: CleanPage = context.parse(clean_html_job, raw, url, limit, charset).single()
    return page


def read_html(
    location: str,
    raw: bytes,
    context: ReadContext,
    *,
    meta: UserMeta,
    charset: str | None = None,
) -> list[Article | Rejection]:
    """One page → one article. The page's own date wins over a user-given one."""
    page = clean_page(raw, meta.url, context, charset)
    published, published_from = page.published, page.published_from
    if not published and iso_date(meta.published):
        published, published_from = iso_date(meta.published), "user"
    draft = ArticleDraft(
        text=page.text,
        raw=raw,
        input_kind="html",
        encoding=page.encoding,
        url=meta.url or page.canonical_url,
        canonical_url=page.canonical_url,
        title=page.title or meta.title,
        author=page.author,
        published=published,
        published_from=published_from,
        site_name=page.site_name or meta.source,
        language=page.language,
        extractor_versions=HTML_EXTRACTOR_VERSIONS,
    )
    return [finish_article(location, draft, context)]


def split_title(text: str) -> tuple[str | None, str]:
    """The first line is the title when it looks like a headline; returns (title, body).

    A short first line followed by a blank line is one. So is a short first line right above
    the text when it reads as a headline: it begins with a capital or a digit, has at most
    MAX_TITLE_WORDS words, does not end like a sentence or a clause (. , ; :), and the next
    line does not go on in lower case (as a hard-wrapped paragraph would).
    """
    lines = text.split("\n")
    first = lines[0].strip()
    if not 0 < len(first) <= MAX_TITLE_LINE or len(lines) < 2:
        return None, text
    if len(lines) >= 3 and not lines[1].strip():
        return first, "\n".join(lines[2:])
    following = lines[1].strip()
    headline = (first[0].isupper() or first[0].isdigit()) and len(first.split()) <= MAX_TITLE_WORDS \
        and not first.endswith((".", ",", ";", ":")) and bool(following) and not following[0].islower()
    return (first, "\n".join(lines[1:])) if headline else (None, text)


def read_text(
    location: str, raw: bytes, context: ReadContext, *, meta: UserMeta
) -> list[Article | Rejection]:
    """A plain-text article: optional first-line title, metadata from the user."""
    decoded, encoding = decode_bytes(raw)
    text = strip_controls(decoded).lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    title, body = split_title(text.strip("\n"))
    published = iso_date(meta.published)
    draft = ArticleDraft(
        text=body,
        raw=raw,
        input_kind="text",
        encoding=encoding,
        url=meta.url,
        canonical_url=meta.url,
        title=meta.title or title,
        published=published,
        published_from="user" if published else None,
        site_name=meta.source,
        source_domain=_domain_like(meta.source),
    )
    return [finish_article(location, draft, context)]


def _domain_like(source: str | None) -> str | None:
    """A sidecar ``source`` such as ``reuters.com`` doubles as the domain when there is no URL."""
    if source and "." in source and " " not in source.strip():
        return source.strip().lower().removeprefix("www.")
    return None
