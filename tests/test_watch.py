"""Watch mode against feeds served on 127.0.0.1: conditional GET, backoff, robots.txt, restart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from loopback import CountingServer, PayloadHandler, serve
from typer.testing import CliRunner

from treatywatch.cli import app
from treatywatch.kb import facts_read
from treatywatch.kb import watch as kb_watch
from treatywatch.kb.store import KB
from treatywatch.pipeline.run import Pipeline
from treatywatch.watch import Poller, run_round
from treatywatch.watch.config import WatchConfig

ITEMS = [
    ("Poland leaves mine ban treaty", "Poland's withdrawal from the Ottawa Convention takes effect on 20 February "
     "2026, the Polish foreign ministry said on Monday in Warsaw."),
    ("Withdrawal confirmed", "The withdrawal of Poland from the Ottawa Convention took effect on 20 February 2026, "
     "the United Nations said in a depositary notification on Friday."),
    ("Lithuania notifies withdrawal", "Lithuania notified the United Nations of its withdrawal from the Convention "
     "on Cluster Munitions on 6 September 2024, the ministry said in Vilnius."),
]


def rss(items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>http://news.example/{i}</link><guid>n{i}</guid>"
        f"<pubDate>Mon, 0{i + 1} Jun 2026 10:00:00 GMT</pubDate><description>{d}</description></item>"
        for i, (t, d) in enumerate(items))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>http://news.example/</link>'
            f"<description>x</description>{entries}</channel></rss>").encode()


class FeedHandler(PayloadHandler):
    """``/feed.xml`` with an ETag (304 to a matching If-None-Match); ``/robots.txt`` as set."""

    server: CountingServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        s: Any = self.server
        s.requests.append((self.path, self.headers.get("If-None-Match")))
        if self.path == "/robots.txt":
            if s.robots is None:
                self.send_error(404)
            else:
                self.send_body(s.robots.encode(), "text/plain")
            return
        if s.fail:
            self.send_error(500)
            return
        body = rss(s.items)
        etag = f'"{len(s.items)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_body(body, "application/rss+xml", ETag=etag)


def feed_server(**extra: Any) -> Any:
    return serve(FeedHandler, **{"items": ITEMS[:1], "fail": False, "robots": None, "requests": [], **extra})


def config(port: int, **extra: Any) -> WatchConfig:
    return WatchConfig.model_validate({
        "allow_private": True, "per_host_delay": 0, "interval": 60,
        "sources": [{"url": f"http://127.0.0.1:{port}/feed.xml"}], **extra})


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_feed_that_gains_two_items_ingests_them_once_and_alerts_once_across_a_restart(kb: KB, tmp_path: Path) -> None:
    alerts_file = tmp_path / "alerts.jsonl"
    rules = {"alerts": [{"name": "pol", "when": "new_fact", "states": ["POL"]},
                        {"name": "any-new", "when": "new_fact"}],
             "channels": [{"kind": "file", "path": str(alerts_file)}]}
    with feed_server() as server:
        settings = config(server.port, **rules)
        first = run_round(Poller(Pipeline(kb), settings), settings, everything=True)
        assert [p.new_articles for p in first.polls] == [1]
        server.items = ITEMS  # the feed gains two items
        second = run_round(Poller(Pipeline(kb), settings), settings, everything=True)  # a restart
        assert [p.new_articles for p in second.polls] == [2]
        third = run_round(Poller(Pipeline(kb), settings), settings, everything=True)
        assert [p.status for p in third.polls] == ["not_modified"]
        assert server.requests[-1] == ("/feed.xml", '"3"')  # asked conditionally
    lines = [json.loads(line) for line in alerts_file.read_text().splitlines()]
    ids = [a["id"] for a in lines]
    assert len(ids) == len(set(ids)) and not third.alerts
    assert sum(a["rule"] == "pol" for a in lines) == len(facts_read.list_facts(kb, actor_iso3="POL")) >= 1
    assert {a["actor_iso3"] for a in lines if a["rule"] == "any-new"} >= {"POL", "LTU"}


def test_failures_back_off_exponentially_and_success_resets(kb: KB) -> None:
    clock = Clock()
    with feed_server(fail=True) as server:
        settings = config(server.port)
        poller = Poller(Pipeline(kb), settings, clock=clock)
        url = settings.sources[0].url
        for expected_wait in (60, 120, 240):
            [outcome] = run_round(poller, settings).polls
            assert outcome.status == "failed"
            assert kb_watch.source_state(kb, url)["next_due"] == clock.now + expected_wait
            assert poller.due() == []
            clock.now += expected_wait
        server.fail = False
        [outcome] = run_round(poller, settings).polls
    assert outcome.status == "changed"
    state = kb_watch.source_state(kb, url)
    assert state["failures"] == 0 and state["next_due"] == clock.now + 60


def test_robots_txt_that_disallows_the_feed_is_respected(kb: KB) -> None:
    with feed_server(robots="User-agent: *\nDisallow: /feed.xml\n") as server:
        settings = config(server.port)
        [outcome] = run_round(Poller(Pipeline(kb), settings), settings, everything=True).polls
        assert outcome.status == "robots_disallowed"
        assert [p for p, _ in server.requests] == ["/robots.txt"]


def test_a_body_over_the_size_limit_is_a_failure_not_a_partial_ingest(kb: KB) -> None:
    with feed_server(items=ITEMS * 20) as server:
        settings = config(server.port, max_bytes=2048)
        [outcome] = run_round(Poller(Pipeline(kb), settings), settings, everything=True).polls
    assert outcome.status == "failed" and "too_large" in outcome.message
    assert facts_read.list_facts(kb) == []


def test_watch_command_once_prints_a_summary_and_alerts_to_stdout(tmp_path: Path) -> None:
    with feed_server() as server:
        cfg = tmp_path / "watch.yaml"
        cfg.write_text(f"allow_private: true\nper_host_delay: 0\nsources:\n  - url: http://127.0.0.1:{server.port}/feed.xml\n"
                       "alerts:\n  - name: pol\n    when: new_fact\n    states: [POL]\n", encoding="utf-8")
        db = str(tmp_path / "kb.db")
        result = CliRunner().invoke(app, ["watch", str(cfg), "--once", "--db", db])
        again = CliRunner().invoke(app, ["watch", str(cfg), "--once", "--db", db])
    assert result.exit_code == 0, result.output
    assert "ALERT [pol] new fact: POL" in result.stdout and "1 new article" in result.output
    assert "ALERT" not in again.stdout
    listed = CliRunner().invoke(app, ["alerts", "--db", db, "--format", "json"])
    assert len(json.loads(listed.stdout)) == 1


def test_a_bad_config_is_one_line_naming_the_file(tmp_path: Path) -> None:
    cfg = tmp_path / "watch.yaml"
    cfg.write_text("sources:\n  - url: ftp://x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["watch", str(cfg), "--once", "--db", str(tmp_path / "kb.db")])
    assert result.exit_code == 2 and "watch.yaml" in result.output and len(result.output.strip().splitlines()) == 1


PAGE = ("<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>{d}</p>"
        "<p>The statement was published on the ministry website and repeated by officials.</p></article></body></html>")


class SitemapHandler(PayloadHandler):
    """``/sitemap.xml`` listing ``/p0.html``... (as many as ``pages``), each a news page."""

    server: CountingServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        s: Any = self.server
        s.requests.append(self.path)
        if self.path == "/sitemap.xml":
            locs = "".join(f"<url><loc>http://127.0.0.1:{s.port}/p{i}.html</loc></url>" for i in range(s.pages))
            body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            self.send_body(body.encode(), "application/xml")
        elif self.path.startswith("/p") and self.path.endswith(".html"):
            title, text = ITEMS[int(self.path[2:-5]) % len(ITEMS)]
            self.send_body(PAGE.format(t=title, d=text).encode())
        else:
            self.send_error(404)


def test_a_sitemap_source_ingests_each_listed_page_once(kb: KB) -> None:
    with serve(SitemapHandler, pages=2, requests=[]) as server:
        settings = WatchConfig.model_validate({"allow_private": True, "per_host_delay": 0,
                                               "sources": [{"url": f"http://127.0.0.1:{server.port}/sitemap.xml"}]})
        [first] = run_round(Poller(Pipeline(kb), settings), settings, everything=True).polls
        server.pages = 3
        [second] = run_round(Poller(Pipeline(kb), settings), settings, everything=True).polls
    assert (first.new_articles, second.new_articles) == (2, 1)
    pages = [p for p in server.requests if p.startswith("/p")]
    assert pages == ["/p0.html", "/p1.html", "/p2.html"]  # none fetched twice
