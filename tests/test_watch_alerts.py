"""Alert rules over facts and each delivery channel: once each, signed, retried, e-mailed."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from loopback import CountingServer, PayloadHandler, serve
from test_kb_facts import event, store

from treatywatch.kb import watch as kb_watch
from treatywatch.kb.store import KB
from treatywatch.watch.alerts import evaluate
from treatywatch.watch.channels import SIGNATURE_HEADER, deliver
from treatywatch.watch.config import AlertRule, ChannelConfig


def rule(**fields: Any) -> AlertRule:
    return AlertRule.model_validate({"name": "r", **fields})


def titles(kb: KB, rules: list[AlertRule], today: str = "2026-02-01") -> list[str]:
    return sorted(a["title"] for a in evaluate(kb, rules, today=date.fromisoformat(today)))


def test_deadline_rule_fires_within_n_days_and_only_once(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    deadline = rule(when="deadline", types=["treaty_withdrawal_effective"], days=30)
    assert titles(kb, [deadline], today="2026-01-01") == []  # 50 days ahead
    assert titles(kb, [deadline]) == ["POL withdrawal effective APMBT takes effect on 2026-02-20, in 19 days"]
    assert titles(kb, [deadline], today="2026-02-02") == []  # fired already


def test_record_conflict_rule_shows_press_and_record(kb: KB) -> None:
    store(kb, [event("2025-06-04", iso3="EST")])
    store(kb, [event("2026-02-20")])
    [title] = titles(kb, [rule(when="record_conflict")])
    assert title.startswith("EST withdrawal effective APMBT: press says 2025-06-04, the legal record says")
    assert "withdrawal effective 2025-12-27" in title


def test_stories_rule_fires_when_a_fact_reaches_n_stories(kb: KB) -> None:
    enough = rule(when="stories_reached", stories=2)
    store(kb, [event("2026-02-20")], domain="a.example")
    assert titles(kb, [enough]) == []
    store(kb, [event("2026-02-20")], domain="b.example")
    assert titles(kb, [enough]) == ["POL withdrawal effective APMBT 2026-02-20 reached 2 independent stories"]


def test_new_fact_rule_filters_by_type_state_and_treaty(kb: KB) -> None:
    store(kb, [event("2026-02-20"), event("2026-02-20", treaty="CCM"), event("2026-02-20", iso3="LTU")])
    chosen = rule(when="new_fact", states=["POL"], treaties=["CCM"])
    assert titles(kb, [chosen]) == ["new fact: POL withdrawal effective CCM 2026-02-20 (1 stories)"]


def test_unknown_event_type_in_a_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        rule(when="new_fact", types=["treaty_invented"])


def fire_one(kb: KB) -> dict[str, Any]:
    store(kb, [event("2026-02-20")])
    [alert] = evaluate(kb, [rule(when="new_fact")], today=date(2026, 2, 1))
    return alert


class HookHandler(PayloadHandler):
    server: CountingServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        s: Any = self.server
        body = self.rfile.read(int(self.headers["Content-Length"]))
        s.posts.append((body, self.headers.get(SIGNATURE_HEADER)))
        if len(s.posts) <= s.fail_first:
            self.send_error(503)
            return
        self.send_body(b"{}", "application/json")


def test_webhook_is_signed_retried_with_backoff_and_delivered_once(kb: KB, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TW_HOOK_SECRET", "s3cret")
    alert = fire_one(kb)
    waits: list[float] = []
    with serve(HookHandler, posts=[], fail_first=2) as server:
        hook = ChannelConfig(kind="webhook", url=f"http://127.0.0.1:{server.port}/hook", secret_env="TW_HOOK_SECRET")
        assert deliver(kb, (hook,), sleep=waits.append) == {hook.key: 1}
        assert deliver(kb, (hook,), sleep=waits.append) == {hook.key: 0}
    assert waits == [1, 2] and len(server.posts) == 3
    body, signature = server.posts[-1]
    assert signature == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert json.loads(body)["id"] == alert["id"]


def test_a_webhook_that_stays_down_keeps_the_alert_for_the_next_round(kb: KB) -> None:
    fire_one(kb)
    with serve(HookHandler, posts=[], fail_first=100) as server:
        hook = ChannelConfig(kind="webhook", url=f"http://127.0.0.1:{server.port}/hook", retries=1)
        assert deliver(kb, (hook,), sleep=lambda _s: None) == {hook.key: 0}
        server.fail_first = 0
        assert deliver(kb, (hook,), sleep=lambda _s: None) == {hook.key: 1}


def test_file_and_stdout_channels_get_each_alert_once(kb: KB, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fire_one(kb)
    channels = (ChannelConfig(kind="stdout"), ChannelConfig(kind="file", path=str(tmp_path / "a.jsonl")))
    deliver(kb, channels)
    deliver(kb, channels)
    assert capsys.readouterr().out.count("ALERT [r] new fact: POL") == 1
    assert len((tmp_path / "a.jsonl").read_text().splitlines()) == 1
    assert set(kb_watch.list_alerts(kb)[0]["delivered"]) == {c.key for c in channels}


def test_smtp_channel_sends_the_alert_by_mail(kb: KB) -> None:
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self) -> None:
            self.mails: list[bytes] = []

        async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
            self.mails.append(envelope.content)
            return "250 OK"

    inbox = Inbox()
    with socket.socket() as probe:  # a free port (Controller checks it is up by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        fire_one(kb)
        mail = ChannelConfig(kind="smtp", host="127.0.0.1", port=port,
                             sender="watch@example.org", to=("desk@example.org",))
        assert deliver(kb, (mail,)) == {mail.key: 1}
    finally:
        controller.stop()
    [raw] = inbox.mails
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"].strip().startswith("[treatywatch] new fact: POL withdrawal effective")
    assert message["To"] == "desk@example.org"


def test_status_change_rule_fires_once_per_status_the_engine_computes(kb: KB) -> None:
    store(kb, [event("2026-02-20")])
    change = rule(when="status_change", states=["POL"])
    [before] = titles(kb, [change], today="2026-01-10")
    assert before == "POL under APMBT: withdrawing since 2025-08-20"
    assert titles(kb, [change], today="2026-01-11") == []
    [after] = titles(kb, [change], today="2026-03-01")
    assert after.startswith("POL under APMBT: withdrawn since 2026-02-2")
