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


def _hidden_imports(path: Path) -> list[str]:
    """Imports the rules above cannot see: by string (importlib, __import__) or made optional."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in ("importlib.import_module", "import_module", "__import__"):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
        elif isinstance(node, ast.ExceptHandler) and node.type is not None:
            caught = ast.unparse(node.type)
            if "ImportError" in caught or "ModuleNotFoundError" in caught:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} except {caught}")
    return found


def test_parts_of_treatywatch_import_each_other_plainly() -> None:
    """Every part is always installed: no import by string, none behind ``except ImportError``
    (either would hide it from the import-direction rules). The one exception is the command
    registry, which imports the ``cli/*_cmd.py`` modules by their file names."""
    registry = PACKAGE / "cli" / "__init__.py"
    hidden = [h for p in sorted(PACKAGE.rglob("*.py")) if p != registry for h in _hidden_imports(p)]
    assert hidden == []
