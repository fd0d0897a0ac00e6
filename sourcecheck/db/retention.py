"""How long a solo student's practice is kept: SOURCECHECK_SOLO_RETENTION_DAYS days after their last answer.

Anyone can open a lesson without a class code, so what solo students store must expire, or a script could fill
the disk over weeks. A one-off class's rows are the teacher's, kept until the teacher deletes the class. A course
(issue 18) has its own date, `courses.retention_until` (sessions/courses.py: the end of the school year unless the
teacher picks sooner), and SqlStore.purge_courses deletes it on the same beat: at start-up and once a day.
A wrong value raises DatabaseUnavailable naming the variable, which the
page shows, rather than quietly keeping data for a period nobody chose.
"""

from __future__ import annotations

from sourcecheck.db.engine import whole_number

__all__ = ["PURGE_EVERY_SECONDS", "RETENTION_ENV", "SOLO_RETENTION_DAYS", "solo_retention_days"]

RETENTION_ENV = "SOURCECHECK_SOLO_RETENTION_DAYS"
SOLO_RETENTION_DAYS = 30
PURGE_EVERY_SECONDS = 86_400.0  # after the purge at start-up, once a day per process


def solo_retention_days() -> int:
    return whole_number(RETENTION_ENV, SOLO_RETENTION_DAYS, least=1, unit="days")
