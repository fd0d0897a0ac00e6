"""The address students' devices use to reach the app: never localhost, which is the student's own phone.

Behind a proxy the teacher sets SOURCECHECK_PUBLIC_URL (https://sourcecheck.school.example); otherwise
the machine's own network address and the app's port are used.
"""

from __future__ import annotations

import ipaddress
import os
import socket
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

    Read from the resolver only: nothing is sent on the network to find it.
    """
    try:
        infos = socket.getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
    except OSError:
        return None
    found = []
    for family, *_rest, sockaddr in infos:
        ip = ipaddress.ip_address(sockaddr[0])
        if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast):
            found.append((family != socket.AF_INET, str(ip)))
    return min(found)[1] if found else None
