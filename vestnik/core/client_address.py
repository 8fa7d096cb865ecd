"""The reader's address, as seen through our own reverse proxies.

One rule for every feature that counts or throttles by address (the polls'
rate window, the admin login throttle): `REMOTE_ADDR` is the peer that opened
the connection; behind nginx that is nginx itself, so every reader would share
one address. `X-Forwarded-For` names the real client, but anyone can send that
header, so it is believed only when the peer is one of
`VESTNIK_CORE_TRUSTED_PROXIES` (addresses or CIDR networks; the environment's
`VESTNIK_TRUSTED_PROXIES`, comma-separated), and then read from the right:
each trusted proxy appends the address it saw (nginx's
`$proxy_add_x_forwarded_for`), so the right-most address that is not one of
ours is the client as our outermost proxy saw it. Anything to its left was
written by the client and is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SETTING = "VESTNIK_CORE_TRUSTED_PROXIES"


def trusted_proxies() -> list[IPNetwork]:
    """The networks whose `X-Forwarded-For` we believe; a bad entry names itself."""
    values = getattr(settings, SETTING, [])
    if isinstance(values, str):
        # A hand-written setting with one address: accept it rather than split it into letters.
        values = [values]
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{SETTING} (VESTNIK_TRUSTED_PROXIES in the environment) holds {value!r}, "
                f"which is not an IP address or network: {error}."
            ) from None
    return networks


def parse_ip(value: str) -> IPAddress | None:
    """The address in `value`, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) unwrapped; None if garbage."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        # A server listening on [::] sees IPv4 peers in this form; the proxy list says 127.0.0.1.
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: list[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def client_ip(request: HttpRequest) -> str:
    """The client's address; `X-Forwarded-For` counts only when a trusted proxy sent it."""
    remote = str(request.META.get("REMOTE_ADDR", "") or "")
    remote_ip = parse_ip(remote)
    if remote_ip is None:
        return remote
    proxies = trusted_proxies()
    if not _trusted(remote_ip, proxies):
        return str(remote_ip)
    hops = [hop for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        hop_ip = parse_ip(hop)
        if hop_ip is None:
            # Our proxies write addresses, so garbage came from beyond them:
            # count the request as the proxy's rather than guess.
            break
        if not _trusted(hop_ip, proxies):
            return str(hop_ip)
    return str(remote_ip)


def check_trusted_proxies(**kwargs: object) -> list[CheckMessage]:
    """`manage.py check` (and every server start) names a bad proxy entry before a request does."""
    try:
        trusted_proxies()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="vestnik.E001")]
    return []
