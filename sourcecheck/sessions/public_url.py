"""The address students' devices use to reach the app: never localhost, which is the student's own phone.

Behind a proxy the teacher sets SOURCECHECK_PUBLIC_URL (https://sourcecheck.school.example); otherwise
the machine's own network address and the app's port are used.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import struct
from dataclasses import dataclass
from urllib.parse import urlencode

__all__ = ["ENV", "PublicUrl", "join_url", "public_url"]

ENV = "SOURCECHECK_PUBLIC_URL"


@dataclass(frozen=True)
class PublicUrl:
    base: str
    reachable: bool  # False when no network address was found: the teacher must set SOURCECHECK_PUBLIC_URL
    configured: bool


def public_url(port: int, *, environ: dict[str, str] | None = None, hostname: str | None = None) -> PublicUrl:
    env = os.environ if environ is None else environ
    configured = env.get(ENV, "").strip().rstrip("/")
    if configured:
        return PublicUrl(configured, True, True)
    address = _network_address(hostname or socket.gethostname())
    if address is None:
        return PublicUrl(f"http://localhost:{port}", False, False)
    host = f"[{address}]" if ":" in address else address
    return PublicUrl(f"http://{host}:{port}", True, False)


def join_url(base: str, code: str) -> str:
    return f"{base}/join?{urlencode({'code': code})}"


def _network_address(hostname: str) -> str | None:
    """A private or public address of this machine (IPv4 first); loopback and link-local never count.

    Read from the resolver and the network interfaces only: nothing is sent on the network to find it.
    """
    candidates = _resolved(hostname) + _interface_addresses()
    usable = [ip for ip in candidates if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified
                                              or ip.is_multicast)]
    usable.sort(key=lambda ip: ip.version)
    return str(usable[0]) if usable else None


def _resolved(hostname: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
    except OSError:
        return []
    return [ipaddress.ip_address(sockaddr[0]) for *_rest, sockaddr in infos]


def _interface_addresses() -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """IPv4 addresses of the network interfaces (Linux: the SIOCGIFADDR ioctl); elsewhere none."""
    try:
        import fcntl
    except ImportError:
        return []
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _index, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
            except OSError:
                continue
            found.append(ipaddress.ip_address(socket.inet_ntoa(packed[20:24])))
    return found
