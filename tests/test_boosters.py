"""Booster choice (analytics/boosters.py): the weakest post-check skills, only unseen items, ties broken by the
stated rule, and the day it opens on a clock the test moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sourcecheck.analytics.boosters import (
    BankItem,
    booster_due,
    booster_open,
    choose_booster,
    weakest_skills,
)
from sourcecheck.analytics.course_report import CheckAnswer, Phase


def answer(item: str, skill: str, earned: float, possible: int = 1, phase: Phase = "post",
           student: str = "ana") -> CheckAnswer:
    return CheckAnswer(student, phase, f"{phase}-check", "B", item, skill, earned, possible)


# ana's post-check: hedges 1 of 4 (0.25), tracing 1 of 2 (0.5), who-is-behind 3 of 4 (0.75), what-is-cited 2 of 2
POST = [answer("h1", "hedges", 0), answer("h2", "hedges", 1), answer("h3", "hedges", 0, 2),
        answer("t1", "tracing", 1, 2),
        answer("w1", "who-is-behind", 1), answer("w2", "who-is-behind", 2, 3),
        answer("c1", "what-is-cited", 2, 2)]
BANK = [BankItem(f"{skill[:2]}-{n}", skill, "lesson-7") for skill in ("hedges", "tracing", "who-is-behind",
                                                                       "what-is-cited") for n in range(3)]


def test_the_two_weakest_skills_two_unseen_items_each() -> None:
    assert [s.skill for s in weakest_skills(POST)] == ["hedges", "tracing", "who-is-behind", "what-is-cited"]
    assert choose_booster(POST, BANK) == ["he-0", "he-1", "tr-0", "tr-1"]


def test_items_seen_before_are_never_offered() -> None:
    bank = [BankItem("h2", "hedges", "post-check"), *BANK]  # h2 was in the post-check itself
    chosen = choose_booster(POST, bank, seen={"he-0", "tr-1"})
    assert chosen == ["he-1", "he-2", "tr-0", "tr-2"]
    assert not {"h2", "he-0", "tr-1"} & set(chosen)


def test_a_weak_skill_with_nothing_new_is_passed_over_for_the_next() -> None:
    seen = {"he-0", "he-1", "he-2"}
    assert choose_booster(POST, BANK, seen=seen) == ["tr-0", "tr-1", "wh-0", "wh-1"]
    # one unseen item left: it is all that skill gives
    assert choose_booster(POST, BANK, seen={"he-0", "he-1"}, n_skills=1, items_per_skill=3) == ["he-2"]


def test_ties_go_to_more_marks_missed_then_to_the_skill_name() -> None:
    # hedges 1 of 2 and tracing 2 of 4: both 0.5, tracing missed 2 marks, hedges 1 -> tracing first
    # what-is-cited 1 of 2 and hedges 1 of 2: same share, same marks missed -> by name: hedges before what-is-cited
    tied = [answer("h", "hedges", 1, 2), answer("t", "tracing", 2, 4), answer("c", "what-is-cited", 1, 2)]
    assert [s.skill for s in weakest_skills(tied)] == ["tracing", "hedges", "what-is-cited"]
    assert [s.skill for s in weakest_skills(list(reversed(tied)))] == ["tracing", "hedges", "what-is-cited"]
    assert choose_booster(tied, BANK, items_per_skill=1) == ["tr-0", "he-0"]


def test_only_post_check_answers_count_and_one_student_at_a_time() -> None:
    earlier = [answer("old", "what-is-cited", 0, 5, phase="pre")]  # a weak pre-check does not decide
    assert choose_booster([*earlier, *POST], BANK, n_skills=1, items_per_skill=1) == ["he-0"]
    assert choose_booster(earlier, BANK) == []  # no post-check yet: no booster
    with pytest.raises(ValueError, match="2 students"):
        choose_booster([*POST, answer("x", "hedges", 0, student="ben")], BANK)
    with pytest.raises(ValueError):
        choose_booster(POST, BANK, n_skills=0)


def test_the_booster_opens_a_set_number_of_days_after_the_post_check() -> None:
    taken = datetime(2026, 10, 5, 14, 30, tzinfo=UTC)
    assert booster_due(taken, 14) == date(2026, 10, 19)
    today = date(2026, 10, 5)
    opened = []
    for _ in range(20):  # move the clock a day at a time
        today += timedelta(days=1)
        opened.append(booster_open(taken, 14, today))
    assert opened.index(True) == 13 and all(opened[13:])
    # 02:30 UTC on the 6th is 21:30 on the 5th in a school at UTC-5: the booster is due a week after the 5th
    late = datetime(2026, 10, 6, 2, 30, tzinfo=UTC)
    assert booster_due(late, 7, tz=timezone(timedelta(hours=-5))) == date(2026, 10, 12)
    assert booster_due(late, 7) == date(2026, 10, 13)
    assert booster_due(date(2026, 10, 5), 0) == date(2026, 10, 5)
    with pytest.raises(ValueError):
        booster_due(taken, -1)
