"""The parse sandbox (ingest.sandbox): limits, failure codes, replacement of a dead child, and
the parse-level rows docs/reliability.md#bad-inputs rows 2, 3, 4, 11 run under it with bounded time.

Jobs here are builtins (``time.sleep``, ``bytearray``, ``os.abort``, ``eval``) so the child can
run them without importing test code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile_payloads import (
    MARKER,
    MiB,
    deep_article,
    nested_divs,
    story,
    tag_flood,
    warc_pages,
)

from treatywatch.ingest import IngestOptions, read_input
from treatywatch.ingest.htmlclean import clean_html_job
from treatywatch.ingest.sandbox import ParseSandbox, run_in_process, run_parse, shared_sandbox

LIMIT = 1024 * MiB


@pytest.fixture
def sandbox() -> Iterator[ParseSandbox]:
    box = ParseSandbox(LIMIT)
    try:
        yield box
    finally:
        box.close()


def child_pid(box: ParseSandbox) -> int:
    return int(box.run(os.getpid, timeout=30).single())


def test_a_job_runs_in_a_reused_child_under_the_memory_limit(sandbox: ParseSandbox) -> None:
    first = child_pid(sandbox)
    assert first != os.getpid() and child_pid(sandbox) == first
    soft = sandbox.run(eval, "__import__('resource').getrlimit(__import__('resource').RLIMIT_AS)[0]", timeout=30).single()
    assert soft == LIMIT


def test_a_stalled_job_is_a_timeout_and_the_child_is_replaced(sandbox: ParseSandbox) -> None:
    first = child_pid(sandbox)
    outcome = sandbox.run(time.sleep, 30, timeout=0.5)
    assert outcome.error is not None and outcome.error.code == "timeout"
    assert child_pid(sandbox) != first


@pytest.mark.parametrize(
    ("job", "args", "code"),
    [
        (bytearray, (4 * LIMIT,), "resource_limit"),  # MemoryError under RLIMIT_AS
        (os.abort, (), "resource_limit"),  # the child dies outright
        (int, ("not a number",), "parse_error"),
        (eval, ("(" * 1000,), "parse_error"),
    ],
    ids=["memory-error", "child-killed", "exception", "syntax-error"],
)
def test_failures_become_codes_and_the_next_job_still_runs(sandbox: ParseSandbox, job: object, args: tuple[object, ...], code: str) -> None:
    outcome = sandbox.run(job, *args, timeout=30)  # type: ignore[arg-type]
    assert outcome.error is not None and outcome.error.code == code
    assert sandbox.run(len, b"abc", timeout=30).single() == 3


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandbox", "in-process"])
def test_both_modes_give_the_same_codes(sandboxed: bool) -> None:
    options = IngestOptions(sandbox=sandboxed, parse_memory=LIMIT)
    flood = run_parse(options, clean_html_job, tag_flood(300), None, 100, None)
    assert flood.error is not None and flood.error.code == "too_many_elements"
    page = run_parse(options, clean_html_job, story(3).encode(), "https://a.example/x", 1000, None).single()
    assert "anti-personnel mines" in page.text
    assert run_in_process(int, "x").error is not None


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def read(target: str, **options: object) -> tuple[list[str], list[str]]:
    batch = read_input(target, IngestOptions(**{"parse_memory": LIMIT, **options}))  # type: ignore[arg-type]
    return [r.code for r in batch.rejections], [a.text for a in batch.articles]


def test_row3_deep_article_is_recovered_with_huge_tree(tmp_path: Path) -> None:
    codes, texts = read(write(tmp_path, "deep.html", deep_article(400)))
    assert codes == [] and MARKER in texts[0]


def test_row4_100k_nested_divs_finish_without_html5lib(tmp_path: Path) -> None:
    assert read(write(tmp_path, "divs.html", nested_divs(100_000))) == (["too_many_elements"], [])
    codes, _ = read(write(tmp_path, "divs2.html", nested_divs(100_000, "<p>x</p>")), max_elements=10**6)
    assert codes == ["extraction_empty"]
    child = shared_sandbox(LIMIT)  # the child that just parsed the page
    assert child.run(eval, "'html5lib' in __import__('sys').modules", timeout=30).single() is False


def test_row2_tag_flood_is_refused_or_limited(tmp_path: Path) -> None:
    path = write(tmp_path, "flood.html", tag_flood(1_500_000))
    assert read(path) == (["too_many_elements"], [])
    assert read(path, max_elements=10**8, parse_memory=320 * MiB) == (["resource_limit"], [])


def test_row11_unclosed_comment(tmp_path: Path) -> None:
    assert read(write(tmp_path, "comment.html", b"<html><body><!-- " + story(1).encode())) == (["extraction_empty"], [])


def test_a_warc_record_that_stalls_costs_that_record_only(tmp_path: Path) -> None:
    pages = [story(1).encode(), deep_article(150_000), story(3).encode()]
    batch = read_input(write(tmp_path, "slow.warc", warc_pages(pages)), IngestOptions(parse_timeout=1.0, max_elements=10**6))
    assert [a.url for a in batch.articles] == ["https://warc.example/1", "https://warc.example/3"]
    assert [(r.code, r.record) for r in batch.rejections] == [("timeout", "record 2")]
