"""Teacher sign-in that outlives one browser tab: a signed token with an expiry, which the web layer keeps in an
HttpOnly cookie, so a reload, a new tab or the projector opened from the Classes page stay signed in.

A token is `purpose.expiry.nonce.signature`: the signature is an HMAC-SHA256 of the rest under a key derived from
a server secret AND the teacher passcode. Nothing in it is secret or personal; it cannot be forged without the
secret, it stops working at its expiry, and changing the passcode changes the key, which signs every teacher out.
Two purposes share the format and never stand in for each other: a `session` token (the cookie, 12 hours) and a
`ticket` (60 seconds, single use) that the sign-in form hands its own page to exchange for the cookie, so neither
the passcode nor a cookie's value ever travels in a URL or sits in the page.

The secret is SOURCECHECK_TEACHER_SECRET when set, or else one generated once into teacher-secret under
SOURCECHECK_STATE, readable only by its owner. Every process of one installation must use the same one (they share
the state folder on one machine, as `make cluster` runs them; set the variable when they do not).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import threading
from pathlib import Path
from typing import Literal

from sourcecheck.sessions.passcode import state_dir, teacher_passcode

__all__ = [
    "COOKIE", "SECRET_ENV", "SESSION_SECONDS", "TICKET_SECONDS", "Purpose", "Tickets", "current_key", "issue",
    "secret_file", "server_secret", "signing_key", "verify",
]

COOKIE = "sc_teacher"
SECRET_ENV = "SOURCECHECK_TEACHER_SECRET"
SESSION_SECONDS = 12 * 3600  # a school day with its evening marking; the next day starts with the passcode again
TICKET_SECONDS = 60  # from the passcode's check to the page's request for the cookie: well under a second
Purpose = Literal["session", "ticket"]

_SHAPE = re.compile(r"(session|ticket)\.([0-9]{1,12})\.([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})")


def secret_file() -> Path:
    return state_dir() / "teacher-secret"


def server_secret() -> bytes:
    """The installation's signing secret. The file is written whole under another name and then linked into
    place, so two processes starting together never read a half-written secret: the second link fails and that
    process reads the first one's."""
    configured = os.environ.get(SECRET_ENV, "").strip()
    if configured:
        return configured.encode()
    path = secret_file()
    if path.is_file():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_urlsafe(48) + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes().strip()


def signing_key(secret: bytes, passcode: str) -> bytes:
    return hmac.new(secret, b"sourcecheck teacher sign-in v1\0" + passcode.encode(), hashlib.sha256).digest()


def current_key() -> bytes:
    """The key for this moment's passcode: read at each use, so a new passcode takes effect without a restart."""
    return signing_key(server_secret(), teacher_passcode())


def _signature(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(key: bytes, purpose: Purpose, lifetime: int, now: float) -> str:
    body = f"{purpose}.{int(now) + lifetime}.{secrets.token_urlsafe(16)}"
    return f"{body}.{_signature(key, body)}"


def verify(token: str | None, key: bytes, purpose: Purpose, now: float) -> str | None:
    """The token's nonce when it was signed with `key` for `purpose` and has not expired; otherwise None."""
    match = _SHAPE.fullmatch(token or "")
    if match is None or match[1] != purpose or int(match[2]) <= now:
        return None
    body = f"{match[1]}.{match[2]}.{match[3]}"
    return match[3] if hmac.compare_digest(match[4], _signature(key, body)) else None


class Tickets:
    """Which tickets this process has already exchanged, each kept until it expires, so a ticket buys one
    cookie. Exchanges happen on the web server's threads: a lock guards the set."""

    def __init__(self) -> None:
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def redeem(self, ticket: str, key: bytes, now: float) -> bool:
        nonce = verify(ticket, key, "ticket", now)
        if nonce is None:
            return False
        with self._lock:
            self._used = {n: expiry for n, expiry in self._used.items() if expiry > now}
            if nonce in self._used:
                return False
            self._used[nonce] = now + TICKET_SECONDS
            return True
