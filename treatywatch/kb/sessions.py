"""Web sessions held server-side, and the failed-login counts of the login rate limit.

The browser's cookie carries a random id (256 bits) and nothing else; the kb keeps its SHA-256,
so a copy of the database cannot be replayed as cookies. A session is alive while it is not
revoked, not past its absolute expiry and used within the idle timeout; logout, `users revoke`,
a password change and the user's deletion end it at once, on every server process alike.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, or_, select, update

from treatywatch.errors import KBError
from treatywatch.kb.schema import login_failures, sessions, users
from treatywatch.kb.sql import sanitize
from treatywatch.kb.store import KB, utcnow

TOUCH_EVERY_S = 60  # last_seen is written at most this often per session (a read is not a write)


@dataclass(frozen=True)
class Session:
    """A live session: whose it is, its CSRF token and a pending flash message."""

    id_hash: str
    username: str
    csrf: str
    flash: str | None


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _at(seconds_from_now: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds_from_now)).replace(microsecond=0).isoformat()


def start_session(kb: KB, username: str, *, lifetime_s: int, client: str | None = None) -> str:
    """A new session for ``username``; returns the id for the cookie (shown only here)."""
    session_id = secrets.token_urlsafe(32)
    now = utcnow()
    with kb.write(bump=False) as conn:
        conn.execute(delete(sessions).where(or_(sessions.c.expires_at <= now, sessions.c.revoked_at.is_not(None))))
        conn.execute(sessions.insert().values(
            id_hash=_hash(session_id), username=username, csrf=secrets.token_urlsafe(32), flash=None,
            client=sanitize((client or "")[:100]) or None, created_at=now, last_seen=now,
            expires_at=_at(lifetime_s),
        ))
    return session_id


def live_session(kb: KB, session_id: str, *, idle_s: int) -> Session | None:
    """The session with this id if it is alive (its user still exists), else None.

    Using it counts as activity: ``last_seen`` moves on, at most once a minute.
    """
    if not session_id or len(session_id) > 100:
        return None
    now = utcnow()
    query = (
        select(sessions.c.id_hash, sessions.c.username, sessions.c.csrf, sessions.c.flash, sessions.c.last_seen)
        .select_from(sessions.join(users, users.c.username == sessions.c.username))
        .where(sessions.c.id_hash == _hash(session_id), sessions.c.revoked_at.is_(None),
               sessions.c.expires_at > now, sessions.c.last_seen > _at(-idle_s))
    )
    with kb.read() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    if row.last_seen <= _at(-TOUCH_EVERY_S):
        with suppress(KBError), kb.write(bump=False) as conn:  # a busy database must not fail a read
            conn.execute(update(sessions).where(sessions.c.id_hash == row.id_hash).values(last_seen=now))
    return Session(row.id_hash, row.username, row.csrf, row.flash)


def set_flash(kb: KB, session: Session, message: str | None) -> None:
    """Keep (or clear, with None) the one-line message the next page shows."""
    with kb.write(bump=False) as conn:
        conn.execute(update(sessions).where(sessions.c.id_hash == session.id_hash).values(flash=sanitize(message)))


def end_session(kb: KB, session_id: str) -> None:
    """Logout: the session is revoked (a saved copy of the cookie is worthless from now on)."""
    with kb.write(bump=False) as conn:
        conn.execute(update(sessions).where(sessions.c.id_hash == _hash(session_id)).values(revoked_at=utcnow()))


def revoke_sessions(conn: Connection, username: str) -> int:
    """End every live session of ``username`` inside the caller's transaction; returns how many."""
    result = conn.execute(
        update(sessions)
        .where(sessions.c.username == username, sessions.c.revoked_at.is_(None), sessions.c.expires_at > utcnow())
        .values(revoked_at=utcnow())
    )
    return int(result.rowcount)


def list_sessions(kb: KB, username: str | None = None, *, idle_s: int | None = None) -> list[dict[str, Any]]:
    """Sessions not revoked nor expired (and used within ``idle_s``, when given), newest first.

    Each row has a short ``id`` (the start of the stored hash) to tell them apart.
    """
    now = utcnow()
    query = select(sessions.c.id_hash, sessions.c.username, sessions.c.client, sessions.c.created_at,
                   sessions.c.last_seen, sessions.c.expires_at).where(
        sessions.c.revoked_at.is_(None), sessions.c.expires_at > now)
    if idle_s is not None:
        query = query.where(sessions.c.last_seen > _at(-idle_s))
    if username is not None:
        query = query.where(sessions.c.username == username)
    with kb.read() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query.order_by(sessions.c.created_at.desc()))]
    for row in rows:
        row["id"] = row.pop("id_hash")[:12]
    return rows


# --- login rate limit ----------------------------------------------------------------------


def login_wait(kb: KB, keys: list[tuple[str, int]], window_s: int) -> int:
    """Seconds until a login may be tried again: 0 unless some ``(key, limit)`` has ``limit``
    failures in the current window of ``window_s`` seconds."""
    now = time.time()
    with kb.read() as conn:
        rows = {r.key: r for r in conn.execute(
            select(login_failures).where(login_failures.c.key.in_([k for k, _ in keys])))}
    wait = 0.0
    for key, limit in keys:
        row = rows.get(key)
        if row is not None and row.failures >= limit and now - row.window_start < window_s:
            wait = max(wait, row.window_start + window_s - now)
    return int(wait) + 1 if wait > 0 else 0


def record_login_failure(kb: KB, keys: list[str], window_s: int) -> None:
    """Count one failed login against each key (a window older than ``window_s`` starts anew)."""
    now = time.time()
    with kb.write(bump=False) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.window_start < now - window_s))
        for key in keys:
            counted = conn.execute(update(login_failures).where(login_failures.c.key == key)
                                   .values(failures=login_failures.c.failures + 1))
            if not counted.rowcount:
                conn.execute(login_failures.insert().values(key=key, failures=1, window_start=now))


def clear_login_failures(kb: KB, key: str) -> None:
    with kb.write(bump=False) as conn:
        conn.execute(delete(login_failures).where(login_failures.c.key == key))
