"""End-to-end ingest throughput: `treatywatch ingest` into a fresh SQLite knowledge base.

    python bench/ingest_kb_bench.py [--pages 5000] [--extract-pages 300]

Each run is a separate process (so peak RSS is that run's own), timed from start to exit, over:
the bundled sample corpus (with and without extraction) and N generated HTML pages (without
extraction, then a slice of them with extraction, stories and claims). Prints a table.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest_bench import generate  # noqa: E402

from treatywatch.sample import corpus_path  # noqa: E402


def run_ingest(target: Path, db: Path, *extra: str) -> tuple[float, float, int]:
    """(seconds, peak RSS MiB of the child, articles stored)."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "treatywatch", "ingest", str(target), "--db", str(db), "--quiet", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _pid, _status, usage = os.wait4(child.pid, 0)  # this child's own peak, not the max of all children
    child.returncode = 0
    seconds = time.perf_counter() - start
    peak = usage.ru_maxrss

    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    return seconds, peak / 1024, articles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--extract-pages", type=int, default=300)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        generated = root / "generated"
        generated.mkdir()
        generate(generated, args.pages, seed=7)
        pages = generated / "html"
        subset = root / "subset"
        subset.mkdir()
        chosen = sorted(pages.iterdir())
        random.Random(1).shuffle(chosen)
        for path in chosen[: args.extract_pages]:
            (subset / path.name).write_bytes(path.read_bytes())
        runs = [
            ("sample corpus, no extraction", corpus_path(), ("--no-extract",)),
            ("sample corpus, full (nlp+events+stories)", corpus_path(), ()),
            (f"{args.pages} generated pages, no extraction", pages, ("--no-extract",)),
            (f"{args.extract_pages} generated pages, full", subset, ()),
        ]
        for n, (name, target, extra) in enumerate(runs):
            seconds, peak, articles = run_ingest(target, root / f"kb{n}.db", *extra)
            rows.append((name, articles, seconds, articles / seconds, peak))
    print("| run | articles | seconds | articles/s | peak RSS MiB |")
    print("|---|---|---|---|---|")
    for name, articles, seconds, rate, peak in rows:
        print(f"| {name} | {articles} | {seconds:.1f} | {rate:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
