"""treatywatch.watch: poll sources on a schedule, ingest what changed, fire alerts (issue 14).

``run_round`` is one round: every due source polled (`poll.Poller`: conditional GET, backoff,
per-host pacing, robots.txt, then the pipeline's per-input step and store step), the alert rules
evaluated over the facts (`alerts.evaluate`: each alert stored once) and every undelivered alert
delivered (`channels.deliver`). ``watch`` repeats rounds until stopped (``--once``: one round
over every source). The configuration is YAML (`config.WatchConfig`, docs/watch.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from treatywatch.kb import watch as kb_watch
from treatywatch.pipeline.run import Pipeline
from treatywatch.watch.alerts import evaluate
from treatywatch.watch.channels import deliver
from treatywatch.watch.config import WatchConfig, load_config
from treatywatch.watch.poll import Poller, PollOutcome

__all__ = ["Round", "WatchConfig", "load_config", "run_round", "watch"]
MIN_SLEEP, MAX_SLEEP = 1.0, 60.0


@dataclass
class Round:
    """What one round did: each poll's outcome, the alerts that fired, deliveries per channel."""

    polls: list[PollOutcome] = field(default_factory=list)
    alerts: list[dict[str, object]] = field(default_factory=list)
    delivered: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        changed = sum(p.status == "changed" for p in self.polls)
        new = sum(p.new_articles for p in self.polls)
        failed = [p for p in self.polls if p.status == "failed"]
        line = (f"polled {len(self.polls)} source(s): {changed} changed, {new} new article(s), "
                f"{len(failed)} failed; {len(self.alerts)} alert(s) fired")
        return line + "".join(f"\n  failed: {p.url}: {p.message}" for p in failed)


def run_round(poller: Poller, config: WatchConfig, *, everything: bool = False, today: date | None = None,
              sleep: Callable[[float], None] = time.sleep) -> Round:
    """Poll the due sources (all with ``everything``), then evaluate and deliver alerts."""
    result = Round()
    for source in poller.due(everything=everything):
        result.polls.append(poller.poll(source))
    result.alerts = list(evaluate(poller.pipeline.kb, config.alerts, today=today))
    result.delivered = deliver(poller.pipeline.kb, config.channels, sleep=sleep)
    return result


def next_wait(poller: Poller, config: WatchConfig) -> float:
    """Seconds until the next source is due, between MIN_SLEEP and MAX_SLEEP (so a config'd
    interval is kept and a stop is noticed)."""
    now = poller.clock()
    dues = [float(kb_watch.source_state(poller.pipeline.kb, s.url).get("next_due") or 0) for s in config.sources]
    return max(MIN_SLEEP, min(MAX_SLEEP, min(dues, default=now + MAX_SLEEP) - now))


def watch(pipeline: Pipeline, config: WatchConfig, *, once: bool = False,
          report: Callable[[Round], None] = lambda _r: None, today: date | None = None) -> Round:
    """Run rounds until interrupted (``once``: a single round over every source); returns the last."""
    poller = Poller(pipeline, config)
    while True:
        result = run_round(poller, config, everything=once, today=today)
        report(result)
        if once:
            return result
        time.sleep(next_wait(poller, config))
