"""Which network addresses the server may send requests to on someone else's behalf.

Web Push endpoints and the links people post are URLs others choose, and the server requests
them: without a check, anyone could make it call into the network it runs in (the database, an
admin panel, a cloud metadata service). Only addresses on the public internet qualify: never
private, loopback, link-local, multicast, reserved or unspecified ones, also not when written
as IPv4 inside IPv6 (`::ffff:127.0.0.1`). An operator may name networks that are allowed all
the same (development, tests). Names are checked after resolving (`services/public_network.py`).
"""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address `text` writes (brackets and an IPv6 zone allowed), or None for a name."""
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_public_address(text: str, allowed: tuple[Network, ...] = ()) -> bool:
    """Whether `text` is an address on the public internet, or in a network of `allowed`.
    An IPv6 address that carries an IPv4 one (mapped, 6to4, Teredo) is judged by that too."""
    address = parse_address(text)
    if address is None:
        return False
    if any(address in network for network in allowed):
        return True
    return all(_global(part) for part in _carried(address))


def _carried(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    if isinstance(address, ipaddress.IPv4Address):
        return [address]
    mapped = address.ipv4_mapped
    if mapped is not None:
        return [mapped]
    teredo = address.teredo
    return [address, *filter(None, [address.sixtofour, *(teredo or ())])]


def _global(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # `is_global` counts multicast addresses as global: they are not for us to call.
    return address.is_global and not address.is_multicast and not address.is_reserved


def names_own_network(host: str) -> bool:
    """A host that plainly names our own network: an address that is not public, or a name
    reserved for local use. Caught early for a clear answer; what other names point to is
    checked when connecting, since it can change."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    return parse_address(host) is not None and not is_public_address(host)


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses or networks (`127.0.0.1, 10.1.0.0/16`); ValueError for
    anything else."""
    return tuple(ipaddress.ip_network(part.strip(), strict=False)
                 for part in text.split(",") if part.strip())
