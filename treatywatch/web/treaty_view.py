"""A treaty on one day, shaped for its page, its API answer and the static report.

The figures are `treatywatch.status.series.treaty_overview` (`status_for_treaty` on the day and
the history of counts up to it) over the claims of one kb query (`status_claims`), as the CLI
and `Monitor` get them; this module only picks out and labels what the views show: the counts,
the map rows, the withdrawals with their effective dates (computed ones said to be computed),
the contested acts and the marks on the chart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from treatywatch.dates import GrainDate
from treatywatch.kb.claims import status_claims
from treatywatch.kb.store import KB
from treatywatch.status import ContestedAct, StatusResult, Treaty, load_facts, resolve_treaty
from treatywatch.status.engine import PENDING_EFFECTIVE
from treatywatch.status.series import TreatyOverview, treaty_overview
from treatywatch.status.treaties import notice_label
from treatywatch.web.charts import ChartMark, parties_chart_svg
from treatywatch.web.map import MAP_KEYS, MAP_LABELS, MapRow, map_rows, status_map_svg

WITHDRAWAL_STATUSES = ("withdrawing", "pending_armed_conflict", "withdrawn")
STATED_KINDS = frozenset({"reference", "claim_accepted"})


@dataclass(frozen=True)
class Withdrawal:
    """A state that has notified its withdrawal, as of the day asked about."""

    iso3: str
    name: str
    status: str
    notified: str
    effective: str  # a date, a range, or "pending: armed-conflict clause"
    basis: str  # stated (by a source) | computed (from the treaty's rule) | pending

    @property
    def basis_label(self) -> str:
        return {"stated": "stated by sources", "computed": "computed from the treaty's rule",
                "pending": "no date: the armed-conflict clause defers it"}[self.basis]

    def to_json(self) -> dict[str, str]:
        return {"iso3": self.iso3, "name": self.name, "status": self.status, "notified": self.notified,
                "effective": self.effective, "effective_basis": self.basis}


@dataclass(frozen=True)
class Contested:
    iso3: str
    name: str
    status: str
    act: ContestedAct


@dataclass(frozen=True)
class TreatyView:
    """Everything a treaty page shows for one day."""

    treaty: Treaty
    overview: TreatyOverview
    rows: list[MapRow]
    withdrawals: list[Withdrawal]
    contested: list[Contested]
    marks: list[ChartMark]

    @property
    def on(self) -> date:
        return self.overview.status.on

    @property
    def facts(self) -> dict[str, Any]:
        return treaty_facts(self.treaty)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(status, label, states) in the map's legend order, then the uncertain ones."""
        answer = self.overview.status
        shown = [(k, MAP_LABELS[k], answer.counts.get(k, 0)) for k in MAP_KEYS if k in answer.counts]
        return [*shown, ("uncertain", "of which uncertain", len(answer.uncertain))]

    def to_json(self) -> dict[str, Any]:
        answer = self.overview.status
        return {
            "treaty": treaty_facts(self.treaty), "on": self.on.isoformat(), "counts": dict(answer.counts),
            "states_parties": answer.states_parties, "uncertain": answer.uncertain,
            "states": [{"iso3": r.iso3, "name": r.name, "status": r.status, "since": r.since,
                        "uncertain": r.uncertain, "on_map": r.mark} for r in self.rows],
            "withdrawals": [w.to_json() for w in self.withdrawals],
            "contested_acts": [{"iso3": c.iso3, "name": c.name, "status": c.status, **c.act.to_json()}
                               for c in self.contested],
        }


def treaty_facts(treaty: Treaty) -> dict[str, Any]:
    """The treaty's own facts and rules, as its file gives them."""
    w = treaty.withdrawal
    return {
        "id": treaty.id, "name": treaty.name, "short_name": treaty.short_name, "aliases": list(treaty.aliases),
        "depositary": treaty.depositary, "adopted": treaty.adopted,
        "opened_for_signature": treaty.opened_for_signature,
        "entry_into_force": treaty.entry_into_force.isoformat() if treaty.entry_into_force else None,
        "entry_into_force_rule": {"article": treaty.eif_rule.article, "wording": treaty.eif_rule.wording},
        "withdrawal_rule": {"article": w.article, "notice": notice_label(treaty), "counted_from": w.counted_from,
                            "armed_conflict_clause": w.armed_conflict_clause,
                            "armed_conflict_wording": w.armed_conflict_wording,
                            "suspension_clause": w.suspension_clause},
        "sources": list(treaty.sources),
    }


def _basis(result: StatusResult) -> str:
    if result.dates.get("withdrawal_effective") == PENDING_EFFECTIVE:
        return "pending"
    kinds = {e.kind for e in result.evidence if e.step == "withdrawal_effective"}
    return "stated" if kinds & STATED_KINDS else "computed"


def withdrawals(results: Iterable[StatusResult]) -> list[Withdrawal]:
    """States withdrawing, pending or withdrawn on the day, by effective date then name."""
    found = [Withdrawal(r.iso3, r.name or r.iso3, r.status, r.dates.get("withdrawal_notified", ""),
                        r.dates.get("withdrawal_effective", ""), _basis(r))
             for r in results if r.status in WITHDRAWAL_STATUSES]
    return sorted(found, key=lambda w: (w.effective, w.name))


def _first_day(label: str) -> date | None:
    try:
        return GrainDate.parse(label).first
    except ValueError:  # a range, "by ...", or "pending: armed-conflict clause": no single day to draw
        return None


def chart_marks(results: Iterable[StatusResult]) -> list[ChartMark]:
    """A mark where each withdrawal was notified and where it takes effect, whatever the day asked."""
    marks = []
    for r in results:
        notified, effective = r.dates.get("withdrawal_notified"), r.dates.get("withdrawal_effective")
        who = f"{r.name or r.iso3} ({r.iso3})"
        if notified and (day := _first_day(notified)):
            marks.append(ChartMark(day, "notified", f"{who}: withdrawal notified {notified}"))
        if effective and (day := _first_day(effective)):
            how = "computed" if _basis(r) == "computed" else "stated"
            marks.append(ChartMark(day, "effective", f"{who}: withdrawal effective {effective} ({how})"))
    return sorted(marks, key=lambda m: (m.day, m.text))


def treaty_view(overview: TreatyOverview, treaty: Treaty) -> TreatyView:
    """What the views show of ``overview`` (of ``treaty``)."""
    results = overview.status.results
    contested = [Contested(r.iso3, r.name or r.iso3, r.status, act) for r in results for act in r.contested_acts]
    return TreatyView(treaty, overview, map_rows(overview.status), withdrawals(results), contested,
                      chart_marks(results))


def read_treaty_view(kb: KB, treaty: str, on: date, *, start: date | None = None) -> TreatyView:
    """The view of ``treaty`` (id or name) on ``on`` from the reference data and this kb's claims;
    its history starts at ``start`` (default: the treaty's entry into force)."""
    facts = load_facts()
    treaty_id = resolve_treaty(facts, treaty)

    def compute() -> TreatyView:
        claims = status_claims(kb, treaty=treaty_id)
        return treaty_view(treaty_overview(treaty_id, on, claims=claims, facts=facts, start=start),
                           facts.treaties[treaty_id])

    # The view changes only with the kb (or the day asked): kept per kb version (`kb.version`).
    view: TreatyView = kb.cache("treaty_view").get_or_compute(kb.version(), (treaty_id, on, start), compute)
    return view


def drawings(view: TreatyView, *, link_states: bool) -> dict[str, Any]:
    """The map and the charts of a view, as the page and the static report draw them: the whole
    history from zero, and the last year or so with the axis fitted to it; ``link_states`` links
    each state on the map to its page."""
    on = view.on.isoformat()
    href = (lambda iso3: f"/countries/{iso3}?on={on}") if link_states else None
    history = view.overview.history
    recent = date(view.on.year - 1, 1, 1)
    return {
        "map": status_map_svg(view.overview.status, href=href),
        "chart": parties_chart_svg(history, view.marks, label="since entry into force"),
        "recent_chart": (parties_chart_svg(history, view.marks, start=recent, zero_based=False,
                                           label=f"since {recent.year}, axis not from zero")
                         if recent > history.start else Markup("")),
    }
