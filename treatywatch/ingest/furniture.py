"""Page furniture removal (issue 2 item 4): drop lines of a cleaned page that are not the story.

Two rules. The named patterns of ``data/furniture.yaml`` (each must match a whole line) catch
the chrome every site has: "Follow us on ...", "Read more: ...", photo credits, tag lists.
``RecurringLines`` catches the chrome of one site: a short line seen on three or more distinct
pages of the same domain (a slogan, a section name, a byline box) is furniture on that site.
Removed lines are returned, in order, so the article keeps them for audit (``Article.removed``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator

from treatywatch.datafile import DataModel, read_yaml, shown, validate

DEFAULT_MAX_LEN = 200
RECURRING_MAX_LEN = 80
RECURRING_THRESHOLD = 3
_WS = re.compile(r"\s+")
_SENTENCE_END = (".", "!", "?", '"', "\u201d", "'", "\u2019", ":")


@dataclass(frozen=True)
class FurniturePattern:
    """One named whole-line pattern, and the longest line it may remove."""

    name: str
    regex: re.Pattern[str]
    max_len: int = DEFAULT_MAX_LEN

    def matches(self, line: str) -> bool:
        return len(line) <= self.max_len and self.regex.fullmatch(line) is not None


class PatternEntry(DataModel):
    name: str = Field(min_length=1)
    pattern: str
    max_len: int = Field(DEFAULT_MAX_LEN, gt=0)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value, re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"bad regex: {exc}") from None
        return value


class FurnitureFile(DataModel):
    """``furniture.yaml``: ``{version: 1, patterns: [{name, pattern, max_len?}]}``."""

    version: Literal[1]
    patterns: tuple[PatternEntry, ...] = Field(min_length=1)

    @field_validator("patterns")
    @classmethod
    def _unique_names(cls, patterns: tuple[PatternEntry, ...]) -> tuple[PatternEntry, ...]:
        names = [p.name for p in patterns]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"duplicate pattern names {repeated}")
        return patterns


def parse_patterns(document: Any, where: str = "furniture patterns") -> tuple[FurniturePattern, ...]:
    """Validate a furniture document; raises `DataFileError` naming the bad field: a broken data
    file must fail loudly at load, not silently remove nothing."""
    patterns = validate(FurnitureFile, document, where).patterns
    return tuple(FurniturePattern(p.name, re.compile(p.pattern, re.IGNORECASE), p.max_len) for p in patterns)


@lru_cache(maxsize=1)
def default_patterns() -> tuple[FurniturePattern, ...]:
    """The patterns shipped in ``treatywatch/ingest/data/furniture.yaml``."""
    path = Path(__file__).parent / "data" / "furniture.yaml"
    return parse_patterns(read_yaml(path), shown(path))


def furniture_pattern_for(line: str, patterns: Sequence[FurniturePattern]) -> str | None:
    """Name of the first pattern that matches the whole (stripped) line, or None."""
    stripped = line.strip()
    for pattern in patterns:
        if pattern.matches(stripped):
            return pattern.name
    return None


def normalise_line(line: str) -> str:
    """The form recurring lines are counted in: NFKC, case-folded, whitespace collapsed."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", line)).strip().casefold()


class RecurringLines:
    """Per-domain counts of short lines, shared across the inputs of one run.

    ``observe`` is called once per page; a line counts once per page however often it occurs.
    A short line seen on ``threshold`` or more distinct pages of one domain is furniture there.
    Lines that end like a sentence are never counted: a wire story re-posted on one site
    repeats its short sentences, and they are the story, not the site's chrome.
    Results depend on the order pages are seen (the first pages of a site keep the line).
    """

    def __init__(self, threshold: int = RECURRING_THRESHOLD, max_len: int = RECURRING_MAX_LEN):
        self.threshold = threshold
        self.max_len = max_len
        self._counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def observe(self, domain: str, lines: Iterable[str]) -> None:
        """Count each distinct short line of one page of ``domain``."""
        counts = self._counts[domain]
        for key in {normalise_line(line) for line in lines if self._short(line)}:
            counts[key] += 1

    def is_furniture(self, domain: str, line: str) -> bool:
        """True when this short line was seen on ``threshold``+ distinct pages of ``domain``."""
        if not self._short(line) or domain not in self._counts:
            return False
        return self._counts[domain].get(normalise_line(line), 0) >= self.threshold

    def _short(self, line: str) -> bool:
        """A candidate: short, and not a sentence (a story line ends with . ! ? or a quote)."""
        stripped = line.strip()
        return 0 < len(stripped) <= self.max_len and not stripped.endswith(_SENTENCE_END)


def remove_furniture(
    lines: Sequence[str],
    *,
    domain: str | None = None,
    recurring: RecurringLines | None = None,
    patterns: Sequence[FurniturePattern] | None = None,
) -> tuple[list[str], list[str]]:
    """Split cleaned lines into (kept, removed), both in their original order.

    Blank lines are dropped (they carry nothing). Pattern matches are removed first; the lines
    left are then counted for ``domain`` and removed when they recur across pages of that site.
    """
    active = default_patterns() if patterns is None else patterns
    candidates: list[tuple[int, str]] = []
    removed: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if furniture_pattern_for(stripped, active):
            removed.append((index, stripped))
        else:
            candidates.append((index, stripped))
    kept = candidates
    if recurring is not None and domain:
        recurring.observe(domain, (line for _, line in candidates))
        kept = [(i, ln) for i, ln in candidates if not recurring.is_furniture(domain, ln)]
        kept_indices = {i for i, _ in kept}
        removed += [(i, ln) for i, ln in candidates if i not in kept_indices]
        removed.sort()
    return [ln for _, ln in kept], [ln for _, ln in removed]
