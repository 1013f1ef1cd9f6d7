"""People's roles from titles before the name and from appositions after it.

"Deputy Defence Minister Pavel Zalewski", "Belma CEO Jarosław Zakrzewski", "Poland's deputy
defence minister Pavel Zalewski" and "Zalewski, Poland's deputy defence minister," all give a
role {"title", "of"} where ``of`` is the entity the title belongs to (a state or organisation
mentioned inside the title phrase), or None when the text does not say.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from treatywatch.models import Role
from treatywatch.nlp.resources import LanguageData

_POSSESSIVE = {"'s", "’s"}
_STOP = {"the", "a", "an", "of", "and", "for", "to", "at", "in", "'s", "’s", ","}
_OF_TYPES = {"STATE", "ORG"}


class TitleLexicon:
    """Title words from ``language.yaml``: heads end a title, modifiers may precede them."""

    def __init__(self, lang: LanguageData) -> None:
        heads = {w.lower() for h in lang.title_heads for w in h.split()[-1:]}
        self.heads = frozenset(heads)
        self.words = frozenset(heads | {m.lower() for m in lang.title_modifiers}
                               | {w.lower() for h in lang.title_heads for w in h.split()})

    def is_head(self, word: str) -> bool:
        return word.lower().rstrip(".") in self.heads

    def is_word(self, word: str) -> bool:
        return word.lower().rstrip(".") in self.words


def _title_text(doc: Doc, tokens: list[int]) -> str | None:
    words = [doc[i] for i in sorted(tokens)]
    while words and words[0].lower_ in _STOP:
        words.pop(0)
    while words and words[-1].lower_ in _STOP:
        words.pop()
    if not words:
        return None
    return doc[words[0].i:words[-1].i + 1].text


def title_before(doc: Doc, start: int, lex: TitleLexicon, owner: dict[int, tuple[str, str]]) -> Role | None:
    """Title words right before a name, with an owning state/org mention before them."""
    i = start - 1
    if i < 0 or not lex.is_head(doc[i].text):
        return None
    title: list[int] = []
    of = None
    while i >= 0 and start - i <= 8:
        token = doc[i]
        if token.i in owner and owner[token.i][1] in _OF_TYPES:
            of = owner[token.i][0]
            break
        if token.text in _POSSESSIVE:
            i -= 1
            continue
        if not lex.is_word(token.text) or token.lower_ in _STOP:
            break
        title.append(i)
        i -= 1
    text = _title_text(doc, title)
    return Role(text, of) if text else None


def title_after(doc: Doc, end: int, lex: TitleLexicon, owner: dict[int, tuple[str, str]]) -> Role | None:
    """Apposition "Name, [the] [Owner's] title [of Owner]," after a name."""
    if end >= len(doc) or doc[end].text != ",":
        return None
    title: list[int] = []
    of = None
    has_head = False
    i = end + 1
    while i < len(doc) and i - end <= 12 and doc[i].text not in {",", ".", ";", "(", ")"}:
        token = doc[i]
        if token.i in owner:
            if owner[token.i][1] not in _OF_TYPES:
                return None
            of = of or owner[token.i][0]
        elif lex.is_word(token.text) or token.lower_ in _STOP:
            if not of or token.lower_ not in _STOP:
                title.append(i)
            has_head = has_head or lex.is_head(token.text)
        else:
            return None
        i += 1
    if not has_head:
        return None
    text = _title_text(doc, [t for t in title if doc[t].lower_ not in {"'s", "’s"}])
    return Role(text, of) if text else None


def roles_for(doc: Doc, mentions: list[tuple[int, int]], lex: TitleLexicon,
              owner: dict[int, tuple[str, str]]) -> tuple[Role, ...]:
    """Distinct roles found around a person's name mentions."""
    found: dict[str, Role] = {}
    for start, end in mentions:
        reverse = title_before(doc, start - 1, lex, owner) if start > 1 and doc[start - 1].text == "," else None
        for role in (title_before(doc, start, lex, owner), title_after(doc, end, lex, owner), reverse):
            if role is None:
                continue
            key = role.title.lower().replace("defense", "defence")
            known = found.get(key)
            if known is None or (known.of is None and role.of is not None):
                found[key] = Role(known.title if known else role.title, role.of)
    return tuple(found.values())


def _subject_owner(doc: Doc, sentence: Span, owner: dict[int, tuple[str, str]], kind: str) -> str | None:
    for token in sentence:
        if token.dep_ in ("nsubj", "nsubjpass") and token.i in owner and owner[token.i][1] == kind:
            return owner[token.i][0]
    return None


def _most_named(owner: dict[int, tuple[str, str]], kind: str) -> str | None:
    counts: dict[str, int] = {}
    for ident, entity_type in owner.values():
        if entity_type == kind:
            counts[ident] = counts.get(ident, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def infer_owner(doc: Doc, roles: tuple[Role, ...], mention: tuple[int, int],
                owner: dict[int, tuple[str, str]], titles: tuple[frozenset[str], frozenset[str]]) -> tuple[Role, ...]:
    """Give titles without an owner the state (or company) the text implies.

    "Poland will ..., Deputy Defence Minister Paweł Zalewski said": the minister is Poland's;
    "Belma expects ..., chief executive Jarosław Zakrzewski said": the CEO is Belma's. The state
    or organisation that is a subject in the person's sentence wins, else the article's
    most-named state (government titles) or organisation (corporate titles).
    """
    state_titles, org_titles = titles
    sentence = doc[mention[0]].sent
    inferred = []
    for role in roles:
        head = role.title.split()[-1].lower()
        of = role.of
        if of is None and head in state_titles:
            of = _subject_owner(doc, sentence, owner, "STATE") or _most_named(owner, "STATE")
        elif of is None and head in org_titles:
            of = _subject_owner(doc, sentence, owner, "ORG") or _most_named(owner, "ORG")
        inferred.append(Role(role.title, of))
    return tuple(inferred)
