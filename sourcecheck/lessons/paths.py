"""Where the project's folders are; environment variables let tests and teachers point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "checks_dir", "lessons_dir", "seeds_dir"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def lessons_dir() -> Path:
    return Path(os.environ.get("SOURCECHECK_LESSONS", PROJECT_ROOT / "lessons"))


def seeds_dir() -> Path:
    return Path(os.environ.get("SOURCECHECK_SEEDS", PROJECT_ROOT / "seeds"))


def checks_dir() -> Path:
    """The checks (parallel-form assessments, docs/checks.md); SOURCECHECK_CHECKS points elsewhere."""
    return Path(os.environ.get("SOURCECHECK_CHECKS", PROJECT_ROOT / "checks"))
