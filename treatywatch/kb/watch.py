"""Watch mode's memory (`watch_sources`) and its alerts (`alerts`), so that a restart resumes
without fetching or alerting twice."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, update

from treatywatch.kb.schema import alerts, watch_items, watch_sources
from treatywatch.kb.sql import insert_ignore, sanitize
from treatywatch.kb.store import KB, utcnow


def source_state(kb: KB, url: str) -> dict[str, Any]:
    """What the source answered last (empty for a source never polled)."""
    with kb.read() as conn:
        row = conn.execute(select(watch_sources).where(watch_sources.c.url == url)).first()
    return dict(row._mapping) if row else {"url": url, "failures": 0, "next_due": 0.0}


def save_source_state(kb: KB, url: str, **values: Any) -> None:
    """Record a poll's outcome (validators, status, failures, when it is due next)."""
    with kb.write() as conn:
        insert_ignore(conn, watch_sources, {"url": sanitize(url), "failures": 0, "next_due": 0.0})
        conn.execute(update(watch_sources).where(watch_sources.c.url == url).values(
            **{k: sanitize(v) if isinstance(v, str) else v for k, v in values.items()}))


def _item_id(source_url: str, item_url: str) -> str:
    return hashlib.sha256(f"{source_url}\x1f{item_url}".encode()).hexdigest()


def unseen_items(kb: KB, source_url: str, item_urls: list[str]) -> list[str]:
    """The pages of a sitemap not ingested yet, in the sitemap's order."""
    ids = {_item_id(source_url, u): u for u in item_urls}
    with kb.read() as conn:
        seen = set(conn.execute(select(watch_items.c.id).where(watch_items.c.id.in_(list(ids)))).scalars()) if ids else set()
    return [u for i, u in ids.items() if i not in seen]


def mark_item_seen(kb: KB, source_url: str, item_url: str) -> None:
    with kb.write() as conn:
        insert_ignore(conn, watch_items, {"id": _item_id(source_url, item_url), "source_url": sanitize(source_url),
                                          "item_url": sanitize(item_url), "seen_at": utcnow()})


def record_alert(kb: KB, alert_id: str, rule: str, title: str, detail: dict[str, Any],
                 fact_id: str | None = None) -> bool:
    """Store an alert once; True when it is new (False: it fired before, maybe before a restart)."""
    with kb.write() as conn:
        return insert_ignore(conn, alerts, {
            "id": alert_id, "rule": rule, "fact_id": fact_id, "title": sanitize(title)[:1000],
            "detail": sanitize(json.dumps(detail, ensure_ascii=False, default=str)), "created_at": utcnow(),
            "delivered": "{}"})


def undelivered(kb: KB, channel: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Alerts not yet delivered to ``channel``, oldest first."""
    marker = json.dumps(channel)  # as it appears in the delivered JSON object
    with kb.read() as conn:
        rows = conn.execute(select(alerts).where(~alerts.c.delivered.contains(marker, autoescape=True))
                            .order_by(alerts.c.created_at, alerts.c.id).limit(limit))
        out = [_alert(dict(r._mapping)) for r in rows]
    return [a for a in out if channel not in a["delivered"]]


def mark_delivered(kb: KB, alert_id: str, channel: str, outcome: str) -> None:
    with kb.write() as conn:
        current = conn.execute(select(alerts.c.delivered).where(alerts.c.id == alert_id)).scalar()
        done = json.loads(current or "{}")
        done[channel] = outcome
        conn.execute(update(alerts).where(alerts.c.id == alert_id).values(delivered=json.dumps(done)))


def list_alerts(kb: KB, *, limit: int = 100) -> list[dict[str, Any]]:
    """The latest alerts, newest first."""
    with kb.read() as conn:
        rows = conn.execute(select(alerts).order_by(alerts.c.created_at.desc(), alerts.c.id.desc()).limit(limit))
        return [_alert(dict(r._mapping)) for r in rows]


def _alert(row: dict[str, Any]) -> dict[str, Any]:
    row["detail"] = json.loads(row.get("detail") or "{}")
    row["delivered"] = json.loads(row.get("delivered") or "{}")
    return row
