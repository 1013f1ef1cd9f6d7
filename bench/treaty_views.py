"""Time the treaty views (map + States-Parties series) against one `status_for_treaty`, warm.

Run: python bench/treaty_views.py [--treaty APMBT] [--on 2026-01-01] [--runs 9] [--naive]

Every row is the median of ``--runs`` runs after two warm-up runs, over the packaged reference
data (no claims), and its ratio to one whole-treaty answer (`status_for_treaty`) measured in the
same run, so the ratio holds on a busy machine where the milliseconds do not. The target of
issue 17: map + series for one treaty under 300 ms warm. ``--naive`` adds what the series would
cost as one whole-treaty answer per monthly point (run once: it takes seconds).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from treatywatch.status import load_facts, status_for_treaty
from treatywatch.status.series import sample_days, treaty_history, treaty_overview
from treatywatch.web.charts import parties_chart_svg
from treatywatch.web.map import status_map_svg
from treatywatch.web.treaty_view import drawings, treaty_view


def timed(fn: Callable[[], Any], runs: int) -> float:
    """Median milliseconds of ``runs`` calls after two warm-up calls."""
    fn()
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def page_timer(treaty: str, on: date) -> Callable[[], Any]:
    """GET /treaties/{treaty}?on= through the real app over an empty kb in a temporary folder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

        from treatywatch.web.app import create_app
        from treatywatch.web.settings import WebSettings

    db = Path(tempfile.mkdtemp(prefix="tw-bench-")) / "kb.db"
    app = create_app(str(db), settings=WebSettings(allowed_hosts=("testserver",)))
    client = TestClient(app)

    def get() -> None:
        answer = client.get(f"/treaties/{treaty}", params={"on": on.isoformat()})
        assert answer.status_code == 200, answer.status_code

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--treaty", default="APMBT")
    parser.add_argument("--on", type=date.fromisoformat, default=date(2026, 1, 1))
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--naive", action="store_true")
    args = parser.parse_args()
    facts, treaty, on, runs = load_facts(), args.treaty, args.on, args.runs
    start = facts.treaties[treaty].entry_into_force or date(on.year - 10, 1, 1)
    answer = status_for_treaty(treaty, on, claims=[], facts=facts)
    history = treaty_history(treaty, start, on, claims=[], facts=facts)
    overview = treaty_overview(treaty, on, claims=[], facts=facts)
    view = treaty_view(overview, facts.treaties[treaty])
    rows = [
        ("status_for_treaty (one whole answer)", lambda: status_for_treaty(treaty, on, claims=[], facts=facts)),
        ("series: treaty_history EIF..on", lambda: treaty_history(treaty, start, on, claims=[], facts=facts)),
        ("series sampled monthly (given history)", lambda: history.sample("month")),
        ("map SVG (given the answer)", lambda: status_map_svg(answer)),
        ("chart SVG (given the history)", lambda: parties_chart_svg(history, view.marks)),
        ("map + series: overview + view + drawings",
         lambda: drawings(treaty_view(treaty_overview(treaty, on, claims=[], facts=facts), facts.treaties[treaty]),
                          link_states=True)),
        ("page GET /treaties/{id} (in-process)", page_timer(treaty, on)),
    ]
    months = len(sample_days(start, on, "month"))
    print(f"{treaty} on {on.isoformat()}, history from {start.isoformat()}: {len(history.points)} change points, "
          f"{months} monthly points, {len(answer.results)} states; median of {runs} warm runs")
    print(f"{'operation':<44} {'ms':>9} {'x one answer':>13}")
    base = 0.0
    for name, fn in rows:
        ms = timed(fn, runs)
        base = base or ms
        print(f"{name:<44} {ms:9.1f} {ms / base:13.2f}")
    if args.naive:
        started = time.perf_counter()
        for day in sample_days(start, on, "month"):
            status_for_treaty(treaty, day, claims=[], facts=facts)
        ms = (time.perf_counter() - started) * 1000
        print(f"{'naive: one whole answer per monthly point':<44} {ms:9.1f} {ms / base:13.2f}")


if __name__ == "__main__":
    main()
