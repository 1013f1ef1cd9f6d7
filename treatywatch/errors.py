"""Every error treatywatch raises on purpose, in one tree with a machine code and an HTTP status.

A caller catches `TreatywatchError` to handle all of them, or a branch to handle one kind. Each
error carries ``code`` (a stable word scripts and API clients match on: ``db_busy``,
``disk_full``, ``query_timeout``, the rejection codes of `REJECTION_CODES`, ...),
``http_status`` (what the REST API answers) and ``retry_after`` (seconds, for errors that go
away by themselves). The web app has one handler for the whole tree and the CLI prints
``error: <code>: <message>``; neither looks at the words of a message to decide anything.

    TreatywatchError                 code error, 500
    ├── DataFileError                code data_file, 500: a data file is missing or malformed
    ├── InputError                   code invalid, 400: a request or argument the caller can fix
    │   ├── IngestError              a rejection code (too_large, parse_error, ...), 422
    │   ├── ReviewError              code invalid_review, 400
    │   ├── UserError                code invalid_user, 400
    │   ├── ConfigError              code invalid_config, 400: a setting that cannot be used
    │   └── SourceError              code invalid_source, 400
    ├── BackupError                  code backup_failed, 500
    ├── NotFoundError                code not_found, 404
    │   ├── NoKnowledgeBase          code no_kb, 404: no database where one was required
    │   ├── UnknownState             code unknown_state, 404: in no reference list, named by no claim
    │   └── UnknownTreaty            code unknown_treaty, 404: no treaty file has this name
    ├── ConflictError                code conflict, 409
    │   └── IdempotencyError         idempotency_in_progress (409, retry) or
    │                                idempotency_key_reused (422)
    ├── TooManyAttempts              code too_many_attempts, 429, retry after the given seconds
    └── KBError                      db_busy, disk_full, db_unavailable: 503, retry after 2 s
        └── QueryTimeout             code query_timeout, 503, retry after 1 s

None of them is a ``ValueError``: an ``except ValueError`` around a parser never swallows a
rejection or a broken data file by accident.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "REJECTION_CODES",
    "BackupError",
    "ConfigError",
    "ConflictError",
    "DataFileError",
    "IdempotencyError",
    "IngestError",
    "InputError",
    "KBError",
    "NoKnowledgeBase",
    "NotFoundError",
    "QueryTimeout",
    "ReviewError",
    "SourceError",
    "TooManyAttempts",
    "TreatywatchError",
    "UnknownState",
    "UnknownTreaty",
    "UserError",
]

# Reason codes for a rejected input, kept on `models.Rejection` records and
# carried by `IngestError`. A rejection is data, never a None.
REJECTION_CODES = frozenset(
    {
        "unsupported_content",
        "parse_error",
        "unsafe_xml",
        "extraction_empty",
        "too_large",
        "too_many_elements",
        "decompression_limit",
        "malformed_record",
        "truncated",
        "ssrf_blocked",
        "fetch_failed",
        "timeout",
        "resource_limit",
        "not_found",
        "db_busy",
        "disk_full",
    }
)


class TreatywatchError(Exception):
    """The base of every treatywatch error: a message, a machine ``code`` and an HTTP status."""

    code: str = "error"
    http_status: int = 500
    retry_after: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def one_line(self) -> str:
        """``code: message``, as the command line prints it."""
        return f"{self.code}: {self.message}"


class DataFileError(TreatywatchError):
    """A data file (rules, gazetteer, treaties, registry, ...) is missing or malformed.

    The message names the file and the field, so a bad edit is caught when the file is loaded,
    not when an odd article or state reaches the code that reads it.
    """

    code = "data_file"


class InputError(TreatywatchError):
    """A request or an argument that cannot be used as given; the caller can fix it."""

    code = "invalid"
    http_status = 400


class IngestError(InputError):
    """A bad input with its rejection code; ingest turns it into a `models.Rejection`."""

    http_status = 422

    def __init__(self, code: str, message: str) -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(message)
        self.code = code


class ReviewError(InputError):
    """A review that cannot be applied (unknown state, field or correction)."""

    code = "invalid_review"


class UserError(InputError):
    """An account operation that cannot be done (bad name, weak password, unknown user)."""

    code = "invalid_user"


class ConfigError(InputError):
    """A setting (option, environment variable) that cannot be used as given."""

    code = "invalid_config"


class SourceError(InputError):
    """A source operation that cannot be applied (unknown trust level, bad domain)."""

    code = "invalid_source"


class BackupError(TreatywatchError):
    """A backup that cannot be made (target exists, not SQLite, copy failed its check)."""

    code = "backup_failed"


class NotFoundError(TreatywatchError):
    """The thing asked for (a claim, an article, a story) does not exist."""

    code = "not_found"
    http_status = 404


class NoKnowledgeBase(NotFoundError):
    """A knowledge base was required (named on the command line) and there is none."""

    code = "no_kb"


class UnknownState(NotFoundError):
    """A state that is neither in the reference lists nor named by any claim."""

    code = "unknown_state"


class UnknownTreaty(NotFoundError):
    """A treaty name or id that no treaty file has."""

    code = "unknown_treaty"


class ConflictError(TreatywatchError):
    """The request clashes with the current state of the knowledge base."""

    code = "conflict"
    http_status = 409


class IdempotencyError(ConflictError):
    """An idempotency key that cannot be used now: in use by a running request, or reused
    with a different request."""

    STATUSES: ClassVar[dict[str, tuple[int, int | None]]] = {
        "idempotency_in_progress": (409, 1),
        "idempotency_key_reused": (422, None),
    }

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.http_status, self.retry_after = self.STATUSES[code]


class TooManyAttempts(TreatywatchError):
    """Too many failed attempts (sign-ins) in a short time: wait ``retry_after`` seconds."""

    code = "too_many_attempts"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class KBError(TreatywatchError):
    """A knowledge-base failure that is not the caller's fault (``db_busy``, ``disk_full``,
    ``db_unavailable``); nothing of the failed transaction was written, retrying may work."""

    CODES: ClassVar[frozenset[str]] = frozenset({"db_busy", "disk_full", "db_unavailable", "query_timeout"})
    http_status = 503
    retry_after = 2

    def __init__(self, code: str, message: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown knowledge-base error code {code!r}")
        super().__init__(message)
        self.code = code


class QueryTimeout(KBError):
    """A read stopped at its time limit."""

    retry_after = 1

    def __init__(self, message: str) -> None:
        super().__init__("query_timeout", message)
