"""The teacher passcode that guards every teacher page (workshop, exports, classes, projector, results).

Set SOURCECHECK_TEACHER_PASSCODE to choose it. Otherwise one is generated on first use and kept in
teacher-passcode under SOURCECHECK_STATE (default .sourcecheck/), a file created readable only by its owner,
so that `make run` works out of the box and the teacher can read it with `python -m sourcecheck passcode`.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = [
    "WRONG_PASSCODE_DELAY", "Sleep", "check_passcode", "passcode_file", "sign_in", "state_dir", "teacher_passcode",
]

ENV = "SOURCECHECK_TEACHER_PASSCODE"
WRONG_PASSCODE_DELAY = 1.0  # seconds
Sleep = Callable[[float], None]


def state_dir() -> Path:
    """Where the app keeps what it generates for itself (the passcode, the teacher sign-in secret)."""
    return Path(os.environ.get("SOURCECHECK_STATE", PROJECT_ROOT / ".sourcecheck"))


def passcode_file() -> Path:
    return state_dir() / "teacher-passcode"


def teacher_passcode() -> str:
    configured = os.environ.get(ENV, "").strip()
    if configured:
        return configured
    path = passcode_file()
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    code = "-".join(secrets.token_hex(2) for _ in range(3))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(code + "\n")
    return code


def check_passcode(attempt: str) -> bool:
    """A constant-time comparison (hmac.compare_digest), so the time it takes does not tell how much of a guess
    was right; it can tell whether the guess had the passcode's length."""
    return hmac.compare_digest(attempt.strip().encode(), teacher_passcode().encode())


def sign_in(attempt: str, *, sleep: Sleep = time.sleep) -> bool:
    """A passcode check that makes guessing slow: every wrong or empty attempt waits WRONG_PASSCODE_DELAY before
    it answers, which a teacher who mistyped hardly notices and a script guessing in one session pays on every
    try. The wait holds only that session's thread: sessions guessing in parallel each wait their own second
    (docs/security.md gives what bounds them). `sleep` is how it waits; tests pass one that records instead."""
    if attempt.strip() and check_passcode(attempt):
        return True
    sleep(WRONG_PASSCODE_DELAY)
    return False
