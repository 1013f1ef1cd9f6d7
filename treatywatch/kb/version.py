"""The knowledge base's version, and caches of values computed from it.

Every write transaction that changes what a read can show bumps one counter (`KB.write`, table
``kb_version``); the server's own bookkeeping (sessions, sign-in failure counts, idempotency
records) writes with ``bump=False``, so a signed-in page view does not make every cache stale.
A version is ``"<epoch>.<counter>"``: the epoch is random per database and changes on a
backup copy (`kb.backup`), so two databases (or a database and its restored past) never share a version.

`VersionedCache` keeps values computed from the kb while the version they were computed at is
current; the first read after a write (by any process) finds the version moved and recomputes.
A value is stored under the version read *before* it was computed, so it is never older than
its version says.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, select, update

from treatywatch.kb.schema import kb_version

T = TypeVar("T")
_READ = select(kb_version.c.epoch, kb_version.c.version).where(kb_version.c.id == 1)
VERSION_SQL = "SELECT epoch, version FROM kb_version WHERE id = 1"  # for a plain sqlite3 connection
BUMP = update(kb_version).where(kb_version.c.id == 1).values(version=kb_version.c.version + 1)


def new_epoch() -> str:
    return secrets.token_hex(8)


def read_version(conn: Connection) -> str | None:
    """The version as seen by ``conn``'s transaction (None on a kb without the table's row)."""
    row = conn.execute(_READ).first()
    return None if row is None else f"{row.epoch}.{row.version}"


class VersionedCache:
    """Values keyed by anything hashable, valid for one kb version; at most ``max_entries``
    (least recently used dropped first). Thread-safe; one per process and kb handle."""

    def __init__(self, max_entries: int = 4096) -> None:
        self.max_entries = max_entries
        self._version: str | None = None
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, version: str | None, key: Hashable, default: Any = None) -> Any:
        if version is None:
            return default
        with self._lock:
            if version != self._version or key not in self._values:
                return default
            self._values.move_to_end(key)
            return self._values[key]

    def put(self, version: str | None, key: Hashable, value: Any) -> None:
        if version is None:
            return
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            self._values[key] = value
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def get_or_compute(self, version: str | None, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value, or ``compute()``: once per key at a time, so the requests that
        arrive right after a write wait for one computation instead of each doing it."""
        missing = object()
        found = self.get(version, key, missing)
        if found is not missing:
            return found  # type: ignore[no-any-return]
        with self._lock:
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            found = self.get(version, key, missing)
            if found is not missing:
                return found  # type: ignore[no-any-return]
            value = compute()
            self.put(version, key, value)
        with self._lock:
            self._computing.pop(key, None)
        return value
