"""Loaders for provenance's data files: credited wires, credit patterns, outlets, stopwords.

Domain knowledge lives in the files under ``data/`` (STYLE.md); these loaders validate what they
read so that a malformed entry fails loudly at start-up instead of silently matching nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

SOURCE_KINDS = ("wire", "newspaper", "broadcaster", "aggregator", "government", "ngo", "unknown")
CREDIT_ROLES = ("origin", "cited")


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


def _read_text(name: str) -> str:
    return resources.files("treatywatch.provenance").joinpath("data", name).read_text(encoding="utf-8")


@cache
def wires() -> tuple[Wire, ...]:
    """The creditable outlets of ``data/wires.yaml``."""
    entries: list[dict[str, Any]] = yaml.safe_load(_read_text("wires.yaml"))
    out = []
    for entry in entries:
        if not entry.get("domain") or not entry.get("aliases"):
            raise ValueError(f"wires.yaml: entry without domain or aliases: {entry!r}")
        out.append(Wire(entry["domain"], entry.get("name") or entry["domain"], tuple(entry["aliases"])))
    return tuple(out)


@cache
def credit_patterns() -> tuple[CreditPattern, ...]:
    """The credit patterns of ``data/credit_patterns.yaml``."""
    entries: list[dict[str, Any]] = yaml.safe_load(_read_text("credit_patterns.yaml"))
    out = []
    for entry in entries:
        pattern, role = entry.get("pattern", ""), entry.get("role")
        if "{outlet}" not in pattern or role not in CREDIT_ROLES:
            raise ValueError(f"credit_patterns.yaml: bad entry {entry!r}")
        out.append(CreditPattern(pattern, role))
    return tuple(out)


@cache
def known_outlets() -> tuple[KnownOutlet, ...]:
    """The seed registry of ``data/outlets.csv`` (domain, name, kind)."""
    rows = csv.DictReader(_read_text("outlets.csv").splitlines())
    out = []
    for row in rows:
        if row["kind"] not in SOURCE_KINDS:
            raise ValueError(f"outlets.csv: unknown kind {row['kind']!r} for {row['domain']}")
        out.append(KnownOutlet(row["domain"].strip().lower(), row["name"].strip(), row["kind"]))
    return tuple(out)


@cache
def stopwords() -> frozenset[str]:
    """Function words dropped before shingling (``data/stopwords.txt``)."""
    lines = (line.strip() for line in _read_text("stopwords.txt").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))
