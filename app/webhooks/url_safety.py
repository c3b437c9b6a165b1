"""Which webhook URLs we may call: public http(s) addresses only, checked when saved and sent."""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext

from app.core.errors import RuleViolation

Resolver = Callable[[str, int], list[str]]
# Cloud metadata services answer on these; some are not covered by "private" or "link-local".
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}


class UnsafeUrl(RuleViolation):
    """The URL points somewhere a webhook must not go."""


@dataclass(frozen=True)
class Target:
    """A checked URL and the address to connect to, fixed so DNS cannot change it after."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


# IPv6 prefixes whose last 32 bits are an IPv4 address a gateway forwards to: NAT64's
# well-known and local-use prefixes (RFC 6052, RFC 8215) and IPv4-compatible addresses.
IPV4_IN_LAST_32_BITS = (
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("::/96"),
)
# ISATAP's interface identifier (RFC 5214): ...:0000:5efe:a.b.c.d or ...:0200:5efe:a.b.c.d.
ISATAP_MARKERS = {0x00005EFE, 0x02005EFE}
# A URL path with these reaches no server: http.client refuses it at every attempt.
UNSENDABLE_IN_PATH = re.compile(r"[\x00-\x20\x7f]")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries to a gateway: mapped, 6to4 (2002::/16),
    Teredo (2001::/32, server and client), NAT64, IPv4-compatible and ISATAP."""
    found = [address for address in (ip.ipv4_mapped, ip.sixtofour) if address is not None]
    if ip.teredo is not None:
        found.extend(ip.teredo)
    low_32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in network for network in IPV4_IN_LAST_32_BITS):
        found.append(low_32)
    if (int(ip) >> 32) & 0xFFFFFFFF in ISATAP_MARKERS:
        found.append(low_32)
    return found


def is_forbidden_address(address: str) -> bool:
    """Loopback, private, link-local, multicast, reserved, unspecified, shared or metadata,
    itself or as the IPv4 address an IPv6 form (6to4, Teredo, NAT64...) leads to."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if any(_is_forbidden_ip(inner) for inner in embedded_ipv4(ip)):
            return True
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    return _is_forbidden_ip(ip)


def _is_forbidden_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        ip in METADATA_ADDRESSES
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl(
            gettext(
                "The host %(host)s could not be found (%(error)s).", host=repr(host), error=error
            )
        ) from None
    return [str(info[4][0]) for info in infos]


def check_url(
    url: str, allowed_hosts: frozenset[str], resolve: Resolver = system_resolver
) -> Target:
    """The Target to connect to, or UnsafeUrl saying why not."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl(gettext("That is not a valid URL.")) from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UnsafeUrl(gettext("Use an http:// or https:// URL with a host name."))
    if parts.username or parts.password:
        raise UnsafeUrl(gettext("Put credentials in the secret, not in the URL."))
    if UNSENDABLE_IN_PATH.search(parts.path + parts.query):
        raise UnsafeUrl(
            gettext("The URL's path has a space or control character; encode it (a space is %20).")
        )
    host = parts.hostname.lower().rstrip(".")
    addresses = resolve(host, port)
    if not addresses:
        raise UnsafeUrl(gettext("The host %(host)s has no address.", host=repr(host)))
    if host not in allowed_hosts:
        for address in addresses:
            if is_forbidden_address(address):
                raise UnsafeUrl(
                    gettext(
                        "%(host)s resolves to %(address)s, a private or internal address; "
                        "webhooks only go to public addresses.",
                        host=host,
                        address=address,
                    )
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


def parse_allowed_hosts(value: str) -> frozenset[str]:
    return frozenset(h.strip().lower() for h in value.split(",") if h.strip())
