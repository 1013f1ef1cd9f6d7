"""``Match``: a rule that held for an anchor token, with the arguments it found.

The engine (``detect``) makes matches and turns them into events; gapped coordination
(``gapping``) copies a match's event to the other states of its sentence. Both read this record,
so it lives here, below both, and neither imports the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from treatywatch.events.context import WeaponMention
from treatywatch.events.rules import EventRule
from treatywatch.models import Quantity


@dataclass(frozen=True)
class Match:
    """A rule that held for an anchor, with the arguments it found."""

    rule: EventRule
    anchor: Token
    links: list[Token]
    region: list[Token]
    tense: str
    modality: str
    date: str | None
    treaty: str | None
    weapons: list[WeaponMention]
    quantity: Quantity | None
