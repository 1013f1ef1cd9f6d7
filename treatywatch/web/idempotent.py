"""``Idempotency-Key`` for the API's writes: a retried POST is performed once, answered twice.

The bookkeeping lives in `treatywatch.kb.idempotency`; this module turns it into HTTP: a stored
answer is replayed (header ``Idempotent-Replayed: true``), a key still running is 409 with
``Retry-After``, a key reused for another request is 422 (both through the app's handler of
`IdempotencyError`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from typing import Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from treatywatch.errors import KBError
from treatywatch.kb import idempotency
from treatywatch.web.security import Principal

KEY_PATTERN = r"^[!-~]{1,255}$"

IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    pattern=KEY_PATTERN,
    description="Any unique printable ASCII string (e.g. a UUID): retrying the request with the same key "
    "performs the write at most once and returns the first answer.",
)

# perform(already_done) -> answer; already_done = claim ids a dead earlier attempt had reviewed.
Perform = Callable[[set[str]], dict[str, Any]]
Recover = Callable[[int], set[str]]


def fingerprint(method: str, path: str, body: BaseModel) -> str:
    """What makes two requests 'the same request' for one key: method, path and body."""
    payload = json.dumps([method, path, body.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _release(kb: Any, principal: str, key: str) -> None:
    """Free the key for a retry; if even that fails (database busy), the lease frees it later."""
    with contextlib.suppress(KBError):
        idempotency.release(kb, principal, key)


def run_once(
    request: Request, who: Principal, key: str | None, body: BaseModel, perform: Perform,
    recover: Recover | None = None,
) -> dict[str, Any] | JSONResponse:
    """Perform a write at most once per ``key`` (no key: just perform it)."""
    if key is None:
        return perform(set())
    kb = request.app.state.kb
    lease = request.app.state.settings.idempotency_lease_s
    got = idempotency.reserve(kb, who.username, key, fingerprint(request.method, request.url.path, body), lease_s=lease)
    if isinstance(got, idempotency.Stored):
        return JSONResponse(got.body, status_code=got.status, headers={"Idempotent-Replayed": "true"})
    done = recover(got.watermark) if got.resumed and recover is not None else set()
    try:
        answer = perform(done)
    except Exception:
        _release(kb, who.username, key)
        raise
    # The write is committed: answer it even if storing the answer fails (the key then stays
    # pending; once its lease ends a retry resumes it and finds the write through `recover`).
    with contextlib.suppress(KBError):
        idempotency.complete(kb, who.username, key, 200, answer)
    return answer
