"""What a running web app is configured with: one frozen object, built once by `serve`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
MiB = 1024 * 1024


def _default_secret() -> str:
    """TREATYWATCH_SECRET if set (sessions survive restarts), else random per process."""
    return os.environ.get("TREATYWATCH_SECRET") or secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebSettings:
    """Security-relevant knobs of the app.

    ``allowed_hosts`` are added to localhost/127.0.0.1 for the Host check. ``open_reads`` lets
    anyone who can reach the server read (the default on a loopback address); writes always
    need an analyst. ``docs`` serves /docs and /openapi.json (turn off on an exposed server).
    ``idempotency_lease_s`` is how long a pending Idempotency-Key of a live process blocks retries.
    """

    allowed_hosts: tuple[str, ...] = ()
    open_reads: bool = True
    docs: bool = True
    max_body_bytes: int = 2 * MiB
    secret_key: str = field(default_factory=_default_secret, repr=False)
    session_max_age: int = 12 * 3600
    https_only_cookies: bool = False
    query_time_limit: float = 1.0
    page_size: int = 50
    idempotency_lease_s: float = 60.0

    @property
    def hosts(self) -> list[str]:
        return list(dict.fromkeys([*LOOPBACK_HOSTS, *self.allowed_hosts]))


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")
