"""Fuzz ingest for a bounded time per target and print a table (target, inputs run, crashes).

    python fuzz/run.py [--seconds N] [--target NAME ...] [--in-process] [--crashes DIR]

Targets: html, feed, warc, jsonl (fuzz/targets.py). Each runs hypothesis-generated inputs
through ``read_input`` (parsing in the sandbox unless ``--in-process``) for about N seconds.
A crash is shrunk by hypothesis to a minimal input, written to ``DIR/<target>-<hash>.bin`` with
its reason in a ``.txt`` beside it (default DIR: a fresh temporary folder), and fuzzing goes on
with a new seed. Exit code 1 when anything crashed.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

sys.path.insert(0, str(Path(__file__).resolve().parent))

from targets import TARGETS, Crash, Target, describe, run_one  # noqa: E402

from treatywatch.ingest import IngestOptions  # noqa: E402

CHUNK_EXAMPLES = 100


@dataclass
class Stats:
    """What one target did: inputs run, distinct crashes (reason → minimal input)."""

    inputs: int = 0
    crashes: dict[str, bytes] = field(default_factory=dict)
    last: bytes = b""


def fuzz_target(target: Target, seconds: float, options: IngestOptions, crash_dir: Path) -> Stats:
    """Run ``target`` for about ``seconds``; hypothesis shrinks each crash before it is kept."""
    stats = Stats()
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)

        @settings(
            max_examples=CHUNK_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=False,
            phases=[Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @given(target.strategy())
        def one(data: bytes) -> None:
            stats.inputs += 1
            stats.last = data
            run_one(data, folder, target.suffix, options)
            stats.last = b""

        while time.monotonic() < deadline:
            try:
                one()
            except Exception as crash:  # Crash, or hypothesis's Flaky when a crash did not repeat
                lines = str(crash).splitlines() or [""]
                reason = lines[0][:200] if isinstance(crash, Crash) else f"{type(crash).__name__}: {lines[0][:160]}"
                if reason not in stats.crashes:
                    stats.crashes[reason] = stats.last
                    save(crash_dir, target.name, reason, stats.last)
                stats.last = b""
    return stats


def save(crash_dir: Path, name: str, reason: str, data: bytes) -> None:
    crash_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{hashlib.sha256(data).hexdigest()[:12]}"
    (crash_dir / f"{stem}.bin").write_bytes(data)
    (crash_dir / f"{stem}.txt").write_text(f"{reason}\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="time per target (default 30)")
    parser.add_argument("--target", action="append", choices=sorted(TARGETS), help="run only this target (repeatable)")
    parser.add_argument("--in-process", action="store_true", help="parse in-process (faster, no hang protection)")
    parser.add_argument("--crashes", type=Path, default=None, help="where to write crashing inputs")
    args = parser.parse_args(argv)
    crash_dir = args.crashes or Path(tempfile.mkdtemp(prefix="treatywatch-fuzz-"))
    options = IngestOptions(sandbox=not args.in_process, parse_timeout=10.0)
    rows = []
    for name in args.target or sorted(TARGETS):
        started = time.monotonic()
        stats = fuzz_target(TARGETS[name], args.seconds, options, crash_dir)
        rows.append((name, stats, time.monotonic() - started))
    print(f"{'target':<8} {'inputs':>8} {'crashes':>8} {'seconds':>8}")
    for name, stats, elapsed in rows:
        print(f"{name:<8} {stats.inputs:>8} {len(stats.crashes):>8} {elapsed:>8.1f}")
    for name, stats, _ in rows:
        for reason, data in stats.crashes.items():
            print(f"  {name}: {reason}\n    input ({len(data)} bytes): {describe(data)}")
    if any(stats.crashes for _, stats, _ in rows):
        print(f"crashing inputs written to {crash_dir}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
