"""Extraction benchmarks: ``python bench/extraction/run.py [--only gold,tempeval,gum,re3d,speed] [-v]``.

Prints P/R/F1 tables: the in-house gold set (entities, roles, quotes+speaker, quantities, times)
with bare spaCy beside treatywatch on entities; TempEval-3 platinum times; GUM news entities,
dates and quotes; re3d entity spans; and speed/peak memory of extract against bare ``nlp.pipe``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import PRF_HEADER, table  # noqa: E402

SECTIONS = ("gold", "tempeval", "gum", "re3d", "speed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(SECTIONS))
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    header = ["field", "system", *PRF_HEADER]
    if "gold" in wanted:
        from gold_set import run_gold

        print(table("in-house gold set (bench/fixtures/gold)", header, run_gold(args.verbose)))
    if "tempeval" in wanted:
        from tempeval import run_tempeval

        print(table("TempEval-3 platinum: time expressions", ["view", "system", "relaxed P", "relaxed R",
                                                             "relaxed F1", "strict F1", "value acc", "value F1", "gold", "pred"],
                    run_tempeval()))
    if "gum" in wanted:
        from gum import run_gum

        print(table("GUM news (24 docs)", header, run_gum()))
    if "re3d" in wanted:
        from re3d import run_re3d

        print(table("re3d (confidence >= 0.5)", header, run_re3d()))
    if "speed" in wanted:
        from speed import run_speed

        print(table("speed", ["pipeline", "articles", "articles/s", "peak RSS MiB", "relative time"], run_speed()))


if __name__ == "__main__":
    main()
