"""End to end in Debian's headless Chromium: the real server on 127.0.0.1, driven by Playwright.

Skipped (with the reason) where /usr/bin/chromium or Playwright is missing; CI installs both.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_web_support import PASSWORD, XSS_TEXT, seed_kb

from treatywatch.kb.claims import get_claim

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs Playwright for Python")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """uvicorn serving a freshly seeded kb on a free loopback port, in a thread."""
    import uvicorn

    from treatywatch.web.app import create_app

    data = seed_kb(tmp_path / "kb.db")
    port = _free_port()
    config = uvicorn.Config(create_app(kb=data["kb"]), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert uv.started, "server did not start"
    yield {**data, "url": f"http://127.0.0.1:{port}"}
    uv.should_exit = True
    thread.join(10)
    data["kb"].close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _sign_in(page: Any, url: str, then: str) -> None:
    page.goto(f"{url}/login?next={then}")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{url}{then}")


def test_review_flow_with_keyboard_bulk_and_correction(server: dict[str, Any], page: Any) -> None:
    url = server["url"]
    page.goto(f"{url}/review")
    assert page.locator(".review-item").count() == 4
    _sign_in(page, url, "/review")
    assert "Signed in as ana" in page.inner_text("header")
    first_id = page.locator(".review-item").first.get_attribute("data-claim")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(".flash")
    assert page.inner_text(".flash") == f"Claim {first_id[:10]} accepted by ana."
    assert page.locator(".review-item").count() == 3
    item = page.locator(".review-item").first
    claim_id = item.get_attribute("data-claim")
    item.locator("summary").click()
    item.locator("input[name=c_date]").fill("1999-09-09")
    item.locator("button:has-text('Save correction')").click()
    page.wait_for_selector(".flash")
    assert "corrected by ana" in page.inner_text(".flash")
    boxes = page.locator(".review-item input[type=checkbox]")
    assert boxes.count() == 2
    page.click("#select-all")
    page.click("button:has-text('Reject selected')")
    page.wait_for_selector(".flash")
    assert page.inner_text(".flash") == "2 claims rejected by ana."
    assert "Nothing to review here." in page.inner_text("main")
    page.goto(f"{url}/review?review_state=corrected")
    shown = page.inner_text(f"#claim-{claim_id}")
    assert "1999-09-09" in shown and "corrected by ana at" in shown
    corrected = get_claim(server["kb"], claim_id)
    assert corrected is not None and corrected["date"] == "1999-09-09"
    assert get_claim(server["kb"], first_id)["review_state"] == "accepted"  # type: ignore[index]


def test_xss_in_an_article_is_shown_as_text(server: dict[str, Any], page: Any) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server['url']}/articles/{server['ltu']}")
    assert page.inner_text("h1.article-title") == "<script>alert('title')</script> Mines report"
    assert page.inner_text("#article-text") == XSS_TEXT
    assert page.locator("main img").count() == 0
    page.click("details.removed summary")
    assert "<script>alert('removed')</script>" in page.inner_text("details.removed pre")
    page.goto(f"{server['url']}/search?q=%3Cscript%3E")
    page.wait_for_timeout(200)
    assert dialogs == []


def test_cross_site_form_post_is_refused(server: dict[str, Any], page: Any) -> None:
    """A page on another origin (same site: another port) posts a review form with ana's cookie."""
    claim = server["claims"]["production_planned"]
    form = (f'<form method="post" action="{server["url"]}/review/{claim}">'
            '<input type="hidden" name="action" value="accept"><button id="go">go</button></form>').encode()

    class Attacker(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            self.wfile.write(form)

        def log_message(self, *_args: Any) -> None:
            pass

    evil = ThreadingHTTPServer(("127.0.0.1", 0), Attacker)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        _sign_in(page, server["url"], "/")
        page.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
        with page.expect_response(lambda r: "/review/" in r.url) as answer:
            page.click("#go")
        assert answer.value.status == 403
    finally:
        evil.shutdown()
        evil.server_close()
    assert get_claim(server["kb"], claim)["review_state"] == "new"  # type: ignore[index]


def test_trust_flow(server: dict[str, Any], page: Any) -> None:
    pytest.importorskip("treatywatch.kb.sources", reason="treatywatch.kb.sources not in this build")
    url = server["url"]
    _sign_in(page, url, "/sources")
    row = page.locator("#src-farm\\.example")
    row.locator("select[name=level]").select_option("untrusted")
    row.locator("button:has-text('Set')").click()
    page.wait_for_selector(".flash")
    assert page.inner_text(".flash") == "farm.example is now untrusted (set by ana)."
    assert page.locator("#src-farm\\.example .trust").inner_text() == "untrusted"
    assert "ana" in page.locator("#src-farm\\.example").inner_text()


def test_country_page_shows_status_and_timeline(server: dict[str, Any], page: Any) -> None:
    page.goto(f"{server['url']}/countries/POL?on=2026-06-01")
    assert page.locator("svg.timeline circle").count() >= 2
    card = page.locator("#status-APMBT")
    assert card.count() == 1 and "Why" in card.inner_text()
    page.click("svg.timeline a >> nth=0")  # a fact (issue 14): its page shows the claims behind it
    page.wait_for_url(f"{server['url']}/facts/*")
    assert page.locator(".claims .evidence").count() >= 1
    page.click(".claims .claim-meta a >> nth=0")
    page.wait_for_url(f"{server['url']}/articles/*")
    assert page.locator("#article-text .evidence").count() >= 1


def test_sanitised_original_page_runs_nothing(server: dict[str, Any], page: Any) -> None:
    from test_web_sanitize import HOSTILE_PAGE, store_page

    article = store_page(server["kb"], HOSTILE_PAGE.encode())
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server['url']}/articles/{article}/original")
    assert "Lithuania leaves the mine ban" in page.inner_text(".original-page")
    for link in page.locator(".original-page a").all():
        assert link.get_attribute("rel") == "noopener noreferrer nofollow"
        assert (link.get_attribute("href") or "https:").startswith(("https:", "http:", "mailto:"))
    page.hover(".original-page p >> nth=-1")
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.locator(".original-page script, .original-page iframe, .original-page svg").count() == 0
