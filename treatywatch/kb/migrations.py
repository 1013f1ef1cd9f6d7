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
    """``beyond_metadata``: it makes what schema.py cannot describe (full-text tables, triggers,
    expression indexes), so a new database runs it too."""

    name: str
    apply: Callable[[Connection], None]
    beyond_metadata: bool = False


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


def _sessions_and_login_limits(conn: Connection) -> None:
    """Server-side web sessions and the failed-login counts of the login rate limit."""
    from treatywatch.kb.schema import login_failures, sessions

    sessions.create(conn, checkfirst=True)
    for index in sessions.indexes:
        index.create(conn, checkfirst=True)
    login_failures.create(conn, checkfirst=True)


def _keyset_indexes(conn: Connection) -> None:
    """(sort key, id) indexes for keyset pages; they replace the sort-key-only ones."""
    from sqlalchemy import inspect

    from treatywatch.kb.schema import articles, claims, stories

    inspector = inspect(conn)
    for table, old in ((articles, "ix_articles_published"), (claims, "ix_claims_date")):
        if old in {i["name"] for i in inspector.get_indexes(table.name)}:
            conn.exec_driver_sql(f"DROP INDEX {old}")
    for table in (articles, claims, stories):
        for index in table.indexes:
            index.create(conn, checkfirst=True)


def _full_text_search(conn: Connection) -> None:
    """Word search over article and claim texts (`kb.fulltext`), filled from the stored rows."""
    from treatywatch.kb.fulltext import create_search_index

    create_search_index(conn)


def _seen_inputs(conn: Connection) -> None:
    """Pages the relevance prefilter dropped, by content hash (`kb.seen`)."""
    from treatywatch.kb.schema import seen_inputs

    seen_inputs.create(conn, checkfirst=True)


def _facts_watch_alerts(conn: Connection) -> None:
    """Facts over claims (filled from the claims already stored), watch state and alerts.

    Also widens ``extractions.extractor_version`` to 200 characters: the version string of the
    extractor ("treatywatch-nlp/0.1+en_core_web_sm-3.8.0+data.…") is longer than the 40 first
    allowed, which PostgreSQL refused (SQLite does not enforce lengths).
    """
    from datetime import UTC, datetime

    from treatywatch.kb.facts import regroup_all
    from treatywatch.kb.schema import alerts, fact_claims, facts, watch_items, watch_sources

    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE extractions ALTER COLUMN extractor_version TYPE VARCHAR(200)")
    for table in (facts, fact_claims, watch_sources, watch_items, alerts):
        table.create(conn, checkfirst=True)
        for index in table.indexes:
            index.create(conn, checkfirst=True)
    regroup_all(conn, datetime.now(UTC).replace(microsecond=0).isoformat())


def _kb_version(conn: Connection) -> None:
    """The one-row version table (`KB.version`), started at 1 with a new random epoch, and the
    (actor, date, id) index of one state's newest claims."""
    from treatywatch.kb.schema import claims, kb_version
    from treatywatch.kb.version import new_epoch

    for index in claims.indexes:
        index.create(conn, checkfirst=True)
    kb_version.create(conn, checkfirst=True)
    if conn.execute(kb_version.select()).first() is None:
        conn.execute(kb_version.insert().values(id=1, epoch=new_epoch(), version=1))


MIGRATIONS: list[Migration] = [
    Migration("0001_initial", _initial),
    Migration("0002_story_features", _story_features),
    Migration("0003_idempotency_keys", _idempotency_keys),
    Migration("0004_sessions_and_login_limits", _sessions_and_login_limits),
    Migration("0005_keyset_indexes", _keyset_indexes),
    Migration("0006_full_text_search", _full_text_search, beyond_metadata=True),
    Migration("0007_seen_inputs", _seen_inputs),
    Migration("0008_facts_watch_alerts", _facts_watch_alerts),
    Migration("0009_kb_version", _kb_version, beyond_metadata=True),
]
