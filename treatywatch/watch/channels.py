"""Delivering alerts: stdout, a JSONL file, a webhook POST (HMAC-signed, retried), e-mail (SMTP).

Every alert is delivered to every channel once: a channel's deliveries are recorded on the
alert (`kb.watch.mark_delivered`), and what is still undelivered — a webhook that was down, a
run stopped half-way — is delivered on the next round, also after a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import smtplib
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from treatywatch.kb import watch as kb_watch
from treatywatch.kb.store import KB
from treatywatch.watch.config import ChannelConfig

SIGNATURE_HEADER = "X-Treatywatch-Signature"
TIMEOUT = 10.0


def payload(alert: dict[str, Any]) -> dict[str, Any]:
    return {"id": alert["id"], "rule": alert["rule"], "title": alert["title"], "created_at": alert.get("created_at"),
            **alert.get("detail", {})}


def signature(secret: bytes, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact body sent, as the receiver recomputes it."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _stdout(_channel: ChannelConfig, alert: dict[str, Any]) -> None:
    sys.stdout.write(f"ALERT [{alert['rule']}] {alert['title']}\n")
    sys.stdout.flush()


def _file(channel: ChannelConfig, alert: dict[str, Any]) -> None:
    assert channel.path is not None
    with Path(channel.path).expanduser().open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(payload(alert), ensure_ascii=False, default=str) + "\n")


def _webhook(channel: ChannelConfig, alert: dict[str, Any]) -> None:
    assert channel.url is not None
    body = json.dumps(payload(alert), ensure_ascii=False, default=str).encode()
    headers = {"Content-Type": "application/json", "Idempotency-Key": alert["id"]}
    secret = os.environ.get(channel.secret_env or "", "")
    if secret:
        headers[SIGNATURE_HEADER] = signature(secret.encode(), body)
    with httpx.Client(timeout=TIMEOUT, trust_env=False, follow_redirects=False) as client:
        response = client.post(channel.url, content=body, headers=headers)
    if response.status_code >= 300:
        raise OSError(f"webhook answered HTTP {response.status_code}")


def _smtp(channel: ChannelConfig, alert: dict[str, Any]) -> None:
    assert channel.host is not None and channel.sender is not None
    message = EmailMessage()
    message["Subject"] = f"[treatywatch] {alert['title']}"[:200]
    message["From"] = channel.sender
    message["To"] = ", ".join(channel.to)
    message.set_content(json.dumps(payload(alert), ensure_ascii=False, indent=2, default=str))
    with smtplib.SMTP(channel.host, channel.port, timeout=TIMEOUT) as server:
        server.send_message(message)


SENDERS: dict[str, Callable[[ChannelConfig, dict[str, Any]], None]] = {
    "stdout": _stdout, "file": _file, "webhook": _webhook, "smtp": _smtp,
}


def deliver(kb: KB, channels: tuple[ChannelConfig, ...], *, sleep: Callable[[float], None] = time.sleep) -> dict[str, int]:
    """Deliver every undelivered alert to each channel, retrying with backoff (1 s, 2 s, 4 s, ...).
    A channel that still fails keeps its alerts for the next round. Returns deliveries per channel."""
    done: dict[str, int] = {}
    for channel in channels:
        done[channel.key] = 0
        for alert in kb_watch.undelivered(kb, channel.key):
            if not _send_with_retries(channel, alert, sleep):
                break  # the channel is down: keep the order, try again next round
            kb_watch.mark_delivered(kb, alert["id"], channel.key, "ok")
            done[channel.key] += 1
    return done


def _send_with_retries(channel: ChannelConfig, alert: dict[str, Any], sleep: Callable[[float], None]) -> bool:
    for attempt in range(channel.retries + 1):
        try:
            SENDERS[channel.kind](channel, alert)
            return True
        except (OSError, httpx.HTTPError, smtplib.SMTPException) as exc:
            if attempt == channel.retries:
                sys.stderr.write(f"alert channel {channel.key}: {type(exc).__name__}: {str(exc)[:160]}\n")
                return False
            sleep(2 ** attempt)
    return False
