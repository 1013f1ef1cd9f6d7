"""The watch configuration: sources to poll, alert rules and where alerts go (YAML, docs/watch.md).

Example::

    interval: 900            # seconds between polls of a source (each source may set its own)
    timeout: 20              # seconds for one fetch, all redirects included
    max_bytes: 5000000       # largest body read from a source
    per_host_delay: 2        # seconds between two requests to the same host
    max_backoff: 21600       # longest wait after repeated failures (seconds)
    allow_private: false     # true only for sources on a private network (tests use 127.0.0.1)
    sources:
      - url: https://example.org/feed.xml
        interval: 300
    alerts:
      - name: poland-steps
        when: new_fact       # new_fact | stories_reached | deadline | record_conflict
        types: [treaty_withdrawal_effective]
        states: [POL]
    channels:
      - kind: stdout         # stdout | file | webhook | smtp
      - kind: file
        path: alerts.jsonl
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from treatywatch.datafile import DataModel, Iso3, load_yaml

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{1,80}$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=2000)]


class SourceConfig(DataModel):
    """One source: an RSS/Atom feed, a page or a sitemap, polled every ``interval`` seconds."""

    url: Url
    interval: Annotated[float, Field(ge=1, le=7 * 86400)] | None = None


class AlertRule(DataModel):
    """When to alert. ``new_fact``: a fact appears (of these types/states/treaties);
    ``stories_reached``: a fact reaches ``stories`` independent stories; ``deadline``: a fact's
    day (a withdrawal taking effect) is at most ``days`` days ahead; ``record_conflict``: a
    fact contradicts the legal record (both dates shown); ``status_change``: the status engine
    puts a state with facts of a status step (of these states/treaties) in one of ``statuses``
    (default: withdrawing, withdrawn) — once per status and the day it holds from."""

    name: Name
    when: Literal["new_fact", "stories_reached", "deadline", "record_conflict", "status_change"]
    types: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")], ...] = ()
    states: tuple[Iso3, ...] = ()
    treaties: tuple[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9-]{1,19}$")], ...] = ()
    stories: Annotated[int, Field(ge=1, le=100000)] = 3
    days: Annotated[int, Field(ge=0, le=3650)] = 30
    statuses: tuple[Literal["party", "signatory", "withdrawing", "withdrawn", "non_party"], ...] = (
        "withdrawing", "withdrawn")

    @model_validator(mode="after")
    def _known_types(self) -> AlertRule:
        from treatywatch.event_types import registry

        unknown = [t for t in self.types if t not in registry()]
        if unknown:
            raise ValueError(f"unknown event type {unknown[0]!r}")
        return self


class ChannelConfig(DataModel):
    """Where alerts go: ``stdout``, a JSONL ``file`` (``path``), a ``webhook`` POST (``url``,
    signed with HMAC-SHA256 of the body under the secret in env var ``secret_env``), or ``smtp``
    (``host``, ``port``, ``sender``, ``to``)."""

    kind: Literal["stdout", "file", "webhook", "smtp"]
    name: Name | None = None
    path: str | None = None
    url: Url | None = None
    secret_env: Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]{0,60}$")] | None = None
    host: str | None = None
    port: Annotated[int, Field(ge=1, le=65535)] = 25
    sender: str | None = None
    to: tuple[str, ...] = ()
    retries: Annotated[int, Field(ge=0, le=10)] = 3

    @model_validator(mode="after")
    def _complete(self) -> ChannelConfig:
        needed = {"file": ("path",), "webhook": ("url",), "smtp": ("host", "sender", "to")}.get(self.kind, ())
        missing = [n for n in needed if not getattr(self, n)]
        if missing:
            raise ValueError(f"a {self.kind} channel needs {', '.join(missing)}")
        return self

    @property
    def key(self) -> str:
        """How deliveries to this channel are recorded (``delivered`` of an alert)."""
        return self.name or f"{self.kind}:{self.path or self.url or self.host or ''}"


class WatchConfig(DataModel):
    interval: Annotated[float, Field(ge=1, le=7 * 86400)] = 900
    timeout: Annotated[float, Field(gt=0, le=300)] = 20
    max_bytes: Annotated[int, Field(ge=1024, le=200_000_000)] = 5_000_000
    per_host_delay: Annotated[float, Field(ge=0, le=3600)] = 2
    max_backoff: Annotated[float, Field(ge=1, le=7 * 86400)] = 6 * 3600
    allow_private: bool = False
    robots: bool = True
    max_pages_per_poll: Annotated[int, Field(ge=1, le=10000)] = 50
    sources: tuple[SourceConfig, ...] = ()
    alerts: tuple[AlertRule, ...] = ()
    channels: tuple[ChannelConfig, ...] = (ChannelConfig(kind="stdout"),)

    @model_validator(mode="after")
    def _distinct(self) -> WatchConfig:
        urls = [s.url for s in self.sources]
        if len(set(urls)) != len(urls):
            raise ValueError("a source is listed twice")
        names = [r.name for r in self.alerts]
        if len(set(names)) != len(names):
            raise ValueError("two alert rules share a name")
        return self


def load_config(path: Path | str) -> WatchConfig:
    """Read and check a watch configuration; a problem is a one-line `DataFileError`."""
    return load_yaml(WatchConfig, path)
