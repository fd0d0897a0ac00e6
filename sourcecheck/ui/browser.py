"""What a browser tells the server about itself: the device cookie.

The app's web layer gives every browser an HttpOnly cookie, `sc_device`, holding a random id (no personal
data), the first time it loads a page. Streamlit hands a session the cookies of the request that opened it
(st.context.cookies), so every tab of that browser, a reload, a QR code scanned again, all read the same id:
that is how a student who closed the tab finds their seat again. A cookie is cheap for a client to change, so
nothing that limits guessing is keyed on it (sessions/guesses.py keys on the network address).
"""

from __future__ import annotations

import re

import streamlit as st

__all__ = ["DEVICE_COOKIE", "device_id"]

DEVICE_COOKIE = "sc_device"
_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,64}")  # secrets.token_urlsafe(32) is 43 characters


def device_id() -> str | None:
    """This browser's device id, or None (no cookie yet, cookies blocked, or a value of the wrong shape)."""
    value = st.context.cookies.get(DEVICE_COOKIE)
    return value if isinstance(value, str) and _SHAPE.fullmatch(value) else None
