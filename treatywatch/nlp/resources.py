"""Loaders for the domain knowledge the extraction components read (``nlp/data``).

Everything language- or domain-specific (gazetteers, speech cues, titles, units) lives in data
files so that a monitor can extend it without touching code. Each file has a pydantic model, is
read once per process and validated on load: a broken entry fails loudly with one line naming
the file and the field instead of silently matching nothing.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field

from treatywatch.datafile import DataModel, Iso3, load_yaml, shown, validate
from treatywatch.errors import DataFileError

ENTITY_TYPES = ("STATE", "ORG", "PERSON", "TREATY", "PLACE", "WEAPON")
_SECTION_TYPES = {"treaties": "TREATY", "orgs": "ORG", "makers": "ORG", "weapons": "WEAPON",
                  "places": "PLACE"}
# Letters that Unicode decomposition does not split into base + accent.
_FOLD_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                             "ß": "ss", "æ": "ae", "Æ": "AE", "ı": "i", "œ": "oe", "’": "'"})


@dataclass(frozen=True)
class GazetteerEntry:
    """One real-world thing with the surface forms that name it."""

    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    iso3: str | None = None
    ignore_case: bool = False
    capitals: tuple[str, ...] = ()


def fold(text: str) -> str:
    """Accent- and case-folded form used to compare names ("Paweł" ~ "Pawel" ~ "pawel")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD_EXTRA))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def data_path(name: str) -> Path:
    """Path of a packaged data file."""
    return Path(str(resources.files("treatywatch.nlp").joinpath("data", name)))


def _resolve(path: str, default: str) -> Path:
    return Path(path) if path else data_path(default)


Words = tuple[str, ...]


class GenderHints(DataModel):
    feminine_surname_endings: Words = ()
    masculine_surname_endings: Words = ()
    feminine_first_names: Words = ()
    masculine_first_names: Words = ()


class Pronouns(DataModel):
    masculine: Words = ()
    feminine: Words = ()


class LanguageData(DataModel):
    """``language.yaml``: speech cues, pronouns, honorifics, title words, name hints."""

    speech_verbs: Words
    speech_phrases: Words = ()
    indirect_verbs: Words
    pronouns: Pronouns
    honorifics: dict[Literal["masculine", "feminine", "neutral"], Words]
    title_heads: Words
    title_modifiers: Words = ()
    gender_hints: GenderHints = GenderHints()
    state_titles: Words = ()
    org_titles: Words = ()
    locatives: Words = ()
    org_suffixes: Words = ()
    definite_descriptions: dict[str, Words] = Field(default_factory=dict)
    body_nouns: Words = ()
    document_nouns: Words = ()
    generic_org_nouns: Words = ()


class QuantityVocab(DataModel):
    """``quantities.yaml``: number words, scales, approximators, units and rates."""

    number_words: dict[str, float]
    scales: dict[str, float]
    approximators: Words
    bounds: Words = ()
    currency_prefixes: dict[str, str]
    units: dict[str, str]
    count_nouns: dict[str, str] = Field(default_factory=dict)
    rates: dict[str, str]
    duration_words: Words = ()
    bare_number_min: float = 100
    vote_words: Words = ()
    not_after: Words = ()


class TimeVocab(DataModel):
    """``times.yaml``: month and weekday names, relative expressions, tense cues."""

    months: dict[str, int]
    weekdays: dict[str, int]
    month_lead_words: Words
    relative: dict[str, tuple[Literal["day", "month", "year", "decade"], int]]
    future_auxiliaries: Words
    future_governors: Words
    future_nouns: Words = ()
    scheduled_verbs: Words = ()
    past_governors: Words = ()
    ago_units: dict[str, Literal["day", "month", "year"]]
    anaphoric_days: dict[str, int] = Field(default_factory=dict)


class GazetteerItem(DataModel):
    id: str
    name: str
    aliases: Words | None = None
    plurals: bool = False
    case: Literal["lower"] | None = None


class GazetteerFile(DataModel):
    """``gazetteer.yaml``: treaties, organisations, makers, weapons and places."""

    treaties: tuple[GazetteerItem, ...] = ()
    orgs: tuple[GazetteerItem, ...] = ()
    makers: tuple[GazetteerItem, ...] = ()
    weapons: tuple[GazetteerItem, ...] = ()
    places: tuple[GazetteerItem, ...] = ()


class StateRow(DataModel):
    """One row of ``states.csv``; ``|`` separates the forms within a cell."""

    iso3: Iso3
    name: str = Field(min_length=1)
    aliases: str = ""
    demonyms: str = ""
    capitals: str = ""


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def _demonym_forms(demonym: str) -> list[str]:
    """A demonym and its plural for people ("Russian" -> "Russians"; "Polish" has none)."""
    if demonym.endswith(("sh", "ese", "s", "x")):
        return [demonym]
    return [demonym, demonym + "s"]


def _state_entries(path: Path) -> list[GazetteerEntry]:
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            state = validate(StateRow, {k: (v or "").strip() for k, v in row.items()}, f"{shown(path)}: line {line}")
            demonyms = [f for d in _split(state.demonyms) for f in _demonym_forms(d)]
            capitals = _split(state.capitals)
            aliases = [state.name, *_split(state.aliases), *demonyms, *capitals]
            entries.append(GazetteerEntry(f"state:{state.iso3}", "STATE", state.name, tuple(aliases), state.iso3,
                                          capitals=tuple(capitals)))
    return entries


def _yaml_entries(data: GazetteerFile) -> list[GazetteerEntry]:
    entries = []
    for section, etype in _SECTION_TYPES.items():
        for item in getattr(data, section):
            aliases = list(item.aliases or [item.name])
            if item.plurals:
                aliases += [a + "s" for a in aliases if not a.endswith("s")]
            entries.append(GazetteerEntry(item.id, etype, item.name, tuple(aliases), None, item.case == "lower"))
    return entries


@lru_cache(maxsize=4)
def load_gazetteer(states_path: str = "", gazetteer_path: str = "") -> tuple[GazetteerEntry, ...]:
    """All gazetteer entries: the states file plus the treaties/orgs/weapons/places YAML."""
    other = _resolve(gazetteer_path, "gazetteer.yaml")
    entries = _state_entries(_resolve(states_path, "states.csv")) + _yaml_entries(load_yaml(GazetteerFile, other))
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise DataFileError(f"{shown(other)}: duplicate gazetteer id {entry.id}")
        seen.add(entry.id)
    return tuple(entries)


@lru_cache(maxsize=4)
def load_language(path: str = "") -> LanguageData:
    """Speech cues, pronouns, honorifics and title words (``language.yaml``)."""
    return load_yaml(LanguageData, _resolve(path, "language.yaml"))


@lru_cache(maxsize=4)
def load_quantity_vocab(path: str = "") -> QuantityVocab:
    """Number words, scales, approximators, units and rates (``quantities.yaml``)."""
    return load_yaml(QuantityVocab, _resolve(path, "quantities.yaml"))


@lru_cache(maxsize=4)
def load_time_vocab(path: str = "") -> TimeVocab:
    """Month and weekday names, relative expressions and tense cues (``times.yaml``)."""
    return load_yaml(TimeVocab, _resolve(path, "times.yaml"))
