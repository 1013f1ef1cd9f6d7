"""The layout rules of STYLE.md: data flows one way and only `kb` speaks SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "treatywatch"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules_in(stage: str) -> list[Path]:
    return sorted((PACKAGE / stage).rglob("*.py"))


@pytest.mark.parametrize("stage", ["ingest", "provenance", "nlp", "events", "status", "web", "cli", "batch"])
def test_only_kb_imports_sqlalchemy(stage: str) -> None:
    offenders = [p.name for p in modules_in(stage) if any(n.startswith("sqlalchemy") for n in imports_of(p))]
    assert offenders == []


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("web", ("treatywatch.nlp", "treatywatch.events", "treatywatch.ingest")),
        ("kb", ("treatywatch.nlp", "treatywatch.events", "treatywatch.web", "treatywatch.cli",
                "treatywatch.status", "treatywatch.ingest")),
        ("ingest", ("treatywatch.kb", "treatywatch.nlp", "treatywatch.events", "treatywatch.web")),
        ("nlp", ("treatywatch.kb", "treatywatch.web", "treatywatch.events")),
        ("events", ("treatywatch.kb", "treatywatch.web")),
        ("status", ("treatywatch.nlp", "treatywatch.web", "treatywatch.ingest")),
        ("provenance", ("treatywatch.web", "treatywatch.cli")),
    ],
)
def test_stages_do_not_reach_downstream_or_sideways(stage: str, forbidden: tuple[str, ...]) -> None:
    offenders = sorted(
        f"{p.relative_to(PACKAGE)} imports {name}"
        for p in modules_in(stage)
        for name in imports_of(p)
        if name.startswith(forbidden)
    )
    assert offenders == []


def test_modules_stay_within_the_size_budget() -> None:
    too_long = [
        f"{p.relative_to(PACKAGE)}: {n} lines"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1000
    ]
    assert too_long == []


def test_functions_stay_within_the_size_budget() -> None:
    """STYLE.md: functions about 50 lines, 100 at the very most."""
    too_long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 100:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.name} {length} lines")
    assert too_long == []
