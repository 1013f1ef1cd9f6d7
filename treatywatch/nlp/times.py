"""The ``treatywatch_times`` component: dates resolved against the publication date.

Recognition is a set of regular expressions built from ``times.yaml`` (month and weekday names,
relative phrases); resolution is in timeresolve.py. Each result keeps its grain (day, month,
year, decade). Durations ("a six-month period", "for three years") are not dates and are not
emitted. Bare month names and weekdays are resolved by the tense of the verb that governs them
("in August" is the last August, "will ... in August" the next one). Writes ``doc._.tw_times``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from treatywatch.models import TimeExpr
from treatywatch.nlp import timeresolve as tr
from treatywatch.nlp.resources import load_yaml

if not Doc.has_extension("tw_times"):
    Doc.set_extension("tw_times", default=None)
if not Doc.has_extension("tw_published"):
    Doc.set_extension("tw_published", default=None)

_NOT_YEAR_AFTER = re.compile(r"\s*(?:-?(?:km|mm|kg|m|mi|per\b|%)|,\d|\.\d|\s?(?:people|mines|troops|soldiers|"
                             r"units|tonnes|tons|dollars|euros|metres|meters|kilometres|"
                             r"kilometers|miles|hectares|square|times)\b)")
_NOT_YEAR_BEFORE = re.compile(r"(?:[$€£#]|No\.?\s|Article\s|article\s|Resolution\s|Protocol\s|"
                              r"page\s|\d[,.])\s*$")


def _alternation(words: list[str], flags: str = "") -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class TimePatterns:
    """Compiled recognisers for each kind of time expression."""

    def __init__(self, vocab: dict[str, Any]) -> None:
        self.months = {k: int(v) for k, v in vocab["months"].items()}
        self.weekdays = {k: int(v) for k, v in vocab["weekdays"].items()}
        self.relative = {k: (v[0], int(v[1])) for k, v in vocab["relative"].items()}
        self.future_aux = set(vocab["future_auxiliaries"])
        self.future_gov = set(vocab["future_governors"])
        self.ago_units = dict(vocab["ago_units"])
        month = r"(?P<month>" + "|".join(sorted((m.capitalize() for m in self.months), key=len, reverse=True)) + r")\.?"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        year = r"(?P<year>1[5-9]\d\d|20\d\d)"
        lead = _alternation(list(vocab["month_lead_words"]))
        weekday = "|".join(w.capitalize() for w in self.weekdays)
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b")),
            ("numeric", re.compile(r"\b[0-3]?\d[./][01]?\d[./](?:19|20)\d\d\b")),
            ("dmy", re.compile(rf"\b{day}\s+(?:of\s+)?{month},?\s+{year}\b")),
            ("mdy", re.compile(rf"\b{month}\s+{day},?\s+{year}\b")),
            ("dm", re.compile(rf"\b{day}\s+(?:of\s+)?{month}(?![a-z])")),
            ("md", re.compile(rf"\b{month}\s+{day}\b(?!\s*(?:,\s*)?\d)")),
            ("my", re.compile(rf"\b(?:(?:early|mid|late)[\s-]+)?{month},?\s+(?:of\s+)?{year}\b")),
            ("decade", re.compile(r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<decade>(?:1[5-9]|20)\d0)s\b")),
            ("decade2", re.compile(r"(?:\bthe\s+)?(?:(?:early|mid|late)[\s-]+)?['’](?P<decade>\d0)s\b")),
            ("year", re.compile(rf"(?:\b(?:early|mid|late)[\s-]+|\bmid-)?(?<![\d,.$€£-]){year}\b(?![-–]\d)")),
            ("weekday", re.compile(rf"\b(?:(?P<mod>last|next|this|Last|Next|This)\s+)?(?P<weekday>{weekday})\b")),
            ("month", re.compile(rf"\b(?P<lead>{lead})[\s-]+(?:(?P<mod>early|mid|late|last|next|this)[\s-]+)?{month}(?![a-z])", re.I)),
            ("relative", re.compile(rf"\b(?:{_alternation(list(self.relative))})(?![\w])", re.I)),
            ("ago", re.compile(r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})\s+"
                               r"(?P<unit>years?|months?|days?)\s+ago\b", re.I)),
        ]

    def find(self, text: str) -> Iterator[tuple[str, re.Match[str]]]:
        for kind, pattern in self.patterns:
            for match in pattern.finditer(text):
                yield kind, match
