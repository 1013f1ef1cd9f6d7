"""Small SQL helpers that hide the two backends' dialect differences."""

from __future__ import annotations

from typing import Any, overload

from sqlalchemy import Connection, Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def insert_ignore(conn: Connection, table: Table, row: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; returns True when a row was inserted."""
    dialect = conn.dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(table).values(**row)
    # RETURNING tells both backends' "inserted?" alike; rowcount does not (psycopg reports 1).
    key = list(table.primary_key.columns)[0]
    result = conn.execute(statement.on_conflict_do_nothing().returning(key))
    return result.first() is not None


@overload
def sanitize(value: str) -> str: ...
@overload
def sanitize(value: None) -> None: ...
@overload
def sanitize(value: str | None) -> str | None: ...
def sanitize(value: str | None) -> str | None:
    """Strip NUL, which PostgreSQL text cannot hold, so both backends store the same text."""
    if value is None:
        return value
    return value.replace("\x00", "")


def like_contains(query: str) -> str:
    """A LIKE pattern for "contains ``query``" (lower-cased), its own wildcards escaped with ``\\``."""
    escaped = query.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
