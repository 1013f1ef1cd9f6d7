"""Time the status engine over the packaged reference data: one command, one table.

Run: python bench/status_engine.py
"""

from __future__ import annotations

import time
from datetime import date

from treatywatch.status import load_facts, states_parties, status, status_all

DATES = ("2024-12-31", "2025-06-30", "2025-12-28", "2026-01-11", "2026-02-21")


def main() -> None:
    started = time.perf_counter()
    facts = load_facts()
    load_ms = (time.perf_counter() - started) * 1000
    print(f"{'operation':<34} {'states parties':>14} {'ms':>8}")
    print(f"{'load reference + rules':<34} {'':>14} {load_ms:8.1f}")
    for treaty in ("APMBT", "CCM"):
        for on in DATES:
            started = time.perf_counter()
            results = status_all(treaty, date.fromisoformat(on), facts=facts)
            ms = (time.perf_counter() - started) * 1000
            print(f"{'status_all ' + treaty + ' ' + on:<34} {states_parties(results):>14} {ms:8.1f}")
    started = time.perf_counter()
    for _ in range(1000):
        status("POL", "APMBT", date(2026, 1, 1), facts=facts)
    print(f"{'status POL APMBT (per call)':<34} {'':>14} {(time.perf_counter() - started):8.3f}")


if __name__ == "__main__":
    main()
