"""What the parse sandbox costs: ``read_input`` in-process vs sandboxed, articles/s.

    python bench/sandbox_bench.py [--pages 1000] [--seed 7] [--repeat 2]

Input sets: the sample corpus (treatywatch/sample/corpus), generated inputs from
bench/ingest_bench.py (N small HTML pages, JSONL of N records, an RSS feed and a WARC.gz of N/10
entries), a JSONL of N/5 records carrying ``html``, and N/5 pages of a typical size (60 KB). Each set is read in both modes, ``--repeat`` times alternating, and the
best time of each mode is kept (the machine is shared). The sandbox child is started before the
clock runs; its start-up time is printed on its own line. Overhead = sandboxed time / in-process
time - 1.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest_bench import generate, page  # noqa: E402

from treatywatch.ingest import IngestOptions, RecurringLines, iter_inputs, read_input  # noqa: E402
from treatywatch.ingest.sandbox import ParseSandbox, shared_sandbox  # noqa: E402
from treatywatch.sample import corpus_path  # noqa: E402

MODES = {"in-process": IngestOptions(sandbox=False), "sandboxed": IngestOptions(sandbox=True)}


def read_all(targets: list[str], options: IngestOptions) -> tuple[int, float]:
    """(articles, seconds) for reading every target once."""
    recurring = RecurringLines()
    articles = 0
    start = time.perf_counter()
    for target in targets:
        batch = read_input(target, options, first_seen="2025-07-01T00:00:00+00:00", recurring=recurring)
        articles += len(batch.articles)
    return articles, time.perf_counter() - start


def html_jsonl(folder: Path, records: int, seed: int) -> str:
    """A JSONL file whose records carry ``html`` (one sandbox round trip per line)."""
    rng = random.Random(seed)
    path = folder / "html-records.jsonl"
    with path.open("w") as handle:
        for n in range(records):
            handle.write(json.dumps({"url": f"https://riverpost.example/h/{n}", "html": page(rng, n).decode()}) + "\n")
    return str(path)


def full_size_pages(folder: Path, count: int, seed: int) -> list[str]:
    """Pages of a typical news-site size (about 60 KB: menus, scripts, related links)."""
    rng = random.Random(seed)
    menu = "".join(f"<li><a href='/section/{n}'>Section {n}</a></li>" for n in range(120))
    script = "<script>var config = {" + ",".join(f"k{n}: {n}" for n in range(1500)) + "};</script>"
    related = "".join(f"<div class='card'><a href='/news/{n}'><h3>Related story {n}</h3></a><p>Teaser text {n}.</p></div>" for n in range(150))
    folder = folder / "full"
    folder.mkdir()
    paths = []
    for n in range(count):
        html = page(rng, n).decode().replace("<nav>", f"{script}<nav><ul>{menu}</ul>").replace("</article>", f"</article>{related}")
        path = folder / f"{n:05d}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    return paths


def input_sets(folder: Path, pages: int, seed: int) -> dict[str, list[str]]:
    sets = {f"sample corpus ({len(list(iter_inputs([str(corpus_path())])))} files)": list(iter_inputs([str(corpus_path())]))}
    sets.update(generate(folder, pages, seed))
    sets[f"jsonl with html (n={pages // 5})"] = [html_jsonl(folder, pages // 5, seed)]
    sets[f"60 KB pages (n={pages // 5})"] = full_size_pages(folder, pages // 5, seed)
    return sets


def start_up_seconds() -> float:
    box = ParseSandbox(IngestOptions().parse_memory)
    try:
        start = time.perf_counter()
        box.run(len, b"", timeout=120)
        return time.perf_counter() - start
    finally:
        box.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    print(f"sandbox child start-up (import + warm-up): {start_up_seconds():.2f} s")
    shared_sandbox(MODES["sandboxed"].parse_memory).run(len, b"", timeout=120)
    print("| input set                  | articles | in-process s | sandboxed s | in-process art/s | sandboxed art/s | overhead |")
    print("|----------------------------|---------:|-------------:|------------:|-----------------:|----------------:|---------:|")
    totals = {mode: 0.0 for mode in MODES}
    with tempfile.TemporaryDirectory(prefix="tw-sandbox-bench-") as tmp:
        for name, targets in input_sets(Path(tmp), args.pages, args.seed).items():
            best = {mode: float("inf") for mode in MODES}
            articles = 0
            for _ in range(args.repeat):
                for mode, options in MODES.items():
                    articles, seconds = read_all(targets, options)
                    best[mode] = min(best[mode], seconds)
            for mode in MODES:
                totals[mode] += best[mode]
            inside, boxed = best["in-process"], best["sandboxed"]
            print(f"| {name:<26} | {articles:>8} | {inside:>12.2f} | {boxed:>11.2f} | {articles / inside:>16.1f} | "
                  f"{articles / boxed:>15.1f} | {100 * (boxed / inside - 1):>7.1f}% |")
    overall = 100 * (totals["sandboxed"] / totals["in-process"] - 1)
    print(f"all sets: in-process {totals['in-process']:.2f} s, sandboxed {totals['sandboxed']:.2f} s, overhead {overall:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
