"""Untrusted HTML to clean text plus metadata, as one pure function.

``clean_html(raw, url)`` decodes the bytes, refuses tag floods before any parser sees them, and
runs trafilatura (main text, comments dropped, tables kept) with htmldate for the publication
date. It has no side effects and returns plain data, so ``ingest.sandbox`` runs it in a child
process under memory and time limits (``clean_html_job``).

A page nested deeper than libxml2's default limit (256) loses everything below that depth; when
the parser reports that limit, the page is parsed once more with
``huge_tree=True`` (only ever under the sandbox's limits), so the text is recovered or the page
ends as ``extraction_empty``, never as an empty article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import htmldate
import lxml.html
import trafilatura
from htmldate import find_date
from lxml.etree import ParserError
from trafilatura.settings import Document

from treatywatch.errors import IngestError
from treatywatch.ingest.decoding import decode_bytes, strip_controls

DEFAULT_MAX_ELEMENTS = 200_000
HTML_EXTRACTOR_VERSIONS = (
    ("trafilatura", trafilatura.__version__),
    ("htmldate", htmldate.__version__),
)
_LANG = re.compile(r"<html\b[^>]{0,400}?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)
_URL_DATE = re.compile(r"/(\d{4})[/-](\d{2})[/-](\d{2})(?:/|-|$)")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_BLOCK_TAGS = frozenset(
    ["p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "hr"]
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "svg")
_PARSER_OPTIONS = {"collect_ids": False, "default_doctype": False, "remove_comments": True, "remove_pis": True}
_DEPTH_ERROR = "Excessive depth"


@dataclass(frozen=True)
class CleanPage:
    """What one HTML page yields: the main text (lines joined by ``\\n``) and its metadata."""

    text: str
    encoding: str
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_from: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None


def count_elements(raw: bytes) -> int:
    """Cheap upper bound of the number of tags: the count of ``<`` bytes."""
    return raw.count(b"<")


def decode_html(raw: bytes, charset: str | None = None) -> tuple[str, str]:
    """Decoded, control-free markup without an XML declaration (lxml refuses it in a str)."""
    text, encoding = decode_bytes(raw, charset)
    return _XML_DECL.sub("", strip_controls(text), count=1), encoding


def clean_html(
    raw: bytes,
    url: str | None,
    *,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    charset: str | None = None,
) -> CleanPage:
    """Extract the article of one page. Raises ``IngestError`` (``too_many_elements``)."""
    tags = count_elements(raw)
    if tags > max_elements:
        raise IngestError("too_many_elements", f"{tags} tags, more than the limit of {max_elements}")
    markup, encoding = decode_html(raw, charset)
    doc = _extract(markup, url)
    if _too_deep(markup):
        doc = _extract(_huge_tree(markup), url) or doc
    if not isinstance(doc, Document):
        return CleanPage(text="", encoding=encoding, language=_language(markup))
    published, published_from = _date(doc.date, doc.url or url, markup)
    return CleanPage(
        text=strip_controls(doc.text or ""),
        encoding=encoding,
        title=_clean_field(doc.title),
        author=_clean_field(doc.author),
        published=published,
        published_from=published_from,
        canonical_url=doc.url or url,
        site_name=_clean_field(doc.sitename),
        language=_language(markup),
    )


def clean_html_job(raw: bytes, url: str | None, max_elements: int, charset: str | None) -> CleanPage:
    """``clean_html`` with positional arguments: the job the sandbox child runs."""
    return clean_html(raw, url, max_elements=max_elements, charset=charset)


def _extract(markup: str | lxml.html.HtmlElement, url: str | None) -> Document | None:
    try:
        doc = trafilatura.bare_extraction(
            markup,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except (ValueError, ParserError) as exc:
        raise IngestError("parse_error", f"HTML could not be parsed: {type(exc).__name__}") from None
    return doc if isinstance(doc, Document) else None


def _too_deep(markup: str) -> bool:
    """Whether libxml2 stopped at its nesting limit on this page (cheap: a parse, no extraction)."""
    parser = lxml.html.HTMLParser(**_PARSER_OPTIONS)
    try:
        lxml.html.document_fromstring(markup, parser=parser)
    except (ValueError, ParserError):
        return False
    return any(_DEPTH_ERROR in str(entry.message) for entry in parser.error_log)


def _huge_tree(markup: str) -> lxml.html.HtmlElement | str:
    """The page parsed without libxml2's depth limit (the markup itself if that fails)."""
    try:
        return lxml.html.document_fromstring(markup, parser=lxml.html.HTMLParser(huge_tree=True, **_PARSER_OPTIONS))
    except (ValueError, ParserError):
        return markup


def _clean_field(value: str | None) -> str | None:
    if not value:
        return None
    value = " ".join(strip_controls(value).split())
    return value or None


def _language(markup: str) -> str | None:
    match = _LANG.search(markup[:8192])
    return match.group(1).lower() if match else None


def _date(found: str | None, url: str | None, markup: str) -> tuple[str | None, str | None]:
    """The page date and which signal gave it: ``url``, ``page_metadata`` or ``text``.

    A date that htmldate found and that also appears in the URL is credited to the URL only
    when the markup itself does not carry it.
    """
    if found:
        match = _URL_DATE.search(url or "")
        if match and "-".join(match.groups()) == found and found not in markup:
            return found, "url"
        return found, "page_metadata"
    try:
        from_text = find_date(markup, extensive_search=True, original_date=True)
    except Exception:  # htmldate re-parses hostile markup; a failure only means "no date"
        return None, None
    return (from_text, "text") if from_text else (None, None)


def fragment_to_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed entry's content), one block element per line."""
    fragment = strip_controls(fragment)
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for bad in list(root.iter(*_DROP_TAGS)):
        bad.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return "\n".join(line for line in lines if line)
