"""Loaders for provenance's data files: credited wires, credit patterns, outlets, stopwords.

Domain knowledge lives in the files under ``data/`` (docs/style.md#architecture); each file has a pydantic model,
so that a malformed entry fails loudly at start-up, with one line naming the file and the field,
instead of silently matching nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, RootModel, field_validator

from treatywatch.datafile import DataModel, load_yaml, shown, validate

SourceKind = Literal["wire", "newspaper", "broadcaster", "aggregator", "government", "ngo", "unknown"]
SOURCE_KINDS: tuple[str, ...] = get_args(SourceKind)
CREDIT_ROLES = ("origin", "cited")
DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Wire:
    """An outlet that texts credit: its registry domain, display name and names used in text."""

    domain: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CreditPattern:
    """A regular expression with one ``{outlet}`` slot, and the role the credited outlet plays."""

    pattern: str
    role: str


@dataclass(frozen=True)
class KnownOutlet:
    domain: str
    name: str
    kind: str


class WireEntry(DataModel):
    domain: str = Field(min_length=1)
    name: str | None = None
    aliases: tuple[str, ...] = Field(min_length=1)


class CreditEntry(DataModel):
    pattern: str
    role: Literal["origin", "cited"]

    @field_validator("pattern")
    @classmethod
    def _has_outlet_slot(cls, value: str) -> str:
        if "{outlet}" not in value:
            raise ValueError("the pattern needs an {outlet} slot")
        return value


class OutletRow(DataModel):
    domain: str = Field(min_length=1)
    name: str
    kind: SourceKind


class CalendarFile(DataModel):
    months: dict[str, int]
    weekdays: tuple[str, ...]

    @field_validator("months")
    @classmethod
    def _month_numbers(cls, value: dict[str, int]) -> dict[str, int]:
        bad = [name for name, number in value.items() if not 1 <= number <= 12 or name != name.lower()]
        if bad:
            raise ValueError(f"month names must be lower case and numbers 1-12: {bad[:3]}")
        return value


Wires = RootModel[tuple[WireEntry, ...]]
Transliteration = RootModel[tuple[tuple[str, str], ...]]
CreditPatterns = RootModel[tuple[CreditEntry, ...]]


@cache
def wires() -> tuple[Wire, ...]:
    """The creditable outlets of ``data/wires.yaml``."""
    entries = load_yaml(Wires, DATA_DIR / "wires.yaml").root
    return tuple(Wire(e.domain, e.name or e.domain, e.aliases) for e in entries)


@cache
def credit_patterns() -> tuple[CreditPattern, ...]:
    """The credit patterns of ``data/credit_patterns.yaml``."""
    entries = load_yaml(CreditPatterns, DATA_DIR / "credit_patterns.yaml").root
    return tuple(CreditPattern(e.pattern, e.role) for e in entries)


@cache
def known_outlets() -> tuple[KnownOutlet, ...]:
    """The seed registry of ``data/outlets.csv`` (domain, name, kind)."""
    path = DATA_DIR / "outlets.csv"
    out = []
    for line, row in enumerate(csv.DictReader(path.read_text(encoding="utf-8").splitlines()), start=2):
        outlet = validate(OutletRow, {k: (v or "").strip() for k, v in row.items()}, f"{shown(path)}: line {line}")
        out.append(KnownOutlet(outlet.domain.lower(), outlet.name, outlet.kind))
    return tuple(out)


@cache
def stopwords() -> frozenset[str]:
    """Function words dropped before shingling (``data/stopwords.txt``)."""
    lines = (line.strip() for line in (DATA_DIR / "stopwords.txt").read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


@cache
def transliteration() -> tuple[tuple[str, str], ...]:
    """The ordered spelling rules of ``data/transliteration.yaml`` ([from, to] pairs)."""
    return load_yaml(Transliteration, DATA_DIR / "transliteration.yaml").root


@cache
def _calendar() -> CalendarFile:
    return load_yaml(CalendarFile, DATA_DIR / "calendar.yaml")


def months() -> dict[str, int]:
    """Month names and abbreviations (lower case, no dot) → month number."""
    return _calendar().months


@cache
def weekdays() -> frozenset[str]:
    return frozenset(_calendar().weekdays)
