"""Alert rules over facts: which facts fire which rule, each alert once.

An alert's id is derived from its rule and what it fired on (the fact, and for a deadline or a
record conflict the date concerned), and stored in the knowledge base before it is delivered
(`kb.watch.record_alert`): a rule that still holds after a restart finds its alert already
there and fires nothing. Rules (`config.AlertRule`) are data in the watch configuration.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from treatywatch.dates import GrainDate
from treatywatch.errors import TreatywatchError
from treatywatch.event_types import registry
from treatywatch.kb import facts_read
from treatywatch.kb import watch as kb_watch
from treatywatch.kb.claims import status_claims
from treatywatch.kb.store import KB
from treatywatch.status import load_facts, status_for_state
from treatywatch.status.factcheck import annotate
from treatywatch.watch.config import AlertRule


def _id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _matches(rule: AlertRule, fact: dict[str, Any]) -> bool:
    return ((not rule.types or fact["type"] in rule.types)
            and (not rule.states or fact.get("actor_iso3") in rule.states)
            and (not rule.treaties or fact.get("treaty") in rule.treaties))


def _what(fact: dict[str, Any]) -> str:
    who = fact.get("actor_iso3") or fact.get("actor") or "?"
    about = fact.get("treaty") or fact.get("weapon") or ""
    return f"{who} {registry().label(fact['type'])} {about}".strip()


def fired(rule: AlertRule, fact: dict[str, Any], today: date) -> tuple[str, str] | None:
    """(alert id, title) when ``rule`` fires on ``fact`` today, else None."""
    if not _matches(rule, fact) or fact.get("review_state") == "rejected":
        return None
    when, what, day = rule.when, _what(fact), fact.get("date")
    if when == "new_fact":
        return _id(rule.name, fact["id"]), f"new fact: {what} {day or '(undated)'} ({fact['stories']} stories)"
    if when == "stories_reached" and fact["stories"] >= rule.stories:
        return _id(rule.name, fact["id"]), f"{what} {day or ''} reached {fact['stories']} independent stories"
    if when == "record_conflict" and (fact.get("reference") or {}).get("state") == "contradicts":
        record = ", ".join(f"{r['step'].replace('_', ' ')} {r['date']}" for r in fact["reference"]["record"])
        return _id(rule.name, fact["id"], day), f"{what}: press says {day}, the legal record says {record}"
    if when == "deadline" and day:
        target = GrainDate.parse(str(day))
        ahead = (target.first - today).days
        if target.exact and 0 <= ahead <= rule.days:
            return _id(rule.name, fact["id"], day), f"{what} takes effect on {day}, in {ahead} days"
    return None


def status_changes(kb: KB, rule: AlertRule, facts: list[dict[str, Any]], today: date) -> list[tuple[str, str, dict[str, Any]]]:
    """(alert id, title, detail) for each state and treaty, among the facts of a status step that
    ``rule`` selects, whose status today (the engine's, from the reference data and the claims)
    is one of ``rule.statuses``: once per status and the day it holds from."""
    reference = load_facts()
    pairs = sorted({(f["actor_iso3"], f["treaty"]) for f in facts
                    if f.get("actor_iso3") and f.get("treaty") and f["type"] in reference.claim_mapping.steps
                    and _matches(rule.model_copy(update={"types": ()}), f)})
    out = []
    for iso3, treaty in pairs:
        try:
            [result] = status_for_state(iso3, today, claims=status_claims(kb, iso3=iso3, treaty=treaty),
                                        facts=reference, treaties=[treaty])
        except TreatywatchError:
            continue  # a state or treaty the engine does not know: nothing to say
        if result.status in rule.statuses:
            title = f"{iso3} under {treaty}: {result.status.replace('_', ' ')} since {result.since or '?'}"
            detail = {"actor_iso3": iso3, "treaty": treaty, "status": result.status, "since": result.since,
                      "reasons": result.reasons[:5], "link": f"/countries/{iso3}"}
            out.append((_id(rule.name, iso3, treaty, result.status, result.since), title, detail))
    return out


def evaluate(kb: KB, rules: Iterable[AlertRule], *, today: date | None = None) -> list[dict[str, Any]]:
    """Fire every rule on the current facts; returns the alerts that are new (stored, not yet
    delivered). Facts are read once per evaluation."""
    rules = list(rules)
    if not rules:
        return []
    day = today or date.today()
    facts = annotate(facts_read.list_facts(kb), load_facts())
    new = []
    for rule in rules:
        if rule.when == "status_change":
            for alert_id, title, detail in status_changes(kb, rule, facts, day):
                if kb_watch.record_alert(kb, alert_id, rule.name, title, detail):
                    new.append({"id": alert_id, "rule": rule.name, "title": title, "detail": detail})
            continue
        for fact in facts:
            hit = fired(rule, fact, day)
            if hit is None:
                continue
            alert_id, title = hit
            detail = {"fact": fact["id"], "type": fact["type"], "actor_iso3": fact.get("actor_iso3"),
                      "treaty": fact.get("treaty"), "date": fact.get("date"), "stories": fact["stories"],
                      "conflict": fact["conflict"], "reference": fact.get("reference"),
                      "link": f"/facts/{fact['id']}", "api": f"/api/v1/facts/{fact['id']}"}
            if kb_watch.record_alert(kb, alert_id, rule.name, title, detail, fact_id=fact["id"]):
                new.append({"id": alert_id, "rule": rule.name, "title": title, "detail": detail})
    return new
