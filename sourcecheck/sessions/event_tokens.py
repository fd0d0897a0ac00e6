"""The token in an event stream's URL (`?t=`): which class's numbers a page may follow, signed by the server.

A stream carries only version numbers (sessions/changes.py), nothing of a question, an answer or a name, so the
token guards little: it keeps a stranger from opening streams on made-up class ids, and it is what lets the event
route refuse at once, without a database read, anything the app did not hand out. Class ids are never reused, so a
token cannot come to point at another class; it needs no expiry.

`kind.id.signature`: the signature is the first 16 bytes of an HMAC-SHA256 under a key derived from the
installation's secret (teacher_auth.server_secret, shared by every process), urlsafe base64: about 35 characters.
Read with a bounded length and a constant-time comparison.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from functools import cache

from sourcecheck.sessions import teacher_auth
from sourcecheck.sessions.changes import Kind, Topic

__all__ = ["MAX_TOKEN", "Kind", "Topic", "read_token", "topic_token"]

MAX_TOKEN = 64  # longer than any token this module makes: anything longer is refused before it is parsed
_SIGNATURE_BYTES = 16
_SHAPE = re.compile(r"(state|room)\.([1-9][0-9]{0,17})\.([A-Za-z0-9_-]{22})")


@cache
def _key(secret: bytes) -> bytes:
    return hmac.new(secret, b"sourcecheck event stream v1", hashlib.sha256).digest()


def _signature(kind: str, session_id: int) -> str:
    mac = hmac.new(_key(teacher_auth.server_secret()), f"{kind}.{session_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:_SIGNATURE_BYTES]).rstrip(b"=").decode()


def topic_token(topic: Topic) -> str:
    return f"{topic.kind}.{topic.session_id}.{_signature(topic.kind, topic.session_id)}"


def read_token(text: str) -> Topic | None:
    """The topic a token names, or None for anything this server did not sign."""
    if len(text) > MAX_TOKEN:
        return None
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        return None
    kind: Kind = "state" if shape[1] == "state" else "room"
    session_id = int(shape[2])
    if not hmac.compare_digest(shape[3], _signature(kind, session_id)):
        return None
    return Topic(kind, session_id)
