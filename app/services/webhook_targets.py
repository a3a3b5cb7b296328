"""Where a webhook may be sent: http or https URLs whose host resolves only to public
addresses. Checked when an endpoint is saved (the URL's form, and an address written in it)
and again at every delivery, after resolving the name, because DNS can change between the two.
The delivery then connects to the address that was vetted, never to a second lookup of the
name, so a rebinding DNS server cannot swap in a private address after the check."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.services.errors import ServiceError

MAX_URL = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ServiceError):
    """The URL is not one webhooks are sent to; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as written in the URL (the Host header and the TLS server name)
    port: int
    path: str  # path and query, as sent in the request line


def parse(url: str) -> Target:
    """The parts of a webhook URL, or TargetRefused for a URL that cannot be one."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        raise TargetRefused(f"a webhook URL is 1 to {MAX_URL} characters")
    if any(ord(c) <= 32 or ord(c) == 127 for c in url):
        raise TargetRefused("a webhook URL has no spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused("a webhook URL starts with https:// (or http://)")
    if not parts.hostname:
        raise TargetRefused("a webhook URL names a host, e.g. https://lms.example.edu/hooks/nablagrade")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("a webhook URL carries no user name or password; "
                            "verify the webhook-signature header instead")
    if parts.fragment:
        raise TargetRefused("a webhook URL has no #fragment")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, parts.hostname, port or (443 if scheme == "https" else 80), path)


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in ipaddress.IPv6Network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why webhooks are not sent to `address` (None: it is a public address)."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = refusal(inner)
            return f"{reason} (inside the IPv6 address {address})" if reason else None
    for kind, test in (("loopback", "is_loopback"), ("link-local", "is_link_local"), ("multicast", "is_multicast"),
                       ("unspecified", "is_unspecified"), ("private", "is_private"), ("reserved", "is_reserved")):
        if getattr(address, test):
            return f"{address} is a {kind} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def literal_address(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_saved(url: str, allow_private: bool) -> Target:
    """The checks possible when an endpoint is saved: the URL's form, and an address in it."""
    target = parse(url)
    address = literal_address(target.host)
    if not allow_private:
        if address is not None and (reason := refusal(address)):
            raise TargetRefused(f"webhooks are not sent to private or local addresses: {reason}")
        if address is None and (target.host.lower() == "localhost" or target.host.lower().endswith(".localhost")):
            raise TargetRefused("webhooks are not sent to localhost")
    return target


Resolver = Callable[[str, int], list[IPAddress]]


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name has now (A and AAAA), in the resolver's order."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"the host {host} does not resolve: {exc}") from None
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise TargetRefused(f"the host {host} has no address")
    return found


def vet(target: Target, allow_private: bool, resolver: Resolver = resolve) -> IPAddress:
    """The address to connect to for `target`, checked now. A name with any refused address is
    refused as a whole: which of its addresses a client would use is not ours to guess."""
    addresses = resolver(target.host, target.port)
    if not allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise TargetRefused(f"refused {target.host}: {reason}; webhooks go only to public addresses "
                                    "(NABLAGRADE_WEBHOOK_ALLOW_PRIVATE=1 allows others)")
    return addresses[0]
