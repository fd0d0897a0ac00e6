"""A student's answer to one question as a plain record: what a store keeps and a summary reads.

Kept free of any UI and any storage so that the same record comes out of memory, SQLite or
PostgreSQL and is scored again with the same result.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from sourcecheck.grading.responses import Response

__all__ = ["Answer"]


@dataclass(frozen=True)
class Answer:
    student: str
    lesson_id: str
    question_id: str
    attempt: int
    response: Response
    confidence: int | None = None  # "how sure are you?", 50-100
    submitted_at: float = field(default_factory=time.time)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)
