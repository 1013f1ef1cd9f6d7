"""Cheap text features for near-duplicate detection: content words, shingles, quotes, numbers, names.

Rewriters swap function words, reorder sentences and garble names; what survives is the run of
content words, the quotes, and the figures. Everything here is a pure function of the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from treatywatch.provenance.data import stopwords

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+", re.UNICODE)
_QUOTE = re.compile(r"[\"“”«„](?P<q>[^\"“”«»„]{20,600})[\"“”»]")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
SHINGLE_SIZE = 2


def fold(text: str) -> str:
    """Lower case, no accents: "Zelenskyy" and "Zelenskyý" fold to the same letters."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def content_words(text: str) -> list[str]:
    """The folded words of a text without function words, lightly stemmed (plural ``s``)."""
    stop = stopwords()
    words = []
    for word in _WORD.findall(fold(text)):
        word = word.replace(",", "")
        if word in stop or (len(word) < 2 and not word.isdigit()):
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words


def shingles(words: list[str], size: int = SHINGLE_SIZE) -> set[str]:
    """Word n-grams of the content words (the unit MinHash compares)."""
    if len(words) < size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def quotes(text: str) -> list[str]:
    """Direct quotes (20+ characters between quotation marks)."""
    return [m.group("q").strip() for m in _QUOTE.finditer(text)]


def distinctive_numbers(text: str) -> set[str]:
    """Figures that identify a report: not years, not small counts; separators removed."""
    out = set()
    for raw in _NUMBER.findall(text):
        digits = raw.replace(",", "")
        if _YEAR.match(digits):
            continue
        try:
            value = float(digits)
        except ValueError:
            continue
        if value > 10 or "." in digits:
            out.add(digits.rstrip("0").rstrip(".") if "." in digits else digits)
    return out


def names(text: str) -> set[str]:
    """Capitalised words inside sentences (people, places, bodies): what spinners garble.

    A word right after a sentence end, a line start or an opening quote is not counted: its
    capital says nothing.
    """
    out = set()
    for match in _TOKEN.finditer(text):
        word = match.group(0)
        if len(word) < 3 or not word[0].isupper() or word.isupper():
            continue
        before = text[max(0, match.start() - 10) : match.start()].rstrip()
        if before and before[-1] not in ".!?\"“«(":
            out.add(word)
    return out


def quote_shingles(quote_texts: Iterable[str]) -> set[str]:
    """Content-word trigrams of the quotes: a shared trigram is a shared distinctive phrase."""
    out: set[str] = set()
    for quote in quote_texts:
        out |= shingles(content_words(quote), 3)
    return out
