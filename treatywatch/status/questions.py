"""The two questions every interface asks the engine, answered in one place.

`status_for_state`: a state's status under each treaty that applies to it, on a day.
`status_for_treaty`: every state's status under one treaty, with the counts per status and the
number of States Parties. The CLI (``status``, ``report``), the web (the country page and
``/api/v1/states/{iso3}``) and `Monitor` call these with the claims of one knowledge-base query
(`treatywatch.kb.claims.status_claims`) and only format the answer, so they cannot disagree.

Which treaties apply to a state is decided here, once (`treaties_for_state`): those the
reference data tracks for the state, then those that claims the engine reads name for it; each
group in the order of the treaty files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from treatywatch.errors import UnknownState, UnknownTreaty
from treatywatch.status.claimsteps import read_by_engine
from treatywatch.status.engine import counts, states_parties, status, status_all
from treatywatch.status.model import Facts, StatusResult
from treatywatch.status.reference import load_facts
from treatywatch.status.treaties import find_treaty

Claims = Iterable[Mapping[str, Any]]


@dataclass(frozen=True)
class TreatyStatus:
    """Every state's status under one treaty on one day, with the figures a report quotes."""

    treaty: str
    on: date
    results: tuple[StatusResult, ...]
    counts: Mapping[str, int]
    states_parties: int

    @property
    def uncertain(self) -> list[str]:
        """States whose status on the day depends on a step dated only to a month or a year."""
        return [r.iso3 for r in self.results if r.uncertain]


def resolve_treaty(facts: Facts, name: str) -> str:
    """The id of the treaty called ``name`` (its id, short name, name or an alias)."""
    found = find_treaty(facts.treaties, name)
    if found is None:
        raise UnknownTreaty(f"unknown treaty {name!r}; known: {', '.join(facts.treaties)}")
    return found.id


def treaties_for_state(facts: Facts, iso3: str, claims: Claims) -> list[str]:
    """The treaties a state's status is given under (see the module docstring)."""
    tracked = {t for (t, i) in facts.rows if i == iso3} | {t for (t, i) in facts.steps if i == iso3}
    named = {str(c["treaty"]) for c in claims
             if c.get("actor_iso3") == iso3 and read_by_engine(c, facts.claim_mapping)}
    return ([t for t in facts.treaties if t in tracked]
            + [t for t in facts.treaties if t in named and t not in tracked])


def status_for_state(iso3: str, on: date, *, claims: Claims, facts: Facts | None = None,
                     treaties: Sequence[str] | None = None) -> list[StatusResult]:
    """``iso3``'s status on ``on`` under ``treaties`` (ids or names; default: every treaty that
    applies to it), from the reference data and ``claims``.

    Raises `UnknownState` for a state neither in the reference lists nor named by a claim, and
    `UnknownTreaty` for a treaty no file defines.
    """
    facts = load_facts() if facts is None else facts
    code, claims = iso3.upper(), list(claims)
    if code not in facts.states and not any(c.get("actor_iso3") == code for c in claims):
        raise UnknownState(f"unknown state {code!r}: not in the reference lists and no claims about it")
    chosen = ([resolve_treaty(facts, t) for t in treaties] if treaties is not None
              else treaties_for_state(facts, code, claims))
    return [status(code, t, on, facts=facts, claims=claims) for t in chosen]


def status_for_treaty(treaty: str, on: date, *, claims: Claims, facts: Facts | None = None) -> TreatyStatus:
    """Every state's status under ``treaty`` (id or name) on ``on``: each state of the reference
    lists, and any state that only claims name."""
    facts = load_facts() if facts is None else facts
    treaty_id = resolve_treaty(facts, treaty)
    results = tuple(status_all(treaty_id, on, facts=facts, claims=claims))
    return TreatyStatus(treaty_id, on, results, counts(results), states_parties(results))
