"""PostgreSQL faults (docs/reliability.md#faults F6, F7): a crash mid-batch leaves nothing, a restart is survived.

These restart the throw-away cluster that scripts/test.sh starts (it exports TREATYWATCH_PG_BIN and
TREATYWATCH_PG_DATA); elsewhere they are skipped.
"""

from __future__ import annotations

import os
import subprocess

import pytest

from treatywatch.kb import articles as kb_articles
from treatywatch.kb.store import KB, KBError, open_kb
from treatywatch.models import Article, InputBatch, Source, article_id_for

pytestmark = pytest.mark.postgres

PG_BIN = os.environ.get("TREATYWATCH_PG_BIN")
PG_DATA = os.environ.get("TREATYWATCH_PG_DATA")


def pg_ctl(*args: str) -> None:
    if not (PG_BIN and PG_DATA):
        pytest.skip("needs the throw-away cluster of scripts/test.sh")
    command = f"{PG_BIN}/pg_ctl -D {PG_DATA} -w {' '.join(args)}"
    runner = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]
    subprocess.run(runner, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def article(n: int) -> Article:
    body = f"Article number {n} about the withdrawal instrument deposited in August."
    return Article(id=article_id_for(body), text=body, url=f"https://pg.example/{n}", source=Source("pg.example"))


@pytest.fixture
def pg_kb(kb_url: str, backend: str) -> KB:
    if backend != "postgres":
        pytest.skip("PostgreSQL only")
    handle = open_kb(kb_url)
    yield handle  # type: ignore[misc]
    handle.close()


def test_the_connection_pool_survives_a_server_restart(pg_kb: KB) -> None:
    kb_articles.store_batch(pg_kb, InputBatch("a", "k1", (article(1),)))
    pg_ctl("restart", "-m", "immediate")
    assert kb_articles.count_articles(pg_kb)["articles"] == 1
    kb_articles.store_batch(pg_kb, InputBatch("b", "k2", (article(2),)))
    assert kb_articles.count_articles(pg_kb)["articles"] == 2


def test_a_server_crash_mid_batch_leaves_nothing_and_the_rerun_completes(pg_kb: KB) -> None:
    batch = InputBatch("c", "k3", tuple(article(n) for n in range(10, 15)))
    from sqlalchemy import text

    with pytest.raises(KBError) as excinfo, pg_kb.write() as conn:
        conn.execute(text("INSERT INTO sources(domain) VALUES ('pg.example')"))
        pg_ctl("stop", "-m", "immediate")
        pg_ctl("start", "-l", f"{PG_DATA}/../log-restart")
        conn.execute(text("SELECT 1"))
    assert excinfo.value.code == "db_unavailable"
    assert kb_articles.count_articles(pg_kb) == {"articles": 0, "sources": 0, "sightings": 0, "failures": 0}
    kb_articles.store_batch(pg_kb, batch)
    kb_articles.store_batch(pg_kb, batch)
    assert kb_articles.count_articles(pg_kb)["articles"] == 5
