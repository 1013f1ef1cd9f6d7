"""Opening the knowledge base: engine set-up, transactions and migrations.

SQLite is the default (one file, WAL, one writer at a time, every writing transaction
`BEGIN IMMEDIATE` so a read can never need upgrading to a write); PostgreSQL is selected by a
``postgresql://`` URL. Everything else in `kb` receives a `KB` and uses `read()` / `write()`.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from treatywatch.errors import KBError, NoKnowledgeBase, QueryTimeout
from treatywatch.kb.migrations import MIGRATIONS
from treatywatch.kb.schema import kb_version, metadata, schema_migrations
from treatywatch.kb.version import BUMP, VERSION_SQL, VersionedCache, read_version

DEFAULT_DB = "treatywatch.db"
IN_MEMORY = "sqlite://"  # an empty knowledge base that lives as long as its handle
BUSY_TIMEOUT_MS = 5000


def utcnow() -> str:
    """Record time, as stored: ISO-8601 UTC with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def db_name(db: str | None = None) -> str:
    """The database meant: ``db`` (``--db``), else ``$TREATYWATCH_DB``, else ./treatywatch.db.

    The one place the default is decided; messages name the database with it too.
    """
    return db or os.environ.get("TREATYWATCH_DB") or DEFAULT_DB


def kb_exists(db: str | None = None) -> bool:
    """False only for a SQLite file that is not there (a URL is taken to exist until opened)."""
    name = db_name(db)
    return "://" in name or Path(name).expanduser().exists()


def database_url(db: str | None = None) -> str:
    """Turn ``--db`` / ``TREATYWATCH_DB`` (a path or a URL) into a SQLAlchemy URL."""
    db = db_name(db)
    if "://" in db:
        if db.startswith("postgresql://"):
            return "postgresql+psycopg://" + db[len("postgresql://") :]
        if db.startswith("postgres://"):
            return "postgresql+psycopg://" + db[len("postgres://") :]
        return db
    return f"sqlite:///{Path(db).expanduser()}"


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so that BEGIN IMMEDIATE is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("writing") else "BEGIN")

    return engine


class KB:
    """A handle on one knowledge base. Cheap to pass around; close it when done.

    ``read_time_limit`` (seconds, None for none) bounds every read of this handle: the web app
    sets it, so that no request can hold a connection for as long as a scan takes.
    """

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self.read_time_limit: float | None = None
        self.versioned = False  # set once the kb_version table exists (`open_kb`)
        self._write_lock = _writer_lock(engine.url.database if self.is_sqlite else None)
        self._caches: dict[str, VersionedCache] = {}
        self._caches_lock = threading.Lock()
        self._local = threading.local()
        self._version_conns: list[sqlite3.Connection] = []

    def version(self) -> str | None:
        """The kb's current version (`kb.version`), one primary-key read; None before migration 0009.

        On a SQLite file it is read through a plain sqlite3 connection per thread, in autocommit
        (so it sees the last commit, WAL readers never wait): the web app asks on every request,
        and the pool checkout, BEGIN and ROLLBACK around a SQLAlchemy read cost ten times more.
        """
        if not self.versioned:
            return None
        path = self.engine.url.database
        if not self.is_sqlite or not path or path == ":memory:":
            with self.engine.connect() as conn:
                return read_version(conn)
        raw = getattr(self._local, "version_conn", None)
        if raw is None:
            raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
            self._local.version_conn = raw
            with self._caches_lock:
                self._version_conns.append(raw)
        row = raw.execute(VERSION_SQL).fetchone()
        return None if row is None else f"{row[0]}.{row[1]}"

    def cache(self, name: str) -> VersionedCache:
        """This handle's cache called ``name`` (created on first use), valid per kb version."""
        with self._caches_lock:
            return self._caches.setdefault(name, VersionedCache())

    @contextmanager
    def read(self, *, time_limit: float | None = None) -> Iterator[Connection]:
        """A reading connection; its statements are interrupted after ``time_limit`` seconds
        (default: the handle's ``read_time_limit``) with `QueryTimeout` (docs/reliability.md#bad-inputs row 39)."""
        seconds = time_limit if time_limit is not None else self.read_time_limit
        with self.engine.connect() as conn:
            if seconds is None:
                yield conn
            else:
                with _time_limited(conn, seconds):
                    yield conn

    @contextmanager
    def write(self, *, bump: bool = True) -> Iterator[Connection]:
        """One writing transaction: committed whole or rolled back whole. It bumps the kb's
        version (`kb.version`) unless ``bump`` is False (bookkeeping no read shows)."""
        with self._write_lock, self.engine.connect() as conn:
            conn.info["writing"] = True
            try:
                with conn.begin():
                    yield conn
                    if bump and self.versioned:
                        conn.execute(BUMP)
            except OperationalError as exc:
                raise _classify(exc) from exc
            finally:
                conn.info.pop("writing", None)

    def close(self) -> None:
        with self._caches_lock:
            for raw in self._version_conns:
                raw.close()
            self._version_conns.clear()
        self.engine.dispose()

    def __enter__(self) -> KB:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


_WRITER_LOCKS: dict[str, threading.Lock] = {}
_WRITER_LOCKS_GUARD = threading.Lock()


def _writer_lock(path: str | None) -> threading.Lock:
    """One lock per SQLite file for every handle of this process. Writers of two handles then
    queue on it, woken the moment the other commits, instead of polling SQLite's busy handler,
    which can miss the short gaps of a busy ingest for longer than the busy timeout."""
    if not path or path == ":memory:":
        return threading.Lock()
    with _WRITER_LOCKS_GUARD:
        return _WRITER_LOCKS.setdefault(os.path.abspath(path), threading.Lock())


@contextmanager
def _time_limited(conn: Connection, seconds: float) -> Iterator[None]:
    """Each statement on ``conn`` is interrupted ``seconds`` after it starts, with `QueryTimeout`.

    PostgreSQL: ``statement_timeout`` for this connection's transaction (its rollback resets it).
    SQLite: a progress handler that stops the statement running past its deadline (each
    statement gets a fresh one, as PostgreSQL's does).
    """
    if conn.dialect.name != "sqlite":
        conn.execute(text(f"SET LOCAL statement_timeout = {max(1, int(seconds * 1000))}"))
        with _timeout_as_error("statement timeout", seconds):
            yield
        return
    raw: Any = conn.connection.driver_connection
    deadline = [time.monotonic() + seconds]

    def restart(*_args: Any) -> None:
        deadline[0] = time.monotonic() + seconds

    event.listen(conn, "before_cursor_execute", restart)
    raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline[0] else 0, 1000)
    try:
        with _timeout_as_error("interrupted", seconds):
            yield
    finally:
        raw.set_progress_handler(None, 0)
        event.remove(conn, "before_cursor_execute", restart)


@contextmanager
def _timeout_as_error(marker: str, seconds: float) -> Iterator[None]:
    """The driver's "statement stopped" error (its message has ``marker``) as `QueryTimeout`."""
    try:
        yield
    except OperationalError as exc:
        if marker in str(exc.orig).lower():
            raise QueryTimeout(f"query took longer than {seconds:g} s; narrow the search") from exc
        raise


def _classify(exc: OperationalError) -> KBError | OperationalError:
    text = str(exc.orig).lower()
    if "locked" in text or "busy" in text:
        return KBError("db_busy", "the database is locked by another writer; retry later")
    if "full" in text or "no space" in text:
        return KBError("disk_full", "the disk is full; nothing of this batch was written")
    if "connection" in text or "server closed" in text or "terminating" in text:
        return KBError("db_unavailable", "the database server is unavailable; nothing of this batch was written")
    return exc


def open_kb(
    db: str | None = None, *, migrate: bool = True, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> KB:
    """Open (and by default create or migrate) the knowledge base named by ``db``.

    With ``create=False`` a SQLite file that does not exist is `NoKnowledgeBase` instead of
    a new, empty knowledge base. ``busy_timeout_ms`` is how long a writer waits for another
    writer's lock before the write fails with ``db_busy``.
    """
    if not create and not kb_exists(db):
        raise NoKnowledgeBase(f"no knowledge base at {db_name(db)}")
    url = database_url(db)
    if url.startswith("sqlite"):
        if url != IN_MEMORY:
            create_private_file(url.removeprefix("sqlite:///"))
        engine = _sqlite_engine(url, busy_timeout_ms)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    kb = KB(url, engine)
    if migrate:
        try:
            apply_migrations(kb)
        except SQLAlchemyError as exc:
            kb.close()
            raise KBError("db_unavailable", f"cannot open {db_name(db)}: {getattr(exc, 'orig', None) or exc}") from exc
    with suppress(SQLAlchemyError), kb.engine.connect() as conn:
        kb.versioned = inspect(conn).has_table(kb_version.name)
    return kb


def create_private_file(path: str | Path) -> None:
    """Create a new, empty database file readable by its owner only (0600): a knowledge base
    holds password, session and token hashes. SQLite gives its -wal and -shm files the same
    mode. An existing file is left as it is."""
    if not str(path) or str(path) == ":memory:":
        return
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def apply_migrations(kb: KB) -> list[str]:
    """Bring the schema up to date; returns the names of the migrations applied.

    A new database gets the current schema in one step and every migration recorded as applied;
    an existing one runs its pending migrations in order, each in its own transaction.
    """
    with kb.write() as conn:
        fresh = not inspect(conn).has_table("schema_migrations")
        if fresh:
            metadata.create_all(conn)
            for migration in MIGRATIONS:
                if migration.beyond_metadata:
                    migration.apply(conn)
            now = utcnow()
            conn.execute(
                schema_migrations.insert(), [{"name": m.name, "applied_at": now} for m in MIGRATIONS]
            )
            return [m.name for m in MIGRATIONS]
        done = set(conn.execute(select(schema_migrations.c.name)).scalars())
    applied = []
    for migration in MIGRATIONS:
        if migration.name in done:
            continue
        with kb.write() as conn:
            migration.apply(conn)
            conn.execute(schema_migrations.insert().values(name=migration.name, applied_at=utcnow()))
        applied.append(migration.name)
    return applied
