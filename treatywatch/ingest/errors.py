"""The one exception ingest uses internally; it never leaves ``read_input``.

Readers raise ``IngestError(code, message)`` deep inside and the dispatcher turns it into a
``models.Rejection``, so a failure always carries a reason code (RELIABILITY.md §2).
"""

from __future__ import annotations

from treatywatch.models import REJECTION_CODES


class IngestError(Exception):
    """A bad input, with its rejection code and a one-line reason."""

    def __init__(self, code: str, message: str) -> None:
        if code not in REJECTION_CODES:
            raise ValueError(f"unknown rejection code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
