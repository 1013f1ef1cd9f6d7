"""The guarded fetcher against a real HTTP server on 127.0.0.1 (docs/reliability.md#bad-inputs rows 1, 22-34).

The address predicate is unit-tested on literal addresses only: nothing connects to them.
"""

from __future__ import annotations

import gzip
import ipaddress
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback import CountingServer, PayloadHandler, serve

from treatywatch.errors import IngestError
from treatywatch.ingest import IngestOptions, netguard, read_input
from treatywatch.ingest.fetch import fetch
from treatywatch.ingest.netguard import check_url, is_public_address, pinned_address, port_allowed

PAGE = (Path(__file__).parent / "fixtures" / "ingest" / "article.html").read_bytes()
FEED = (Path(__file__).parent / "fixtures" / "ingest" / "feed_rss.xml").read_bytes()
LOCAL = IngestOptions(allow_private=True, timeout=5.0)


class Handler(PayloadHandler):
    """Routes: /page, /feed, /redirect/N, /to/<host>, /big, /gzip, /gzipgzip, /bomb, /slow, /hang, /gone."""

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.server.hosts.append(self.headers.get("Host"))
        path = self.path
        if path == "/page":
            self.send_body(PAGE)
        elif path == "/feed":
            self.send_body(FEED, "application/rss+xml")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/page" if left == 0 else f"/redirect/{left - 1}")
        elif path.startswith("/to/"):
            self._redirect(f"http://{path[4:]}/page")
        elif path == "/big":
            self.stream(b"<p>" + b"x" * 65536, 40)
        elif path == "/gzip":
            self.send_body(gzip.compress(PAGE), Content_Encoding="gzip")
        elif path == "/gzipgzip":
            self.send_body(gzip.compress(gzip.compress(b"\0" * 1_000_000)), Content_Encoding="gzip, gzip")
        elif path == "/brotli":
            self.send_body(b"\x0b\x03\x80abc\x03", Content_Encoding="br")
        elif path == "/bomb":
            self.send_body(gzip.compress(b"\0" * 20_000_000), Content_Encoding="gzip")
        elif path == "/slow":
            self.stream(b"<", 200, pause=0.1)
        elif path == "/hang":
            time.sleep(3)
        elif path == "/png":
            self.send_body(b"\x89PNG\r\n\x1a\n" + bytes(200))
        elif path == "/empty":
            self.send_body(b"")
        elif path == "/gone":
            self.send_error(404)
        else:
            self.send_error(500)


@pytest.fixture
def server() -> Iterator[CountingServer]:
    with serve(Handler) as srv:
        yield srv


def url(srv: CountingServer, path: str, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{srv.server_address[1]}{path}"


def codes(target: str, options: IngestOptions) -> list[str]:
    return [r.code for r in read_input(target, options).rejections]


@pytest.mark.parametrize("host", ["127.0.0.1", "2130706433", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "0.0.0.0", "localhost"])
def test_loopback_refused_before_connect(server: CountingServer, host: str) -> None:
    batch = read_input(url(server, "/page", host), IngestOptions())
    assert [r.code for r in batch.rejections] == ["ssrf_blocked"] and batch.articles == ()
    assert server.accepted == 0


def test_allowed_with_allow_private(server: CountingServer) -> None:
    target = url(server, "/page")
    batch = read_input(target, LOCAL)
    (article,) = batch.articles
    assert "by 104 votes to 12" in article.text and article.raw == PAGE
    assert batch.key.startswith(target + " sha256:")
    assert server.hosts == [f"127.0.0.1:{server.server_address[1]}"]


def test_fetched_feed_is_sniffed_as_feed(server: CountingServer) -> None:
    batch = read_input(url(server, "/feed"), LOCAL)
    assert [a.input_kind for a in batch.articles] == ["rss"] * 3


def test_gzip_content_encoding(server: CountingServer) -> None:
    (article,) = read_input(url(server, "/gzip"), LOCAL).articles
    assert article.raw == PAGE


def test_redirects_followed_up_to_the_limit(server: CountingServer) -> None:
    assert len(read_input(url(server, "/redirect/2"), LOCAL).articles) == 1
    options = IngestOptions(allow_private=True, max_redirects=2, timeout=5.0)
    assert codes(url(server, "/redirect/3"), options) == ["fetch_failed"]


def test_redirect_hop_is_rechecked(server: CountingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A public-looking first hop (stub: 127.0.0.1 counts as public) 302s to 127.0.0.2: blocked."""
    real = netguard.is_public_address
    monkeypatch.setattr(netguard, "is_public_address", lambda ip: str(ip) == "127.0.0.1" or real(ip))
    port = server.server_address[1]
    with pytest.raises(IngestError) as caught:
        fetch(f"http://news.test:{port}/to/127.0.0.2:{port}", IngestOptions(timeout=5.0), resolver=lambda h, p: ["127.0.0.1"] if h == "news.test" else netguard.resolve_host(h, p))
    assert caught.value.code == "ssrf_blocked" and "127.0.0.2" in caught.value.message
    assert server.hosts == [f"news.test:{port}"]


def test_connection_goes_to_the_checked_address(server: CountingServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: one lookup per hop; the socket goes to that answer, with the name as Host."""
    monkeypatch.setattr(netguard, "is_public_address", lambda ip: str(ip) == "127.0.0.1")
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    port = server.server_address[1]
    fetched = fetch(f"http://rebind.test:{port}/page", IngestOptions(timeout=5.0), resolver=lambda h, p: next(answers))
    assert fetched.body == PAGE and server.hosts == [f"rebind.test:{port}"]


def test_size_limit(server: CountingServer) -> None:
    options = IngestOptions(allow_private=True, max_bytes=1_000_000, timeout=5.0)
    assert codes(url(server, "/big"), options) == ["too_large"]
    assert codes(url(server, "/page"), IngestOptions(allow_private=True, max_bytes=1000)) == ["too_large"]


def test_gzip_bomb_stops_at_the_cap(server: CountingServer) -> None:
    options = IngestOptions(allow_private=True, max_bytes=1_000_000, timeout=5.0)
    assert codes(url(server, "/bomb"), options) == ["too_large"]


def test_stacked_and_unknown_encodings_refused(server: CountingServer) -> None:
    assert codes(url(server, "/gzipgzip"), LOCAL) == ["unsupported_content"]
    assert codes(url(server, "/brotli"), LOCAL) == ["unsupported_content"]


def test_overall_deadline_on_a_slow_body(server: CountingServer) -> None:
    options = IngestOptions(allow_private=True, timeout=0.8)
    assert codes(url(server, "/slow"), options) == ["timeout"]


def test_deadline_on_a_server_that_never_answers(server: CountingServer) -> None:
    assert codes(url(server, "/hang"), IngestOptions(allow_private=True, timeout=0.5)) == ["timeout"]


def test_binary_or_empty_body_labelled_html(server: CountingServer) -> None:
    assert codes(url(server, "/png"), LOCAL) == ["unsupported_content"]
    assert codes(url(server, "/empty"), LOCAL) == ["unsupported_content"]


def test_http_404_is_not_found(server: CountingServer) -> None:
    assert codes(url(server, "/gone"), LOCAL) == ["not_found"]


def test_connection_refused_is_fetch_failed() -> None:
    assert codes("http://127.0.0.1:9/page", LOCAL) == ["ssrf_blocked"]  # port 9 not allowed
    closed = CountingServer(Handler)
    port = closed.port
    closed.server_close()
    if port_allowed(port):
        assert codes(f"http://127.0.0.1:{port}/x", LOCAL) == ["fetch_failed"]


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "gopher://example.com/1",
        "ftp://example.com/x",
        "data:text/html,<p>hi</p>",
        "http://user:pass@example.com/",
        "http://example.com:25/",
        "http://example.com:6379/",
        "https://example.com:22/",
        "http://example.com:9200/",
        "http:///nohost",
    ],
)
def test_url_allow_list(target: str) -> None:
    with pytest.raises(IngestError) as caught:
        check_url(target)
    assert caught.value.code == "ssrf_blocked"


def test_url_allow_list_accepts_web_urls() -> None:
    assert check_url("https://news.example/a?b=c").port == 443
    assert check_url("http://news.example:8080/").port == 8080


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "169.254.169.254", "100.64.0.1", "127.0.0.1", "0.0.0.0", "192.168.1.1", "172.16.0.1",
     "224.0.0.1", "fd00::1", "::1", "fe80::1", "64:ff9b::7f00:1", "64:ff9b::a00:1", "2002:7f00:1::",
     "2002:a9fe:a9fe::", "::ffff:127.0.0.1", "::ffff:10.0.0.1"],
)
def test_address_predicate_refuses_non_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "2606:4700::1", "64:ff9b::808:808", "2002:808:808::"])
def test_address_predicate_accepts_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.0.0.1"])
def test_numeric_loopback_forms_resolve_and_are_refused(host: str) -> None:
    with pytest.raises(IngestError) as caught:
        pinned_address(check_url(f"http://{host}:8080/"), allow_private=False)
    assert caught.value.code == "ssrf_blocked"


def test_any_private_answer_refuses_the_host() -> None:
    target = check_url("http://mixed.test/")
    with pytest.raises(IngestError):
        pinned_address(target, allow_private=False, resolver=lambda h, p: ["8.8.8.8", "10.0.0.1"])
    assert pinned_address(target, allow_private=False, resolver=lambda h, p: ["8.8.8.8"]) == "8.8.8.8"


def test_a_name_lookup_that_hangs_ends_at_the_overall_deadline() -> None:
    """getaddrinfo has no timeout of its own: the deadline covers the lookup too."""
    release, answered = threading.Event(), threading.Event()

    def stuck_resolver(host: str, port: int) -> list[str]:
        release.wait(30)
        answered.set()
        return ["8.8.8.8"]

    try:
        with pytest.raises(IngestError) as caught:
            fetch("http://slow-dns.test/page", IngestOptions(timeout=0.5), resolver=stuck_resolver)
        gave_up_before_the_answer = not answered.is_set()
    finally:
        release.set()
    assert caught.value.code == "timeout" and "slow-dns.test" in caught.value.message
    assert gave_up_before_the_answer
