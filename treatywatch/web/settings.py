"""What a running web app is configured with: one frozen object, built once by `serve`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from treatywatch.errors import ConfigError

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")
MiB = 1024 * 1024
MIN_SECRET_BYTES = 32
SECRET_ENV = "TREATYWATCH_SECRET"


def _default_secret() -> str:
    """TREATYWATCH_SECRET if set (the same on every server process), else random per process."""
    return os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebSettings:
    """Security-relevant knobs of the app.

    ``allowed_hosts`` are added to localhost/127.0.0.1 for the Host check. ``open_reads`` lets
    anyone who can reach the server read (the default on a loopback address); writes always
    need an analyst. ``docs`` serves /docs and /openapi.json (turn off on an exposed server).
    ``idempotency_lease_s`` is how long a pending Idempotency-Key of a live process blocks retries.

    ``secret_key`` (at least 32 bytes) signs the CSRF cookie of visitors who have not signed in.
    Sessions end after ``session_idle_s`` without a request and ``session_max_age`` after
    sign-in. ``https_only_cookies`` marks cookies Secure (always, not only on https requests).
    Sign-in is refused for ``login_window_s`` after ``login_user_limit`` failures for one user
    name or ``login_address_limit`` from one client address. ``max_in_flight`` requests run at
    once; more get 503 with Retry-After.

    Each statement of a search (and of the filter counts) stops after ``query_time_limit``
    seconds, each statement of any other read after ``read_time_limit`` (whole-state and
    whole-treaty status reads all of a state's or treaty's claims), with 503 ``query_timeout``.

    Anonymous reads may be served by a shared cache (reverse proxy) for ``shared_max_age``
    seconds before it revalidates; each server process keeps up to ``response_cache_bytes`` of
    answers (per URL and viewer), each valid while the kb version it was made at is current
    (`web.caching`).
    """

    allowed_hosts: tuple[str, ...] = ()
    open_reads: bool = True
    docs: bool = True
    max_body_bytes: int = 2 * MiB
    secret_key: str = field(default_factory=_default_secret, repr=False)
    session_max_age: int = 12 * 3600
    session_idle_s: int = 3600
    https_only_cookies: bool = False
    login_user_limit: int = 5
    login_address_limit: int = 20
    login_window_s: int = 900
    max_in_flight: int = 256
    query_time_limit: float = 1.0
    read_time_limit: float = 5.0
    page_size: int = 50
    idempotency_lease_s: float = 60.0
    shared_max_age: int = 10
    response_cache_bytes: int = 32 * MiB

    def __post_init__(self) -> None:
        if len(self.secret_key.encode("utf-8")) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"{SECRET_ENV} must have at least {MIN_SECRET_BYTES} bytes (it has "
                f"{len(self.secret_key.encode('utf-8'))}); make one with: "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )

    @property
    def hosts(self) -> list[str]:
        return list(dict.fromkeys([*LOOPBACK_HOSTS, *self.allowed_hosts]))


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")
