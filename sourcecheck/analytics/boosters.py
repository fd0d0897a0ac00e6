"""Which booster a student gets after the post-check, and when (issue 18).

A booster is a short set of items on the skills a student was weakest at in the post-check, offered in their
course home a set number of days later: spaced retrieval on what the lessons left least secure. Items are ones
the student has not seen, so the booster measures the skill, not memory of an item.

The rules, all pure (no store, no clock: the caller passes the date, so a test moves the clock by passing a
later one):
- a skill's share = marks earned / marks possible over the student's post-check answers on it; only skills
  the student answered in the post-check are candidates (a skill never asked has no measured weakness);
- weakest first: the lower share first; on equal shares the skill with more marks missed first (more evidence
  of the weakness), then by skill name, so the choice never depends on the order answers arrived in;
- a skill with no unseen item in the bank is passed over for the next weakest, so a student gets a booster
  as long as any candidate skill has unseen items; a skill with fewer unseen items than asked gives what it has;
- within a skill, items in the bank's order (the caller orders the bank: lesson order, say);
- "seen" = the ids the caller passes plus every item in the answers given (the student answered those).
A student who scored full marks still gets a booster on their relatively weakest skills: retrieval after a
gap helps retention even where the post-check showed no gap.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from sourcecheck.analytics.course_report import CheckAnswer

__all__ = ["BankItem", "SkillShare", "booster_due", "booster_open", "choose_booster", "weakest_skills"]


@dataclass(frozen=True)
class BankItem:
    """One item the booster may use, as the caller builds it from the library."""

    item_id: str
    skill: str
    source: str  # the lesson or check it comes from


@dataclass(frozen=True)
class SkillShare:
    skill: str
    earned: float
    possible: int

    @property
    def share(self) -> float:
        return self.earned / self.possible

    @property
    def missed(self) -> float:
        return self.possible - self.earned


def weakest_skills(answers: Iterable[CheckAnswer]) -> list[SkillShare]:
    """The student's post-check skills, weakest first (the rule in the module docstring). Answers from other
    phases are ignored; skills worth no marks have no share and are left out. Raises ValueError when the
    answers are from more than one student."""
    post = [a for a in answers if a.phase == "post"]
    students = {a.student for a in post}
    if len(students) > 1:
        raise ValueError(f"the answers are from {len(students)} students; a booster is chosen for one")
    earned: dict[str, float] = {}
    possible: dict[str, int] = {}
    for a in post:
        earned[a.skill] = earned.get(a.skill, 0.0) + a.earned
        possible[a.skill] = possible.get(a.skill, 0) + a.possible
    shares = [SkillShare(skill, earned[skill], possible[skill]) for skill in earned if possible[skill] > 0]
    return sorted(shares, key=lambda s: (s.share, -s.missed, s.skill))


def choose_booster(answers: Sequence[CheckAnswer], bank: Sequence[BankItem], seen: Collection[str] = (), *,
                   n_skills: int = 2, items_per_skill: int = 2) -> list[str]:
    """The booster's item ids: up to `items_per_skill` unseen items from each of the student's `n_skills`
    weakest post-check skills that have unseen items, weakest skill first. Empty when the student has no
    post-check answers or the bank has nothing new on any of their skills."""
    if n_skills < 1 or items_per_skill < 1:
        raise ValueError("n_skills and items_per_skill must be at least 1")
    done = set(seen) | {a.item_id for a in answers}
    unseen: dict[str, list[str]] = {}
    for item in bank:
        if item.item_id not in done and item.item_id not in unseen.get(item.skill, ()):
            unseen.setdefault(item.skill, []).append(item.item_id)
    chosen: list[str] = []
    skills = 0
    for skill in weakest_skills(answers):
        fresh = unseen.get(skill.skill)
        if not fresh:
            continue
        chosen += fresh[:items_per_skill]
        skills += 1
        if skills == n_skills:
            break
    return chosen


def booster_due(post_taken_at: datetime | date, days: int, tz: tzinfo = UTC) -> date:
    """The day the booster opens: `days` after the day the post-check was taken. A time with a zone is first
    read in `tz` (the school's zone), so a check taken late in the evening counts for that evening's day."""
    if days < 0:
        raise ValueError("days must not be negative")
    if isinstance(post_taken_at, datetime):
        day = (post_taken_at.astimezone(tz) if post_taken_at.tzinfo is not None else post_taken_at).date()
    else:
        day = post_taken_at
    return day + timedelta(days=days)


def booster_open(post_taken_at: datetime | date, days: int, today: date, tz: tzinfo = UTC) -> bool:
    """Whether the course home offers the booster on `today` (the caller's clock)."""
    return today >= booster_due(post_taken_at, days, tz)
