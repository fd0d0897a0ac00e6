"""The teacher passcode that guards teacher pages (workshop, exports, later the dashboard).

Set SOURCECHECK_TEACHER_PASSCODE to choose it. Otherwise one is generated on first use and kept in
.sourcecheck/teacher-passcode (readable only by its owner) so that `make run` works out of the box
and the teacher can read it with `python -m sourcecheck passcode`.
"""

from __future__ import annotations

import hmac
import os
import secrets
import time
from pathlib import Path

from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = ["WRONG_PASSCODE_DELAY", "check_passcode", "passcode_file", "sign_in", "teacher_passcode"]

ENV = "SOURCECHECK_TEACHER_PASSCODE"
WRONG_PASSCODE_DELAY = 1.0  # seconds


def passcode_file() -> Path:
    return Path(os.environ.get("SOURCECHECK_STATE", PROJECT_ROOT / ".sourcecheck")) / "teacher-passcode"


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
    """Constant-time comparison, so response times do not leak how much of a guess was right."""
    return hmac.compare_digest(attempt.strip().encode(), teacher_passcode().encode())


def sign_in(attempt: str) -> bool:
    """A passcode check that makes guessing slow: every wrong or empty attempt waits before it answers,
    which a teacher who mistyped hardly notices and a guessing script pays on every try."""
    if attempt.strip() and check_passcode(attempt):
        return True
    time.sleep(WRONG_PASSCODE_DELAY)
    return False
