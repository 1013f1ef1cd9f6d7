"""Named, ordered schema migrations, recorded in ``schema_migrations``.

`schema.py` always describes the current schema; a new database is created from it directly.
When a table changes, add a migration here that brings an existing database to the same shape
(and never edit one that has shipped).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection


@dataclass(frozen=True)
class Migration:
    name: str
    apply: Callable[[Connection], None]


def _initial(conn: Connection) -> None:
    from treatywatch.kb.schema import metadata

    metadata.create_all(conn)


def _story_features(conn: Connection) -> None:
    """Each story member keeps its own fingerprint, so later articles can join through it."""
    from sqlalchemy import LargeBinary, inspect

    if "signature" in {c["name"] for c in inspect(conn).get_columns("story_members")}:
        return
    blob = LargeBinary().compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE story_members ADD COLUMN signature {blob}")


def _idempotency_keys(conn: Connection) -> None:
    """Write requests remembered by their Idempotency-Key (treatywatch.kb.idempotency)."""
    from treatywatch.kb.schema import idempotency_keys

    idempotency_keys.create(conn, checkfirst=True)


MIGRATIONS: list[Migration] = [
    Migration("0001_initial", _initial),
    Migration("0002_story_features", _story_features),
    Migration("0003_idempotency_keys", _idempotency_keys),
]
