"""The knowledge base stores inputs idempotently and all-or-nothing, on every backend."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from treatywatch.kb import articles as kb_articles
from treatywatch.kb.migrations import MIGRATIONS
from treatywatch.kb.schema import articles, failures, schema_migrations, sightings
from treatywatch.kb.store import KB, apply_migrations, database_url, open_kb
from treatywatch.models import Article, InputBatch, Rejection, Source, article_id_for


def make_article(body: str, url: str, **extra: object) -> Article:
    domain = url.split("/")[2]
    return Article(
        id=article_id_for(body),
        text=body,
        url=url,
        source=Source(domain),
        title=extra.pop("title", "A title"),  # type: ignore[arg-type]
        published=extra.pop("published", "2025-08-20"),  # type: ignore[arg-type]
        raw=body.encode(),
        raw_sha256="r" + article_id_for(body)[1:],
        **extra,  # type: ignore[arg-type]
    )


BODY = "Poland deposited its instrument of withdrawal from the Mine Ban Treaty on Wednesday."


def count(kb: KB, table: object) -> int:
    with kb.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def test_storing_the_same_input_twice_keeps_one_article(kb: KB) -> None:
    batch = InputBatch("a.html", "key-a", (make_article(BODY, "https://wire.example/a"),))
    first = kb_articles.store_batch(kb, batch)
    second = kb_articles.store_batch(kb, batch)
    assert (first.new_articles, second.new_articles, second.known_articles) == (1, 0, 1)
    assert count(kb, articles) == 1
    assert count(kb, sightings) == 1


def test_same_text_at_two_urls_is_one_article_with_two_sightings(kb: KB) -> None:
    kb_articles.store_batch(kb, InputBatch("a", "k1", (make_article(BODY, "https://wire.example/a"),)))
    kb_articles.store_batch(kb, InputBatch("b", "k2", (make_article(BODY, "https://copy.example/b"),)))
    assert count(kb, articles) == 1
    stored = kb_articles.get_article(kb, article_id_for(BODY))
    assert stored is not None
    assert sorted(s["url"] for s in stored["sightings"]) == ["https://copy.example/b", "https://wire.example/a"]


def test_rejections_are_stored_once_with_their_code(kb: KB) -> None:
    batch = InputBatch("feed.xml", "k", rejections=(Rejection("feed.xml", "unsafe_xml", "entity declared"),))
    kb_articles.store_batch(kb, batch)
    kb_articles.store_batch(kb, batch)
    with kb.read() as conn:
        rows = conn.execute(select(failures.c.location, failures.c.code)).all()
    assert [tuple(r) for r in rows] == [("feed.xml", "unsafe_xml")]
    assert kb_articles.is_done(kb, "k")


def test_nul_bytes_are_stripped_alike_on_every_backend(kb: KB) -> None:
    body = "Lithuania\x00 left the Convention on Cluster Munitions."
    kb_articles.store_batch(kb, InputBatch("n", "kn", (make_article(body, "https://n.example/x", title="T\x00"),)))
    stored = kb_articles.get_article(kb, article_id_for(body))
    assert stored is not None
    assert "\x00" not in stored["text"] and stored["title"] == "T"


def test_a_failure_mid_batch_leaves_nothing_of_the_input(kb: KB) -> None:
    good = make_article(BODY, "https://wire.example/a")
    bad = make_article("Second article body that will not be stored.", "https://wire.example/b")
    broken = Article(**{**bad.__dict__, "first_seen": None, "published": "x" * 100})  # too long for PG
    if kb.is_sqlite:
        # SQLite does not enforce lengths: break the batch with a missing NOT NULL value instead.
        broken = Article(**{**bad.__dict__, "text": None})  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017 - the backends raise different integrity errors
        kb_articles.store_batch(kb, InputBatch("ab", "kab", (good, broken)))
    assert count(kb, articles) == 0
    assert not kb_articles.is_done(kb, "kab")


def test_a_new_database_records_every_migration(kb: KB) -> None:
    with kb.read() as conn:
        names = list(conn.execute(select(schema_migrations.c.name).order_by(schema_migrations.c.name)).scalars())
    assert names == sorted(m.name for m in MIGRATIONS)
    assert apply_migrations(kb) == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    kb = open_kb(str(tmp_path) + "/wal.db")  # type: ignore[operator]
    with kb.read() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    kb.close()


def test_database_url_accepts_paths_and_urls() -> None:
    assert database_url("x/kb.db") == "sqlite:///x/kb.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_article_filters_by_source_date_and_text(kb: KB) -> None:
    kb_articles.store_batch(kb, InputBatch("a", "k1", (make_article(BODY, "https://wire.example/a"),)))
    other = make_article("A coal mine in Silesia flooded.", "https://local.example/c", published="2024-01-05")
    kb_articles.store_batch(kb, InputBatch("c", "k2", (other,)))
    assert [r["source"] for r in kb_articles.list_articles(kb, source="local.example")] == ["local.example"]
    assert len(kb_articles.list_articles(kb, since="2025-01-01")) == 1
    assert [r["source"] for r in kb_articles.list_articles(kb, text="COAL")] == ["local.example"]
    assert len(kb_articles.list_articles(kb, until="2024-12-31")) == 1


def test_migrations_bring_an_older_database_up_to_date(kb: KB) -> None:
    """An existing database missing a later migration gets it applied, once."""
    with kb.write() as conn:
        conn.execute(schema_migrations.delete().where(schema_migrations.c.name == "0003_idempotency_keys"))
        conn.execute(text("DROP TABLE idempotency_keys"))
    assert apply_migrations(kb) == ["0003_idempotency_keys"]
    assert apply_migrations(kb) == []
    from sqlalchemy import inspect

    with kb.read() as conn:
        assert inspect(conn).has_table("idempotency_keys")
