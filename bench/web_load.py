"""Read throughput of the running server under a bounded load, against a bare FastAPI baseline.

    python bench/web_load.py [--duration 8] [--connections 16] [--claims 100000]
                             [--demo-db /tmp/tw_load_demo.db] [--bench-db /tmp/tw_web_bench.db]
                             [--client auto|wrk|python] [--workers 2] [--only demo|bench]

Starts ``treatywatch serve`` on 127.0.0.1 (a free port) over the demo's knowledge base (the
bundled sample corpus, ingested if the file is missing) and over the 100k-claim bench kb
(`web_bench.seed`), and a bare FastAPI app with one ``/healthz`` route under the same uvicorn, in
the same run. Each target is driven for ``--duration`` seconds by ``--connections`` keep-alive
connections: with ``wrk -t1`` when it is installed, else with the asyncio client below (its own
overhead is larger, so compare ratios within one run only). Prints req/s, p50, p99 and the share
of the bare app's rate; ``--workers N`` adds the claims list served by N processes, and
``--uncached`` the lists and pages with the server's answer cache off (what a read costs the
first time after a write, or for a URL nobody asked before).

The ``/review`` rows are read as a signed-in analyst (signed in through the form); the 304
row sends the claims list's own ETag back as If-None-Match.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_bench import seed  # noqa: E402

from treatywatch.kb import users  # noqa: E402
from treatywatch.kb.store import open_kb  # noqa: E402

BARE_APP = """
import sys, uvicorn
from fastapi import FastAPI
app = FastAPI()
@app.get("/healthz")
def healthz():
    return {"status": "ok"}
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), http="h11", log_level="warning")
"""
BENCH_USER = "loadbench"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server(args: list[str]) -> Iterator[str]:
    """A server process started with ``python args... <port>``-style arguments; yields its base URL."""
    port = free_port()
    argv = [sys.executable, *[a.replace("{port}", str(port)) for a in args]]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise SystemExit(f"server {' '.join(args)} exited: {process.stderr.read().decode()[-800:]}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def treatywatch_server(db: str, workers: int = 1, *options: str) -> contextlib.AbstractContextManager[str]:
    extra = (["--workers", str(workers)] if workers > 1 else []) + list(options)
    return server(["-m", "treatywatch", "serve", "--db", db, "--port", "{port}", *extra])


@dataclass
class Result:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


# --- load generators ----------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def run_wrk(url: str, headers: dict[str, str], duration: float, connections: int) -> Result:
    """``wrk -t1 -cN -dT --latency``, parsed."""
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    out = subprocess.run([*argv, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return Result(rate, p50, p99, errors)


async def _one_connection(host: str, port: int, request: bytes, stop_at: float, latencies: list[float]) -> int:
    """Requests over one keep-alive connection until ``stop_at``; returns the number of errors.

    Written here rather than with an HTTP client library: a general client's per-request cost
    (~0.3 ms in httpx) would cap the rate below what the bare app serves, hiding the ratios."""
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
            if length is None and status != 304:
                raise SystemExit("the python client needs Content-Length answers")
            await reader.readexactly(int(length.group(1)) if length else 0)
            latencies.append((time.perf_counter() - started) * 1000)
            errors += status >= 400
    finally:
        writer.close()
    return errors


def run_python(url: str, headers: dict[str, str], duration: float, connections: int) -> Result:
    parsed = httpx.URL(url)
    lines = [f"GET {parsed.raw_path.decode()} HTTP/1.1", f"Host: {parsed.host}:{parsed.port}",
             *[f"{k}: {v}" for k, v in headers.items()]]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()

    async def drive() -> tuple[list[float], int]:
        latencies: list[float] = []
        stop_at = time.perf_counter() + duration
        errors = await asyncio.gather(*[_one_connection(parsed.host, parsed.port or 80, request, stop_at, latencies)
                                        for _ in range(connections)])
        return latencies, sum(errors)

    started = time.perf_counter()
    latencies, errors = asyncio.run(drive())
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return Result(len(latencies) / elapsed, cuts[49], cuts[98], errors)


# --- knowledge bases --------------------------------------------------------------------------------

def demo_kb(path: str) -> str:
    """The demo's knowledge base: the bundled sample corpus ingested (once) into ``path``."""
    if not Path(path).exists():
        from treatywatch.ingest import IngestOptions
        from treatywatch.monitor import Monitor
        from treatywatch.sample import corpus_path

        with Monitor(path) as monitor:
            monitor.ingest([str(corpus_path())], IngestOptions())
    return path


def bench_password(db: str) -> str:
    """A fresh password of the bench's analyst (created on first use)."""
    password = "load-bench-Password-" + os.urandom(8).hex()
    with open_kb(db) as kb:
        if users.user_exists(kb, BENCH_USER):
            users.change_password(kb, BENCH_USER, password)
        else:
            users.add_user(kb, BENCH_USER, password)
    return password


def session_cookie(base: str, password: str) -> str:
    """Sign in through the form, as a browser does; returns the session cookie's header value."""
    with httpx.Client(base_url=base, timeout=60) as browser:
        form = browser.get("/login").text
        marker = 'name="csrf_token" value="'
        token = form[form.index(marker) + len(marker):].split('"', 1)[0]
        answer = browser.post("/login", data={"username": BENCH_USER, "password": password, "csrf_token": token})
        if answer.status_code != 303:
            raise SystemExit(f"the bench could not sign in: HTTP {answer.status_code}")
        return f"tw_session={browser.cookies['tw_session']}"


def etag_of(url: str) -> str | None:
    return httpx.get(url, timeout=30).headers.get("etag")


# --- the table ------------------------------------------------------------------------------------

def measure_kb(name: str, db: str, drive: object, duration: float, connections: int,
               workers: int, uncached: bool) -> list[tuple[str, Result | None]]:
    password = bench_password(db)
    rows: list[tuple[str, Result | None]] = []
    run = drive  # type: ignore[assignment]
    with treatywatch_server(db) as base:
        analyst = {"Cookie": session_cookie(base, password)}
        claims = base + "/api/v1/claims?limit=20"
        targets: list[tuple[str, str, dict[str, str]]] = [("/healthz", "/healthz", {}), ("/api/v1/articles?limit=20", "/api/v1/articles?limit=20", {}),
                   ("/api/v1/claims?limit=20", "/api/v1/claims?limit=20", {}), ("/", "/", {}),
                   ("/countries/POL", "/countries/POL", {}), ("/review (analyst)", "/review", analyst)]
        for label, path, headers in targets:
            httpx.get(base + path, headers=headers, timeout=60)  # warm-up
            rows.append((f"{name}: {label}", run(base + path, headers, duration, connections)))  # type: ignore[operator]
        etag = etag_of(claims)
        rows.append((f"{name}: claims list, 304 revalidation",
                     run(claims, {"If-None-Match": etag}, duration, connections) if etag else None))  # type: ignore[operator]
    if uncached:
        with treatywatch_server(db, 1, "--answer-cache-mb", "0") as base:
            for label, path, headers in targets[1:5]:
                httpx.get(base + path, headers=headers, timeout=60)
                rows.append((f"{name}: {label}, answer cache off", run(base + path, headers, duration, connections)))  # type: ignore[operator]
    if workers > 1:
        with treatywatch_server(db, workers) as base:
            httpx.get(base + "/api/v1/claims?limit=20", timeout=60)
            rows.append((f"{name}: /api/v1/claims?limit=20, --workers {workers}",
                         run(base + "/api/v1/claims?limit=20", {}, duration, connections)))  # type: ignore[operator]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--demo-db", default="/tmp/tw_load_demo.db")
    parser.add_argument("--bench-db", default="/tmp/tw_web_bench.db")
    parser.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--workers", type=int, default=2, help="also serve the claims list with N processes (1: skip)")
    parser.add_argument("--only", choices=["demo", "bench"], default=None)
    parser.add_argument("--uncached", action="store_true",
                        help="also measure the pages with the server's answer cache off (--answer-cache-mb 0)")
    args = parser.parse_args()
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    drive = run_wrk if use_wrk else run_python
    with server(["-c", BARE_APP, "{port}"]) as base:
        bare = drive(base + "/healthz", {}, args.duration, args.connections)
    rows: list[tuple[str, Result | None]] = [("bare FastAPI app, one /healthz route", bare)]
    if args.only in (None, "demo"):
        rows += measure_kb("demo kb", demo_kb(args.demo_db), drive, args.duration, args.connections, args.workers,
                           args.uncached)
    if args.only in (None, "bench"):
        Path(args.bench_db).parent.mkdir(parents=True, exist_ok=True)
        seed(args.bench_db, args.claims)
        rows += measure_kb(f"{args.claims // 1000}k kb", args.bench_db, drive, args.duration, args.connections,
                           args.workers, args.uncached)
    client = "wrk -t1" if use_wrk else "python asyncio client"
    print(f"\n{client}, {args.connections} connections, {args.duration:g} s per target, "
          f"{os.cpu_count()} cores, same run\n")
    print("| target | req/s | p50 | p99 | share of bare /healthz | errors |")
    print("|---|---|---|---|---|---|")
    for label, result in rows:
        if result is None:
            print(f"| {label} | n/a (no ETag) | | | | |")
            continue
        share = 100 * result.rate / bare.rate
        print(f"| {label} | {result.rate:,.0f} | {result.p50_ms:.0f} ms | {result.p99_ms:.0f} ms | {share:.0f}% | "
              f"{result.errors} |")


if __name__ == "__main__":
    main()
