"""The bundled sample corpus: about 25 written-for-the-purpose articles in every input format.

``corpus_path()`` is the directory; ``manifest.json`` beside it lists every article in it (file,
format, record, url, outlet, date, story, style) and is the provenance gold for the sample.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any


def corpus_path() -> pathlib.Path:
    """Directory holding the sample corpus files and their manifest."""
    return pathlib.Path(__file__).parent / "corpus"


def manifest() -> list[dict[str, Any]]:
    """The entries of ``manifest.json`` (beside the corpus folder), one per article."""
    data: list[dict[str, Any]] = json.loads(
        (corpus_path().parent / "manifest.json").read_text(encoding="utf-8")
    )
    return data
