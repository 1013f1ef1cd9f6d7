"""The parts of an article that survive rewriting and machine translation (issue 12).

A content farm's paraphrase or a translation from Russian keeps few word pairs of the original
(the bigram MinHash of ``fingerprint.py`` misses it) but keeps its skeleton: the same names
(spelled differently: Zelensky / Zelenskyy / Zelenski, Kosiniak-Kamysz / Kosinyak-Kamysh), the
same figures and dates, the same content words in the same quotes, and the headline's words.
Everything here is a pure function of the text, reduced to small integer keys so a fingerprint
stays compact: ``skeleton`` is the transliteration-blind key of a word (the rules are data,
``data/transliteration.yaml``), and every key set is hashed to 16 or 32 bits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from zlib import crc32

from treatywatch.provenance.data import months, transliteration, weekdays
from treatywatch.provenance.text import content_words, fold, names

WORD_KEYS = 800  # unique content words kept per article (a long page's tail adds noise, not proof)
SENTENCES = 40  # sentences kept per article for the alignment (the lead and body of a report)
SENTENCE_MIN_WORDS = 4
LEAD_SENTENCES = 6
LEAD_SENTENCE_WORDS = 8  # a dateline or a page's date header is not the news's date
SENTENCE_MAX_WORDS = 60
_SENTENCE = re.compile(r"(?<=[.!?;])[\"”’»]?\s+|\n+")
TITLE_MIN_WORDS = 4
TITLE_MAX_WORDS = 25
TITLE_LINES = 4
_REPEAT = re.compile(r"(.)\1+")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"


def skeleton(word: str) -> str:
    """A word's key across transliterations: folded, spelling rules applied, doubles collapsed.

    "Zelenskyy", "Zelensky" and "Zelenski" → "zelenski"; "Kamysz" and "Kamysh" → "kamish".
    Written here rather than taken from a library: the transliteration packages go from one
    script to Latin, while copies differ between two Latin spellings of one Cyrillic name.
    """
    key = fold(word).replace("'", "").replace("’", "")
    for source, target in transliteration():
        key = key.replace(source, target)
    return _REPEAT.sub(r"\1", key)


@lru_cache(maxsize=1 << 16)
def word_hash(word: str) -> int:
    """16-bit key of a word's skeleton (collisions cost ~0.1% of the words of a page). Cached:
    a language's common words are most of every page."""
    return crc32(skeleton(word).encode("utf-8")) & 0xFFFF


def word_keys(text: str) -> frozenset[int]:
    """The content words of ``text`` as 16-bit skeleton keys (the first ``WORD_KEYS`` distinct)."""
    out: list[int] = []
    seen: set[int] = set()
    for word in content_words(text):
        key = word_hash(word)
        if key not in seen:
            seen.add(key)
            out.append(key)
            if len(out) >= WORD_KEYS:
                break
    return frozenset(out)


def sentence_keys(text: str) -> tuple[frozenset[int], ...]:
    """Each sentence (and line) as the set of its content-word keys, in order: a rewrite or a
    translation keeps the order of the report and most content words of each sentence, while
    another report on the topic shares a background sentence or two. Sentences of fewer than
    ``SENTENCE_MIN_WORDS`` content words (bylines, furniture) are left out."""
    out = []
    for sentence in _SENTENCE.split(text):
        keys = {word_hash(w) for w in content_words(sentence)[:SENTENCE_MAX_WORDS]}
        if len(keys) >= SENTENCE_MIN_WORDS:
            out.append(frozenset(keys))
            if len(out) >= SENTENCES:
                break
    return tuple(out)


def name_keys(text: str) -> frozenset[int]:
    """Names (capitalised words inside sentences, parts of hyphenated names apart) as 32-bit keys.

    Month and weekday names are dates, not actors, and are left to `date_keys`.
    """
    calendar = _calendar_words()
    out = set()
    for name in names(text):
        for part in name.replace("’", "'").split("-"):
            part = part.split("'")[0]
            if len(part) >= 3 and fold(part) not in calendar:
                out.add(crc32(skeleton(part).encode("utf-8")))
    return frozenset(out)


def gist_keys(quote_texts: Iterable[str]) -> frozenset[int]:
    """The content words of the quotes: a paraphrased or translated quote keeps most of them."""
    return frozenset(word_hash(w) for quote in quote_texts for w in content_words(quote) if not w.isdigit())


def title_of(text: str, title: str | None) -> str | None:
    """The headline: the article's own, else the first short line of the top lines that is not a
    sentence (page furniture such as "ADVERTISEMENT" is too short to be taken for it)."""
    if title:
        return title
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    for line in lines[: min(TITLE_LINES, len(lines) - 1)]:  # a headline is followed by the body
        if TITLE_MIN_WORDS <= len(line.split()) <= TITLE_MAX_WORDS and not line.endswith((".", ":", "\"", "”")):
            return line
    return None


def title_keys(text: str, title: str | None) -> frozenset[int]:
    headline = title_of(text, title)
    return frozenset(word_hash(w) for w in content_words(headline)) if headline else frozenset()


def date_keys(text: str) -> frozenset[str]:
    """Calendar dates written in the text ("July 29", "29 July", "Aug. 10") as ``MM-DD``."""
    out = set()
    for match in _date_pattern().finditer(text):
        month = months()[fold(match.group("month") or match.group("month2")).rstrip(".")]
        day = int(match.group("day") or match.group("day2"))
        if 1 <= day <= 31:
            out.add(f"{month:02d}-{day:02d}")
    return frozenset(out)


def published_key(published: str | None) -> frozenset[str]:
    """The ``MM-DD`` key of an ISO publication date (none when absent or malformed)."""
    value = (published or "")[5:10]
    return frozenset({value}) if re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", value) else frozenset()


def lead_text(text: str) -> str:
    """The first ``LEAD_SENTENCES`` sentences of ``LEAD_SENTENCE_WORDS`` words or more (where a
    report says when its news happened)."""
    parts = [p for p in _SENTENCE.split(text.strip()) if len(p.split()) >= LEAD_SENTENCE_WORDS]
    return " ".join(parts[:LEAD_SENTENCES])


@cache
def _date_pattern() -> re.Pattern[str]:
    # Capitalised as written ("May 5", "MAY 5"): "may 2" in running text is a verb and a count.
    forms = {form for m in months() for form in (m.capitalize(), m.upper())}
    names_ = "|".join(sorted((re.escape(m) for m in forms), key=len, reverse=True))
    month = rf"(?P<month>(?:{names_})\.?)"
    day2 = _DAY.replace("day", "day2")
    return re.compile(rf"\b(?:{month}\s+{_DAY}\b|{day2}\s+(?P<month2>(?:{names_}))\b)")


@cache
def _calendar_words() -> frozenset[str]:
    return frozenset(months()) | weekdays()
