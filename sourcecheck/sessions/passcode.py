"""The teacher passcode that guards teacher pages (workshop, exports, later the dashboard).

Set SOURCECHECK_TEACHER_PASSCODE to choose it. Otherwise one is generated on first use and kept in
.sourcecheck/teacher-passcode (readable only by its owner) so that `make run` works out of the box
and the teacher can read it with `python -m sourcecheck passcode`.
"""

from __future__ import annotations

import hmac
import os
import secrets
from pathlib import Path

from sourcecheck.lessons.paths import PROJECT_ROOT

__all__ = ["check_passcode", "passcode_file", "teacher_passcode"]

ENV = "SOURCECHECK_TEACHER_PASSCODE"


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
