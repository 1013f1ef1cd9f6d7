"""The CLI reference in docs/cli.md is generated from --help and must not drift."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_matches_the_commands_help() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
        capture_output=True, text=True, env={**os.environ, "TYPER_USE_RICH": "0"}, check=False,
    )
    assert result.returncode == 0, result.stderr
