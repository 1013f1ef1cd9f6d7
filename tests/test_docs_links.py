"""The docs stand alone: every file, section, row and link that the repository cites is in it.

A person who clones treatywatch has only the repository. So code, tests and docs must not cite
the design notes it was built from by their old names (the upper-case design, style,
reliability and annotation notes, or a ``../shared/`` folder beside the checkout; the benchmarks
in ``bench/`` may read external data sets from there by design), and what they cite in
``docs/`` must exist: the file, the section after ``#`` (a heading, by its GitHub anchor), and
for the reliability matrix the rows named after it (``#bad-inputs rows 1, 22-34``, ``#faults
F6``). Every relative markdown link must reach a file, and its ``#anchor`` a heading there, and
every file or test the docs name in code spans (``tests/test_x.py::test_y``,
``ingest/sandbox.py``, ``status/data/treaties/*.yaml``) must be in the repository.
Verbatim copies pinned by a ``MANIFEST.json`` (the reference data) are quoted as they are.

This file itself is not scanned: it has to spell out what it looks for.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from treatywatch.event_types import registry

ROOT = Path(__file__).resolve().parent.parent
SCOPES = ("treatywatch", "tests", "docs", "scripts", "fuzz", "bench", "README.md", "CHANGELOG.md")
TEXT_SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".txt", ".html", ".j2", ".sh", ".cfg", ".js", ".css", ".csv"}
NOT_WALKED = {"__pycache__", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache", "texts"}

OLD_NOTES = re.compile(r"\b(?:DESIGN|STYLE|RELIABILITY|ANNOTATION)(?:\.md\b|\s*§|\s+rows?\s+\d|\s+F\d)")
OUTSIDE = re.compile(r"\.\./shared\b")
DOCS_REF = re.compile(
    r"(?<![\w/.-])(?:\.\./)*(?P<file>docs/[\w./-]+?\.md)(?:#(?P<anchor>[\w-]+))?"
    r"(?:\s+(?:rows?\s+(?P<rows>\d+(?:-\d+)?(?:(?:,\s*|\s+and\s+)\d+(?:-\d+)?)*)"
    r"|(?P<faults>F\d+(?:(?:,\s*|\s+and\s+)F\d+)*)|item\s+(?P<item>\d+)))?"
)
MD_LINK = re.compile(r"\[[^\]\n]*\]\(\s*(?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
NUMBERED_ITEM = re.compile(r"^\s*(\d+)\.\s", re.M)
CODE_SPAN = re.compile(r"`([^`\s]+)`")
NAMED_PATH = re.compile(r"[\w.*-]+(?:/[\w.*-]+)*/(?:[\w.*-]+\.(?:py|ya?ml|csv|md|json|txt|sh|toml))?|test_\w+\.py")
PATH_BASES = ("", "treatywatch", "tests")  # as written, or inside the package, or a test module


# --- what is scanned ----------------------------------------------------------------------------


def _pinned(root: Path) -> set[Path]:
    """Files a MANIFEST.json pins by checksum: verbatim copies, quoted byte for byte."""
    found: set[Path] = set()
    for manifest in root.glob("treatywatch/**/MANIFEST.json"):
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
        found.update((manifest.parent / name).resolve() for name in files)
    return found


def _listed(root: Path) -> list[Path]:
    """The files git knows below the scopes (tracked, or new and not ignored); every file below
    them where there is no git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "ls-files", "--cached", "--others", "--exclude-standard", "--", *SCOPES],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        if (root / ".git").exists():
            return [root / line for line in out.splitlines() if line]
    except (OSError, subprocess.SubprocessError):
        pass
    found: list[Path] = []
    for scope in SCOPES:
        base = root / scope
        candidates = [base] if base.is_file() else base.rglob("*") if base.is_dir() else []
        found += [p for p in candidates if p.is_file() and not NOT_WALKED & set(p.relative_to(root).parts)]
    return found


def text_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(path, text) of every scanned text file: not pinned copies, not this file."""
    skip = _pinned(root) | {Path(__file__).resolve()}
    for path in sorted(set(_listed(root))):
        if path.suffix in TEXT_SUFFIXES and path.is_file() and path.resolve() not in skip:
            yield path, path.read_text(encoding="utf-8", errors="replace")


# --- markdown structure -------------------------------------------------------------------------


def _prose(markdown: str) -> str:
    """The text outside code blocks (their lines kept blank, so line numbers hold)."""
    return FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def sections(markdown: str) -> dict[str, str]:
    """Each heading's anchor → the text of its section (up to the next heading of its level or
    above); a repeated heading gets GitHub's ``-1``, ``-2``, ... suffix."""
    prose = _prose(markdown)
    heads = list(HEADING.finditer(prose))
    seen: dict[str, int] = {}
    found: dict[str, str] = {}
    for i, head in enumerate(heads):
        level = len(head.group(1))
        end = next((h.start() for h in heads[i + 1 :] if len(h.group(1)) <= level), len(prose))
        base = slug(head.group(2))
        anchor = f"{base}-{seen[base]}" if base in seen else base
        seen[base] = seen.get(base, 0) + 1
        found[anchor] = prose[head.end() : end]
    return found


def table_rows(section: str) -> set[str]:
    """The first cells of the section's table rows (``| 9 | ...`` → ``9``)."""
    return {cells.split("|")[1].strip() for cells in section.splitlines()
            if cells.startswith("|") and cells.count("|") > 2}


def _numbers(spec: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r",\s*|\s+and\s+", spec):
        low, _, high = part.partition("-")
        out += [str(n) for n in range(int(low), int(high or low) + 1)]
    return out


# --- the checks ---------------------------------------------------------------------------------


def old_note_references(root: Path) -> list[str]:
    """Lines citing the design notes by their old names, or a folder outside the repository."""
    found = []
    for path, text in text_files(root):
        rel = path.relative_to(root)
        for number, line in enumerate(text.splitlines(), 1):
            outside = OUTSIDE.search(line) and rel.parts[0] != "bench"
            if OLD_NOTES.search(line) or outside:
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def _check_docs_ref(root: Path, match: re.Match[str]) -> str | None:
    target = root / match.group("file")
    if not target.is_file():
        return f"{match.group('file')} is not in the repository"
    anchor = match.group("anchor")
    if anchor is None:
        return None
    parts = sections(target.read_text(encoding="utf-8"))
    if anchor not in parts:
        return f"{match.group('file')} has no section #{anchor}"
    wanted = (_numbers(match.group("rows")) if match.group("rows")
              else re.split(r",\s*|\s+and\s+", match.group("faults")) if match.group("faults") else [])
    missing = [row for row in wanted if row not in table_rows(parts[anchor])]
    if missing:
        return f"{match.group('file')}#{anchor} has no row {', '.join(missing)}"
    item = match.group("item")
    if item and item not in NUMBERED_ITEM.findall(parts[anchor]):
        return f"{match.group('file')}#{anchor} has no item {item}"
    return None


def dangling_docs_references(root: Path) -> list[str]:
    """Citations of docs/ files (with section, rows or item) that point nowhere."""
    found = []
    for path, text in text_files(root):
        for number, line in enumerate(text.splitlines(), 1):
            for match in DOCS_REF.finditer(line):
                if problem := _check_docs_ref(root, match):
                    found.append(f"{path.relative_to(root)}:{number}: {problem}")
    return found


def _check_link(path: Path, target: str) -> str | None:
    if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto: ...
        return None
    file_part, _, anchor = target.partition("#")
    linked = (path.parent / file_part).resolve() if file_part else path
    if not linked.exists():
        return f"link to {target}: no such file"
    if anchor and linked.suffix == ".md" and anchor not in sections(linked.read_text(encoding="utf-8")):
        return f"link to {target}: no heading #{anchor} there"
    return None


def dangling_markdown_links(root: Path) -> list[str]:
    """Relative links in markdown files that reach no file, or no heading of it."""
    found = []
    for path, text in text_files(root):
        if path.suffix != ".md":
            continue
        for number, line in enumerate(_prose(text).splitlines(), 1):
            for match in MD_LINK.finditer(INLINE_CODE.sub("", line)):
                if problem := _check_link(path, match.group("target")):
                    found.append(f"{path.relative_to(root)}:{number}: {problem}")
    return found


def _check_named_path(root: Path, token: str) -> str | None:
    path, _, name = token.partition("::")
    if not NAMED_PATH.fullmatch(path):
        return None
    hits = [base for base in (root / b / path for b in PATH_BASES)
            if (any(base.parent.glob(base.name)) if "*" in base.name else base.exists())]
    if not hits:
        return f"{path} is not in the repository"
    if name and not re.search(rf"^\s*(?:async\s+)?(?:def|class)\s+{name}\b", hits[0].read_text(encoding="utf-8"), re.M):
        return f"{path} has no {name}"
    return None


def missing_named_files(root: Path) -> list[str]:
    """Files (and test functions) the docs/ pages name in code spans that are not there."""
    found = []
    for path, text in text_files(root):
        if path.suffix != ".md" or path.parent != root / "docs":
            continue
        for number, line in enumerate(_prose(text).splitlines(), 1):
            for token in CODE_SPAN.findall(line):
                if problem := _check_named_path(root, token):
                    found.append(f"{path.relative_to(root)}:{number}: {problem}")
    return found


# --- the repository -----------------------------------------------------------------------------


def test_nothing_cites_the_design_notes_by_their_old_names_or_a_folder_outside_the_repository() -> None:
    assert old_note_references(ROOT) == []


def test_every_cited_docs_file_section_and_row_exists() -> None:
    assert dangling_docs_references(ROOT) == []


def test_every_relative_markdown_link_reaches_a_file_and_a_heading() -> None:
    assert dangling_markdown_links(ROOT) == []


def test_every_file_and_test_the_docs_name_exists() -> None:
    assert missing_named_files(ROOT) == []


def test_the_event_type_table_of_the_docs_is_the_registry() -> None:
    section = sections((ROOT / "docs" / "contracts.md").read_text(encoding="utf-8"))["event-types"]
    table = section[: section.index("\n\n", section.index("| type | family |"))]
    rows = [[cell.strip().strip("`") for cell in line.split("|")[1:4]]
            for line in table.splitlines() if line.startswith("| `")]
    assert rows == [[t.id, t.family, t.label] for t in registry().types]


# --- the checks can fail ------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A small repository (no git): docs with sections, rows and items, and a manifest copy."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text(
        "# Guide\n\n## Bad inputs\n\n| # | input |\n|---|---|\n| 1 | big |\n| 2 | deep |\n\n"
        "## Faults\n\n| # | fault |\n|---|---|\n| F1 | kill |\n\n## Choices\n\n1. one\n2. two\n\n"
        "```text\n[in a code block](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    package = tmp_path / "treatywatch" / "data"
    package.mkdir(parents=True)
    (package / "MANIFEST.json").write_text(json.dumps({"files": {"COPY.md": "0" * 64}}), encoding="utf-8")
    (package / "COPY.md").write_text("Quoted: see " + "DESIGN" + ".md.\n", encoding="utf-8")
    return tmp_path


def test_a_clean_tree_passes_every_check(tree: Path) -> None:
    (tree / "treatywatch" / "ok.py").write_text(
        '"""See docs/guide.md#bad-inputs rows 1-2, docs/guide.md#faults F1, docs/guide.md#choices item 2."""\n',
        encoding="utf-8",
    )
    (tree / "docs" / "index.md").write_text("[guide](guide.md#faults) [web](https://example.org/x.md)\n",
                                            encoding="utf-8")
    assert old_note_references(tree) == []
    assert dangling_docs_references(tree) == []
    assert dangling_markdown_links(tree) == []


@pytest.mark.parametrize(
    ("cited", "expected"),
    [
        ("see " + "DESIGN" + " §3.2", "old name"),
        ("see " + "RELIABILITY" + ".md", "old name"),
        ("see " + "RELIABILITY" + " row 9", "old name"),
        ("see ../" + "shared/reference", "old name"),
        ("see docs/missing.md", "docs/missing.md is not in the repository"),
        ("see docs/guide.md#nowhere", "docs/guide.md has no section #nowhere"),
        ("see docs/guide.md#bad-inputs rows 2, 3-4", "docs/guide.md#bad-inputs has no row 3, 4"),
        ("see docs/guide.md#faults F1 and F2", "docs/guide.md#faults has no row F2"),
        ("see docs/guide.md#choices item 3", "docs/guide.md#choices has no item 3"),
    ],
)
def test_a_citation_that_points_outside_or_nowhere_is_reported(tree: Path, cited: str, expected: str) -> None:
    (tree / "tests").mkdir()
    (tree / "tests" / "test_x.py").write_text(f'"""{cited}."""\n', encoding="utf-8")
    found = old_note_references(tree) + dangling_docs_references(tree)
    assert len(found) == 1, found
    assert found[0].startswith("tests/test_x.py:1: ")
    assert expected in found[0] or expected == "old name"


def test_benchmarks_may_read_external_data_sets_beside_the_checkout(tree: Path) -> None:
    (tree / "bench").mkdir()
    (tree / "bench" / "run.py").write_text('DATA = "../' + 'shared/realnews"\n', encoding="utf-8")
    assert old_note_references(tree) == []


@pytest.mark.parametrize(
    ("link", "expected"),
    [("[x](missing.md)", "no such file"), ("[x](guide.md#nowhere)", "no heading #nowhere"),
     ("[x](#nowhere)", "no heading #nowhere"), ("[x](../src/none.py)", "no such file")],
)
def test_a_markdown_link_that_points_nowhere_is_reported(tree: Path, link: str, expected: str) -> None:
    (tree / "docs" / "index.md").write_text(f"# Index\n\nSee {link} and `[code](not-a-link.md)`.\n",
                                            encoding="utf-8")
    found = dangling_markdown_links(tree)
    assert len(found) == 1, found
    assert found[0].startswith("docs/index.md:3: ") and expected in found[0]


@pytest.mark.parametrize(
    ("named", "expected"),
    [("`tests/test_gone.py`", "tests/test_gone.py is not in the repository"),
     ("`test_gone.py::test_y`", "test_gone.py is not in the repository"),
     ("`test_there.py::test_gone`", "test_there.py has no test_gone"),
     ("`data/*.toml`", "data/*.toml is not in the repository")],
)
def test_a_file_or_test_the_docs_name_that_is_not_there_is_reported(tree: Path, named: str, expected: str) -> None:
    (tree / "tests").mkdir()
    (tree / "tests" / "test_there.py").write_text("def test_y() -> None:\n    pass\n", encoding="utf-8")
    (tree / "treatywatch" / "ok.py").write_text("", encoding="utf-8")
    fine = "`test_there.py::test_y`, `treatywatch/ok.py`, `data/*.json`, `data/`, `https://x.org/a.py`, `<ID>.yaml`"
    (tree / "docs" / "page.md").write_text(f"# Page\n\n{fine}\n\n{named}\n", encoding="utf-8")
    found = missing_named_files(tree)
    assert found == [f"docs/page.md:5: {expected}"]


def test_headings_get_githubs_anchors() -> None:
    parts = sections("# A `code` Title, with: punctuation\n\n## Same\n\n## Same\n")
    assert list(parts) == ["a-code-title-with-punctuation", "same", "same-1"]
