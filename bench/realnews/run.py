"""Issue 11's measures on real news, one markdown table: ``python bench/realnews/run.py``.

Columns: the development set's *tune* and *check* parts (and the whole set, comparable with the
held-out figures), the grown sets' tune and check parts (all ``grown_*.jsonl`` together), the
project's fixtures, the White House passages, and false events per 1,000 real off-topic
articles (RealTime QA). Every number is the official ``score.py`` (``--from-dump``) judging
the JSON that ``treatywatch extract`` prints, computed in one process (dump.py). README.md says
what each number means.

    python bench/realnews/run.py                          # everything (RealTime QA: 1,500 articles)
    python bench/realnews/run.py --parts dev,fixtures     # some columns only (dev-tune, grown-check, ...)
    python bench/realnews/run.py --json out/after.json --compare out/baseline.json
    python bench/realnews/run.py --parts dev-tune --errors    # what went wrong (tune parts only)
    python bench/realnews/run.py --baseline --show-offtopic --offtopic-all --stories

Check parts are never listed error by error: rules are not tuned on them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dump import cli_env, dump_part, score_dump, scorer, treatywatch_extract, verify  # noqa: E402
from sets import (  # noqa: E402
    HERE,
    REPO,
    Part,
    annotated_parts,
    data_dirs,
    fixtures_part,
    offtopic_part,
    shared_root,
)
from table import Measures, markdown, measures_of  # noqa: E402

GROUPS = ("dev", "grown", "fixtures", "whitehouse", "realtimeqa")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--parts", default=",".join(GROUPS),
                   help="columns to run: groups (dev, grown, fixtures, whitehouse, realtimeqa) or parts (dev-tune, ...)")
    p.add_argument("--only", default=None, help="comma-separated record ids (tune parts only)")
    p.add_argument("--errors", action="store_true", help="list the errors of the tune parts")
    p.add_argument("--baseline", action="store_true", help="add the naive spaCy baseline on the whole dev set")
    p.add_argument("--offtopic-all", action="store_true", help="all 18,016 RealTime QA articles (default: 1,500)")
    p.add_argument("--show-offtopic", type=int, nargs="?", const=10, default=0, metavar="K",
                   help="print the evidence of the K off-topic articles with the most events")
    p.add_argument("--stories", action="store_true", help="also run stories_score.py on each annotated part")
    p.add_argument("--json", type=Path, default=None, help="save the table's numbers as JSON")
    p.add_argument("--compare", type=Path, default=None, help="an earlier --json: show before → after")
    p.add_argument("--verify", type=int, default=1, metavar="N",
                   help="first check that the in-process JSON equals the CLI's on N records (0: skip)")
    p.add_argument("--no-speed", action="store_true", help="skip the speed ratio")
    p.add_argument("--rounds", type=int, default=3, help="timed passes per mode for the speed ratio")
    p.add_argument("--out", type=Path, default=HERE / "out" / "last", help="dumps and scorer inputs of this run")
    p.add_argument("--data", type=Path, default=None, help="folder of the sets and texts (default: this tree's, then main's)")
    return p.parse_args(argv)


def select_parts(args: argparse.Namespace) -> list[Part]:
    """The parts asked for, with ``--only`` applied (refused for check parts)."""
    wanted = set(args.parts.split(","))
    unknown = wanted - set(GROUPS) - {f"{g}-{p}" for g in ("dev", "grown") for p in ("tune", "check")}
    if unknown:
        raise SystemExit(f"unknown parts: {', '.join(sorted(unknown))}")
    dirs = data_dirs(args.data)
    parts = annotated_parts(dirs)
    if "fixtures" in wanted:
        parts.append(fixtures_part(HERE / "out" / "fixtures-texts"))
    if "realtimeqa" in wanted:
        source = shared_root() / "benchmarks" / "realtimeqa-news" / "articles.jsonl.gz"
        parts.append(offtopic_part(source, HERE / "out" / "realtimeqa-texts", None if args.offtopic_all else 1500))
    parts = [p for p in parts if p.group in wanted or p.slug in wanted]
    if args.only:
        ids = set(args.only.split(","))
        hidden = sorted(r["id"] for p in parts if not p.tune and p.kind == "gold" for r in p.records if r["id"] in ids)
        if hidden:
            raise SystemExit(f"--only names records of a check part ({', '.join(hidden)}): "
                             "check articles are never scored one by one")
        for part in parts:
            part.records = [r for r in part.records if r["id"] in ids]
        parts = [p for p in parts if p.records]
    return parts


def with_whole_dev(parts: list[Part]) -> list[Part]:
    """Adds ``dev all`` after dev check when both dev parts are there (never listed for errors)."""
    dev = [p for p in parts if p.group == "dev"]
    if len(dev) != 2:
        return parts
    whole = Part("dev all", dev[0].records + dev[1].records, {**dev[0].texts, **dev[1].texts})
    at = parts.index(dev[1]) + 1
    return parts[:at] + [whole] + parts[at:]


def lookalikes(part: Part) -> int:
    return sum(1 for r in part.records if r["id"] in part.texts and not r.get("on_topic", True))


def offtopic_hits(part: Part, dump: Path) -> list[dict[str, Any]]:
    """Per off-topic article with events of the scored types: id, url, title, events."""
    types = scorer().GOLD_TYPES
    out = []
    for record in part.records:
        path = dump / f"{record['id']}.json"
        if not path.is_file():
            continue
        events = [e for e in json.loads(path.read_text(encoding="utf-8")).get("events", []) if e.get("type") in types]
        if events:
            out.append({"id": record["id"], "url": record["url"], "title": record.get("title"), "events": [
                {"type": e["type"], "actor": e.get("actor"), "sentence": " ".join(e["evidence"]["sentence"].split())}
                for e in events]})
    return sorted(out, key=lambda h: (-len(h["events"]), h["id"]))


def stories(part: Part, work: Path) -> dict[str, float]:
    """``stories_score.py`` on a part (its texts ingested into a fresh database)."""
    script = shared_root() / "realnews" / "stories_score.py"
    done = subprocess.run([sys.executable, str(script), "--gold", str(work / "gold.jsonl"), "--cache", str(work / "texts")],
                          capture_output=True, text=True, env=cli_env())
    last = [line for line in done.stdout.splitlines() if line.startswith("STORIES")]
    if not last or "p=" not in last[-1]:
        return {}
    values = dict(field.split("=") for field in last[-1].split()[1:])
    return {"stories_p": float(values["p"]), "stories_r": float(values["r"]), "stories_f1": float(values["f1"])}


def measure(part: Part, args: argparse.Namespace, extractor: Any, label: str,
            fresh: bool = True) -> tuple[Measures, dict[str, Any]]:
    """Dump (unless ``fresh`` is false: the part's records were dumped already), score and
    summarise one part; returns its measures and the scorer's report."""
    dump = args.out / "dump" / label / part.group
    info = dump_part(part, dump, extractor) if fresh else {"seconds": None, "crashes": {}}
    work = args.out / "score" / label / part.slug
    report = score_dump(part, dump, work)
    if part.kind == "offtopic":
        hits = offtopic_hits(part, dump)
        m: Measures = {"articles": report["articles"], "missing_text": report["missing_text"],
                       "hash_mismatch": report["hash_mismatch"], "crashes": report["crashes"],
                       "offtopic_events": report["offtopic_false_events"], "offtopic_articles_hit": len(hits)}
        report["offtopic_hits"] = hits
    else:
        m = measures_of(report, lookalikes(part))
        if args.stories and label == "treatywatch" and part.group != "fixtures":  # fixtures have no story ids
            m.update(stories(part, work))
    m["seconds"] = info["seconds"]
    report["dump_crashes"] = info["crashes"]
    return m, report


def speed(args: argparse.Namespace) -> dict[str, Any] | None:
    """The speed ratio over all the dev texts, whatever parts or ids were asked for (a property
    of the extractor, compared across runs only on the same texts)."""
    from timing import articles_of, speed_ratio

    files = [(p.texts[r["id"]], r.get("published"), r.get("url"))
             for p in annotated_parts(data_dirs(args.data)) if p.group == "dev" for r in p.records if r["id"] in p.texts]
    return speed_ratio(articles_of(files), args.rounds) if files else None


def meta(args: argparse.Namespace, started: float) -> dict[str, Any]:
    from treatywatch.nlp import EXTRACTOR_VERSION

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def git(*cmd: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *cmd], capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(git("status", "--porcelain", "treatywatch")),
            "extractor": EXTRACTOR_VERSION, "date": dt.datetime.now().isoformat(timespec="seconds"),
            "command": " ".join(["python", "bench/realnews/run.py", *sys.argv[1:]]),
            "seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(cpu, 1)}


def print_details(parts: list[Part], reports: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    from errors import error_listing

    for part in parts:
        report = reports.get(part.name, {})
        for rid, message in sorted(report.get("dump_crashes", {}).items()):
            print(f"crash {part.name} {rid}: {message.splitlines()[-1] if message else ''}")
        if args.errors and part.tune and part.kind == "gold":
            dump = args.out / "dump" / "treatywatch" / part.group
            print("\n" + "\n".join(error_listing(part, dump, report)))
        if args.show_offtopic and part.kind == "offtopic":
            print(f"\n### off-topic articles with the most events ({part.name})")
            for hit in report["offtopic_hits"][:args.show_offtopic]:
                print(f"- {hit['id']} {hit['url']}")
                for e in hit["events"]:
                    print(f"    {e['type']} {e['actor']} | {e['sentence'][:240]}")


def print_speed(now: dict[str, Any], before: dict[str, Any]) -> None:
    change = f"{before['ratio_extract']}x → " if before.get("ratio_extract") not in (None, now["ratio_extract"]) else ""
    if change and before.get("articles") != now["articles"]:
        change = f"{before['ratio_extract']}x (over {before.get('articles')} texts) → "
    s = now["seconds"]
    print(f"\nspeed over {now['articles']} dev texts (best of {now['rounds']}): extraction {change}"
          f"{now['ratio_extract']}x the bare spaCy pass (budget 1.5x); components without events "
          f"{now['ratio_components']}x; CPU seconds bare {s['bare']}, components {s['components']}, extract {s['extract']}")


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    parts = with_whole_dev(select_parts(args))
    if args.verify:
        first = next((p for p in parts if p.texts), None)
        if first is not None and verify(first, args.verify):
            print("the in-process extraction differs from `treatywatch extract`: no numbers", file=sys.stderr)
            return 2
    columns: dict[str, Measures] = {}
    reports: dict[str, dict[str, Any]] = {}
    for part in parts:
        fresh = part.name != "dev all"
        columns[part.name], reports[part.name] = measure(part, args, treatywatch_extract, "treatywatch", fresh)
    if args.baseline:
        from naive import naive_dump

        dev = [p for p in parts if p.group == "dev" and p.name != "dev all"]
        if dev:
            whole = Part("dev all", [r for p in dev for r in p.records], {k: v for p in dev for k, v in p.texts.items()})
            columns["naive: dev all"], _ = measure(whole, args, naive_dump, "naive")
    speed_info = None if args.no_speed else speed(args)
    old = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    print(markdown(columns, old["columns"] if old else None))
    if speed_info:
        print_speed(speed_info, (old or {}).get("speed") or {})
    print_details(parts, reports, args)
    info = meta(args, started)
    print(f"\n{info['command']} — {info['seconds']:.0f}s ({info['cpu_seconds']:.0f}s CPU), treatywatch {info['commit']}"
          f"{' (uncommitted changes)' if info['dirty'] else ''}, {info['extractor']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        offtopic = {name: r["offtopic_hits"] for name, r in reports.items() if "offtopic_hits" in r}
        args.json.write_text(json.dumps({"meta": info, "columns": columns, "speed": speed_info,
                                         "offtopic_hits": offtopic}, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
