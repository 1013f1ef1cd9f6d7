"""Small SQL helpers that hide the two backends' dialect differences."""

from __future__ import annotations

from typing import Any, overload

from sqlalchemy import ColumnElement, Connection, Table, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from treatywatch.dates import GrainDate


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


# --- dates ---------------------------------------------------------------------------------
# Plain comparisons on the stored text (bounds from `GrainDate`), so that a date index serves them.


def grain_since(column: ColumnElement[Any], since: GrainDate) -> ColumnElement[bool]:
    """A date column at any grain ("2026", "2026-03", "2026-03-15"): may be on or after ``since``."""
    lower, coarser = since.since_texts()
    return or_(column >= lower, column.in_(coarser))


def grain_until(column: ColumnElement[Any], until: GrainDate) -> ColumnElement[bool]:
    """A date column at any grain: may be on or before ``until`` (``until=2026-03`` keeps 2026-03-15)."""
    return column <= until.until_text()


def moment_since(column: ColumnElement[Any], since: GrainDate) -> ColumnElement[bool]:
    """An ISO date-or-datetime column (publication dates): on or after the first day of ``since``."""
    return column >= since.since_texts()[0]


def moment_until(column: ColumnElement[Any], until: GrainDate) -> ColumnElement[bool]:
    """An ISO date-or-datetime column: on or before the last day of ``until``, any time of that day."""
    return column < until.before_text()
