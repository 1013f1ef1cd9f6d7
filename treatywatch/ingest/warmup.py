"""The sandbox child's warm-up: import every parser and run each once on a tiny input.

``ReadContext`` hands this function to the sandbox (``ingest.sandbox``), which sends it to each
new child before its first job, so that job's deadline measures parsing rather than lazy imports
and regex compilation. It lives apart from the sandbox so that the sandbox imports no parser
and the parsers' modules (feeds, pages, WARCs) never have to be imported back by it.
"""

from __future__ import annotations

from treatywatch.ingest.feeds import parse_feed_document
from treatywatch.ingest.htmlclean import clean_html

_PAGE = b"<html><body><article><p>The committee met on 2 March 2025 to discuss the convention.</p></article></body></html>"
_FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>t</title><description>d</description></item></channel></rss>'


def warm_up_parsers() -> None:
    """Run the HTML cleaner and the feed parser once (their imports, caches and regexes)."""
    clean_html(_PAGE, "https://example.org/a")
    parse_feed_document(_FEED, "rss", "utf-8", 1)
