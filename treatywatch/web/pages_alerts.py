"""Alerts in the web UI: the list at ``/alerts`` and an Atom feed at ``/alerts.atom`` (one entry
per alert fired by ``treatywatch watch``, linking to the fact and its evidence)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from treatywatch.kb import watch as kb_watch
from treatywatch.web.render import render

router = APIRouter()
FEED_SIZE = 100


@router.get("/alerts")
def alerts_page(request: Request, limit: int = Query(100, ge=1, le=1000)) -> Response:
    return render(request, "alerts.html", alerts=kb_watch.list_alerts(request.app.state.kb, limit=limit))


@router.get("/alerts.atom")
def alerts_feed(request: Request) -> Response:
    """The latest alerts as Atom 1.0 (escaped with the standard library's XML escaping)."""
    base = str(request.base_url).rstrip("/")
    rows = kb_watch.list_alerts(request.app.state.kb, limit=FEED_SIZE)
    updated = rows[0]["created_at"] if rows else "1970-01-01T00:00:00+00:00"
    entries = []
    for alert in rows:
        link = f"{base}{alert['detail'].get('link') or '/alerts'}"
        entries.append(
            f"<entry><id>urn:treatywatch:alert:{escape(alert['id'])}</id><title>{escape(alert['title'])}</title>"
            f"<updated>{escape(alert['created_at'])}</updated><link href=\"{escape(link)}\"/>"
            f"<category term=\"{escape(alert['rule'])}\"/><summary>{escape(alert['title'])}</summary></entry>")
    body = (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>urn:treatywatch:alerts</id><title>treatywatch alerts</title><updated>{escape(updated)}</updated>"
            f'<link rel="self" href="{escape(base)}/alerts.atom"/>{"".join(entries)}</feed>')
    return Response(body, media_type="application/atom+xml; charset=utf-8")
