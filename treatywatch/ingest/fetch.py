"""The only network code in ingest: a guarded HTTP GET (docs/reliability.md#bad-inputs rows 1, 22-23, 29-34).

httpx with ``follow_redirects=False`` and our own hop loop, so every hop is checked by
``netguard`` and connects to the address that was checked (the request goes to the IP, with the
original ``Host`` header and TLS server name). One overall deadline covers all hops and reads.
The body is read with ``iter_raw()`` and decoded by one bounded decoder that refuses stacked or
unknown ``Content-Encoding``s, so a compression bomb stops at the byte cap.
"""

from __future__ import annotations

import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from treatywatch.errors import IngestError
from treatywatch.ingest.netguard import Resolver, Target, check_url, pinned_address, resolve_host
from treatywatch.ingest.options import IngestOptions

USER_AGENT = "treatywatch-ingest/0.1 (+news monitor)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
GONE_CODES = frozenset({404, 410})


@dataclass(frozen=True)
class Fetched:
    """A fetched body (content-decoded) and where it finally came from.

    ``not_modified``: the server answered 304 to a conditional request (``body`` is empty);
    ``etag`` / ``last_modified`` are the validators to send next time (watch mode).
    """

    url: str
    body: bytes
    content_type: str | None
    charset: str | None
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


class BoundedDecoder:
    """Undo at most one Content-Encoding (gzip or deflate), never producing more than asked."""

    def __init__(self, codings: list[str]) -> None:
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise IngestError("unsupported_content", f"stacked Content-Encoding {', '.join(codings)} refused")
        self.coding = codings[0] if codings else None
        if self.coding in ("gzip", "x-gzip"):
            self._zlib: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.coding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif self.coding is None:
            self._zlib = None
        else:
            raise IngestError("unsupported_content", f"unknown Content-Encoding {self.coding!r}")
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; returns at most ``room`` bytes (``room`` bytes means: over the cap)."""
        if self._zlib is None:
            return data
        try:
            out = self._zlib.decompress(data, room)
        except zlib.error:
            if not (self.coding == "deflate" and self._first):
                raise IngestError("fetch_failed", f"corrupt {self.coding} body") from None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate without zlib header
            out = self._zlib.decompress(data, room)
        self._first = False
        return out


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise IngestError("timeout", "overall fetch deadline passed")
    return left


def _request(client: httpx.Client, target: Target, address: str, deadline: float,
             conditional: dict[str, str] | None = None) -> httpx.Response:
    url = httpx.URL(target.url)
    host = f"[{target.host}]" if ":" in target.host else target.host
    host_header = host if url.port is None else f"{host}:{url.port}"
    request = client.build_request(
        "GET",
        url.copy_with(host=address),
        headers={"Host": host_header, "User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate",
                 **(conditional or {})},
        timeout=httpx.Timeout(_remaining(deadline)),
        extensions={"sni_hostname": target.host},
    )
    return client.send(request, stream=True)


def _read_body(response: httpx.Response, options: IngestOptions, deadline: float) -> bytes:
    limit = options.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise IngestError("too_large", f"body declares {declared} bytes, limit {limit}")
    decoder = BoundedDecoder(
        [c.strip().lower() for c in response.headers.get_list("content-encoding", split_commas=True)]
    )
    body = bytearray()
    raw_seen = 0
    for chunk in response.iter_raw():  # no chunk_size: httpx would buffer up to it
        _remaining(deadline)
        raw_seen += len(chunk)
        body += decoder.feed(chunk, limit - len(body) + 1)
        if len(body) > limit or raw_seen > limit:
            raise IngestError("too_large", f"body larger than {limit} bytes")
    return bytes(body)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


# getaddrinfo has no timeout of its own: lookups run on this small pool so that the caller can
# stop waiting at the overall deadline (a stuck lookup finishes or fails later on its thread).
_LOOKUPS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="treatywatch-dns")


def _bounded(resolver: Resolver, deadline: float) -> Resolver:
    """``resolver`` that gives up with ``timeout`` when the overall deadline passes."""

    def resolve(host: str, port: int) -> list[str]:
        lookup = _LOOKUPS.submit(resolver, host, port)
        try:
            return list(lookup.result(timeout=_remaining(deadline)))
        except FutureTimeout:
            raise IngestError("timeout", f"resolving {host} did not finish within the deadline") from None

    return resolve


def fetch(url: str, options: IngestOptions, *, resolver: Resolver = resolve_host,
          etag: str | None = None, last_modified: str | None = None) -> Fetched:
    """GET ``url`` under every guard. Raises ``IngestError`` (ssrf_blocked, timeout, too_large,
    not_found, fetch_failed, unsupported_content).

    With ``etag`` / ``last_modified`` (validators from an earlier answer) the request is
    conditional (If-None-Match / If-Modified-Since): a 304 is a `Fetched` with ``not_modified``.
    """
    conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
    deadline = time.monotonic() + options.timeout
    resolver = _bounded(resolver, deadline)
    current = url
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        for _hop in range(options.max_redirects + 1):
            target = check_url(current)
            address = pinned_address(target, allow_private=options.allow_private, resolver=resolver)
            try:
                response = _request(client, target, address, deadline, conditional)
                try:
                    status = response.status_code
                    if status in REDIRECT_CODES and response.headers.get("location"):
                        current = urljoin(current, response.headers["location"])
                        continue
                    if status == 304 and conditional:
                        return Fetched(current, b"", None, None, True, etag, last_modified)
                    if status in GONE_CODES:
                        raise IngestError("not_found", f"HTTP {status} from {target.host}")
                    if status >= 400 or status < 200:
                        raise IngestError("fetch_failed", f"HTTP {status} from {target.host}")
                    body = _read_body(response, options, deadline)
                    content_type = response.headers.get("content-type")
                    return Fetched(current, body, content_type, _charset(content_type), False,
                                   response.headers.get("etag"), response.headers.get("last-modified"))
                finally:
                    response.close()
            except httpx.TimeoutException:
                raise IngestError("timeout", f"no answer from {target.host} within the deadline") from None
            except (httpx.HTTPError, OSError) as exc:
                raise IngestError("fetch_failed", f"{type(exc).__name__}: {str(exc)[:160]}") from None
    raise IngestError("fetch_failed", f"more than {options.max_redirects} redirects")
