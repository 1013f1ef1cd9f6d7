"""Event extraction benchmark: precision / recall / F1 per type on the gold fixtures, date,
modality and weapon accuracy on matched events, and extraction throughput with events beside
the bare nlp pass.

    python bench/events/run.py            # tables
    python bench/events/run.py --errors   # plus every miss, spurious event and wrong attribute
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from score import ATTRIBUTES, Score, load_gold, score_gold  # noqa: E402

from treatywatch.events import EVENT_TYPES, detect_events  # noqa: E402
from treatywatch.models import Article, Event  # noqa: E402
from treatywatch.nlp import analyse, extract, load_pipeline  # noqa: E402


def detect(article: Article) -> list[Event]:
    return detect_events(analyse(article))


def print_scores(score: Score) -> None:
    print(f"{'type':32} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    for event_type in EVENT_TYPES:
        if not (score.gold[event_type] or score.predicted[event_type]):
            continue
        p, r, f = score.prf(event_type)
        print(f"{event_type:32} {score.gold[event_type]:5} {score.predicted[event_type]:5} "
              f"{score.matched[event_type]:5} {p:6.3f} {r:6.3f} {f:6.3f}")
    p, r, f = score.prf()
    print(f"{'ALL (micro)':32} {sum(score.gold.values()):5} {sum(score.predicted.values()):5} "
          f"{sum(score.matched.values()):5} {p:6.3f} {r:6.3f} {f:6.3f}")
    print()
    print(f"{'attribute (on matched events)':32} {'n':>5} {'accuracy':>9}")
    for attribute in ATTRIBUTES:
        accuracy = score.accuracy(attribute)
        if accuracy is not None:
            print(f"{attribute:32} {score.attribute_total[attribute]:5} {accuracy:9.3f}")


def print_errors(score: Score) -> None:
    print("\nmisses (gold not found):")
    for name, gold in score.misses:
        print(f"  {name} {gold['type']} {gold.get('actor_iso3') or gold.get('actor')} | {gold.get('evidence', '')[:90]}")
    print("\nspurious (predicted, not in gold):")
    for name, event in score.spurious:
        print(f"  {name} {event.type} {event.actor} {event.modality} | {event.evidence.sentence[:90]}")
    print("\nwrong attributes on matched events (attribute, gold, predicted):")
    for name, attribute, gold, predicted, evidence in score.wrong:
        print(f"  {name} {attribute}: {gold!r} != {predicted!r} | {evidence}")


def throughput(articles: list[Article], rounds: int) -> None:
    """Articles per second of the nlp pass alone and with event detection."""
    nlp = load_pipeline()
    extract(articles[0], nlp)  # warm-up
    chars = sum(len(a.text) for a in articles) * rounds
    print(f"\n{'pipeline':32} {'articles/s':>11} {'kchars/s':>9}")
    for label, detector in (("nlp only (spaCy + components)", None), ("nlp + events", detect_events)):
        start = time.perf_counter()
        for _ in range(rounds):
            for article in articles:
                extract(article, nlp, event_detector=detector)
        elapsed = time.perf_counter() - start
        print(f"{label:32} {len(articles) * rounds / elapsed:11.1f} {chars / elapsed / 1000:9.1f}")
    analyses = [analyse(a, nlp) for a in articles]
    start = time.perf_counter()
    for _ in range(rounds):
        for analysis in analyses:
            detect_events(analysis)
    elapsed = time.perf_counter() - start
    print(f"{'events alone (on analyses)':32} {len(articles) * rounds / elapsed:11.1f} {chars / elapsed / 1000:9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misses, spurious events, wrong attributes")
    parser.add_argument("--rounds", type=int, default=2, help="passes over the gold set for throughput")
    args = parser.parse_args()
    gold = load_gold()
    with_events = sum(1 for g in gold if g.events)
    print(f"gold: {len(gold)} articles ({with_events} with events, {sum(len(g.events) for g in gold)} events)\n")
    score = score_gold(detect, gold)
    print_scores(score)
    if args.errors:
        print_errors(score)
    throughput([g.article for g in gold], args.rounds)


if __name__ == "__main__":
    main()
