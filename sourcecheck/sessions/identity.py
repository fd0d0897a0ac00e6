"""Who a student is without an account: a random token that the URL carries.

The token seeds the option shuffle and finds a student's answers after a refresh or a restart,
so it must be unguessable and must survive being pasted back from a URL unchanged.
"""

from __future__ import annotations

import re
import secrets

__all__ = ["is_student_token", "new_student_token"]

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_student_token() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits


def is_student_token(text: object) -> bool:
    """Anything else in the URL (a typo, markup, a very long string) is ignored, never stored."""
    return isinstance(text, str) and _TOKEN.fullmatch(text) is not None  # fullmatch: `$` allows a final newline
