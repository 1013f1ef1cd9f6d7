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

from spacy.language import Language
from spacy.tokens import Doc, Token

from treatywatch.models import TimeExpr
from treatywatch.nlp import timeresolve as tr
from treatywatch.nlp.resources import TimeVocab, load_time_vocab

if not Doc.has_extension("tw_times"):
    Doc.set_extension("tw_times", default=None)
if not Doc.has_extension("tw_published"):
    Doc.set_extension("tw_published", default=None)

_NOT_YEAR_AFTER = re.compile(r"\s*(?:-?(?:km|mm|kg|m|mi|per\b|%)|,\d|\.\d|\s?(?:people|mines|troops|soldiers|"
                             r"units|tonnes|tons|dollars|euros|metres|meters|kilometres|"
                             r"kilometers|miles|hectares|square|times)\b)")
_NOT_YEAR_BEFORE = re.compile(r"(?:[$€£#]|No\.?\s|Article\s|article\s|Resolution\s|Protocol\s|"
                              r"page\s|\d[,.])\s*$")


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class TimePatterns:
    """Compiled recognisers for each kind of time expression."""

    def __init__(self, vocab: TimeVocab) -> None:
        self.months = dict(vocab.months)
        self.weekdays = dict(vocab.weekdays)
        self.relative: dict[str, tuple[str, int]] = dict(vocab.relative)
        self.future_aux = set(vocab.future_auxiliaries)
        self.future_gov = set(vocab.future_governors)
        self.past_gov = set(vocab.past_governors)
        self.future_nouns = set(vocab.future_nouns)
        self.scheduled = set(vocab.scheduled_verbs)
        self.ago_units: dict[str, str] = dict(vocab.ago_units)
        self.anaphoric = {k.lower(): v for k, v in vocab.anaphoric_days.items()}
        self.anaphoric_pattern = re.compile(rf"\b(?:{_alternation(list(self.anaphoric))})\b", re.I) \
            if self.anaphoric else None
        names = sorted((m.capitalize() for m in self.months), key=len, reverse=True)
        abbreviations = {k.capitalize() for k in self.months
                         if any(o != k and o.startswith(k) for o in self.months)}
        month = r"(?P<month>" + "|".join(n + r"\.?" if n in abbreviations else n for n in names) + ")"
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
        year = r"(?P<year>1[5-9]\d\d|20\d\d)"
        lead = _alternation(list(vocab.month_lead_words))
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
            ("year", re.compile(rf"(?:\b(?:early|mid|late)[\s-]+|\bmid-)?(?<![\d,.$€£])(?<!(?<!\d\d\d\d)[-–]){year}\b")),
            ("year2", re.compile(r"(?<=\b(?:1[5-9]|20)\d\d[-–])(?P<short>\d\d)\b(?!-)")),
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


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10}


class TimeTagger:
    """Finds and resolves time expressions in a Doc (needs the parse for tense)."""

    def __init__(self, patterns: TimePatterns) -> None:
        self.p = patterns

    def __call__(self, doc: Doc) -> Doc:
        published = tr.parse_published(doc._.tw_published)
        found: list[TimeExpr] = []
        for kind, match in self.p.find(doc.text):
            expr = self._resolve(doc, kind, match, published)
            if expr is not None:
                found.append(expr)
        found.extend(self._anaphoric(doc.text, found, published))
        doc._.tw_times = tuple(_non_overlapping(found))
        return doc

    def _anaphoric(self, text: str, found: list[TimeExpr], published: dt.date | None) -> list[TimeExpr]:
        """ "the next morning", "the day before": counted from the last day the text named.

        Written here because dateparser resolves such phrases against today only, not against
        a date earlier in the text."""
        if self.p.anaphoric_pattern is None:
            return []
        days = sorted((t for t in found if t.grain == "day"), key=lambda t: t.span)
        out = []
        for m in self.p.anaphoric_pattern.finditer(text):
            before = [t for t in days if t.span[1] <= m.start()]
            try:
                base = dt.date.fromisoformat(before[-1].value) if before else published
            except ValueError:
                base = published
            if base is None:
                continue
            value = (base + dt.timedelta(days=self.p.anaphoric[m.group(0).lower()])).isoformat()
            out.append(TimeExpr(m.group(0), (m.start(), m.end()), value, "day", True))
        return out

    def is_future(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the verb governing the characters [start, end) speaks of the future."""
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return False
        token: Token = span.root
        for _ in range(8):
            if token.pos_ in ("VERB", "AUX"):
                verdict = self._tense(token)
                if verdict is not None:
                    return verdict
            if token.head is token:
                break
            token = token.head
        return False

    def _tense(self, verb: Token) -> bool | None:
        """True (future), False (past) or None (undecided: look further up the tree)."""
        children = list(verb.children)
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in self.p.future_aux for c in children):
            return True
        has_aux = any(c.dep_ in ("aux", "auxpass") for c in children)
        if verb.tag_ in ("VBD", "VBN") and not has_aux:
            return False
        if verb.lemma_ in self.p.future_gov:
            return True
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in children) and verb.head is not verb:
            head = verb.head
            if head.pos_ in ("VERB", "AUX"):
                return not (head.tag_ in ("VBD", "VBN") and head.lemma_ in self.p.past_gov)
            if head.lemma_ in self.p.future_nouns:
                return True
        if verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in children):
            return True  # present progressive for a scheduled event: "is taking effect on Feb. 20"
        if verb.tag_ in ("VBZ", "VBP") and verb.pos_ == "VERB" and verb.lemma_ in self.p.scheduled \
                and not any(c.lemma_ == "have" for c in children):
            return True  # scheduled present: "the exit takes effect on Feb. 20"
        if has_aux and any(c.lemma_ == "have" or c.tag_ == "VBD" for c in children):
            return False
        return None

    def _resolve(self, doc: Doc, kind: str, m: re.Match[str], published: dt.date | None) -> TimeExpr | None:
        handler = getattr(self, f"_k_{kind}")
        result = handler(doc, m, published)
        if result is None:
            return None
        start, value, grain, relative = result
        return TimeExpr(doc.text[start:m.end()], (start, m.end()), value, grain, relative)

    # --- one handler per pattern kind: return (start, value, grain, relative) or None ---------

    def _k_iso(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        try:
            value = dt.date(int(m["year"]), int(m["mon"]), int(m["day"])).isoformat()
        except ValueError:
            return None
        return m.start(), value, "day", False

    def _k_numeric(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        value = tr.parse_absolute(m.group(0))
        return (m.start(), value, "day", False) if value else None

    def _full_date(self, m: re.Match[str]) -> str | None:
        try:
            return dt.date(int(m["year"]), self.p.months[m["month"].lower().rstrip(".")], int(m["day"])).isoformat()
        except ValueError:
            return tr.parse_absolute(m.group(0))

    def _k_dmy(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        value = self._full_date(m)
        return (m.start(), value, "day", False) if value else None

    _k_mdy = _k_dmy

    def _k_dm(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if pub is None:
            return None
        future = self.is_future(doc, m.start(), m.end())
        value = tr.day_month_value(int(m["day"]), self.p.months[m["month"].lower().rstrip(".")], pub, future)
        return (m.start(), value, "day", True) if value else None

    _k_md = _k_dm

    def _k_my(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        return m.start(), tr.format_value("month", int(m["year"]), self.p.months[m["month"].lower().rstrip(".")]), "month", False

    def _k_decade(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        decade = m["decade"]
        if len(decade) == 2:
            decade = ("20" if int(decade) < 30 else "19") + decade
        return m.start(), f"{decade}s", "decade", False

    _k_decade2 = _k_decade

    def _k_year(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if _NOT_YEAR_AFTER.match(doc.text, m.end()) or _NOT_YEAR_BEFORE.search(doc.text, 0, m.start()):
            return None
        return m.start(), m["year"], "year", False

    def _k_year2(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        """The second year of "2009-10" / "1957-58"."""
        first = doc.text[m.start() - 5:m.start() - 1]
        if int(m["short"]) <= int(first[2:]):
            return None  # "2013-03" is a month, not a range of years
        return m.start(), first[:2] + m["short"], "year", False

    def _k_weekday(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if pub is None:
            return None
        mod = (m["mod"] or "").lower()
        future = mod == "next" or (mod != "last" and self.is_future(doc, m.start(), m.end()))
        value = tr.weekday_value(self.p.weekdays[m["weekday"].lower()], pub, future, strict=bool(mod in ("last", "next")))
        return m.start(), value, "day", True

    def _k_month(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if pub is None or not m["month"][0].isupper():
            return None
        mod = (m["mod"] or "").lower()
        start = m.start("mod") if m["mod"] else m.start("month")
        if not mod and m["lead"].lower() in ("last", "next", "this"):
            mod, start = m["lead"].lower(), m.start("lead")
        future = mod == "next" or (mod != "last" and self.is_future(doc, m.start("month"), m.end("month")))
        value = tr.month_value(self.p.months[m["month"].lower().rstrip(".")], pub, future, strict=mod in ("last", "next"))
        return start, value, "month", True

    def _k_relative(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if pub is None:
            return None
        unit, offset = self.p.relative[m.group(0).lower().replace("’", "'")]
        value, grain = tr.relative_value(unit, offset, pub)
        return m.start(), value, grain, True

    def _k_ago(self, doc: Doc, m: re.Match[str], pub: dt.date | None) -> tuple[int, str, str, bool] | None:
        if pub is None:
            return None
        n = m["n"].lower()
        count = int(n) if n.isdigit() else _NUMBER_WORDS[n]
        unit = self.p.ago_units[m["unit"].lower()]
        value, grain = tr.relative_value(unit, -count, pub)
        return m.start(), value, grain, True


def _non_overlapping(found: list[TimeExpr]) -> list[TimeExpr]:
    chosen: list[TimeExpr] = []
    for expr in sorted(found, key=lambda t: (-(t.span[1] - t.span[0]), t.span[0])):
        if all(expr.span[1] <= c.span[0] or expr.span[0] >= c.span[1] for c in chosen):
            chosen.append(expr)
    return sorted(chosen, key=lambda t: t.span)


@Language.factory("treatywatch_times", default_config={"vocab_path": ""},
                  requires=["token.dep", "token.pos"], assigns=["doc._.tw_times"])
def make_time_tagger(nlp: Language, name: str, vocab_path: str) -> TimeTagger:
    """Factory: ``vocab_path`` empty = the packaged ``times.yaml``."""
    return TimeTagger(TimePatterns(load_time_vocab(vocab_path)))
