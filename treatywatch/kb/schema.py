"""The knowledge-base tables, as SQLAlchemy Core metadata shared by SQLite and PostgreSQL.

Times are ISO-8601 strings in UTC: the same text on both backends, sortable, and free of the
driver-specific timezone handling that makes bitemporal comparisons subtle. JSON columns are
text holding JSON, for the same reason.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", String(40), nullable=False),
)

sources = Table(
    "sources",
    metadata,
    Column("domain", String(255), primary_key=True),
    Column("name", Text),
    Column("kind", String(30), nullable=False, server_default="unknown"),
    Column("trust", String(20), nullable=False, server_default="neutral"),
    Column("trust_set_by", Text),
    Column("trust_set_at", String(40)),
    Column("first_seen", String(40)),
)

raw_inputs = Table(
    "raw_inputs",
    metadata,
    Column("raw_sha256", String(64), primary_key=True),
    Column("compressed", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("url", Text),
    Column("canonical_url", Text),
    Column("source_domain", String(255), ForeignKey("sources.domain")),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(40)),
    Column("published_from", String(20)),
    Column("language", String(10)),
    Column("text", Text, nullable=False),
    Column("removed", Text, nullable=False, server_default="[]"),
    Column("raw_sha256", String(64)),
    Column("first_seen", String(40), nullable=False),
    Column("input_kind", String(20)),
    Column("encoding", String(40)),
    Column("extractor_versions", Text, nullable=False, server_default="{}"),
    Column("story_id", String(64)),
)
# (published, id): keyset pages of articles, newest first (`kb.keyset`).
Index("ix_articles_published_id", articles.c.published, articles.c.id)
Index("ix_articles_source", articles.c.source_domain)
Index("ix_articles_story", articles.c.story_id)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(64), ForeignKey("articles.id"), nullable=False),
    Column("url", Text, nullable=False),
    Column("source_domain", String(255)),
    Column("published", String(40)),
    Column("seen_at", String(40), nullable=False),
    Column("location", Text),
    UniqueConstraint("article_id", "url", name="uq_sightings_article_url"),
)
Index("ix_sightings_article", sightings.c.article_id)

ingest_progress = Table(
    "ingest_progress",
    metadata,
    Column("input_key", String(200), primary_key=True),
    Column("location", Text, nullable=False),
    Column("done_at", String(40), nullable=False),
    Column("articles", Integer, nullable=False),
    Column("rejections", Integer, nullable=False),
)

# Pages and records the relevance prefilter dropped before parsing (issue 13): by the sha256 of
# their raw bytes, so a re-crawl skips them; ``times`` counts how often they were met.
seen_inputs = Table(
    "seen_inputs",
    metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("reason", String(30), nullable=False),
    Column("url", Text),
    Column("location", Text, nullable=False),
    Column("record", Text),
    Column("score", Integer, nullable=False),
    Column("first_seen", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("times", Integer, nullable=False),
)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("location", Text, nullable=False),
    Column("record", Text),
    Column("code", String(40), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", String(40), nullable=False),
)
Index("ix_failures_code", failures.c.code)

extractions = Table(
    "extractions",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("document", Text, nullable=False),
    Column("extractor_version", String(200), nullable=False),  # "treatywatch-nlp/0.1+en_core_web_sm-...": > 40
    Column("extracted_at", String(40), nullable=False),
)

article_entities = Table(
    "article_entities",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("entity_id", String(200), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("iso3", String(3)),
    Column("mentions", Integer, nullable=False),
)
Index("ix_article_entities_entity", article_entities.c.entity_id)

claims = Table(
    "claims",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("match_key", String(64), nullable=False),
    Column("article_id", String(64), ForeignKey("articles.id")),
    Column("source_kind", String(20), nullable=False, server_default="article"),
    Column("source_url", Text),
    Column("type", String(40), nullable=False),
    Column("actor", String(200)),
    Column("actor_iso3", String(3)),
    Column("treaty", String(40)),
    Column("weapon", String(60)),
    Column("recipient", String(200)),
    Column("place", Text),
    Column("date", String(20)),
    Column("quantity", Text),
    Column("modality", String(20), nullable=False),
    Column("attributed_to", Text),
    Column("confidence", Float, nullable=False),
    Column("sentence", Text),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("recorded_at", String(40), nullable=False),
    Column("retracted_at", String(40)),
    Column("review_state", String(20), nullable=False, server_default="new"),
)
Index("ix_claims_state", claims.c.actor_iso3, claims.c.type)
Index("ix_claims_article", claims.c.article_id)
Index("ix_claims_match", claims.c.match_key)
# (date, id): keyset pages of dated claims, newest first (`kb.search.browse_claims`).
Index("ix_claims_date_id", claims.c.date, claims.c.id)
Index("ix_claims_review", claims.c.review_state)
# (actor, date, id): one state's dated claims, newest first, without sorting all of them (the
# country page; `kb.search.browse_claims` with a state filter).
Index("ix_claims_actor_date_id", claims.c.actor_iso3, claims.c.date, claims.c.id)

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("claim_id", String(64), nullable=False),
    Column("match_key", String(64), nullable=False),
    Column("state", String(20), nullable=False),
    Column("correction", Text),
    Column("note", Text),
    Column("reviewer", Text, nullable=False),
    Column("reviewed_at", String(40), nullable=False),
)
Index("ix_reviews_match", reviews.c.match_key)
Index("ix_reviews_claim", reviews.c.claim_id)

stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("original_source", Text),
    Column("original_basis", String(20)),
    Column("credit_chain", Text, nullable=False, server_default="[]"),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("signature", LargeBinary),
)

story_members = Table(
    "story_members",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id"), primary_key=True),
    Column("story_id", String(64), ForeignKey("stories.id"), nullable=False),
    Column("similarity", Float),
    Column("joined_at", String(40), nullable=False),
    Column("signature", LargeBinary),
)
Index("ix_story_members_story", story_members.c.story_id)
Index("ix_stories_last_seen_id", stories.c.last_seen, stories.c.id)

users = Table(
    "users",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("username", String(100), ForeignKey("users.username"), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
)

# Web sign-ins, held server-side: the browser's cookie carries only a random id, stored here as
# its SHA-256. A session ends by logout, expiry (idle or absolute), `users revoke`, a password
# change or the user's deletion (`kb.sessions`).
sessions = Table(
    "sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("username", String(100), ForeignKey("users.username"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("flash", Text),
    Column("client", String(100)),
    Column("created_at", String(40), nullable=False),
    Column("last_seen", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("revoked_at", String(40)),
)
Index("ix_sessions_username", sessions.c.username)

# Failed sign-ins per key ("user:ana", "addr:127.0.0.1") in the current window, for the login
# rate limit; shared through the kb so that every server process counts the same failures.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", Float, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("principal", String(100), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("owner", String(300), nullable=False),
    Column("watermark", Integer, nullable=False),
    Column("status", Integer),
    Column("response", Text),
    Column("started_at", Float, nullable=False),
    Column("created_at", String(40), nullable=False),
)

# Facts (`kb.facts`): claims that state the same step, grouped as claims arrive. A fact's id is
# stable (derived from what identifies the step), so re-extraction and reviews keep it; its
# counts are a cache over its current claims, refreshed whenever one of them changes.
facts = Table(
    "facts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("key", String(64), nullable=False),
    Column("type", String(40), nullable=False),
    Column("actor", String(200)),
    Column("actor_iso3", String(3)),
    Column("treaty", String(40)),
    Column("weapon", String(60)),
    Column("recipient", String(200)),
    Column("date", String(20)),
    Column("dates", Text, nullable=False, server_default="[]"),
    Column("conflict", Integer, nullable=False, server_default="0"),
    Column("claims", Integer, nullable=False, server_default="0"),
    Column("articles", Integer, nullable=False, server_default="0"),
    Column("stories", Integer, nullable=False, server_default="0"),
    Column("trusted", Integer, nullable=False, server_default="0"),
    Column("modalities", Text, nullable=False, server_default="{}"),
    Column("first_seen", String(40)),
    Column("last_seen", String(40)),
    Column("review_state", String(20), nullable=False, server_default="new"),
    Column("reviewed_by", Text),
    Column("reviewed_at", String(40)),
    Column("new_support", Integer, nullable=False, server_default="0"),
    Column("new_conflicts", Integer, nullable=False, server_default="0"),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)
Index("ix_facts_key", facts.c.key)
Index("ix_facts_state", facts.c.actor_iso3, facts.c.type)
Index("ix_facts_updated_id", facts.c.updated_at, facts.c.id)

# Which fact each claim (every extraction of it, retracted ones too) belongs to, and how it
# joined: ``reviewed`` (covered by a review), ``new`` (the fact is not reviewed yet),
# ``new_support`` / ``new_conflict`` (joined a reviewed fact, agreeing with its date or not).
fact_claims = Table(
    "fact_claims",
    metadata,
    Column("claim_id", String(64), primary_key=True),
    Column("fact_id", String(64), nullable=False),
    Column("support", String(20), nullable=False, server_default="new"),
    Column("joined_at", String(40), nullable=False),
)
Index("ix_fact_claims_fact", fact_claims.c.fact_id)

# Watch mode (`kb.watch`): what each polled source answered last, so a restart resumes with
# conditional requests and the same backoff instead of fetching everything again.
watch_sources = Table(
    "watch_sources",
    metadata,
    Column("url", String(2000), primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_checked", String(40)),
    Column("last_changed", String(40)),
    Column("last_status", String(40)),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("next_due", Float, nullable=False, server_default="0"),
    Column("body_sha256", String(64)),
)

# Pages a watched sitemap listed that were ingested already (id: sha256 of sitemap URL and page
# URL), so each listed page is fetched once.
watch_items = Table(
    "watch_items",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("source_url", Text, nullable=False),
    Column("item_url", Text, nullable=False),
    Column("seen_at", String(40), nullable=False),
)

# Alerts fired by watch rules (`kb.alerts`): the id is derived from the rule and what it fired
# on, so an alert is recorded (and delivered) once, across restarts.
alerts = Table(
    "alerts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("rule", String(200), nullable=False),
    Column("fact_id", String(64)),
    Column("title", Text, nullable=False),
    Column("detail", Text, nullable=False, server_default="{}"),
    Column("created_at", String(40), nullable=False),
    Column("delivered", Text, nullable=False, server_default="{}"),
)
Index("ix_alerts_created_id", alerts.c.created_at, alerts.c.id)
# The knowledge base's version (`kb.store.KB.version`): one row, bumped by every write
# transaction that changes what a read shows, so a reader (the web app's ETags, the versioned
# caches) can tell in one primary-key read whether anything changed. ``epoch`` is random per
# database (and per restore), so versions of two databases never compare equal.
kb_version = Table(
    "kb_version",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("epoch", String(32), nullable=False),
    Column("version", Integer, nullable=False),
)
