"""treatywatch.status: treaty rules as data, reference data, and the status engine.

Public API::

    facts = load_facts()                                  # rules + reference data
    results = status_for_state("POL", date(2026, 1, 1), claims=[...])     # each treaty that applies
    answer = status_for_treaty("APMBT", date(2025, 6, 30), claims=[...])  # every state, with counts
    answer.counts, answer.states_parties
    result = status("POL", "APMBT", date(2026, 1, 1), facts=facts, claims=[...])  # the engine itself
    profile = build_profile("POL", date(2026, 3, 1), facts=facts); render_profile(profile, "html")
"""

from treatywatch.errors import UnknownState, UnknownTreaty
from treatywatch.status.engine import conflict_at, counts, states_parties, status, status_all
from treatywatch.status.model import (
    STATES_PARTIES,
    STATUSES,
    ContestedAct,
    Dispute,
    EvidenceItem,
    Facts,
    StatusResult,
    Treaty,
)
from treatywatch.status.questions import (
    TreatyStatus,
    resolve_treaty,
    status_for_state,
    status_for_treaty,
    treaties_for_state,
)
from treatywatch.status.reference import import_reference, load_facts
from treatywatch.status.rules import DateSpan, add_months, first_day_of_nth_month_after
from treatywatch.status.treaties import find_treaty, load_treaties

__all__ = [
    "STATES_PARTIES",
    "STATUSES",
    "ContestedAct",
    "DateSpan",
    "Dispute",
    "EvidenceItem",
    "Facts",
    "StatusResult",
    "Treaty",
    "TreatyStatus",
    "UnknownState",
    "UnknownTreaty",
    "add_months",
    "conflict_at",
    "counts",
    "find_treaty",
    "first_day_of_nth_month_after",
    "import_reference",
    "load_facts",
    "load_treaties",
    "resolve_treaty",
    "states_parties",
    "status",
    "status_all",
    "status_for_state",
    "status_for_treaty",
    "treaties_for_state",
]
