"""Keyset pagination: a page starts after the last row of the one before, never at an offset.

An ``OFFSET n`` makes the database read and drop ``n`` rows first, so one request for page
100 000 cost as much as reading the whole table. Every listing here is ordered by
(sort key DESC, id DESC) over an index on those two columns, and the next page is asked for
with the (sort key, id) of the last row shown: ``(key, id) < (k, i)``, one index seek,
whatever the depth.

Rows whose sort key is NULL (an article without a publication date) come after all others,
ordered by id alone, on both backends. The position travels as an opaque cursor: URL-safe
base64 of a small JSON array. A cursor that does not decode is an `InputError` (400).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Select, tuple_

from treatywatch.errors import InputError

MAX_CURSOR = 600


@dataclass(frozen=True)
class Page:
    """One page of a listing: its rows, and the cursor of the next page (None on the last)."""

    items: list[dict[str, Any]] = field(default_factory=list)
    next: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> tuple[Any, ...] | None:
    """The values of a cursor made by `encode_cursor` for ``size`` columns (None: first page)."""
    if not cursor:
        return None
    try:
        if len(cursor) > MAX_CURSOR:
            raise ValueError
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != size or not all(
            v is None or isinstance(v, str | int | float) for v in values
        ):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InputError("invalid cursor; use the 'next' value of the previous page as it was given") from None
    return tuple(values)


def keyset_page(conn: Connection, query: Select[Any], key: Any, tiebreak: Any, *, cursor: str | None,
                limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``query`` ordered by (``key`` DESC, ``tiebreak`` DESC), NULL keys last.

    ``key`` and ``tiebreak`` are columns of ``query``'s rows, labelled ``_key`` and ``_id``
    in the cursor. Returns the rows (as dicts) and the next page's cursor.
    """
    after = decode_cursor(cursor, 2)
    rows: list[dict[str, Any]] = []
    if after is None or after[0] is not None:
        keyed = query.where(key.is_not(None))
        if after is not None:
            keyed = keyed.where(tuple_(key, tiebreak) < tuple_(*after))
        rows = _fetch(conn, keyed.order_by(key.desc(), tiebreak.desc()).limit(limit + 1), key, tiebreak)
    if len(rows) <= limit:
        tail = query.where(key.is_(None))
        if after is not None and after[0] is None:
            tail = tail.where(tiebreak < after[1])
        rows += _fetch(conn, tail.order_by(tiebreak.desc()).limit(limit + 1 - len(rows)), key, tiebreak)
    next_cursor = encode_cursor(rows[limit - 1]["_cursor"]) if len(rows) > limit else None
    rows = rows[:limit]
    for row in rows:
        for name in ("_key", "_id", "_cursor"):
            row.pop(name, None)
    return rows, next_cursor


def _fetch(conn: Connection, query: Select[Any], key: Any, tiebreak: Any) -> list[dict[str, Any]]:
    found = []
    for row in conn.execute(query.add_columns(key.label("_key"), tiebreak.label("_id"))):
        mapping = dict(row._mapping)
        mapping["_cursor"] = (mapping["_key"], mapping["_id"])
        found.append(mapping)
    return found
