"""Extraction dumps in one process, exactly as the official scorer's command would print them.

``score.py`` runs ``treatywatch extract FILE --format json --published D --url U`` once per
article, so spaCy loads every time. Here the scorer's own ``run_extract`` builds each command
line (its ``subprocess.run`` is swapped for a recorder, so the arguments are the scorer's, not a
copy), and the command runs in this process through the CLI's click command (same parsing, same
``extract_file``, same output); its stdout is kept byte for byte as ``<id>.json``. A failing
article (non-zero exit or exception) gets no file, which ``score.py --from-dump`` counts as a
crash. ``--verify N`` runs the real CLI on N records and checks the bytes are identical.

    python bench/realnews/dump.py --gold bench/realnews/dev.jsonl --texts bench/realnews/texts \\
        --out /tmp/dump [--only dA01,dA02] [--verify 3]     # dumps, then score.py --from-dump
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from functools import lru_cache
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sets import Part, read_jsonl, shared_root  # noqa: E402

Extractor = Callable[[Path, dict[str, Any]], tuple[int, bytes, str]]


@lru_cache(maxsize=1)
def scorer() -> ModuleType:
    """The official ``score.py`` as a module (its helpers and its command line builder)."""
    path = shared_root() / "realnews" / "score.py"
    spec = importlib.util.spec_from_file_location("realnews_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Recorded(Exception):
    pass


def scorer_argv(path: Path, record: dict[str, Any]) -> list[str]:
    """The command line ``score.py`` would run for this record (program name included)."""
    module = scorer()
    seen: list[list[str]] = []

    def record_run(args: list[str], **_: Any) -> None:
        seen.append(list(args))
        raise _Recorded

    real = module.__dict__["subprocess"]
    module.__dict__["subprocess"] = SimpleNamespace(run=record_run)
    try:
        module.run_extract("treatywatch", str(path), record)
    except _Recorded:
        pass
    finally:
        module.__dict__["subprocess"] = real
    return seen[0]


@lru_cache(maxsize=1)
def _cli_command() -> Any:
    import typer.main

    from treatywatch.cli import app

    return typer.main.get_command(app)


def run_cli_in_process(argv: list[str]) -> tuple[int, bytes, str]:
    """``treatywatch ARGV`` in this process: (exit code, stdout bytes, stderr text)."""
    import click

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            result = _cli_command().main(args=argv, prog_name="treatywatch", standalone_mode=False)
            code = result if isinstance(result, int) else 0
        except click.exceptions.Exit as exc:
            code = exc.exit_code
        except click.ClickException as exc:
            exc.show()
            code = exc.exit_code
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # a crash on a real article is a finding: keep its traceback
            traceback.print_exc()
            code = 1
    return code, out.getvalue().encode("utf-8"), err.getvalue()


def treatywatch_extract(path: Path, record: dict[str, Any]) -> tuple[int, bytes, str]:
    """What ``score.py`` gets from ``treatywatch extract`` for this record, computed in-process."""
    return run_cli_in_process(scorer_argv(path, record)[1:])


def cli_env() -> dict[str, str]:
    """The environment for a real ``treatywatch`` process importing this tree's package."""
    import treatywatch

    root = str(Path(treatywatch.__file__).resolve().parents[1])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def dump_part(part: Part, out: Path, extractor: Extractor = treatywatch_extract,
              progress: bool = True) -> dict[str, Any]:
    """Write ``out/<id>.json`` for every record with a text, removing any earlier file of those
    records first (a crash must never leave a stale file to be scored). Returns seconds,
    articles and crashes (id -> error)."""
    out.mkdir(parents=True, exist_ok=True)
    crashes: dict[str, str] = {}
    todo = [r for r in part.records if r["id"] in part.texts]
    start = time.perf_counter()
    for i, record in enumerate(todo, 1):
        target = out / f"{record['id']}.json"
        target.unlink(missing_ok=True)
        code, stdout, stderr = extractor(part.texts[record["id"]], record)
        if code == 0:
            target.write_bytes(stdout)
        else:
            crashes[record["id"]] = (stderr.strip() or f"exit {code}")[-300:]
        if progress and (i % 100 == 0 or i == len(todo)):
            elapsed = time.perf_counter() - start
            print(f"  {part.name}: {i}/{len(todo)} in {elapsed:.0f}s", file=sys.stderr, flush=True)
    return {"seconds": round(time.perf_counter() - start, 1), "articles": len(todo), "crashes": crashes}


def verify(part: Part, n: int) -> list[str]:
    """Run the real CLI on the first ``n`` records with a text; the ids whose bytes differ."""
    bad = []
    for record in [r for r in part.records if r["id"] in part.texts][:n]:
        path = part.texts[record["id"]]
        argv = scorer_argv(path, record)
        real = subprocess.run(argv, capture_output=True, env=cli_env(), timeout=600)
        code, stdout, _ = treatywatch_extract(path, record)
        same = (real.returncode, real.stdout) == (code, stdout)
        print(f"  verify {record['id']}: {'identical' if same else 'DIFFERENT'} "
              f"({len(stdout)} bytes, exit {code})", file=sys.stderr)
        if not same:
            bad.append(record["id"])
    return bad


def score_dump(part: Part, dump: Path, work: Path) -> dict[str, Any]:
    """``score.py --from-dump`` over a part: its report (the scorer's JSON)."""
    work.mkdir(parents=True, exist_ok=True)
    gold = work / "gold.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part.records), encoding="utf-8")
    cache = work / "texts"
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir()
    for rid, path in part.texts.items():
        (cache / f"{rid}.txt").symlink_to(path.resolve())
    report = work / "score.json"
    script = shared_root() / "realnews" / "score.py"
    done = subprocess.run([sys.executable, str(script), "--gold", str(gold), "--cache", str(cache),
                           "--from-dump", str(dump), "--json", str(report)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"score.py failed on {part.name}: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--texts", type=Path, required=True, help="folder of <id>.txt")
    parser.add_argument("--out", type=Path, required=True, help="dump folder (emptied first)")
    parser.add_argument("--only", default=None, help="comma-separated ids")
    parser.add_argument("--verify", type=int, default=0, metavar="N",
                        help="check the in-process JSON against the real CLI on N records first")
    args = parser.parse_args()
    records = read_jsonl(args.gold)
    if args.only:
        keep = set(args.only.split(","))
        records = [r for r in records if r["id"] in keep]
    texts = {r["id"]: args.texts / f"{r['id']}.txt" for r in records if (args.texts / f"{r['id']}.txt").is_file()}
    part = Part(args.gold.stem, records, texts)
    if args.verify and verify(part, args.verify):
        print("in-process output differs from the CLI's: stopping", file=sys.stderr)
        return 2
    info = dump_part(part, args.out)
    report = score_dump(part, args.out, args.out.with_name(args.out.name + ".score"))
    print(json.dumps({k: v for k, v in report.items() if k not in ("per_type", "event_misses", "errors")}))
    print(f"{info['articles']} articles in {info['seconds']}s, {len(info['crashes'])} crashes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
