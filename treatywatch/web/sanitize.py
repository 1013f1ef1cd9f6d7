"""The stored page HTML made safe to show to an analyst (docs/reliability.md#bad-inputs row 9, docs/reliability.md#design-choices item 4).

Everything else the app shows is text, escaped by Jinja. This module is the one place where
HTML from the outside reaches a page, and only through nh3 (ammonia) with an allow-list:
text-structure elements only (no script, style, iframe, object, embed, svg, math, form, img),
no ``style``/``on*``/``id``/``class`` attributes, link schemes http, https and mailto only,
relative links resolved against the article's own URL, and every link
``rel="noopener noreferrer nofollow"``. The page is served with the app's usual CSP on top.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "i", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "s",
    "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul",
})
# Removed together with everything inside them (script text, frame fallbacks, inline SVG).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "svg", "math", "noscript", "template", "frameset",
    "frame", "applet", "head", "title", "textarea", "select", "button",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
MAX_SPAN = 1000


def _bounded_span(tag: str, attribute: str, value: str) -> str | None:
    """Drop absurd colspan/rowspan values (trafilatura #657: 9007199254740991 columns)."""
    if attribute in ("colspan", "rowspan"):
        return value if value.isdigit() and 0 < int(value) <= MAX_SPAN else None
    return value


def _base(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def clean_html(html: str, base_url: str | None = None) -> Markup:
    """``html`` reduced to the allow-list above; relative links resolved against ``base_url``."""
    base = _base(base_url)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_bounded_span,
        strip_comments=True,
        link_rel=LINK_REL,
        url_schemes=set(URL_SCHEMES),
        url_relative=("rewrite_with_base", base) if base else "deny",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 output is the sanitised markup this module exists to make


def decode_page(raw: bytes, encoding: str | None = None) -> str:
    """The stored bytes as text: in the encoding detected at ingest if known, else UTF-8; bad bytes → U+FFFD."""
    name = "utf-8"
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            name = "utf-8"
    return raw.decode(name, errors="replace").replace("\x00", "\ufffd")


@dataclass(frozen=True)
class Original:
    """What the "original page" view shows: sanitised ``html`` or escaped ``text``, and a note."""

    html: Markup | None
    text: str | None
    note: str


_PAGE_KINDS = ("html", "warc")
_FEED_KINDS = ("rss", "atom", "feed")


def _feed_entry(raw: bytes, base: str | None) -> Original:
    try:
        entry = json.loads(raw.decode("utf-8", "replace"))
        content, mime = str(entry.get("content") or ""), str(entry.get("type") or "text/html")
    except (ValueError, AttributeError):
        return Original(None, decode_page(raw), "The stored feed entry, as text.")
    if mime == "text/plain":
        return Original(None, content, "The feed entry's content (plain text); feeds carry no page.")
    return Original(clean_html(content, base), None,
                    "The feed entry's HTML content, sanitised; feeds carry no original page.")


def original_of(raw: bytes | None, kind: str | None, encoding: str | None, url: str | None) -> Original:
    """The stored input of an article, made safe to show, by how it was read."""
    if raw is None:
        return Original(None, None, "No original input was stored for this article, so only the extracted "
                        "text can be shown.")
    if kind in _PAGE_KINDS:
        return Original(clean_html(decode_page(raw, encoding), url), None,
                        "The page as fetched, sanitised: scripts, styles, frames, forms, images and event "
                        "handlers are removed, and links lead to the original site.")
    if kind in _FEED_KINDS:
        return _feed_entry(raw, url)
    return Original(None, decode_page(raw, encoding),
                    f"This article was read from {kind or 'an input'} without a page; the stored input is "
                    "shown as text.")
