"""Who is asking: the client's IP address, for login lockouts (django-axes) and rate limits.

Behind no proxy (OCOP_TRUSTED_PROXIES = 0, the default) it is the peer address, REMOTE_ADDR; a client can write any
X-Forwarded-For it likes, so the header is ignored. Behind N proxies of our own, each appends the address it received
the request from to X-Forwarded-For, so the client is the Nth entry from the right: anything further left was written
by the client and is not believed. A header with fewer entries than N (a request that skipped the outer proxies)
gives its leftmost entry, the farthest hop our proxies saw. An entry that is not an IP address gives REMOTE_ADDR.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _as_ip(value: str) -> str | None:
    """``value`` as a normalised IP address, or None. Accepts the forms proxies write: "203.0.113.7",
    "203.0.113.7:51234", "2001:db8::1", "[2001:db8::1]:443"."""
    value = value.strip()
    if value.startswith("[") and "]" in value:
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has at least two colons
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxies() -> int:
    return max(0, int(getattr(settings, "OCOP_TRUSTED_PROXIES", 0) or 0))


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP address as a string (None only when the server gave no usable peer address)."""
    remote = _as_ip(request.META.get("REMOTE_ADDR", "") or "")
    hops = trusted_proxies()
    if not hops:
        return remote
    forwarded = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if not forwarded:
        return remote
    entry = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _as_ip(entry) or remote



def client_key(request: HttpRequest) -> str | None:
    """Whose count a request adds to, for login lockouts and rate limits: the client's IP, or for IPv6 its /64 (one
    household or phone gets a whole /64, and a new address in it costs an attacker nothing)."""
    ip = client_ip(request)
    if ip and ipaddress.ip_address(ip).version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip
