"""Ingest throughput: ``read_input`` only (no database), on generated inputs and the sample corpus.

    python bench/ingest_bench.py [--pages 5000] [--seed 7]

Generates, in a temporary folder, N synthetic HTML article pages (text from the word lists
below, with nav/footer/furniture lines), one JSONL file of N records, one RSS feed and one
WARC.gz of N/10 entries each, and reads them with one shared ``RecurringLines``. Then reads
``treatywatch/sample/`` if it holds inputs. Prints: input set, articles, rejections, seconds,
articles/s, peak RSS (MiB, whole process, from ``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from treatywatch.ingest import IngestOptions, RecurringLines, iter_inputs, read_input

SUBJECTS = ["The ministry", "Parliament", "The defence minister", "Campaigners", "The committee",
            "Deminers", "The foreign office", "A government spokesperson", "Local officials", "The army"]
VERBS = ["said", "confirmed", "announced", "warned", "reported", "denied", "argued", "estimated"]
OBJECTS = ["the withdrawal from the treaty", "a new stockpile of mines", "the clearance of farmland",
           "the border barrier plan", "the vote on the bill", "the instrument of withdrawal",
           "the casualty figures", "the production of cluster munitions", "the review of obligations"]
TAILS = ["on Monday", "last week", "after a long debate", "according to a statement",
         "despite criticism", "in the capital", "before the summer", "within six months"]
SITES = ["northernledger.example", "harbourgazette.example", "valleytimes.example", "riverpost.example"]


# Pseudo-words give generated articles the lexical variety of real news: with only the phrase
# lists above, every page would share most word pairs and look like a copy of every other.
_SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ra", "to", "vi", "de", "po", "an", "el", "or", "ut"]
VOCABULARY = sorted({"".join(random.Random(i).choices(_SYLLABLES, k=3)) for i in range(6000)})


def sentence(rng: random.Random) -> str:
    number = rng.randint(2, 40_000)
    topic = " ".join(rng.choices(VOCABULARY, k=8))
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} about {topic} "
            f"{rng.choice(TAILS)}, citing {number:,} cases.")


def story(rng: random.Random, paragraphs: int = 8) -> list[str]:
    return [" ".join(sentence(rng) for _ in range(rng.randint(2, 5))) for _ in range(paragraphs)]


def page(rng: random.Random, n: int) -> bytes:
    site = SITES[n % len(SITES)]
    body = "".join(f"<p>{p}</p>" for p in story(rng))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Report {n}</title>"
            f"<link rel='canonical' href='https://www.{site}/news/{n}'>"
            f"<meta property='article:published_time' content='2025-0{1 + n % 9}-1{n % 10}T08:00:00Z'>"
            f"</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article>"
            f"<h1>Report {n}</h1><p>Add {site} As A Trusted Source</p>{body}<p>Photo: Reuters</p>"
            f"<p>Tags: treaty, mines</p></article><footer>Sign up for our newsletter</footer>"
            f"</body></html>").encode()


def generate(folder: Path, pages: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    html_dir = folder / "html"
    html_dir.mkdir()
    for n in range(pages):
        (html_dir / f"{n:06d}.html").write_bytes(page(rng, n))
    with (folder / "records.jsonl").open("w") as handle:
        for n in range(pages):
            record = {"url": f"https://riverpost.example/{n}", "published": "2025-05-02", "text": "\n".join(story(rng, 5))}
            handle.write(json.dumps(record) + "\n")
    entries = max(1, pages // 10)
    items = "".join(f"<item><title>Item {n}</title><link>https://harbourgazette.example/{n}</link>"
                    f"<pubDate>Fri, 27 Jun 2025 14:05:00 GMT</pubDate><description>{' '.join(story(rng, 3))}"
                    f"</description></item>" for n in range(entries))
    (folder / "feed.xml").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>{items}</channel></rss>')
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(entries):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://valleytimes.example/w/{n}", "response", payload=io.BytesIO(page(rng, n)), http_headers=headers))
    (folder / "crawl.warc.gz").write_bytes(buffer.getvalue())
    (folder / "pages.jsonl.gz").write_bytes(gzip.compress((folder / "records.jsonl").read_bytes()))
    return {
        f"html pages (n={pages})": sorted(str(p) for p in html_dir.iterdir()),
        f"jsonl (n={pages})": [str(folder / "records.jsonl")],
        f"jsonl.gz (n={pages})": [str(folder / "pages.jsonl.gz")],
        f"rss (n={entries})": [str(folder / "feed.xml")],
        f"warc.gz (n={entries})": [str(folder / "crawl.warc.gz")],
    }


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, targets: list[str], options: IngestOptions, emit: Callable[[str], None]) -> None:
    recurring = RecurringLines()
    articles = rejections = 0
    start = time.perf_counter()
    for target in targets:
        batch = read_input(target, options, first_seen="2025-07-01T00:00:00+00:00", recurring=recurring)
        articles += len(batch.articles)
        rejections += len(batch.rejections)
    seconds = time.perf_counter() - start
    rate = articles / seconds if seconds else 0.0
    emit(f"| {name:<24} | {articles:>8} | {rejections:>10} | {seconds:>8.2f} | {rate:>10.1f} | {peak_rss_mib():>13.0f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    options = IngestOptions()
    print("| input set                | articles | rejections |  seconds | articles/s | peak RSS MiB |")
    print("|--------------------------|---------:|-----------:|---------:|-----------:|-------------:|")
    with tempfile.TemporaryDirectory(prefix="tw-ingest-bench-") as tmp:
        for name, targets in generate(Path(tmp), args.pages, args.seed).items():
            measure(name, targets, options, print)
    sample = Path(__file__).resolve().parent.parent / "treatywatch" / "sample"
    targets = [t for t in iter_inputs([str(sample)])
               if not t.endswith((".py", ".pyc", "README.md")) and "__pycache__" not in t]
    if targets:
        measure(f"sample corpus ({len(targets)} files)", targets, options, print)
    else:
        print("| sample corpus            | (treatywatch/sample/ has no inputs)                          |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
