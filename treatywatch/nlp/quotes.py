"""The ``treatywatch_quotes`` component: direct, partial and indirect quotes with speakers.

Direct and partial quotes are found on the characters (quotation marks of every common style,
nested quotes kept inside their outer quote, quotes spanning sentences); the speaker is found
through a speech cue (``language.yaml``) in the text framing the quote — before it ("Zalewski
said: ...") or after it ("..., he said.") — and resolved to an entity through the mentions the
entity component wrote (pronouns included). A quote with no cue of its own continues the
previous speaker when it follows within two sentences, else falls back to the person named as
subject in the two sentences before. Indirect speech ("Zalewski said Poland would ...") comes
from the parse: a speech verb with a reported clause. Writes ``doc._.tw_quotes``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from treatywatch.models import Quote
from treatywatch.nlp.quotemarks import QuoteSpan, find_quote_spans
from treatywatch.nlp.resources import LanguageData, load_language
from treatywatch.nlp.speakers import SpeakerNouns, phrase_speaker

if not Doc.has_extension("tw_quotes"):
    Doc.set_extension("tw_quotes", default=None)

_FRAME_AFTER = re.compile(r"[^.!?\n“\"«„‘]{0,120}")


def _frame_after(abbreviations: list[str]) -> re.Pattern[str]:
    """The words after a quote up to the sentence end, reading through the periods of
    honorifics ("Maj. Gen. Winthai Suvaree said", "said Dr. Yeshua Moser-Puangsuwan")."""
    dots = "|".join(rf"(?<=\b{re.escape(a)})\." for a in sorted(set(abbreviations), key=len, reverse=True))
    return re.compile(rf"(?:[^.!?\n“\"«„‘]|{dots}){{0,120}}") if dots else _FRAME_AFTER
_SUBJECTS = {"nsubj", "nsubjpass"}
_NEUTER = {"it", "they"}
_SPEAKER_TYPES = {"PERSON", "ORG", "STATE"}
_DATELINE = re.compile(r"[A-ZÀ-Ž][A-ZÀ-Ž .'’-]+(?:,[^\n–—]{0,40}?)?\s+[-–—]\s+")
# One- and two-word quotations are scare quotes or labels, not speech (docs/annotation.md, Quotes).
_MIN_QUOTE_WORDS = 3
_NAME_WORD = re.compile(r"^(?:[A-Z][\w’'-]*|of|the|and|for|on|in|de|al)$")


@dataclass(frozen=True)
class Speaker:
    """Who a cue attributes speech to: an entity id (or None) and a display name."""

    id: str | None
    name: str | None
    cue: str | None


class MentionIndex:
    """Char-offset lookup from the entity component's mentions to entity ids and names."""

    def __init__(self, doc: Doc) -> None:
        self.mentions = list(doc._.tw_mentions or ())
        self.starts = [m[0] for m in self.mentions]
        self.names = {e.id: e.name for e in doc._.tw_entities or ()}
        self.types = {e.id: e.type for e in doc._.tw_entities or ()}
        self.entities = tuple(doc._.tw_entities or ())
        self.sents = list(doc.sents)
        self.sent_starts = [sent.start for sent in self.sents]

    def sentence_of(self, token_i: int) -> Span:
        """The sentence holding token ``token_i`` (sentences are computed once per doc)."""
        return self.sents[max(0, bisect.bisect_right(self.sent_starts, token_i) - 1)]

    def sentence_number(self, doc: Doc, char: int) -> int:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return bisect.bisect_right(self.sent_starts, span[0].i) if span is not None and len(span) else 0

    def at(self, start: int, end: int) -> str | None:
        i = bisect.bisect_right(self.starts, start)
        for s, e, ident in self.mentions[max(0, i - 3):i + 3]:
            if s < end and start < e:
                return ident
        return None


class QuoteFinder:
    """Finds quotes and their speakers in a parsed Doc."""

    def __init__(self, lang: LanguageData) -> None:
        self.speech = set(lang.speech_verbs)
        self.indirect = set(lang.indirect_verbs)
        self.phrases = [p.lower() for p in lang.speech_phrases]
        self.nouns = SpeakerNouns.from_language(lang)
        self.frame_after = _frame_after([w.rstrip(".") for words in lang.honorifics.values()
                                         for w in words if w.endswith(".")])
        # The last body (not a person) quoted: "it added", "the statement said" refer back to it.
        self.last_body: tuple[str | None, str] | None = None

    def __call__(self, doc: Doc) -> Doc:
        index = MentionIndex(doc)
        self.last_body = None
        spans = find_quote_spans(doc.text)
        quotes: list[Quote] = []
        previous: tuple[Quote, int] | None = None
        for qspan in spans:
            quote, previous = self._direct(doc, qspan, index, previous)
            if quote is not None:
                quotes.append(quote)
        quotes.extend(self._indirect(doc, index, spans))
        doc._.tw_quotes = tuple(sorted(quotes, key=lambda q: q.span))
        return doc

    # --- direct and partial -------------------------------------------------------------

    def _direct(self, doc: Doc, q: QuoteSpan, index: MentionIndex,
                previous: tuple[Quote, int] | None) -> tuple[Quote | None, tuple[Quote, int] | None]:
        text = doc.text
        speech = _is_speech(q.content)
        if not speech and not _is_short_speech(q.content):
            return None, previous
        before_start = _sentence_start(text, q.open)
        left = (before_start, q.open)
        right_match = self.frame_after.match(text, q.close)
        right = (q.close, right_match.end() if right_match else q.close)
        following = text[q.close:q.close + 3].lstrip()[:1]
        if q.content.endswith((".", "!", "?")) and following.isupper():
            right = (q.close, q.close)
        kind = _kind(text, q, left)
        frames = (left, right) if kind == "partial" else (right, left)
        speaker = _leading_person(doc, right, index, self.speech, self.nouns.title_words) or self._speaker_in(doc, frames[0], index) \
            or self._speaker_in(doc, frames[1], index)
        sentence_no = index.sentence_number(doc, q.start)
        if speaker is None and previous is not None and sentence_no - previous[1] <= 2 \
                and previous[0].speaker_name:
            prev = previous[0]
            speaker = Speaker(prev.speaker, prev.speaker_name, prev.cue)
        if speaker is None and text[left[0]:q.open].rstrip().endswith(":"):
            found = self._first_mention(doc.char_span(*left, alignment_mode="contract"), index,
                                        people_first=True)
            speaker = Speaker(found[0], found[1], ":") if found else None
        if speaker is None:
            speaker = self._recent_subject(doc, q.start, index)
        if speaker is None and (kind == "partial" or len(q.content.split()) < 4):
            return None, previous
        if not speech:  # “Agreement suspended,” the army said. “...”: not a quote, but who speaks
            kept = Quote(q.content, (q.start, q.end), kind, speaker.id, speaker.name, speaker.cue) if speaker else None
            return None, (kept, index.sentence_number(doc, q.end - 1)) if kept and speaker.cue else previous
        quote = Quote(q.content, (q.start, q.end), kind, speaker.id if speaker else None,
                      speaker.name if speaker else None, speaker.cue if speaker else None)
        if speaker is not None and speaker.name and index.types.get(speaker.id or "") != "PERSON" \
                and speaker.name.lower() not in _NEUTER:
            self.last_body = (speaker.id, speaker.name)
        return quote, (quote, index.sentence_number(doc, q.end - 1))

    def _speaker_in(self, doc: Doc, frame: tuple[int, int], index: MentionIndex) -> Speaker | None:
        """A speech cue inside the frame and the subject it attributes the speech to."""
        if frame[1] <= frame[0]:
            return None
        span = doc.char_span(frame[0], frame[1], alignment_mode="contract")
        if span is None:
            return None
        lowered = doc.text[frame[0]:frame[1]].lower()
        for phrase in self.phrases:
            at = lowered.find(phrase)
            if at >= 0:
                after = doc.char_span(frame[0] + at + len(phrase), frame[1], alignment_mode="contract")
                found = self._first_mention(after, index) if after is not None else None
                if found:
                    return Speaker(found[0], found[1], phrase)
        cues = [t for t in span if t.lemma_.lower() in self.speech and t.pos_ in ("VERB", "AUX")]
        # a cue with its own subject first: "In a statement announcing ..., the department said"
        cues.sort(key=lambda t: not any(c.dep_ in _SUBJECTS for c in t.children))
        for token in cues:
            who = self._subject_of(token, span, index)
            if who is not None:
                return Speaker(who[0], who[1], token.text)
        return None

    def _subject_of(self, verb: Token, frame: Span, index: MentionIndex) -> tuple[str | None, str] | None:
        """The cue verb's subject inside the frame; an unresolved pronoun defers to context."""
        while verb.dep_ in ("conj", "advcl", "xcomp") and not any(c.dep_ in _SUBJECTS for c in verb.children) \
                and verb.head is not verb:
            if verb.dep_ != "conj" and not _governs_quote(verb, frame):
                # "the side 'evaded ...', claiming ...": the quote is in the narrated clause,
                # not in what the participle reports.
                return None
            verb = verb.head  # "Austin told reporters ... and said ...": the first verb's subject
        for child in verb.children:
            if child.dep_ in _SUBJECTS and frame.start_char <= child.idx < frame.end_char:
                ident, name = self._name_for(child, index)
                if ident is None and child.pos_ == "PRON" and child.lower_ not in _NEUTER:
                    return self._recent_subject(frame.doc, frame.start_char, index, as_pair=True)
                return ident, name
        return self._first_mention(frame, index, people_first=True)

    def _first_mention(self, span: Span | None, index: MentionIndex,
                       people_first: bool = False) -> tuple[str | None, str] | None:
        if span is None:
            return None
        hits = [(s, ident) for s, e, ident in index.mentions
                if span.start_char <= s and e <= span.end_char and index.types.get(ident) in _SPEAKER_TYPES]
        if people_first:
            people = [h for h in hits if index.types.get(h[1]) == "PERSON"]
            hits = people or hits
        if not hits:
            return None
        ident = min(hits)[1]
        return ident, index.names.get(ident, ident)

    def _recent_subject(self, doc: Doc, start: int, index: MentionIndex,
                        as_pair: bool = False) -> Any:
        """The person named as a subject in the (up to) two sentences before ``start``."""
        sents = [s for s in index.sents if s.end_char <= start][-2:]
        for sent in reversed(sents):
            for token in sent:
                if token.dep_ in _SUBJECTS:
                    ident = index.at(token.idx, token.idx + len(token.text))
                    if ident and index.types.get(ident) == "PERSON":
                        name = index.names.get(ident, ident)
                        return (ident, name) if as_pair else Speaker(ident, name, None)
        return None

    def _name_for(self, token: Token, index: MentionIndex) -> tuple[str | None, str]:
        """Entity id and name for a subject token: its mention, a referent of "it"/"they", a
        body, document, title or missed name (speakers.py), an entity inside it, or its text."""
        if token.tag_ in ("WP", "WDT") and token.head.head is not token.head:
            token = token.head.head  # "President Duda, who has said ...": the noun "who" stands for
        ident = index.at(token.idx, token.idx + len(token.text))
        if ident is not None and index.types.get(ident) not in _SPEAKER_TYPES:
            ident = None
        if ident is not None and index.types.get(ident) == "STATE" and token.lemma_.lower() in self.nouns.bodies:
            found = phrase_speaker(token, self.nouns, index, self.last_body)  # "the Cambodian government"
            if found is not None:
                return found
        if ident is None and token.lower_ in _NEUTER:
            ident = _recent_actor(token, index)
            if ident is None and self.last_body is not None:
                return self.last_body  # "..., it added."
        if ident is None:
            found = phrase_speaker(token, self.nouns, index, self.last_body)
            if found is not None:
                return found
            found_ids = [c for t in token.subtree if (c := index.at(t.idx, t.idx + len(t.text)))
                         and index.types.get(c) in _SPEAKER_TYPES]
            people = [c for c in found_ids if index.types.get(c) == "PERSON"]
            ident = next(iter(people or found_ids), None)
        if ident:
            return ident, index.names.get(ident, ident)
        left, right = token.left_edge, token.right_edge
        return None, token.doc[left.i:right.i + 1].text

    # --- indirect ---------------------------------------------------------------------------

    def _indirect(self, doc: Doc, index: MentionIndex, spans: list[QuoteSpan]) -> list[Quote]:
        found = []
        for token in doc:
            if token.lemma_.lower() not in self.indirect or token.pos_ != "VERB":
                continue
            subject = next((c for c in token.children if c.dep_ in _SUBJECTS), None)
            if subject is None:
                continue
            bounds = _reported_clause(doc, token) or _fronted_clause(doc, token, subject, index)
            if bounds is None:
                continue
            s, e = bounds
            if e <= s or any(q.open <= e and s <= q.close for q in spans):
                continue
            who = self._name_for(subject, index)
            found.append(Quote(doc.text[s:e], (s, e), "indirect", who[0], who[1], token.text))
        return found


def _trimmed(doc: Doc, start_tok: Token, end_tok: Token) -> tuple[int, int]:
    """Char bounds of a clause without a leading "that", trailing punctuation or a dateline."""
    if start_tok.lower_ == "that" and start_tok.i + 1 <= end_tok.i:
        start_tok = doc[start_tok.i + 1]
    while end_tok.i > start_tok.i and (end_tok.is_punct or end_tok.is_space):
        end_tok = doc[end_tok.i - 1]
    start, end = start_tok.idx, end_tok.idx + len(end_tok.text)
    dateline = _DATELINE.match(doc.text, start, end)
    return (dateline.end(), end) if dateline else (start, end)


def _reported_clause(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """"X said (that) CLAUSE" or "CLAUSE, X said": the verb's clausal complement."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if clause is None:
        return None
    return _trimmed(doc, clause.left_edge, clause.right_edge)


def _fronted_clause(doc: Doc, verb: Token, subject: Token, index: MentionIndex) -> tuple[int, int] | None:
    """"CLAUSE, Minister X said." when the parser did not attach the clause to the verb."""
    comma = subject.left_edge.i - 1
    sent = index.sentence_of(verb.i)
    if comma <= sent.start + 2 or doc[comma].text != "," or verb.i < subject.i:
        return None
    if any(t.lemma_ in ("say", "tell") and t.i != verb.i for t in doc[sent.start:comma]):
        return None
    return _trimmed(doc, doc[sent.start], doc[comma - 1])


def _recent_actor(token: Token, index: MentionIndex) -> str | None:
    """"it"/"they": the last state or organisation that was a subject before it (2 sentences)."""
    sents = index.sents
    here = max(0, bisect.bisect_right(index.sent_starts, token.i) - 1)
    for sent in reversed(sents[max(0, here - 2):here + 1]):
        for t in reversed(sent):
            if t.i >= token.i or t.dep_ not in _SUBJECTS:
                continue
            ident = index.at(t.idx, t.idx + len(t.text))
            if ident and index.types.get(ident) in ("STATE", "ORG"):
                return ident
    return None


def _leading_person(doc: Doc, frame: tuple[int, int], index: MentionIndex, speech: set[str],
                    titles: frozenset[str]) -> Speaker | None:
    """ "“...,” Oleksandr Vilkul, chairman of ..., said", "“...,” Insta CEO Tapio Kolunsarka
    said": the last person named between the quote and its speech verb, when a name opens the
    frame, whatever the parse makes of the rest of the sentence."""
    text = doc.text[frame[0]:frame[1]]
    start = frame[0] + len(text) - len(text.lstrip(" ,"))
    span = doc.char_span(start, frame[1], alignment_mode="contract")
    if span is None or not len(span) or not span[0].is_title or doc.text[frame[0]:start].strip(" ") not in ("", ","):
        return None
    cue = next((t for t in span if t.lemma_.lower() in speech and t.pos_ in ("VERB", "AUX")), None)
    if cue is None:
        return None
    people = [ident for s, e, ident in index.mentions if start <= s and e <= cue.idx
              and index.types.get(ident) == "PERSON" and _next_word(doc.text, e).lower() not in titles]
    if people:
        return Speaker(people[-1], index.names.get(people[-1], people[-1]), cue.text)
    chains: list[list[Token]] = [[]]
    for token in doc[span.start:cue.i]:  # a name the NER missed: "Oleksandr Vilkul, chairman ..."
        if token.pos_ == "PROPN" and token.is_title and token.lower_ not in titles and not _is_mention(token, index):
            chains[-1].append(token)
        elif token.text != "-" or not chains[-1]:
            chains.append([])
    names = [c for c in chains if len(c) >= 2]
    return Speaker(None, doc[names[-1][0].i:names[-1][-1].i + 1].text, cue.text) if names else None


def _next_word(text: str, at: int) -> str:
    rest = text[at:at + 40].split()
    return rest[0].strip(",.") if rest else ""


def _is_mention(token: Token, index: MentionIndex) -> bool:
    return index.at(token.idx, token.idx + len(token.text)) is not None


def _governs_quote(verb: Token, frame: Span) -> bool:
    """Whether the quote next to ``frame`` (just before or just after it) lies in ``verb``'s subtree."""
    low = verb.left_edge.idx
    high = verb.right_edge.idx + len(verb.right_edge.text)
    return any(low <= c < high for c in (frame.start_char - 2, frame.end_char + 1))


def _is_short_speech(content: str) -> bool:
    """ "Agreement suspended," the army said: too short to be a quote, yet it names a speaker
    the next quote continues."""
    words = content.split()
    return 0 < len(words) < _MIN_QUOTE_WORDS and words[0][:1].isupper()


def _is_speech(content: str) -> bool:
    """Three words or more, and not a quoted name ("Three Brotherhood Alliance")."""
    words = content.split()
    if len(words) < _MIN_QUOTE_WORDS:
        return False
    bare = [w.strip(".,;:!?()") for w in words]
    return not (len(words) <= 6 and bare[0][:1].isupper() and all(_NAME_WORD.match(w) for w in bare if w)
                and not content.rstrip().endswith((".", "!", "?")))


def _sentence_start(text: str, pos: int) -> int:
    """Start of the sentence (or paragraph) that contains ``pos``, on the characters."""
    starts = [text.rfind("\n", 0, pos) + 1]
    for mark in (". ", "? ", "! ", ".” ", '." ', ".» "):
        found = text.rfind(mark, 0, pos)
        if found >= 0:
            starts.append(found + len(mark))
    return max(starts)


def _kind(text: str, q: QuoteSpan, left: tuple[int, int]) -> str:
    """Direct when the quote stands as a sentence or after a colon; partial inside a sentence."""
    lead = text[left[0]:q.open].rstrip()
    content = q.content.lstrip()
    if not lead or lead.endswith((":", ",", "—", "-")) or q.open == left[0]:
        return "direct" if content[:1].isupper() or not lead else "partial"
    return "partial"


@Language.factory("treatywatch_quotes", default_config={"language_path": ""},
                  requires=["doc._.tw_mentions", "token.dep"], assigns=["doc._.tw_quotes"])
def make_quote_finder(nlp: Language, name: str, language_path: str) -> QuoteFinder:
    """Factory: ``language_path`` empty = the packaged ``language.yaml``."""
    return QuoteFinder(load_language(language_path))
