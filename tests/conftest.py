"""Shared fixtures: knowledge bases on every backend under test.

``kb`` is parametrised over the backends selected with ``--backend`` (default: SQLite, plus
PostgreSQL when ``TREATYWATCH_TEST_PG`` names a server, as scripts/test.sh arranges). Each test
gets an empty database of its own.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from treatywatch.kb.store import KB, open_kb

_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        action="append",
        choices=["sqlite", "postgres"],
        help="Knowledge-base backend(s) to run the kb tests on (default: sqlite, and postgres when "
        "TREATYWATCH_TEST_PG is set).",
    )
    parser.addoption(
        "--regen-golden", action="store_true", help="Rewrite tests/golden/ from the current extractor."
    )


def selected_backends(config: pytest.Config) -> list[str]:
    chosen = config.getoption("--backend")
    if chosen:
        return list(dict.fromkeys(chosen))
    return ["sqlite", "postgres"] if os.environ.get("TREATYWATCH_TEST_PG") else ["sqlite"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", selected_backends(metafunc.config))


@pytest.fixture
def kb_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty knowledge base on ``backend``."""
    if backend == "sqlite":
        yield str(tmp_path / "kb.db")
        return
    server = os.environ.get("TREATYWATCH_TEST_PG")
    if not server:
        pytest.skip("TREATYWATCH_TEST_PG is not set")
    from sqlalchemy import create_engine, text

    name = f"tw_test_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def kb(kb_url: str) -> Iterator[KB]:
    handle = open_kb(kb_url)
    try:
        yield handle
    finally:
        handle.close()


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The web tests' knowledge base (tests/test_web_support.py `seed_kb`); a module may override."""
    from test_web_support import seed_kb

    data = seed_kb(tmp_path / "kb.db")
    yield data
    data["kb"].close()


@pytest.fixture
def client(seeded: dict[str, Any]) -> Iterator[Any]:
    """An in-process test client of the web app over `seeded`."""
    from test_web_support import client_for

    with client_for(seeded["kb"]) as test_client:
        yield test_client
