"""Run the parsers of untrusted bytes in a child process under memory and time limits.

docs/reliability.md#conventions (budget) and docs/reliability.md#faults F10: one hostile page must cost one input, never the machine.
A ``ParseSandbox`` owns one long-lived child (a fresh interpreter started with ``subprocess``,
so no database connection or lock crosses a ``fork()``, F13), created lazily on the first job,
reused for every later one and replaced after a crash, a timeout or a memory failure. The child
lowers its own ``RLIMIT_AS`` before it imports any parser, then serves jobs read from a socket:
a job is a module-level pure function and its arguments; its result (or, for a generator, each
item it yields) goes back as plain picklable data. The child is the same user and code as the
parent: this bounds resources, it is not a security boundary against code execution.

The parent waits for each message at most ``timeout`` seconds (the clock restarts with every
item, so a WARC is limited per record, not per archive). Outcomes become ``IngestError``s:
``timeout`` (the child is killed and replaced), ``resource_limit`` (``MemoryError`` or
``RecursionError`` in the child, a parser error raised near the memory limit — libxml2 reports
a failed allocation as a syntax error — or the child died), ``parse_error`` (any other
exception), or the child's own ``IngestError``. ``run_parse`` does the same in-process when
``IngestOptions.sandbox`` is false, with identical error mapping.

This child is the one isolation layer for parsing, whatever the number of workers: with
``--workers`` the parent still reads every input (and parses it here), and the worker processes
of ``pipeline.pool`` only extract over clean text, with no limits or sandbox of their own. This
layer rather than the workers because it has a deadline (a process pool has none), because a
record that kills or stalls it costs that record and not its whole WARC (``warcs.read_warc``
resumes after it), and because the same input then gets the same codes with one worker or many.
"""

from __future__ import annotations

import atexit
import contextlib
import inspect
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from treatywatch.errors import IngestError
from treatywatch.ingest.options import IngestOptions

_READY, _RESULT, _ITEM, _DONE, _FAIL = "ready", "result", "item", "done", "fail"


@dataclass(frozen=True)
class Outcome:
    """What a job produced: the items received before it ended, and its failure, if any."""

    items: list[Any]
    error: IngestError | None = None

    def single(self) -> Any:
        """The one result of a non-generator job; raises its failure."""
        if self.error is not None:
            raise self.error
        return self.items[0]


def _failure(exc: BaseException) -> tuple[str, str]:
    """The (code, message) of an exception raised by a parser."""
    if isinstance(exc, IngestError):
        return exc.code, exc.message
    if isinstance(exc, MemoryError | RecursionError):
        return "resource_limit", f"{type(exc).__name__} while parsing"
    return "parse_error", f"{type(exc).__name__}: {str(exc)[:160]}"


def run_in_process(job: Callable[..., Any], *args: Any) -> Outcome:
    """Run ``job`` here, with the sandbox's error mapping (for ``sandbox=False`` and tests)."""
    items: list[Any] = []
    try:
        result = job(*args)
        if inspect.isgenerator(result):
            for item in result:
                items.append(item)
        else:
            items.append(result)
    except Exception as exc:  # every parser failure becomes a coded error, as in the child
        return Outcome(items, IngestError(*_failure(exc)))
    return Outcome(items)


def _limit_memory(limit: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _peak_memory() -> int:
    """Peak address-space size of this process (what ``RLIMIT_AS`` limits), in bytes; peak
    resident size where ``/proc`` is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _watch_parent(parent_pid: int) -> None:
    """Exit when the parent is gone, even in the middle of a parse that never ends."""
    while os.getppid() == parent_pid:
        time.sleep(1.0)
    os._exit(0)


def child_main(fd: int, memory_limit: int, parent_pid: int) -> None:
    """The child's loop: apply the limit, run the warm-up the parent sends first, then serve
    jobs until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()
    if memory_limit:
        _limit_memory(memory_limit)
    conn = Connection(fd)
    warm_up = conn.recv()
    if warm_up is not None:
        with contextlib.suppress(Exception):  # a failed warm-up only costs speed; jobs report their own errors
            warm_up()
    conn.send((_READY, None))
    while True:
        try:
            job, args = conn.recv()
        except (EOFError, OSError):
            return
        if _serve(conn, job, args, memory_limit):
            return  # after running out of memory the interpreter may be damaged: start afresh


def _serve(conn: Connection, job: Callable[..., Any], args: tuple[Any, ...], memory_limit: int) -> bool:
    """Run one job, sending each item and then ``done``; True when the child should exit."""
    peak_before = _peak_memory()
    try:
        result = job(*args)
        if not inspect.isgenerator(result):
            conn.send((_RESULT, result))  # one message: a round trip per page is the whole overhead
            return False
        for item in result:
            conn.send((_ITEM, item))
        conn.send((_DONE, None))
        return False
    except Exception as exc:  # reported to the parent as a coded failure
        code, message = _failure(exc)
        peak = _peak_memory()
        if code == "parse_error" and memory_limit and peak > peak_before and peak > memory_limit * 0.8:
            # libxml2 reports a failed allocation as a syntax error ("unknown error")
            code, message = "resource_limit", f"parser failed near the memory limit ({message})"
        conn.send((_FAIL, (code, message)))
        return code == "resource_limit"


_CHILD_CODE = (
    "import sys; sys.path[:0] = {path!r}; from treatywatch.ingest.sandbox import child_main; "
    "child_main({fd}, {limit}, {pid})"
)


class ParseSandbox:
    """One reusable child process that runs parse jobs under ``memory_limit`` bytes of address
    space. Thread-safe: jobs from several threads run one after another.

    The child is a fresh interpreter (``subprocess``, not ``multiprocessing``: the caller's
    ``__main__`` is never re-imported and no lock or connection is inherited), talking over a
    socket pair with pickled messages.

    ``warm_up`` (a module-level function, sent to each new child before its first job) imports
    and exercises the parsers, so the first job's deadline measures parsing rather than lazy
    imports and regex compilation. It is given by the caller (``ingest.warmup``): the sandbox
    runs jobs and knows no parser, so no parser module has to be imported back from here.
    """

    def __init__(
        self, memory_limit: int, *, warm_up: Callable[[], object] | None = None, start_timeout: float = 120.0
    ) -> None:
        self.memory_limit = memory_limit
        self.warm_up = warm_up
        self.start_timeout = start_timeout
        self.restarts = 0
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        ours, theirs = socket.socketpair()
        code = _CHILD_CODE.format(path=[p for p in sys.path if p], fd=theirs.fileno(), limit=self.memory_limit, pid=os.getpid())
        with ours, theirs:
            process = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # library warnings must not reach the CLI's stderr
            )
            conn = Connection(ours.detach())
        self._process, self._conn = process, conn
        try:
            conn.send(self.warm_up)
            if conn.poll(self.start_timeout) and conn.recv()[0] == _READY:
                return conn
        except (EOFError, OSError):
            pass
        self._kill()
        raise IngestError("resource_limit", "the parser process could not start")

    def _kill(self) -> int | None:
        """Stop the child (if any) and forget it; returns its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
        code = process.wait()
        self.restarts += 1
        return code

    def run(self, job: Callable[..., Any], *args: Any, timeout: float) -> Outcome:
        """Run ``job(*args)`` in the child; waits at most ``timeout`` s for each message."""
        with self._lock:
            if self._process is not None and self._process.poll() is not None:
                self._kill()
            try:
                conn = self._conn or self._start()
            except IngestError as exc:
                return Outcome([], exc)
            return self._exchange(conn, job, args, timeout)

    def _exchange(self, conn: Connection, job: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Outcome:
        items: list[Any] = []
        try:
            conn.send((job, args))
            while True:
                if not conn.poll(timeout):
                    self._kill()
                    return Outcome(items, IngestError("timeout", f"parsing took longer than {timeout:g} s"))
                kind, value = conn.recv()
                if kind == _ITEM:
                    items.append(value)
                elif kind == _RESULT:
                    return Outcome([value])
                elif kind == _DONE:
                    return Outcome(items)
                else:
                    if value[0] == "resource_limit":
                        self._kill()
                    return Outcome(items, IngestError(*value))
        except (EOFError, OSError):
            code = self._kill()
            limit = self.memory_limit >> 20
            return Outcome(items, IngestError("resource_limit", f"the parser process died (exit code {code}; memory limit {limit} MiB)"))

    def close(self) -> None:
        with self._lock:
            self._kill()


class _Registry:
    """The sandboxes of this process, one per memory limit, closed at exit.

    Kept per process id: a forked copy of this process starts its own children.
    """

    def __init__(self) -> None:
        self._pid = os.getpid()
        self._sandboxes: dict[int, ParseSandbox] = {}
        self._lock = threading.Lock()

    def get(self, memory_limit: int, warm_up: Callable[[], object] | None) -> ParseSandbox:
        with self._lock:
            if self._pid != os.getpid():
                self._pid, self._sandboxes = os.getpid(), {}
            sandbox = self._sandboxes.get(memory_limit)
            if sandbox is None:
                sandbox = self._sandboxes[memory_limit] = ParseSandbox(memory_limit, warm_up=warm_up)
            elif sandbox.warm_up is None:
                sandbox.warm_up = warm_up
            return sandbox

    def close_all(self) -> None:
        with self._lock:
            sandboxes = list(self._sandboxes.values()) if self._pid == os.getpid() else []
            self._sandboxes = {}
        for sandbox in sandboxes:
            sandbox.close()


_REGISTRY = _Registry()
atexit.register(_REGISTRY.close_all)


def shared_sandbox(memory_limit: int, warm_up: Callable[[], object] | None = None) -> ParseSandbox:
    """The process-wide sandbox for ``memory_limit`` (created on first use; the first warm-up
    given is the one its children run)."""
    return _REGISTRY.get(memory_limit, warm_up)


def close_sandboxes() -> None:
    """Stop every sandbox child of this process (they restart on the next job)."""
    _REGISTRY.close_all()


def run_parse(
    options: IngestOptions, job: Callable[..., Any], *args: Any, warm_up: Callable[[], object] | None = None
) -> Outcome:
    """Run a pure parse job as ``options`` say: sandboxed (default) or in-process."""
    if not options.sandbox:
        return run_in_process(job, *args)
    return shared_sandbox(options.parse_memory, warm_up).run(job, *args, timeout=options.parse_timeout)
