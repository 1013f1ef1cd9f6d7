"""Word search over article and claim texts: SQLite FTS5, PostgreSQL tsvector with a GIN index.

A ``LIKE '%...%'`` over whole texts reads every character of every row, and SQLite runs one
LIKE over one row as a single step that no time limit can interrupt: one 5 MB article held a
request for 8 s. A word index answers from the words, whatever the length of the texts.

What is searched: an article's title and the first `INDEXED_CHARS` characters of its text; a
claim's evidence sentence, actor and place. A query is its words: runs of letters and digits,
anything else separates them, so ``%`` and ``_`` are no words at all and match nothing. Every
word must be found; a word of `PREFIX_FROM` or more characters also matches the words it
begins (``mine`` finds ``mines``). Both backends fold case and keep diacritics.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, column, func, literal_column, select, table

INDEXED_CHARS = 200_000
MAX_WORDS = 16
PREFIX_FROM = 3
_WORD = re.compile(r"[^\W_]+")

# PostgreSQL: the indexed expressions, written once so that queries match the indexes exactly.
_PG_ARTICLE = f"to_tsvector('simple', coalesce(articles.title, '') || ' ' || left(articles.text, {INDEXED_CHARS}))"
_PG_CLAIM = ("to_tsvector('simple', coalesce(claims.sentence, '') || ' ' || coalesce(claims.actor, '') "
             "|| ' ' || coalesce(claims.place, ''))")

_SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "article_id UNINDEXED, title, body, tokenize='unicode61 remove_diacritics 0')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5("
    "claim_id UNINDEXED, sentence, actor, place, tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
      INSERT INTO articles_fts(article_id, title, body) VALUES (new.id, new.title, substr(new.text, 1, {INDEXED_CHARS}));
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
      DELETE FROM articles_fts WHERE article_id = old.id;
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
      DELETE FROM articles_fts WHERE article_id = old.id;
      INSERT INTO articles_fts(article_id, title, body) VALUES (new.id, new.title, substr(new.text, 1, {INDEXED_CHARS}));
    END""",
    """CREATE TRIGGER IF NOT EXISTS claims_fts_insert AFTER INSERT ON claims BEGIN
      INSERT INTO claims_fts(claim_id, sentence, actor, place) VALUES (new.id, new.sentence, new.actor, new.place);
    END""",
    """CREATE TRIGGER IF NOT EXISTS claims_fts_delete AFTER DELETE ON claims BEGIN
      DELETE FROM claims_fts WHERE claim_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS claims_fts_update AFTER UPDATE OF sentence, actor, place ON claims BEGIN
      DELETE FROM claims_fts WHERE claim_id = old.id;
      INSERT INTO claims_fts(claim_id, sentence, actor, place) VALUES (new.id, new.sentence, new.actor, new.place);
    END""",
    f"INSERT INTO articles_fts(article_id, title, body) SELECT id, title, substr(text, 1, {INDEXED_CHARS}) FROM articles",
    "INSERT INTO claims_fts(claim_id, sentence, actor, place) SELECT id, sentence, actor, place FROM claims",
)
_PG_DDL = (
    f"CREATE INDEX IF NOT EXISTS ix_articles_search ON articles USING gin (({_PG_ARTICLE}))",
    f"CREATE INDEX IF NOT EXISTS ix_claims_search ON claims USING gin (({_PG_CLAIM}))",
)

_articles_fts = table("articles_fts", column("article_id"))
_claims_fts = table("claims_fts", column("claim_id"))


def create_search_index(conn: Connection) -> None:
    """The word index of the backend, filled from the rows already stored (a migration)."""
    for statement in _SQLITE_DDL if conn.dialect.name == "sqlite" else _PG_DDL:
        conn.exec_driver_sql(statement)


def words(query: str) -> list[str]:
    """The words of a query, lower-cased, at most `MAX_WORDS`."""
    return _WORD.findall(query.lower())[:MAX_WORDS]


def _sqlite_query(terms: list[str]) -> str:
    return " ".join(f'"{w}"*' if len(w) >= PREFIX_FROM else f'"{w}"' for w in terms)


def _pg_query(terms: list[str]) -> str:
    return " & ".join(f"{w}:*" if len(w) >= PREFIX_FROM else w for w in terms)


def article_match(dialect: str, terms: list[str]) -> Any:
    """WHERE term: the article's title or (indexed) text has every word of ``terms``."""
    from treatywatch.kb.schema import articles

    if dialect == "sqlite":
        found = select(_articles_fts.c.article_id).where(literal_column("articles_fts").op("MATCH")(_sqlite_query(terms)))
        return articles.c.id.in_(found)
    return literal_column(_PG_ARTICLE).op("@@")(func.to_tsquery("simple", _pg_query(terms)))


def claim_match(dialect: str, terms: list[str]) -> Any:
    """WHERE term: the claim's sentence, actor or place has every word of ``terms``."""
    from treatywatch.kb.schema import claims

    if dialect == "sqlite":
        found = select(_claims_fts.c.claim_id).where(literal_column("claims_fts").op("MATCH")(_sqlite_query(terms)))
        return claims.c.id.in_(found)
    return literal_column(_PG_CLAIM).op("@@")(func.to_tsquery("simple", _pg_query(terms)))
