"""The closed vocabularies of a claim's fields, for checking values that did not come from
extraction (an analyst's correction) against the same rules extraction follows.

Event types come from the registry (`treatywatch.event_types`), modalities from
`treatywatch.models`; the states (ISO 3166-1 alpha-3 codes) and treaties are those extraction
links to: ``nlp/data/states.csv`` and the ``treaty:`` entries of ``nlp/data/gazetteer.yaml``.
The nlp stage validates those files when it loads them; here only their ids are read.
"""

from __future__ import annotations

import csv
from functools import cache

from treatywatch.datafile import PACKAGE_ROOT, read_yaml

NLP_DATA = PACKAGE_ROOT / "nlp" / "data"


@cache
def state_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-3 codes of the states extraction knows (POL, LTU, ...)."""
    with (NLP_DATA / "states.csv").open(encoding="utf-8", newline="") as handle:
        return frozenset(row["iso3"] for row in csv.DictReader(handle))


@cache
def treaty_ids() -> frozenset[str]:
    """The treaty ids extraction gives (APMBT, CCM, ...)."""
    entries = read_yaml(NLP_DATA / "gazetteer.yaml").get("treaties", [])
    return frozenset(e["id"].split(":", 1)[1] for e in entries if str(e.get("id", "")).startswith("treaty:"))
