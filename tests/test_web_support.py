"""Shared helpers for the web tests: a small seeded kb and an in-process client.

The kb is built the way ingest builds it (`store_batch` with extraction documents), from texts
written for these tests. One article carries an XSS payload in its title and text.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from treatywatch.kb.articles import store_batch
from treatywatch.kb.store import KB, open_kb
from treatywatch.kb.users import add_user, create_token
from treatywatch.models import (
    Article,
    Entity,
    Event,
    Evidence,
    Extraction,
    InputBatch,
    Quantity,
    Quote,
    Source,
    StoryAssignment,
    TimeExpr,
    article_id_for,
)

with warnings.catch_warnings():
    # starlette warns about its httpx-based client at import time; the client itself works.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
XSS_TITLE = "<script>alert('title')</script> Mines report"
XSS_TEXT = (
    "Officials in Vilnius said on Monday that Lithuania approved its withdrawal from the Ottawa Convention. "
    "A reader comment read <script>alert('xss')</script> and <img src=x onerror=alert(2)> here. "
    "The vote passed with 107 votes."
)
POL_TEXT = (
    "Poland's defence minister Pavel Zalewski said on Friday that Warsaw would notify the United Nations "
    "of its withdrawal from the Ottawa Convention. \"We cannot wait any longer,\" Zalewski told reporters. "
    "The country plans to produce about 1 million anti-personnel mines by 2027."
)


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _sentence(text: str, part: str) -> Evidence:
    return Evidence(span_of(text, part), part)


def _article(text: str, domain: str, title: str, published: str, removed: tuple[str, ...] = ()) -> Article:
    return Article(
        id=article_id_for(text), text=text, url=f"https://{domain}/news/{article_id_for(text)[:8]}",
        source=Source(domain, domain.split(".")[0].title()), title=title, published=published,
        published_from="user", language="en", removed=removed,
    )


def polish_extraction() -> Extraction:
    text = POL_TEXT
    article = _article(text, "wire.example", "Poland to notify Ottawa exit", "2025-06-20",
                       removed=("Subscribe to our newsletter", "Add us as a trusted source"))
    first = "Poland's defence minister Pavel Zalewski said on Friday that Warsaw would notify the United Nations of its withdrawal from the Ottawa Convention."
    third = "The country plans to produce about 1 million anti-personnel mines by 2027."
    return Extraction(
        article=article,
        entities=(
            Entity("state:POL", "STATE", "Poland", (span_of(text, "Poland"), span_of(text, "Warsaw")), iso3="POL"),
            Entity("person:pavel-zalewski", "PERSON", "Pavel Zalewski",
                   (span_of(text, "Pavel Zalewski"), (text.rindex("Zalewski"), text.rindex("Zalewski") + 8))),
            Entity("treaty:APMBT", "TREATY", "Ottawa Convention", (span_of(text, "Ottawa Convention"),)),
        ),
        quotes=(Quote("We cannot wait any longer,", span_of(text, "\"We cannot wait any longer,\""), "direct",
                      "person:pavel-zalewski", "Pavel Zalewski", "told"),),
        quantities=(Quantity("about 1 million", span_of(text, "about 1 million"), 1_000_000, approx=True,
                             unit="mines"),),
        times=(TimeExpr("on Friday", span_of(text, "on Friday"), "2025-06-20", "day", relative=True),
               TimeExpr("2027", span_of(text, "2027"), "2027", "year")),
        events=(
            Event("treaty_withdrawal_announced", "state:POL", "planned", _sentence(text, first), 0.9,
                  actor_iso3="POL", treaty="APMBT", date="2025-06-20", attributed_to="Pavel Zalewski"),
            Event("production_planned", "state:POL", "planned", _sentence(text, third), 0.8,
                  actor_iso3="POL", weapon="anti-personnel mine", date="2027",
                  quantity={"value": 1_000_000, "unit": "mines"}),
        ),
    )


def xss_extraction() -> Extraction:
    text = XSS_TEXT
    article = _article(text, "farm.example", XSS_TITLE, "2025-06-24",
                       removed=("<script>alert('removed')</script>",))
    first = "Officials in Vilnius said on Monday that Lithuania approved its withdrawal from the Ottawa Convention."
    return Extraction(
        article=article,
        entities=(
            Entity("state:LTU", "STATE", "Lithuania", (span_of(text, "Lithuania"), span_of(text, "Vilnius")),
                   iso3="LTU"),
            # A deliberately odd mention that cuts through the payload: pieces must stay escaped.
            Entity("org:script", "ORG", "<script>", (span_of(text, "<script>alert"),)),
        ),
        quantities=(Quantity("107 votes", span_of(text, "107 votes"), 107, unit="votes"),),
        events=(
            Event("treaty_withdrawal_approved", "state:LTU", "asserted", _sentence(text, first), 0.85,
                  actor_iso3="LTU", treaty="APMBT", date="2025-06-23"),
            Event("other_treaty_event", "state:LTU", "asserted",
                  _sentence(text, "A reader comment read <script>alert('xss')</script> and <img src=x onerror=alert(2)> here."),
                  0.3, actor_iso3="LTU", treaty="APMBT", place="<b>Vilnius</b>"),
        ),
    )


def seed_kb(path: Path) -> dict[str, Any]:
    """A kb with two articles, four claims, one analyst (``ana``) and her token."""
    kb = open_kb(str(path))
    extractions = [polish_extraction(), xss_extraction()]
    for i, ex in enumerate(extractions):
        batch = InputBatch(location=f"test-{i}", key=f"test-{i}", articles=(ex.article,))
        store_batch(kb, batch, extractions_by_id={ex.article.id: ex})
    copy = _article(POL_TEXT.replace("Friday", "Friday, officials said,"), "copy.example",
                    "Poland will quit mine treaty", "2025-06-21")
    story = "s" + extractions[0].article.id[:15]
    store_batch(kb, InputBatch(location="test-copy", key="test-copy", articles=(copy,)), assignments=(
        StoryAssignment(extractions[0].article.id, story, True, None, "wire.example", "earliest"),
        StoryAssignment(copy.id, story, False, 0.91),
    ))
    add_user(kb, "ana", PASSWORD)
    token = create_token(kb, "ana", days=1)["token"]
    from treatywatch.kb.claims import list_claims

    claims = {c["type"]: c["id"] for c in list_claims(kb)}
    ids = {"kb": kb, "token": token, "pol": extractions[0].article.id, "ltu": extractions[1].article.id,
           "copy": copy.id, "story": story, "claims": claims}
    return ids


def add_reviewed_claims(kb: KB, steps: Any, *, prefix: str = "step", published: str = "2025-08-01") -> None:
    """One article and claim per step ``(iso3, type, treaty, date, sentence, review)``, stored as
    ingest stores them, then reviewed as ``review`` says (``new`` leaves it unreviewed)."""
    from treatywatch.kb.claims import list_claims, review_claim

    for n, (iso3, kind, treaty, day, sentence, _) in enumerate(steps):
        article = Article(id=article_id_for(sentence), text=sentence, url=f"https://paper.example/{prefix}{n}",
                          source=Source("paper.example"), published=published)
        event = Event(kind, f"state:{iso3}", "asserted", Evidence((0, len(sentence)), sentence), 0.9,
                      actor_iso3=iso3, treaty=treaty, date=day)
        store_batch(kb, InputBatch(f"{prefix}-{n}", f"{prefix}-{n}", (article,)),
                    extractions_by_id={article.id: Extraction(article, events=(event,))})
    by_sentence = {c["sentence"]: c["id"] for c in list_claims(kb)}
    for *_, sentence, review in steps:
        if review != "new":
            review_claim(kb, by_sentence[sentence], review, "tester")


def client_for(kb: KB, **settings: Any) -> TestClient:
    """An in-process client over a fresh app on ``kb``, talking as http://127.0.0.1."""
    from treatywatch.web.app import create_app
    from treatywatch.web.settings import WebSettings

    return TestClient(create_app(kb=kb, settings=WebSettings(**settings)), base_url="http://127.0.0.1")


@contextmanager
def seeded_client(path: Path, steps: Any, **claim_options: Any) -> Iterator[tuple[dict[str, Any], TestClient]]:
    """`seed_kb` at ``path`` plus `add_reviewed_claims` of ``steps``, and a client over it.

    Yields (the seed data, the client); closes the kb afterwards. Shared by the module fixtures
    of the tests that read statuses through the CLI and the web over one seeded kb.
    """
    data = seed_kb(path)
    add_reviewed_claims(data["kb"], steps, **claim_options)
    with client_for(data["kb"]) as client:
        yield data, client
    data["kb"].close()


def sign_in(client: TestClient, name: str = "ana", password: str = PASSWORD) -> str:
    """Sign in through the login form; returns the session's CSRF token."""
    page = client.get("/login")
    token = csrf_from(page.text)
    response = client.post("/login", data={"username": name, "password": password, "csrf_token": token,
                                           "next": "/"}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return csrf_from(client.get("/review").text)


def csrf_from(html: str) -> str:
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start: html.index('"', start)]


# --- a real server process -------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command() -> list[str]:
    """How to run the ``treatywatch`` CLI in a subprocess."""
    exe = shutil.which("treatywatch")
    return [exe] if exe else [sys.executable, "-c", "from treatywatch.cli import main; main()"]


def start_server(db: Path, port: int, timeout: float = 30.0, *options: str) -> subprocess.Popen[bytes]:
    """``treatywatch serve`` on 127.0.0.1:port over ``db`` (with ``options``), once it answers /healthz."""
    process = subprocess.Popen([*serve_command(), "serve", "--db", str(db), "--port", str(port), *options],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    _, errors = process.communicate(timeout=15)
    raise AssertionError(f"server on port {port} did not start: {errors.decode() if errors else ''}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by `start_server` (SIGTERM, then SIGKILL) and close its pipe."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait(timeout=15)
    if process.stderr:
        process.stderr.close()
