"""Article text with the extraction's findings marked, built from its character offsets.

The text is cut at every start and end offset of an entity mention, quote, quantity, time or
event evidence; each piece is escaped on its own and wrapped in one ``<span>`` whose classes
list every annotation covering it. Overlaps and nesting therefore never produce broken markup,
and nothing from the article is ever emitted unescaped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    css: str
    label: str


def _span(value: Any, length: int) -> tuple[int, int] | None:
    try:
        start, end = int(value[0]), int(value[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (start, end) if 0 <= start < end <= length else None


def _marks_of(doc: Mapping[str, Any], length: int) -> Iterator[Mark]:
    for entity in doc.get("entities") or ():
        kind = str(entity.get("type", "")).lower()
        for mention in entity.get("mentions") or ():
            span = _span(mention, length)
            if span:
                yield Mark(*span, f"ent ent-{kind}", f"{entity.get('type')}: {entity.get('name')} ({entity.get('id')})")
    for quote in doc.get("quotes") or ():
        span = _span(quote.get("span"), length)
        if span:
            yield Mark(*span, "quote", f"{quote.get('kind')} quote — {quote.get('speaker_name') or 'unknown speaker'}")
    for qty in doc.get("quantities") or ():
        span = _span(qty.get("span"), length)
        if span:
            unit = " ".join(str(x) for x in (qty.get("unit"), qty.get("per") and f"per {qty['per']}") if x)
            yield Mark(*span, "qty", f"quantity: {qty.get('value')} {unit}".strip())
    for time in doc.get("times") or ():
        span = _span(time.get("span"), length)
        if span:
            yield Mark(*span, "time", f"date: {time.get('value')} ({time.get('grain')})")
    for event in doc.get("events") or ():
        span = _span((event.get("evidence") or {}).get("span"), length)
        if span:
            parts = [event.get("type"), event.get("actor_iso3") or event.get("actor"), event.get("treaty"),
                     event.get("weapon"), event.get("date"), event.get("modality")]
            yield Mark(*span, "evidence", "event: " + " · ".join(str(p) for p in parts if p))


def highlight(text: str, doc: Mapping[str, Any] | None) -> Markup:
    """``text`` as escaped HTML with ``<span class=... title=...>`` around annotated pieces."""
    marks = list(_marks_of(doc or {}, len(text)))
    if not marks:
        return Markup(escape(text))
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = escape(text[start:end])
        covering = [m for m in marks if m.start <= start and end <= m.end]
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for m in covering for c in m.css.split()))
        title = "; ".join(dict.fromkeys(m.label for m in covering))
        out.append(f'<span class="{escape(classes)}" title="{escape(title)}">{piece}</span>')
    return Markup("".join(out))


def counts(doc: Mapping[str, Any] | None) -> dict[str, int]:
    """How many of each kind of finding the extraction has (for the legend)."""
    doc = doc or {}
    return {key: len(doc.get(key) or ()) for key in ("entities", "quotes", "quantities", "times", "events")}
