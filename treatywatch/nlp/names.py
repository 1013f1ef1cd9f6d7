"""Person-name comparison: accent folding, transliteration tolerance and gender hints.

"Pavel Zalewski", "Paweł Zalewski" and "Zalewski" must be one person; "Zelensky", "Zelenskyy"
and "Zelenskiy" too. Names are compared on a key that folds accents and the usual
transliteration alternations (w/v, y/i/j, doubled letters) instead of on the raw string.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from treatywatch.nlp.resources import GenderHints, fold

_DOUBLE = re.compile(r"(.)\1+")
_TRANSLIT = str.maketrans({"w": "v", "y": "i", "j": "i"})


@lru_cache(maxsize=4096)
def name_key(token_text: str) -> str:
    """Comparison key of one name token ("Zelenskyy" -> "zelenski", "Paweł" -> "pavel")."""
    key = fold(token_text).translate(_TRANSLIT)
    key = re.sub(r"[^a-z]", "", key)
    return _DOUBLE.sub(r"\1", key)


def similar_given_names(a: str | None, b: str | None) -> bool:
    """Two given-name keys may name the same person (missing, initial, or near-identical)."""
    if not a or not b:
        return True
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    return SequenceMatcher(None, a, b).ratio() >= 0.75


def slug(text: str) -> str:
    """URL-safe id part from a name ("Paweł Zalewski" -> "pawel-zalewski")."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unnamed"


def gender_of(given: str | None, surname: str | None, hints: GenderHints) -> str | None:
    """'f', 'm' or None from name lists and surname endings in ``language.yaml``."""
    first = fold(given or "")
    last = fold(surname or "")
    if first in hints.feminine_first_names:
        return "f"
    if first in hints.masculine_first_names:
        return "m"
    if last and last.endswith(hints.feminine_surname_endings):
        return "f"
    if last and last.endswith(hints.masculine_surname_endings):
        return "m"
    return None
