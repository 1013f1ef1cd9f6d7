"""One error tree: every error treatywatch raises has a code and an HTTP status, and the web app
and the CLI each turn the whole tree into one answer shape."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path
from typing import Any

import pytest
from test_web_support import client_for, seed_kb
from typer.testing import CliRunner

import treatywatch
from treatywatch.cli import app as cli_app
from treatywatch.errors import (
    REJECTION_CODES,
    DataFileError,
    IdempotencyError,
    IngestError,
    KBError,
    NotFoundError,
    QueryTimeout,
    ReviewError,
    TreatywatchError,
)
from treatywatch.kb import search as search_store


def _treatywatch_exceptions() -> list[type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for module in pkgutil.walk_packages(treatywatch.__path__, "treatywatch."):
        if module.name.startswith("treatywatch.sample") or module.name.endswith("__main__"):
            continue
        loaded = importlib.import_module(module.name)
        for name, value in inspect.getmembers(loaded, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("treatywatch") \
                    and not name.startswith("_"):
                found[f"{value.__module__}.{name}"] = value
    return list(found.values())


def test_every_public_exception_of_the_package_is_in_the_tree() -> None:
    classes = _treatywatch_exceptions()
    assert len(classes) >= 13
    assert [c.__qualname__ for c in classes if not issubclass(c, TreatywatchError)] == []
    assert {c.__module__ for c in classes} == {"treatywatch.errors"}


def test_codes_and_statuses_are_those_of_the_reliability_matrix() -> None:
    assert (KBError("db_busy", "locked").http_status, KBError("db_busy", "locked").retry_after) == (503, 2)
    assert QueryTimeout("slow").code == "query_timeout" and QueryTimeout("slow").retry_after == 1
    assert (IdempotencyError("idempotency_in_progress", "x").http_status,
            IdempotencyError("idempotency_key_reused", "x").http_status) == (409, 422)
    assert IngestError("too_large", "big").code == "too_large" and "too_large" in REJECTION_CODES
    with pytest.raises(ValueError, match="unknown rejection code"):
        IngestError("too_big", "big")
    with pytest.raises(ValueError, match="unknown knowledge-base error code"):
        KBError("db_sleepy", "zzz")
    assert not issubclass(TreatywatchError, ValueError), "an except ValueError must not swallow the tree"


@pytest.mark.parametrize(
    ("error", "status", "code", "retry_after"),
    [
        (NotFoundError("no claim abc"), 404, "not_found", None),
        (ReviewError("fields that cannot be corrected: sentence"), 400, "invalid_review", None),
        (KBError("db_busy", "the database is locked by another writer; retry later"), 503, "db_busy", "2"),
        (KBError("disk_full", "the disk is full"), 503, "disk_full", "2"),
        (QueryTimeout("query took longer than 1 s; narrow the search"), 503, "query_timeout", "1"),
        (IdempotencyError("idempotency_in_progress", "in use"), 409, "idempotency_in_progress", "1"),
        (IdempotencyError("idempotency_key_reused", "other body"), 422, "idempotency_key_reused", None),
        (DataFileError("x.yaml: rules[0].type: unknown"), 500, "data_file", None),
    ],
)
def test_the_web_app_answers_every_error_of_the_tree_with_its_status_and_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: TreatywatchError, status: int, code: str,
    retry_after: str | None,
) -> None:
    data = seed_kb(tmp_path / "kb.db")

    def failing(*_a: Any, **_k: Any) -> Any:
        raise error

    monkeypatch.setattr(search_store, "search", failing)
    with client_for(data["kb"]) as client:
        response = client.get("/api/v1/search", params={"q": "mines"})
    data["kb"].close()
    assert response.status_code == status
    assert response.json() == {"error": {"code": code, "message": error.message}}
    assert response.headers.get("retry-after") == retry_after


def test_the_cli_prints_one_line_with_the_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["users", "add", "no spaces allowed", "--password-stdin",
                                          "--db", str(tmp_path / "kb.db")], input="a long password\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: invalid_user: invalid user name 'no spaces allowed'")
    assert result.stderr.count("\n") == 1
