"""The ``treatywatch_quantities`` component: numbers with their unit, range, rate and subject.

"about 100,000", "5-6 million", "between 5 and 6 million", "5 million to 6 million",
"$1.2bn", "800 km (500 mi)", "20,000 mines a year". Recognition is a regular expression built
from ``quantities.yaml``; ``about`` (what is counted) comes from the parse: the noun phrase the
number modifies. Numbers inside dates, years, article numbers and names are not quantities.
Writes ``doc._.tw_quantities``.
"""

from __future__ import annotations

import calendar
import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from treatywatch.models import Quantity
from treatywatch.nlp.resources import QuantityVocab, load_quantity_vocab

if not Doc.has_extension("tw_quantities"):
    Doc.set_extension("tw_quantities", default=None)

_DIGITS = r"(?<![\d.,:])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# Clock times ("12:35", "9:45 AM", ratio "70:30") and dates written with digits ("20-11-2024",
# "2025-06-30"): none of their numbers is a quantity.
_CLOCK_OR_DATE = re.compile(r"\d:\d|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_MONTHS = "|".join(m for m in (*calendar.month_name[1:], *calendar.month_abbr[1:]) if m)
_MONTH_NEXT = re.compile(rf"\s*(?:of\s+)?(?:{_MONTHS})\b\.?")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*\Z")
# "Hill 350", "Company 6021", "TYPE 72", "Eesti 200", "coordinates WA 220 861": a number right
# after a capitalised word inside a sentence (or after another number) names or locates something.
_NAME_BEFORE = re.compile(r"(?<=[\w,;)(] )(?:[A-Z][A-Za-z]*|[A-Z]{2,}) \Z|(?<=\()[A-Z][A-Za-z]* \Z|\d \Z")
_AGE = re.compile(r"[A-Z][a-z’'-]+, \Z")
_VOTED = re.compile(r"\bvot\w*\s+(?:by\s+)?\Z", re.I)  # "voted 107 to 14": two counts, not a range
_VOTED_AGAINST = re.compile(r"\bvot\w*\s+(?:by\s+)?[\d,]+\s+(?:votes\s+)?to\s+\Z", re.I)
_NOT_BEFORE = re.compile(r"(?:(?:Article|article|Art\.|Protocol|No\.|no\.|Resolution|resolution|paragraph|"
                         r"section|Section|page|chapter|Chapter|§|#)\s*|[A-Za-z]-?)\Z")
_IDENTIFIER = re.compile(r"[./][0-9A-Z]")  # "C.N.391.2025.TREATIES", "No. 12/2025"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_1_9 = "one|two|three|four|five|six|seven|eight|nine"
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_UNITS_1_9.split("|"))}
_WORD_VALUES.update({w: (i + 2) * 10 for i, w in enumerate(_TENS.split("|"))})


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class QuantityPatterns:
    """The compiled recogniser and the vocabulary to interpret what it matched."""

    def __init__(self, vocab: QuantityVocab) -> None:
        self.words = {k.lower(): v for k, v in vocab.number_words.items()}
        self.scales = {k.lower(): v for k, v in vocab.scales.items()}
        self.currency = dict(vocab.currency_prefixes)
        self.units = {k.lower(): v for k, v in vocab.units.items()}
        self.count_nouns = {k.lower(): v for k, v in vocab.count_nouns.items()}
        self.rates = {k.lower(): v for k, v in vocab.rates.items()}
        self.bare_min = vocab.bare_number_min
        durations = _alt(list(vocab.duration_words))
        self.duration = re.compile(rf"\s*-?\s*(?P<unit>{durations})\b", re.I) if durations else None
        self.votes = re.compile(rf"\s+(?:were\s+|was\s+|have\s+|had\s+)?(?:{_alt(list(vocab.vote_words))})\b", re.I) \
            if vocab.vote_words else None
        self.not_after = re.compile(rf"\s?(?:{_alt(list(vocab.not_after))})(?![\w])") if vocab.not_after else None
        scale_words = [s for s in self.scales if len(s) > 2]
        word_numbers = rf"(?:(?:{_TENS})-(?:{_UNITS_1_9})|{_alt(list(self.words))})"
        atom = (rf"(?:(?:{_alt(list(self.currency))})\s?)?"
                rf"(?:{_DIGITS}(?:\s*(?:{_alt(scale_words)})\b|(?:bn|tn|m|k|b)\b)?"
                rf"|\b{word_numbers}(?:\s+(?:{_alt(scale_words)}))?)"
                # a unit may be glued on ("104,000oz", "1.6km"), a letter or digit otherwise not
                rf"(?![.,]\d)(?:(?=(?:{_alt(list(self.units))})(?![\w]))|(?![\w]))")
        self.atom = re.compile(atom, re.I)
        self.main = re.compile(
            rf"(?P<approx>\b(?:{_alt(list(vocab.approximators))})\s+)?"
            rf"(?P<bound>\b(?:{_alt(list(vocab.bounds))})\s+)?"
            rf"(?P<lead>\bbetween\s+|\bfrom\s+)?(?P<a>{atom})"
            rf"(?:(?P<sep>\s*[-–—]\s*|\s+(?:to|or)\s+|(?(lead)\s+and\s+|(?!)))(?P<b>{atom}))?", re.I)
        unit = rf"(?:{_alt(list(self.units))})"
        self.unit = re.compile(rf"\s?-?(?P<unit>{unit})(?![\w])", re.I)
        self.rate = re.compile(rf"\s+(?P<rate>{_alt(list(self.rates))})\b|\s*/\s*(?P<slash>year|yr|month|day)\b", re.I)

    def number(self, text: str) -> tuple[float | None, str | None, float]:
        """Value, currency unit and the scale factor ("million" = 1e6, none = 1) of one atom."""
        unit = None
        for symbol in sorted(self.currency, key=len, reverse=True):
            if text.startswith(symbol):
                unit, text = self.currency[symbol], text[len(symbol):].strip()
                break
        low = text.lower()
        digits = re.fullmatch(rf"({_DIGITS})\s*([a-z]*)", low)
        parts = low.rsplit(None, 1)
        if digits:
            value, scale = _word_or_digits(digits.group(1), self.words), digits.group(2)
        elif low in self.words:
            value, scale = self.words[low], ""
        elif len(parts) == 2 and parts[1] in self.scales:
            value, scale = _word_or_digits(parts[0], self.words), parts[1]
        else:
            value, scale = _word_or_digits(low, self.words), ""
        if value is None:
            return None, unit, 1.0
        if scale == "m" and unit is None:
            return value, "m", 1.0
        factor = self.scales.get(scale, 1.0)
        return value * factor, unit, factor


def _word_or_digits(text: str, words: dict[str, float]) -> float | None:
    text = text.strip().lower()
    if re.fullmatch(_DIGITS, text):
        return float(text.replace(",", ""))
    if text in words:
        return words[text]
    if "-" in text:
        tens, _, ones = text.partition("-")
        if tens in _WORD_VALUES and ones in _WORD_VALUES:
            return float(_WORD_VALUES[tens] + _WORD_VALUES[ones])
    return None


_COUNTED_DEPS = {"nummod", "compound", "quantmod", "amod", "npadvmod", "appos", "nmod"}


class QuantityTagger:
    """Finds quantities in a Doc; runs after the time tagger so dates are not counted."""

    def __init__(self, patterns: QuantityPatterns) -> None:
        self.p = patterns
        self.state_ends: set[int] = set()

    def __call__(self, doc: Doc) -> Doc:
        times = [t for t in (doc._.tw_times or ())]
        # "20 years ago" is a time and a duration: the annotation counts its figure
        taken = [t.span for t in times if not (t.relative and self.p.duration and self.p.duration.search(t.text))]
        found = []
        # "Yemen recorded 410, Iraq 298": a state's name before a number is a gapped report
        self.state_ends = {end for _, end, ident in (doc._.tw_mentions or ()) if ident.startswith("state:")}
        position = 0
        while (match := self.p.main.search(doc.text, position)) is not None:
            quantity = self._quantity(doc, match)
            position = match.end() if quantity is None else max(match.start() + 1, min(match.end(), quantity.span[1]))
            if quantity is None or any(quantity.span[0] < e and s < quantity.span[1] for s, e in taken):
                continue
            found.append(quantity)
            taken.append(quantity.span)
        doc._.tw_quantities = tuple(found)
        return doc

    def _not_a_figure(self, text: str, m: re.Match[str]) -> bool:
        """Identifiers, clock times, dates, calibres and names that contain digits."""
        start = m.start("a")
        before = text[max(0, start - 12):start]
        if _NOT_BEFORE.search(text, max(0, start - 12), start) or _IDENTIFIER.match(text, m.end()):
            return True
        low = max(0, start - 6)
        for hit in _CLOCK_OR_DATE.finditer(text[low:m.end() + 6]):
            if low + hit.start() < m.end() and start < low + hit.end():
                return True
        if _MONTH_NEXT.match(text, m.end()) or _MONTH_BEFORE.search(before):
            return any(c.isdigit() for c in m["a"])
        if self.p.not_after is not None and self.p.not_after.match(text, m.end()):
            return True
        return bool(m["a"][:1].isdigit() and not (m["approx"] or m["bound"] or m["lead"])
                    and _NAME_BEFORE.search(before) and start - 1 not in self.state_ends)

    def _quantity(self, doc: Doc, m: re.Match[str]) -> Quantity | None:
        text = doc.text
        if self._not_a_figure(text, m):
            return None
        low, unit, low_factor = self.p.number(m["a"])
        if low is None:
            return None
        high = None
        end = m.end("a")
        sep = (m["sep"] or "").strip().lower()
        vote = sep == "to" and _VOTED.search(text, max(0, m.start() - 20), m.start())
        if m["b"] and not vote and (sep != "and" or (m["lead"] or "").lower().startswith("between")):
            high, unit_b, high_factor = self.p.number(m["b"])
            if high is not None:
                if low_factor == 1.0 and high_factor != 1.0:
                    low *= high_factor
                unit = unit or unit_b
                end = m.end("b")
        start = m.start("a")
        for group in ("lead", "bound", "approx"):
            if m[group] and (group != "lead" or high is not None):
                start = m.start(group)
        unit_match = self.p.unit.match(text, end)
        if unit_match and unit is None:
            unit, end = self.p.units[unit_match["unit"].lower()], unit_match.end()
        duration = self.p.duration.match(text, end) if self.p.duration is not None and unit is None else None
        if duration:  # "six months", "a 14-year war": the period is a quantity, its unit the noun
            unit, end = duration["unit"].lower().removesuffix("-old").rstrip("s"), duration.end()
        per = None
        rate = self.p.rate.match(text, end)
        if rate:
            per = self.p.rates.get((rate["rate"] or "").lower()) or {"yr": "year"}.get(
                (rate["slash"] or "").lower(), (rate["slash"] or "").lower())
            end = rate.end()
        about, counted, noun_end = self._counted(doc, m.end("b") if high is not None else m.end("a"), end)
        unit = unit or counted
        if per is None and noun_end is not None:
            rate = self.p.rate.match(text, noun_end)
            per = self.p.rates.get((rate["rate"] or "").lower()) if rate else None
        if unit is None and high is None and re.fullmatch(r"(?:19|20)\d\d", m["a"]):
            return None  # "the 2021 military coup", "in 2000, 1999 and 1998": years
        bare_ok = any(c.isdigit() for c in m["a"]) and (
            low >= self.p.bare_min or bool(_AGE.search(text, max(0, start - 30), start))
            or bool(self.p.votes and self.p.votes.match(text, end))
            or bool(_VOTED_AGAINST.search(text, max(0, start - 30), start)))
        if unit is None and about is None and low_factor == 1.0 and high is None \
                and not (m["approx"] or m["bound"] or bare_ok):
            return None
        return Quantity(text[start:end], (start, end), low, high, bool(m["approx"]), unit, per, about)

    def _counted(self, doc: Doc, number_end: int, span_end: int) -> tuple[str | None, str | None, int | None]:
        """The noun phrase a number counts ("anti-personnel mines"), its count unit and end."""
        head = _head_noun(doc, number_end, span_end) or _adjacent_noun(doc, span_end)
        if head is None:
            return None, None, None
        first = doc.char_span(span_end, head.idx + len(head.text), alignment_mode="expand")
        words = [t for t in first or () if not t.is_space]
        while words and (words[0].is_punct or words[0].lower_ in ("of", "the")):
            words.pop(0)
        about = doc[words[0].i:head.i + 1].text if words else head.text
        counted = self.p.count_nouns.get(head.lower_) or self.p.count_nouns.get(head.lemma_.lower())
        if counted is None and head.tag_ == "NNS":
            counted = head.lower_
        return about, counted, head.idx + len(head.text)


def _head_noun(doc: Doc, number_end: int, span_end: int) -> Token | None:
    """The noun the number modifies according to the dependency parse."""
    span = doc.char_span(number_end - 1, number_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token: Token = span[-1]
    for _ in range(4):
        if token.dep_ not in _COUNTED_DEPS or token.head is token:
            return None
        token = token.head
        if token.idx >= span_end and token.pos_ in ("NOUN", "PROPN"):
            return token
    return None


def _adjacent_noun(doc: Doc, span_end: int) -> Token | None:
    """Fallback when the parse disagrees: the last noun of the words right after the number."""
    span = doc.char_span(span_end, min(len(doc.text), span_end + 60), alignment_mode="expand")
    head = None
    for token in span or ():
        if token.pos_ in ("NOUN",) and token.tag_ in ("NNS", "NN"):
            head = token
        elif token.pos_ in ("ADJ", "PROPN") or token.text == "-" or token.is_space:
            if head is not None:
                break
        else:
            break
    return head


@Language.factory("treatywatch_quantities", default_config={"vocab_path": ""},
                  requires=["token.dep", "token.pos"], assigns=["doc._.tw_quantities"])
def make_quantity_tagger(nlp: Language, name: str, vocab_path: str) -> QuantityTagger:
    """Factory: ``vocab_path`` empty = the packaged ``quantities.yaml``."""
    return QuantityTagger(QuantityPatterns(load_quantity_vocab(vocab_path)))
