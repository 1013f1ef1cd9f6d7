"""The treaty page in Debian's headless Chromium: the map on two days, the chart's last point, and
the whole page (date control included) with JavaScript disabled.

Uses the server and browser of test_browser_web (a seeded kb served by uvicorn on 127.0.0.1);
skipped, with the reason, where /usr/bin/chromium or Playwright is missing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from test_browser_web import CHROMIUM, browser, page, server  # noqa: F401 - fixtures used by name

from treatywatch.kb.claims import status_claims
from treatywatch.status import status_for_treaty

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture()
def no_js_page(browser: Any) -> Iterator[Any]:  # noqa: F811 - the imported fixture, by name
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def _count(server: dict[str, Any], on: str) -> int:  # noqa: F811
    claims = status_claims(server["kb"], treaty="APMBT")
    return status_for_treaty("APMBT", date.fromisoformat(on), claims=claims).states_parties


def _poland(page: Any) -> tuple[str | None, str]:  # noqa: F811
    shape = page.locator('svg.world-map [data-iso3="POL"]')
    assert shape.count() == 1
    return shape.get_attribute("data-status"), shape.locator("title").text_content() or ""


@pytest.mark.parametrize(("on", "status"), [("2026-03-01", "withdrawn"), ("2026-01-01", "withdrawing")])
def test_map_shows_poland_by_its_status_on_the_day(server: dict[str, Any], page: Any,  # noqa: F811
                                                   on: str, status: str) -> None:
    page.goto(f"{server['url']}/treaties/APMBT?on={on}")
    shown, title = _poland(page)
    assert shown == status and title.startswith(f"Poland (POL): {status}")
    box = page.locator('svg.world-map [data-iso3="POL"]').bounding_box()
    assert box is not None and box["width"] > 5 and box["height"] > 5  # drawn, not just present
    assert page.locator("#state-POL").get_attribute("data-status") == status


def test_chart_last_point_is_the_count_on_the_day(server: dict[str, Any], page: Any) -> None:  # noqa: F811
    page.goto(f"{server['url']}/treaties/APMBT?on=2026-01-01")
    expected = _count(server, "2026-01-01")
    assert page.inner_text("#states-parties") == str(expected)
    last = page.locator("svg.parties-chart .last-point")
    assert last.count() == 2  # the whole history and the recent panel
    assert {last.nth(i).get_attribute("data-value") for i in range(2)} == {str(expected)}
    assert {last.nth(i).get_attribute("data-date") for i in range(2)} == {"2026-01-01"}
    marks = page.locator('svg.parties-chart line[data-kind="effective"]')
    assert marks.count() >= 3  # the Baltic withdrawals of 2025-12-27, in both panels


def test_the_page_works_with_javascript_disabled(server: dict[str, Any], no_js_page: Any) -> None:  # noqa: F811
    url = server["url"]
    no_js_page.goto(f"{url}/treaties/APMBT?on=2026-01-01")
    assert _poland(no_js_page)[0] == "withdrawing"
    assert no_js_page.locator("svg.world-map path").count() > 150
    no_js_page.fill('input[name="on"]', "2026-03-01")
    with no_js_page.expect_navigation():
        no_js_page.click("form.on-form button[type=submit]")
    assert no_js_page.url == f"{url}/treaties/APMBT?on=2026-03-01"
    assert _poland(no_js_page)[0] == "withdrawn"
    assert no_js_page.inner_text("#states-parties") == str(_count(server, "2026-03-01"))
    no_js_page.click("details.map-table summary")
    assert no_js_page.locator("#map-table tbody tr").count() == 197
    no_js_page.click("#state-POL a")
    no_js_page.wait_for_url(f"{url}/countries/POL?on=2026-03-01")
    assert "withdrawn" in no_js_page.inner_text("#status-APMBT")
