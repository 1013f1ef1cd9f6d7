"""The measures of one column (from the scorer's report) and the markdown table, with before → after.

A column's measures are a flat dict of numbers (saved as JSON by ``run.py --json``); each row of
the table reads one headline number from it (compared with an earlier run) and a full cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Measures = dict[str, Any]


def measures_of(report: dict[str, Any], lookalikes: int) -> Measures:
    """The flat measures of one part from ``score.py``'s JSON report."""
    ev, qs, nq = report["events_p_r_f1"], report["quotes_speaker_p_r_f1"], report["quantities_p_r_f1"]
    return {
        "articles": report["articles"], "missing_text": report["missing_text"],
        "hash_mismatch": report["hash_mismatch"], "crashes": report["crashes"],
        "events_p": ev[0], "events_r": ev[1], "events_f1": ev[2],
        "date_acc": report["event_date_acc"], "modality_acc": report["event_modality_acc"],
        "treaty_acc": report["event_treaty_acc"],
        "speaker_p": qs[0], "speaker_r": qs[1], "speaker_f1": qs[2], "quotes_found": report["quotes_found_recall"],
        "quantities_p": nq[0], "quantities_r": nq[1], "quantities_f1": nq[2],
        "lookalike_false": report["offtopic_false_events"], "lookalikes": lookalikes,
    }


def _num(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _prf(key: str) -> Callable[[Measures], str]:
    return lambda m: f"{_num(m[key + '_f1'])} ({_num(m[key + '_p'], 2)} / {_num(m[key + '_r'], 2)})"


def _articles(m: Measures) -> str:
    notes = [f"{m[k]} {label}" for k, label in (("missing_text", "missing"), ("hash_mismatch", "differ")) if m.get(k)]
    return f"{m['articles']}" + (f" ({', '.join(notes)})" if notes else "")


def _lookalikes(m: Measures) -> str:
    if not m.get("lookalikes"):
        return "—"
    return f"{m['lookalike_false']} on {m['lookalikes']} ({20 * m['lookalike_false'] / m['lookalikes']:.1f} per 20)"


def offtopic_rate(m: Measures) -> float | None:
    return 1000 * m["offtopic_events"] / m["articles"] if m.get("articles") else None


def _offtopic(m: Measures) -> str:
    rate = offtopic_rate(m)
    return "—" if rate is None else (f"{rate:.1f} ({m['offtopic_events']} events in "
                                     f"{m['offtopic_articles_hit']} of {m['articles']:,} articles)")


def _f(key: str) -> Callable[[Measures], str]:
    return lambda m: _num(m[key])


# label, headline (a short text compared with an earlier run's), full cell; a row is shown when
# some column has it
ROWS: tuple[tuple[str, Callable[[Measures], str], Callable[[Measures], str]], ...] = (
    ("articles scored", lambda m: str(m["articles"]), _articles),
    ("events F1 (P / R)", _f("events_f1"), _prf("events")),
    ("event date accuracy", _f("date_acc"), _f("date_acc")),
    ("event modality accuracy", _f("modality_acc"), _f("modality_acc")),
    ("event treaty accuracy", _f("treaty_acc"), _f("treaty_acc")),
    ("quote speaker F1 (P / R)", _f("speaker_f1"), _prf("speaker")),
    ("quotes found (recall)", _f("quotes_found"), _f("quotes_found")),
    ("quantities F1 (P / R)", _f("quantities_f1"), _prf("quantities")),
    ("false events on look-alikes", lambda m: f"{m['lookalike_false']} on {m['lookalikes']}" if m.get("lookalikes") else "—",
     _lookalikes),
    ("false events per 1,000 off-topic articles", lambda m: _num(offtopic_rate(m), 1), _offtopic),
    ("stories F1 (P / R)", _f("stories_f1"), _prf("stories")),
    ("crashes", lambda m: str(m["crashes"]), lambda m: str(m["crashes"])),
)


def _cell(headline: Callable[[Measures], str], full: Callable[[Measures], str],
          new: Measures | None, old: Measures | None) -> str:
    """The full cell of ``new``, preceded by ``old``'s headline and an arrow when they differ."""
    try:
        text, now = full(new or {}), headline(new or {})
    except KeyError:
        return ""
    try:
        before = headline(old) if old is not None else now
    except KeyError:
        before = now
    return text if before == now else f"{before} → {text}"


def markdown(columns: dict[str, Measures], old: dict[str, Measures] | None = None) -> str:
    """The table: one row per measure, one column per part; ``old`` adds before → after."""
    names = list(columns)
    lines = ["| measure | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for label, headline, full in ROWS:
        cells = [_cell(headline, full, columns[n], (old or {}).get(n)) for n in names]
        if any(cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if old:
        changed = [n for n in names if n in old and old[n].get("articles") != columns[n].get("articles")]
        gone = [n for n in old if n not in columns]
        if changed:
            lines.append(f"\nnote: articles scored differ from the earlier run in: {', '.join(changed)} — "
                         "the gold or the texts changed, so those columns do not compare like for like")
        if gone:
            lines.append(f"\ncolumns of the earlier run not measured now: {', '.join(gone)}")
    return "\n".join(lines)
