"""Write requests remembered by their ``Idempotency-Key``, so a retried write happens once.

A client that lost the answer to a write (the server was killed, the connection dropped) sends
the same request again with the same key. The protocol, per (principal, key):

1. `reserve` (one transaction): a finished key gives back the stored answer (`Stored`); a new
   key is recorded as *pending* together with a **watermark** (the highest review id so far)
   and the process that owns it, and the caller goes ahead (`Reservation`).
2. The caller performs the write in its own transaction(s).
3. `complete` stores the answer; `release` hands a failed attempt back so a retry can resume.

If the process dies between 1 and 3, the key stays pending. A retry takes it over once its owner
is gone (same host and the process no longer exists, released, or older than the lease) and gets
``resumed=True`` with the original watermark: `reviews_since` then tells which reviews the dead
attempt already committed, so the retry performs only what is missing and never a second review.
While the owner is alive, a retry gets ``idempotency_in_progress`` (answer 409, try later).
A key reused for a different request gets ``idempotency_key_reused``.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update

from treatywatch.errors import IdempotencyError
from treatywatch.kb.schema import claims, idempotency_keys, reviews
from treatywatch.kb.store import KB, utcnow

DEFAULT_LEASE_S = 60.0
RELEASED = "released"


@dataclass(frozen=True)
class Stored:
    """The answer given the first time this key was used."""

    status: int
    body: Any


@dataclass(frozen=True)
class Reservation:
    """Go ahead; ``resumed`` when taking over from an attempt that died after reserving."""

    watermark: int
    resumed: bool


def owner_tag() -> str:
    """Who holds a pending key: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_gone(owner: str) -> bool:
    """True when the owning process is known to be dead (or released the key)."""
    if owner == RELEASED:
        return True
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def reserve(
    kb: KB, principal: str, key: str, fingerprint: str, *, owner: str | None = None,
    lease_s: float = DEFAULT_LEASE_S,
) -> Stored | Reservation:
    """Look the key up and, unless it has an answer or a live owner, claim it for this attempt."""
    owner = owner or owner_tag()
    now = time.time()
    where = (idempotency_keys.c.principal == principal) & (idempotency_keys.c.key == key)
    with kb.write(bump=False) as conn:
        row = conn.execute(select(idempotency_keys).where(where)).first()
        if row is None:
            watermark = conn.execute(select(func.coalesce(func.max(reviews.c.id), 0))).scalar_one()
            conn.execute(idempotency_keys.insert().values(
                principal=principal, key=key, fingerprint=fingerprint, state="pending", owner=owner,
                watermark=watermark, started_at=now, created_at=utcnow(),
            ))
            return Reservation(int(watermark), resumed=False)
        if row.fingerprint != fingerprint:
            raise IdempotencyError("idempotency_key_reused",
                                   "this Idempotency-Key was used for a different request; use a new key")
        if row.state == "done":
            return Stored(int(row.status), json.loads(row.response))
        if row.owner != RELEASED and not _owner_gone(row.owner) and now - row.started_at < lease_s:
            raise IdempotencyError("idempotency_in_progress",
                                   "a request with this Idempotency-Key is still running; retry shortly")
        conn.execute(update(idempotency_keys).where(where).values(owner=owner, started_at=now))
        return Reservation(int(row.watermark), resumed=True)


def complete(kb: KB, principal: str, key: str, status: int, body: Any) -> None:
    """Store the answer, so retries of this key get it back without writing again."""
    where = (idempotency_keys.c.principal == principal) & (idempotency_keys.c.key == key)
    with kb.write(bump=False) as conn:
        conn.execute(update(idempotency_keys).where(where).values(
            state="done", status=status, response=json.dumps(body, default=str)))


def release(kb: KB, principal: str, key: str) -> None:
    """Mark a failed attempt's key as free to resume (its watermark is kept)."""
    where = ((idempotency_keys.c.principal == principal) & (idempotency_keys.c.key == key)
             & (idempotency_keys.c.state == "pending"))
    with kb.write(bump=False) as conn:
        conn.execute(update(idempotency_keys).where(where).values(owner=RELEASED))


def reviews_since(kb: KB, watermark: int, claim_ids: Sequence[str], reviewer: str, state: str) -> set[str]:
    """Which of ``claim_ids`` got a review by ``reviewer`` with ``state`` after ``watermark``.

    Reviews hang on a claim's match key, so a review of an equivalent claim row counts too.
    """
    if not claim_ids:
        return set()
    keys = (select(claims.c.id, claims.c.match_key).where(claims.c.id.in_(list(claim_ids)))).subquery()
    query = (
        select(keys.c.id)
        .join(reviews, reviews.c.match_key == keys.c.match_key)
        .where(reviews.c.id > watermark, reviews.c.reviewer == reviewer, reviews.c.state == state)
    )
    with kb.read() as conn:
        return set(conn.execute(query).scalars())


def purge(kb: KB, older_than_s: float = 7 * 24 * 3600) -> int:
    """Forget finished keys older than ``older_than_s`` seconds; returns how many."""
    cutoff = time.time() - older_than_s
    with kb.write(bump=False) as conn:
        result = conn.execute(delete(idempotency_keys).where(
            idempotency_keys.c.state == "done", idempotency_keys.c.started_at < cutoff))
    return int(result.rowcount or 0)
