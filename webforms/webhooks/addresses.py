"""Where a webhook may be posted, and the one connection that posts it (SSRF protection).

An endpoint's host is resolved and every address it resolves to is checked: private, loopback,
link-local, multicast, reserved, unspecified and other non-global addresses (IPv4 and IPv6,
IPv4-mapped included) are refused unless a network of ``WEBHOOKS_ALLOWED_NETWORKS`` holds them.
The check runs when the endpoint is registered and again at each attempt, and the attempt then
connects to the very address it checked (urllib3 pointed at the IP, the Host header and TLS's
server name set to the URL's host), so a DNS answer changed in between cannot send it elsewhere.
No proxy from the environment, no redirect followed: a 3xx is an answer like any other.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3

PORTS = {"http": 80, "https": 443}
MAX_URL = 2000
# Why a URL was refused: the codes the delivery log keeps and the pages word (webhooks.views).
BAD_URL, UNRESOLVED, FORBIDDEN = "bad_url", "unresolved", "refused_address"


class Refused(Exception):
    """The URL may not be posted to; ``code`` says why (BAD_URL, UNRESOLVED, FORBIDDEN)."""

    def __init__(self, code: str, address: str = ""):
        super().__init__(code)
        self.code, self.address = code, address


@dataclass(frozen=True)
class Target:
    """A checked URL: its parts, and the address the attempt connects to."""

    scheme: str
    host: str
    port: int
    path: str
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == PORTS[self.scheme] else f"{host}:{self.port}"


def networks(cidrs) -> list:
    """The allowed networks of the configuration (a ValueError names a malformed one)."""
    return [ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs]


def forbidden(address: str, allowed: list) -> bool:
    """Whether ``address`` is no public address and no allowed network holds it."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip.version == network.version and ip in network for network in allowed):
        return False
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
            or ip.is_reserved or ip.is_unspecified or not ip.is_global)


def parse(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and path (with its query) of an http(s) URL; Refused otherwise."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError as error:
        raise Refused(BAD_URL) from error
    if (parts.scheme not in PORTS or not parts.hostname or parts.username or parts.password
            or len(url) > MAX_URL):
        raise Refused(BAD_URL)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or PORTS[parts.scheme], path


def check(url: str, allowed_cidrs) -> Target:
    """The URL checked: every address its host resolves to is allowed (else Refused)."""
    scheme, host, port, path = parse(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(UNRESOLVED) from error
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    allowed = networks(allowed_cidrs)
    for address in addresses:
        if forbidden(address, allowed):
            raise Refused(FORBIDDEN, address)
    if not addresses:
        raise Refused(UNRESOLVED)
    return Target(scheme, host, port, path, addresses[0])


def post(target: Target, body: bytes, headers: dict, timeout: float) -> int:
    """POST ``body`` to the checked address; the HTTP status (urllib3's errors propagate)."""
    common = {"host": target.address, "port": target.port, "maxsize": 1, "retries": False,
              "timeout": urllib3.Timeout(total=timeout)}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            **common, server_hostname=target.host, assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED")  # the system's certificate authorities
    else:
        pool = urllib3.HTTPConnectionPool(**common)
    with pool:
        response = pool.urlopen("POST", target.path, body=body,
                                headers={**headers, "Host": target.host_header},
                                redirect=False, retries=False, preload_content=False)
        response.read(64 * 1024)  # the receiver's answer is not kept
        response.release_conn()
        return response.status
