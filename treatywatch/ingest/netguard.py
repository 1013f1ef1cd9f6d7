"""Which URLs and addresses the fetcher may connect to (docs/reliability.md#bad-inputs rows 29-33).

A URL must be http(s), without user info, on an allowed port; its host must resolve only to
globally routable addresses (``ipaddress.is_global``), with IPv4-mapped, NAT64 (64:ff9b::/96)
and 6to4 (2002::/16) addresses judged by the IPv4 address they carry. The fetcher connects to
the address checked here (pinned), so a second DNS answer can never redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from treatywatch.errors import IngestError

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
# Ports 80 and 443, and 8000-65535 (test and alternative web ports) minus well-known
# internal services in that range. Everything below 8000 except 80/443 (25 SMTP, 6379 Redis,
# 5432 PostgreSQL, 3306 MySQL, 22 SSH, ...) is refused.
WEB_PORTS = frozenset({80, 443})
HIGH_PORTS = range(8000, 65536)
DENIED_HIGH_PORTS = frozenset(
    {8086, 8500, 9000, 9042, 9092, 9200, 9300, 10250, 11211, 15672, 27017, 27018, 50070}
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class Target:
    """A checked URL: scheme, host (as written), port."""

    url: str
    scheme: str
    host: str
    port: int


def is_public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses (embedded IPv4 judged on its own)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip in NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None:
            return is_public_address(ip.sixtofour)
    return bool(ip.is_global) and not ip.is_multicast


def port_allowed(port: int) -> bool:
    return port in WEB_PORTS or (port in HIGH_PORTS and port not in DENIED_HIGH_PORTS)


def check_url(url: str) -> Target:
    """Scheme, user-info and port checks. Raises ``IngestError('ssrf_blocked')``."""
    try:
        parts: SplitResult = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise IngestError("ssrf_blocked", f"malformed URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise IngestError("ssrf_blocked", f"scheme {scheme or '(none)'!r} is not allowed (http, https only)")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise IngestError("ssrf_blocked", "URLs with user info (user:pass@host) are refused")
    if not parts.hostname:
        raise IngestError("ssrf_blocked", "URL has no host")
    port = port if port is not None else DEFAULT_PORTS[scheme]
    if not port_allowed(port):
        raise IngestError("ssrf_blocked", f"port {port} is not allowed (80, 443, 8000-65535)")
    return Target(url=url.strip(), scheme=scheme, host=parts.hostname, port=port)


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (numeric forms like ``127.1`` included)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def pinned_address(
    target: Target, *, allow_private: bool, resolver: Resolver = resolve_host
) -> str:
    """The one address to connect to. Refused if ANY resolved address is not public."""
    try:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(target.host, target.port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise IngestError("fetch_failed", f"cannot resolve {target.host}: {exc}") from None
    if not addresses:
        raise IngestError("fetch_failed", f"{target.host} has no address")
    if not allow_private:
        for address in addresses:
            if not is_public_address(address):
                raise IngestError(
                    "ssrf_blocked", f"{target.host} resolves to non-public address {address}"
                )
    return str(addresses[0])
