"""Loaders for the domain knowledge the extraction components read (``nlp/data``).

Everything language- or domain-specific (gazetteers, speech cues, titles, units) lives in data
files so that a monitor can extend it without touching code. Each file is read once per process
and validated on load: a broken entry fails loudly with the file name instead of silently
matching nothing.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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


@lru_cache(maxsize=8)
def load_yaml(path: str, default: str) -> dict[str, Any]:
    """Read a YAML mapping (``path`` or the packaged ``default``), cached per process."""
    target = _resolve(path, default)
    with target.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, dict):
        raise DataFileError(f"{target}: expected a mapping at the top level")
    return data


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
        for row in csv.DictReader(handle):
            iso3 = (row.get("iso3") or "").strip()
            name = (row.get("name") or "").strip()
            if len(iso3) != 3 or not name:
                raise DataFileError(f"{path}: bad state row {row!r}")
            demonyms = [f for d in _split(row.get("demonyms")) for f in _demonym_forms(d)]
            capitals = _split(row.get("capitals"))
            aliases = [name, *_split(row.get("aliases")), *demonyms, *capitals]
            entries.append(GazetteerEntry(f"state:{iso3}", "STATE", name, tuple(aliases), iso3,
                                          capitals=tuple(capitals)))
    return entries


def _yaml_entries(path: Path, data: dict[str, Any]) -> list[GazetteerEntry]:
    entries = []
    for section, etype in _SECTION_TYPES.items():
        for item in data.get(section) or []:
            if not isinstance(item, dict) or "id" not in item or "name" not in item:
                raise DataFileError(f"{path}: section {section}: entry needs id and name: {item!r}")
            aliases = [str(a) for a in item.get("aliases") or [item["name"]]]
            if item.get("plurals"):
                aliases += [a + "s" for a in aliases if not a.endswith("s")]
            entries.append(GazetteerEntry(str(item["id"]), etype, str(item["name"]),
                                          tuple(aliases), None, item.get("case") == "lower"))
    return entries


@lru_cache(maxsize=4)
def load_gazetteer(states_path: str = "", gazetteer_path: str = "") -> tuple[GazetteerEntry, ...]:
    """All gazetteer entries: the states file plus the treaties/orgs/weapons/places YAML."""
    states = _resolve(states_path, "states.csv")
    other = _resolve(gazetteer_path, "gazetteer.yaml")
    data = load_yaml(str(other), "gazetteer.yaml")
    entries = _state_entries(states) + _yaml_entries(other, data)
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise DataFileError(f"duplicate gazetteer id {entry.id}")
        seen.add(entry.id)
    return tuple(entries)


@lru_cache(maxsize=4)
def load_language(path: str = "") -> dict[str, Any]:
    """Speech cues, pronouns, honorifics and title words (``language.yaml``)."""
    data = load_yaml(path, "language.yaml")
    for key in ("speech_verbs", "indirect_verbs", "pronouns", "honorifics", "title_heads"):
        if key not in data:
            raise DataFileError(f"language.yaml: missing {key}")
    return data


@lru_cache(maxsize=4)
def load_quantity_vocab(path: str = "") -> dict[str, Any]:
    """Number words, scales, approximators, units and rates (``quantities.yaml``)."""
    data = load_yaml(path, "quantities.yaml")
    for key in ("number_words", "scales", "approximators", "units", "rates", "currency_prefixes"):
        if key not in data:
            raise DataFileError(f"quantities.yaml: missing {key}")
    return data
