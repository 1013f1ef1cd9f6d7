"""The layout rules of docs/style.md#architecture: data flows one way and only `kb` speaks SQL."""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "treatywatch"


MODULE_PATH = re.compile(r"treatywatch(?:\.[A-Za-z_]\w*)+")
DYNAMIC_IMPORTS = frozenset({"import_module", "__import__"})


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    base = PACKAGE.parent.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _relative_base(path: Path, level: int) -> str:
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    return ".".join(package[: len(package) - level + 1])


def _dynamic_relative(node: ast.Call) -> str | None:
    """``import_module(".x", package="treatywatch.y")`` → ``treatywatch.y.x``."""
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
    if name not in DYNAMIC_IMPORTS or not node.args or not isinstance(node.args[0], ast.Constant):
        return None
    relative = node.args[0].value
    package = next((k.value for k in node.keywords if k.arg == "package"), None)
    if isinstance(relative, str) and relative.startswith(".") and isinstance(package, ast.Constant):
        return f"{package.value}.{relative.lstrip('.')}"
    return None


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports: ``import``/``from`` statements (at any depth, relative
    ones resolved) and string imports — any string naming a treatywatch module (what
    ``importlib.import_module``, ``__import__``, ``importlib.resources`` or a helper that calls
    them would import; docstrings excepted) and relative ``import_module`` calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = ".".join(filter(None, (_relative_base(path, node.level), module)))
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names if is_module(f"{module}.{alias.name}"))
        elif isinstance(node, ast.Call) and (relative := _dynamic_relative(node)):
            names.add(relative)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and MODULE_PATH.fullmatch(node.value)
            and is_module(node.value)
        ):
            names.add(node.value)
    return names


def modules_in(stage: str) -> list[Path]:
    return sorted((PACKAGE / stage).rglob("*.py"))


@pytest.mark.parametrize("stage", ["ingest", "provenance", "nlp", "events", "status", "web", "cli", "batch", "pipeline",
                                   "watch"])
def test_only_kb_imports_sqlalchemy(stage: str) -> None:
    offenders = [p.name for p in modules_in(stage) if any(n.startswith("sqlalchemy") for n in imports_of(p))]
    assert offenders == []


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("web", ("treatywatch.nlp", "treatywatch.events", "treatywatch.ingest", "treatywatch.pipeline")),
        ("kb", ("treatywatch.nlp", "treatywatch.events", "treatywatch.web", "treatywatch.cli",
                "treatywatch.status", "treatywatch.ingest", "treatywatch.pipeline", "treatywatch.monitor")),
        ("ingest", ("treatywatch.kb", "treatywatch.nlp", "treatywatch.events", "treatywatch.web",
                    "treatywatch.pipeline", "treatywatch.monitor")),
        ("nlp", ("treatywatch.kb", "treatywatch.web", "treatywatch.events", "treatywatch.pipeline",
                 "treatywatch.monitor")),
        ("events", ("treatywatch.kb", "treatywatch.web", "treatywatch.pipeline", "treatywatch.monitor")),
        ("status", ("treatywatch.nlp", "treatywatch.web", "treatywatch.ingest", "treatywatch.pipeline",
                    "treatywatch.monitor")),
        ("provenance", ("treatywatch.web", "treatywatch.cli", "treatywatch.pipeline", "treatywatch.monitor")),
        ("pipeline", ("treatywatch.monitor", "treatywatch.cli", "treatywatch.web", "treatywatch.watch")),
        ("watch", ("treatywatch.monitor", "treatywatch.cli", "treatywatch.web", "treatywatch.nlp",
                   "treatywatch.events")),
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


def test_string_imports_count_as_imports(tmp_path: Path) -> None:
    """The scanner sees what a static reading of ``import`` statements would miss."""
    source = tmp_path / "sample.py"
    source.write_text(
        '"""treatywatch.web is named here only."""\n'
        "import importlib\n"
        "def load(name):\n"
        '    """treatywatch.cli neither."""\n'
        "    return importlib.import_module(name)\n"
        'NLP = importlib.import_module("treatywatch.nlp")\n'
        'EVENTS = __import__("treatywatch.events.detect")\n'
        'STORIES = load("treatywatch.kb.stories")\n'
        'DETECT = importlib.import_module(".detect", package="treatywatch.events")\n'
        'SCHEMA = "treatywatch.extraction/1"\n',
        encoding="utf-8",
    )
    assert imports_of(source) == {"importlib", "treatywatch.nlp", "treatywatch.events.detect", "treatywatch.kb.stories",
                                  "treatywatch.events"}


def test_no_module_imports_itself_through_a_circle() -> None:
    """Every import counts, lazy or for type checking only; a module may import its own
    package (whose ``__init__`` re-exports it)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = module_name(path)
        graph[name] = {
            other
            for other in imports_of(path)
            if other.startswith("treatywatch") and is_module(other) and other != name and not name.startswith(other + ".")
        }
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        pytest.fail(f"import circle: {' -> '.join(exc.args[1])}")


def test_modules_stay_within_the_size_budget() -> None:
    too_long = [
        f"{p.relative_to(PACKAGE)}: {n} lines"
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 1000
    ]
    assert too_long == []


def test_functions_stay_within_the_size_budget() -> None:
    """docs/style.md#size-and-naming: functions about 50 lines, 100 at the very most."""
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
