"""Quotation-mark pairing on raw text: “ ” " " « » ‘ ’ „ “ ‹ ›.

An opening mark must stand at a word start and a closing mark at a word end, so apostrophes
("don’t", "Ukraine’s") are never taken for quotes. A quote's inner quotes (‘ ’ inside “ ”) stay
inside it. A quote that is not closed before its paragraph ends is closed there (the newspaper
convention for quotes running over several paragraphs), if it is long enough to be speech.
"""

from __future__ import annotations

from dataclasses import dataclass

PAIRS = {"“": "”", "„": "“”", "«": "»", "‹": "›", '"': '"', "‘": "’", "‚": "‘’"}
_OPEN_BEFORE = set(" \t\n([{—–-:/") | {""}
_MAX_QUOTE = 3000
_MIN_UNCLOSED_WORDS = 5


@dataclass(frozen=True)
class QuoteSpan:
    """Offsets of one quotation: marks at ``open`` and ``close - 1``, content [start, end)."""

    open: int
    close: int
    start: int
    end: int
    content: str


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return (before in _OPEN_BEFORE or not before.isalnum()) and after != "" and not after.isspace()


def _can_close(text: str, j: int) -> bool:
    before = text[j - 1] if j > 0 else ""
    after = text[j + 1] if j + 1 < len(text) else ""
    return not before.isspace() and not after.isalnum()


def _paragraph_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _find_close(text: str, i: int, closers: str) -> tuple[int, bool]:
    """Index of the closing mark (or of the paragraph end) and whether it was a real mark."""
    limit = min(_paragraph_end(text, i + 1), i + _MAX_QUOTE)
    j = i + 1
    while j < limit:
        if text[j] in closers and _can_close(text, j):
            return j, True
        j += 1
    return limit, False


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """All outermost quotations in text order."""
    spans: list[QuoteSpan] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char not in PAIRS or not _can_open(text, i):
            i += 1
            continue
        j, closed = _find_close(text, i, PAIRS[char])
        content = text[i + 1:j]
        if not closed and len(content.split()) < _MIN_UNCLOSED_WORDS:
            i += 1
            continue
        stripped = content.strip().rstrip(",").rstrip()
        if stripped:
            start = i + 1 + (len(content) - len(content.lstrip()))
            spans.append(QuoteSpan(i, j + 1 if closed else j, start, start + len(stripped), stripped))
        i = j + 1
    return spans
