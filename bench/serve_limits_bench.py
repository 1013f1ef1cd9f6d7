"""What one anonymous client can make `treatywatch serve` spend: deep pages, exports, idle and
slow sockets, search over long texts (issue 15, items 2-4). Prints one table.

    python bench/serve_limits_bench.py [--db /tmp/tw_limits.db] [--claims 60000] [--skip-cpu]

The kb is the web bench's (`bench/web_bench.py`'s generator: 4 claims per article) plus one
article of 5 MB of text, the long row that search must not scan in one step. The server is a
real `treatywatch serve` process on a free loopback port, started with the Python path of this
run (so the same script measures any checkout: ``PYTHONPATH=/path/to/checkout python ...``).
Memory is the server's resident set (VmRSS) and its peak (VmHWM) from /proc. Each request is
bounded by a client timeout; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from web_bench import seed  # noqa: E402

from treatywatch.kb.articles import store_batch  # noqa: E402
from treatywatch.kb.store import open_kb  # noqa: E402
from treatywatch.models import Article, InputBatch, Source, article_id_for  # noqa: E402

LONG_TEXT_CHARS = 5_000_000
SLOW_QUERY = "a" * 199 + "b"  # a LIKE that backtracks over every character of the long text
CLIENT_TIMEOUT = 30.0


def add_long_article(db: str) -> None:
    """One article whose text is 5 MB of one letter (idempotent: its id is its content hash)."""
    text = "a" * LONG_TEXT_CHARS
    article = Article(article_id_for(text), text, url="https://long.example/a", source=Source("long.example"),
                      title="A very long text", published="2020-01-01", published_from="user")
    with open_kb(db) as kb:
        store_batch(kb, InputBatch("long-article", "long-article", articles=(article,)))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``treatywatch serve`` in a subprocess, with its memory and CPU read from /proc."""

    def __init__(self, db: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        code = "from treatywatch.cli import main; main()"
        self.process = subprocess.Popen([sys.executable, "-c", code, "serve", "--db", db, "--port", str(self.port)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not start")

    def memory_mib(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) in MiB."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def cpu_seconds(self) -> float:
        parts = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def timed_get(url: str, timeout: float = CLIENT_TIMEOUT) -> tuple[float, int, int]:
    """(seconds, status, body bytes); status 0 for a client-side timeout or a dropped connection."""
    started = time.perf_counter()
    try:
        response = httpx.get(url, timeout=timeout)
        return time.perf_counter() - started, response.status_code, len(response.content)
    except httpx.HTTPError:
        return time.perf_counter() - started, 0, 0


def in_parallel(count: int, job: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * count

    def run(i: int) -> None:
        results[i] = job()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def open_for(server: Server, payload: Callable[[socket.socket], None], cap: float) -> str:
    """How long the server keeps a socket open while ``payload`` runs on it (cap: still open)."""
    sock = socket.create_connection(("127.0.0.1", server.port))
    started = time.monotonic()
    closed: list[float] = []

    def watch() -> None:
        sock.settimeout(cap)
        try:
            while sock.recv(4096):
                pass
            closed.append(time.monotonic() - started)
        except OSError:
            closed.append(time.monotonic() - started)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with contextlib.suppress(OSError):
        payload(sock)
    watcher.join(timeout=cap + 1)
    sock.close()
    seconds = closed[0] if closed else cap
    return f"closed after {seconds:.1f} s" if seconds < cap - 0.05 else f"still open at {cap:.0f} s"


def idle(cap: float) -> Callable[[socket.socket], None]:
    def payload(_sock: socket.socket) -> None:
        time.sleep(cap)
    return payload


def trickle(cap: float) -> Callable[[socket.socket], None]:
    """A request line, then one header line every 2 s, never the blank line that ends them."""
    def payload(sock: socket.socket) -> None:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        deadline = time.monotonic() + cap
        n = 0
        while time.monotonic() < deadline:
            time.sleep(2)
            sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            n += 1
    return payload


def slow_body(cap: float) -> Callable[[socket.socket], None]:
    """A POST announcing 1 MB of body, then one byte every second."""
    def payload(sock: socket.socket) -> None:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000000\r\n\r\n")
        deadline = time.monotonic() + cap
        while time.monotonic() < deadline:
            time.sleep(1)
            sock.sendall(b"a")
    return payload


def headers_of(raw: bytes) -> dict[str, str]:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    return {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in head[1:] if ":" in line}


def status_and_headers(server: Server, request: bytes) -> tuple[str, bool]:
    """Send raw bytes; the status line and whether the answer carries the CSP header."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        raw = b""
        try:
            while b"\r\n\r\n" not in raw:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                raw += chunk
        except OSError:
            pass
    status = raw.split(b"\r\n", 1)[0].decode("latin-1") or "(connection closed)"
    return status, "content-security-policy" in headers_of(raw)


def locked_out(server: Server, sockets: int = 256) -> tuple[str, bool, str]:
    """Open ``sockets`` idle connections, then ask for /healthz: the answer, its headers, and
    the same request 10 s later (the idle ones still held)."""
    held = []
    for _ in range(sockets):
        try:
            held.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
        except OSError:
            break
    time.sleep(0.5)
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    first, csp = status_and_headers(server, request)
    time.sleep(10)
    later, _ = status_and_headers(server, request)
    for s in held:
        s.close()
    return first, csp, later


def cpu_after_clients_left(server: Server, count: int, url: str, client_timeout: float, cap: float) -> str:
    """Send ``count`` requests that give up after ``client_timeout``; report server CPU seconds
    spent from then until it goes quiet (or ``cap``)."""
    in_parallel(count, lambda: timed_get(url, timeout=client_timeout))
    left = server.cpu_seconds()
    started = time.monotonic()
    last, quiet_since = left, time.monotonic()
    while time.monotonic() - started < cap:
        time.sleep(1)
        now = server.cpu_seconds()
        if now - last > 0.05:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 3:
            break
        last = now
    busy = server.cpu_seconds() - left
    return f"{busy:.1f} CPU-s over {time.monotonic() - started:.0f} s"


class Rows(list[tuple[str, str]]):
    """The table's rows, each also printed as soon as it is measured."""

    def append(self, row: tuple[str, str]) -> None:
        super().append(row)
        print(f"  {row[0]}: {row[1]}", file=sys.stderr, flush=True)


def measure(db: str, skip_cpu: bool) -> list[tuple[str, str]]:
    rows = Rows()
    server = Server(db)
    base = server.base
    try:
        rss0 = server.memory_mib()[0]
        t, status, size = timed_get(base + "/api/v1/claims?limit=500&offset=10000000")
        rows.append(("2 claims?limit=500&offset=10000000", f"{status} in {t:.2f} s, RSS +{server.memory_mib()[0] - rss0:.0f} MiB"))
        results = in_parallel(8, lambda: timed_get(base + "/api/v1/claims?limit=500&offset=10000000"))
        rows.append(("2   same, 8 at once", f"{sorted({r[1] for r in results})} each {min(r[0] for r in results):.1f}-"
                     f"{max(r[0] for r in results):.1f} s, peak RSS {server.memory_mib()[1]:.0f} MiB"))
        t, status, size = timed_get(base + "/api/v1/claims?format=json&limit=100000")
        rows.append(("2 claims?format=json&limit=100000", f"{status}, {size / 1e6:.1f} MB in {t:.2f} s"))
        t, status, size = timed_get(base + "/api/v1/claims?format=json&limit=10000")
        rows.append(("2 claims?format=json&limit=10000", f"{status}, {size / 1e6:.1f} MB in {t:.2f} s, "
                     f"peak RSS {server.memory_mib()[1]:.0f} MiB"))
        for page in ("/?page=100000", "/review?page=100000"):
            t, status, _ = timed_get(base + page)
            rows.append((f"2 {page}", f"{status} in {t:.2f} s"))
        t, status, size = timed_get(base + "/api/v1/claims?limit=500")
        rows.append(("2 claims?limit=500 (first page)", f"{status} in {t:.2f} s"))
        rows.append(("2 walk every claim, limit=200, by next", walk(base, 200)))
        rows.append(("2   peak RSS after the walk", f"{server.memory_mib()[1]:.0f} MiB"))
        for q in ("%", "_"):
            response = httpx.get(base + "/api/v1/articles", params={"q": q, "limit": 500}, timeout=CLIENT_TIMEOUT)
            items = response.json().get("items", []) if response.status_code == 200 else []
            rows.append((f"4 articles?q={q}&limit=500", f"{response.status_code}, {len(items)} articles"))
        for path in ("/api/v1/articles", "/api/v1/search"):
            t, status, _ = timed_get(f"{base}{path}?q={SLOW_QUERY}")
            rows.append((f"4 {path}?q=a*199+b (5 MB row)", f"{status} in {t:.2f} s"))
        response = httpx.get(base + "/api/v1/articles", params={"source": "%", "limit": 500}, timeout=CLIENT_TIMEOUT)
        items = response.json().get("items", []) if response.status_code == 200 else []
        rows.append(("4 articles?source=%&limit=500", f"{response.status_code}, {len(items)} articles"))
        if not skip_cpu:
            rows.append(("4 12 x articles?q=..., clients leave at 2 s",
                         cpu_after_clients_left(server, 12, f"{base}/api/v1/articles?q={SLOW_QUERY}", 2.0, 150)))
        rows.append(("3 idle socket (nothing sent)", open_for(server, idle(32), 32)))
        rows.append(("3 one header line every 2 s", open_for(server, trickle(30), 30)))
        rows.append(("3 body: 1 byte/s of a 1 MB POST", open_for(server, slow_body(45), 45)))
        first, csp, later = locked_out(server)
        rows.append(("3 /healthz with 256 idle sockets open", f"{first}; CSP header: {'yes' if csp else 'no'}"))
        rows.append(("3   same, 10 s later", later))
        status, csp = status_and_headers(server, b"GARBAGE\r\n\r\n")
        rows.append(("3 malformed request line", f"{status}; CSP header: {'yes' if csp else 'no'}"))
        status, csp = status_and_headers(server, b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")
        rows.append(("3 Host: evil.example", f"{status}; CSP header: {'yes' if csp else 'no'}"))
    finally:
        server.stop()
    return rows


def walk(base: str, limit: int, cap: float = 120.0) -> str:
    """Follow the next links from the first page of claims to the end (at most ``cap`` seconds)."""
    url: str | None = f"{base}/api/v1/claims?limit={limit}"
    pages, rows, slowest = 0, 0, 0.0
    started = time.perf_counter()
    while url and time.perf_counter() - started < cap:
        t0 = time.perf_counter()
        try:
            response = httpx.get(url, timeout=CLIENT_TIMEOUT)
        except httpx.HTTPError as exc:
            return f"stopped at page {pages + 1} ({rows} claims): {type(exc).__name__} after {CLIENT_TIMEOUT:.0f} s"
        slowest = max(slowest, time.perf_counter() - t0)
        if response.status_code != 200:
            return f"stopped at page {pages + 1}: {response.status_code} {response.text[:80]}"
        body = response.json()
        rows += len(body["items"])
        pages += 1
        link = body.get("next_url") or body.get("next")  # next_url since issue 15; before, next was the link
        url = base + link if link else None
    done = "" if url is None else f", stopped at {cap:.0f} s"
    return f"{pages} pages, {rows} claims in {time.perf_counter() - started:.1f} s, slowest page {slowest:.2f} s{done}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/tw_limits.db")
    parser.add_argument("--claims", type=int, default=60_000)
    parser.add_argument("--skip-cpu", action="store_true", help="skip the CPU-after-clients-left test (up to 150 s)")
    args = parser.parse_args()
    seed(args.db, args.claims)
    add_long_article(args.db)
    import treatywatch

    rows = measure(args.db, args.skip_cpu)
    print(f"\nkb: {args.db}, {args.claims} claims + one 5 MB article; code: {Path(treatywatch.__file__).parent.parent}\n")
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
