"""Join codes: short enough to read off a projector, long enough that guessing one is hopeless.

31 characters without look-alikes (no 0/O, no 1/I/L), 6 of them: 31**6 = 887,503,681 codes, about
29.7 bits. With 100 classes open at once, one guess finds one with a chance of about 1 in 8.9 million, and
wrong guesses are limited per tab and slowed per address and for everyone, in the database (sessions/guesses.py;
docs/security.md has the expected time to find a code).
"""

from __future__ import annotations

import secrets

__all__ = ["ALPHABET", "CODE_LENGTH", "new_code", "normalise_code"]

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a student typed, as stored: upper case, without spaces, dashes or dots."""
    return "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-_.")[:16]
