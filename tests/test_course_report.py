"""The course report (analytics/course_report.py) against hand computations: a three-student course worked in
the comments, a simulated course of 30 students (pre, post, booster, delayed, some absent) recomputed here from
the formulas, the flag on a class that became more sceptical and not on one that became better at telling,
the same discernment figures as discernment.py, missing checks, bad input and the tables' headers."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import NormalDist, fmean

import numpy as np
import pandas as pd
import pytest

from sourcecheck.analytics.boosters import BankItem, booster_due, booster_open, choose_booster
from sourcecheck.analytics.course_report import (
    CHANGE_COLUMNS,
    CHANGES,
    CLASS_COLUMNS,
    CLASS_SKILL_COLUMNS,
    PHASES,
    SKILL_COLUMNS,
    CheckAnswer,
    CourseReport,
    Phase,
    change_table,
    class_skill_table,
    class_table,
    course_report,
    skill_table,
    student_columns,
    student_table,
)
from sourcecheck.analytics.csv import to_csv_bytes
from sourcecheck.analytics.discernment import (
    FLAG_SCEPTICAL,
    Judgement,
    Verdict,
    class_discernment,
    compare_checks,
)
from sourcecheck.analytics.intervals import BadInput, Estimate, mean_estimate

Z = NormalDist().inv_cdf
RESAMPLES = 500  # enough for an interval that holds its estimate; keeps the suite quick


def judged(student: str, phase: Phase, item: str, truth: Verdict, answer: Verdict, skill: str = "hedges",
           confidence: int | None = None) -> CheckAnswer:
    return CheckAnswer(student, phase, f"{phase}-check", "A", item, skill, float(truth == answer), 1, truth, answer,
                       confidence)


def marked(student: str, phase: Phase, item: str, skill: str, earned: float, possible: int) -> CheckAnswer:
    return CheckAnswer(student, phase, f"{phase}-check", "A", item, skill, earned, possible)


# --- a course small enough to work by hand -----------------------------------------------------------------------
#
# ana, pre:  judgement items s1 s2 (strong) w1 w2 (weak); answers strong, weak, weak, strong -> 2 of 4 marks
#            a 2-mark item on "tracing": 1 of 2              -> pre score (2 + 1) / (4 + 2) = 3/6 = 0.5
#            hits 1/2, false alarms 1/2: H' = 1.5/3 = 0.5, F' = 0.5 -> d′ = 0, c = 0
# ana, post: strong, strong, weak, weak -> 4 of 4; tracing 2 of 2 -> post score 6/6 = 1.0
#            hits 2/2, false alarms 0/2: H' = 2.5/3 = 0.8333, F' = 0.5/3 = 0.1667
#            z(0.8333) = 0.9674 -> d′ = 0.9674 - (-0.9674) = 1.9348, c = 0
# ana, delayed: strong, strong, strong, weak -> 3 of 4; tracing 1 of 2 -> delayed score 4/6 = 0.6667
# ana: gain 1.0 - 0.5 = 0.5, retained gain 0.6667 - 0.5 = 0.1667, share kept 0.1667 / 0.5 = 0.3333
# ben, pre: all four called weak -> 2 of 4; tracing 0 of 2 -> 2/6 = 0.3333; hits 0/2, false alarms 0/2:
#           H' = F' = 0.5/3 = 0.1667 -> d′ = 0, c = -(2 x -0.9674) / 2 = 0.9674 (sceptical)
# ben, post: strong, weak, weak, weak -> 3 of 4; tracing 2 of 2 -> 5/6 = 0.8333
# ben: absent from the delayed check -> gain 0.5, no retained gain
# class: pre score mean(0.5, 0.3333) = 0.4167, post mean(1.0, 0.8333) = 0.9167, gain mean(0.5, 0.5) = 0.5;
#        delayed over ana alone: 0.6667, retained gain 0.1667, share kept 0.1667 / 0.5 (ana's gain) = 0.3333
# cai is on the roster and has answered nothing yet.


def _verdicts(student: str, phase: Phase, answers: str) -> list[CheckAnswer]:
    items: list[tuple[str, Verdict]] = [("s1", "strong"), ("s2", "strong"), ("w1", "weak"), ("w2", "weak")]
    said: dict[str, Verdict] = {"s": "strong", "w": "weak"}
    return [judged(student, phase, f"{phase}-{item}", truth, said[a]) for (item, truth), a in zip(items, answers,
                                                                                                strict=True)]


SMALL = [*_verdicts("ana", "pre", "swws"), marked("ana", "pre", "pre-t", "tracing", 1, 2),
         *_verdicts("ben", "pre", "wwww"), marked("ben", "pre", "pre-t", "tracing", 0, 2),
         *_verdicts("ana", "post", "ssww"), marked("ana", "post", "post-t", "tracing", 2, 2),
         *_verdicts("ben", "post", "swww"), marked("ben", "post", "post-t", "tracing", 2, 2),
         *_verdicts("ana", "delayed", "sssw"), marked("ana", "delayed", "delayed-t", "tracing", 1, 2)]


@pytest.fixture(scope="module")
def small() -> CourseReport:
    return course_report(SMALL, roster=["ana", "ben", "cai"], seed=3, resamples=RESAMPLES)


def test_the_small_course_worked_by_hand(small: CourseReport) -> None:
    ana, ben, cai = small.students
    assert [s.student for s in small.students] == ["ana", "ben", "cai"]
    assert [ana.phases[p].score for p in ("pre", "post", "delayed")] == pytest.approx([0.5, 1.0, 4 / 6])
    assert ana.gain is not None and ben.gain is not None
    assert (ana.gain.gain, ana.gain.retained_gain, ana.gain.retention) == pytest.approx((0.5, 1 / 6, 1 / 3))
    assert ben.gain.gain == pytest.approx(0.5) and ben.gain.retained_gain is None and ben.gain.retention is None
    assert ben.missing == ("delayed",) and cai.missing == ("pre", "post", "delayed") and cai.gain is None
    tracing = {k.skill: k for k in ana.phases["pre"].skills}["tracing"]
    assert (tracing.earned, tracing.possible, tracing.score) == (1, 2, 0.5)
    pre_ana, post_ana, pre_ben = ana.discernment["pre"], ana.discernment["post"], ben.discernment["pre"]
    assert (pre_ana.d_prime, pre_ana.criterion) == pytest.approx((0.0, 0.0), abs=1e-12)
    assert post_ana.d_prime == pytest.approx(1.9348, abs=1e-4) and post_ana.criterion == pytest.approx(0, abs=1e-12)
    assert pre_ben.d_prime == pytest.approx(0, abs=1e-12) and pre_ben.criterion == pytest.approx(0.9674, abs=1e-4)
    assert (pre_ben.hit_rate, pre_ben.false_alarm_rate) == (0.0, 0.0)

    pre, post, booster, delayed = small.phases
    assert pre.score is not None and post.score is not None and delayed.score is not None
    assert (pre.score.value, post.score.value, delayed.score.value) == pytest.approx((5 / 12, 11 / 12, 4 / 6))
    assert (pre.took, pre.absent, delayed.absent) == (2, ("cai",), ("ben", "cai"))
    assert booster.took == 0 and booster.score is None and booster.discernment is None
    gains = small.change("pre", "post").score
    retained, kept = small.change("pre", "delayed").score, small.change("pre", "delayed").retention
    assert gains is not None and retained is not None and kept is not None
    assert (gains.value, retained.value, kept.value) == pytest.approx((0.5, 1 / 6, 1 / 3))
    assert (gains.students, retained.students) == (2, 1)
    assert "nobody has taken the booster check yet" in small.notes
    assert any("ben, cai" in n and "delayed" in n for n in small.notes)


def test_the_small_course_tables(small: CourseReport) -> None:
    students = student_table(small).set_index("Student")
    assert students.loc["ana", "Pre score (%)"] == pytest.approx(50.0)
    assert students.loc["ana", "Gain (percentage points)"] == pytest.approx(50.0)
    assert students.loc["ana", "Retained gain (percentage points)"] == pytest.approx(100 / 6)
    assert students.loc["ana", "Share of the gain kept (%)"] == pytest.approx(100 / 3)
    assert students.loc["ana", "Post d′ (z units)"] == pytest.approx(1.9348, abs=1e-4)
    assert math.isnan(students.loc["ben", "Delayed score (%)"]) and students.loc["ben", "Checks missed"] == "delayed"
    assert students.loc["cai", "Checks missed"] == "pre, post, delayed"
    checks = class_table(small).set_index("Check")
    assert checks.loc["Post", "Score (%)"] == pytest.approx(100 * 11 / 12)
    assert checks.loc["Delayed", "Students absent"] == 2 and checks.loc["Delayed", "Students who took it"] == 1
    assert checks.loc["Pre", "Hit rate (%)"] == pytest.approx(25.0)  # pooled: 1 hit of 4 strong passages
    skills = skill_table(small)
    row = skills[(skills["Student"] == "ben") & (skills["Check"] == "Pre") & (skills["Skill"] == "tracing")]
    assert row[["Score (%)", "Marks earned", "Marks possible"]].values.tolist() == [[0.0, 0.0, 2]]


def test_the_headers_the_course_page_and_csv_use(small: CourseReport) -> None:
    scores = ["Pre score (%)", "Post score (%)", "Booster score (%)", "Delayed score (%)"]
    rates = [f"{check} {rate}" for check in ("Pre", "Post", "Booster", "Delayed")
             for rate in ("hit rate (%)", "false-alarm rate (%)", "d′ (z units)", "c (z units)", "AUC (%)")]
    assert student_columns() == ["Student", *scores, "Gain (percentage points)",
                                 "Retained gain (percentage points)", "Share of the gain kept (%)",
                                 "Booster skills", "Post score on the booster skills (%)", *rates, "Checks missed"]
    assert CLASS_COLUMNS == [
        "Check", "Students who took it", "Students absent", "Score (%)", "Score 95 % interval from (%)",
        "Score 95 % interval to (%)", "Hit rate (%)", "False-alarm rate (%)", "d′ (z units)",
        "d′ 95 % interval from", "d′ 95 % interval to", "c (z units)", "c 95 % interval from",
        "c 95 % interval to", "AUC (%)", "AUC 95 % interval from (%)", "AUC 95 % interval to (%)",
        "Post score on the same skills (%)"]
    assert CHANGE_COLUMNS == [
        "From", "To", "Students with both scores", "Score change (percentage points)",
        "Score change 95 % interval from (percentage points)",
        "Score change 95 % interval to (percentage points)", "Share of the gain kept (%)",
        "Share kept 95 % interval from (%)", "Share kept 95 % interval to (%)", "Students with d′ in both",
        "d′ change (z units)", "d′ change 95 % interval from", "d′ change 95 % interval to", "c change (z units)",
        "c change 95 % interval from", "c change 95 % interval to", "Flag", "Notes"]
    assert SKILL_COLUMNS == ["Student", "Check", "Skill", "Score (%)", "Marks earned", "Marks possible"]
    assert CLASS_SKILL_COLUMNS == ["Check", "Skill", "Students", "Score (%)", "Score 95 % interval from (%)",
                                   "Score 95 % interval to (%)"]
    tables = [(student_table, student_columns()), (class_table, CLASS_COLUMNS), (change_table, CHANGE_COLUMNS),
              (skill_table, SKILL_COLUMNS), (class_skill_table, CLASS_SKILL_COLUMNS)]
    for build, columns in tables:
        frame = build(small)
        assert list(frame.columns) == columns
        # the CSV download keeps the headers as they are (csv.for_people renames only raw column names)
        back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), encoding="utf-8-sig")
        assert list(back.columns) == columns and len(back) == len(frame)


# --- a simulated course of 30 students ----------------------------------------------------------------------------

SKILLS = ("who-is-behind", "hedges", "what-is-cited", "tracing")
ABSENT_LATER = ("s05", "s12", "s19", "s26")  # miss the delayed check
BOOSTER_DAYS = 14


@dataclass
class Course:
    """The answers of a simulated course, and the clock it ran on (days moved by hand, never slept)."""

    answers: list[CheckAnswer] = field(default_factory=list)
    boosters: dict[str, list[str]] = field(default_factory=dict)
    booster_days: dict[str, date] = field(default_factory=dict)


def _check(rng: np.random.Generator, student: str, phase: Phase, form: str, ability: float,
           bias: float) -> list[CheckAnswer]:
    """Twelve items: eight judgement items (four strong, four weak), one 2-mark item per skill. `ability` is how
    well the student tells strong from weak and answers the rest; `bias` > 0 makes them slower to say strong."""
    out = []
    for i in range(8):
        truth: Verdict = "strong" if i % 2 == 0 else "weak"
        p_strong = (0.5 + ability / 2 if truth == "strong" else 0.5 - ability / 2) - bias
        answer: Verdict = "strong" if rng.random() < p_strong else "weak"
        out.append(CheckAnswer(student, phase, f"{phase}-check", form, f"{form}-j{i}", SKILLS[i % 4],
                               float(answer == truth), 1, truth, answer, int(rng.integers(50, 101))))
    for k, skill in enumerate(SKILLS):
        earned = float(rng.binomial(2, 0.3 + 0.6 * ability))
        out.append(CheckAnswer(student, phase, f"{phase}-check", form, f"{form}-m{k}", skill, earned, 2))
    return out


BANK = [BankItem(f"b-{skill}-{n}", skill, "booster-lesson") for skill in SKILLS for n in range(3)]
# the post-check's items are in the bank too: the booster must not offer them again
BANK += [BankItem(f"B-m{k}", skill, "post-check") for k, skill in enumerate(SKILLS)]


def simulate(seed: int = 18) -> Course:
    rng = np.random.default_rng(seed)
    course = Course()
    students = [f"s{n:02d}" for n in range(1, 31)]
    ability = {s: float(rng.uniform(0.1, 0.5)) for s in students}
    start = datetime(2026, 9, 7, 9, 0, tzinfo=UTC)
    post_at = {s: start + timedelta(days=28, hours=int(rng.integers(0, 8))) for s in students}
    for s in students:
        course.answers += _check(rng, s, "pre", "A", ability[s], 0.0)
    for s in students:  # four lessons later
        course.answers += _check(rng, s, "post", "B", ability[s] + 0.3, 0.0)
    today = start.date()
    while today < start.date() + timedelta(days=70):  # the clock moves a day at a time; nothing sleeps
        today += timedelta(days=1)
        for s in students:
            if s not in course.boosters and booster_open(post_at[s], BOOSTER_DAYS, today):
                post = [a for a in course.answers if a.student == s and a.phase == "post"]
                items = choose_booster(post, BANK, seen={a.item_id for a in course.answers if a.student == s})
                course.boosters[s], course.booster_days[s] = items, today
                skill_of = {b.item_id: b.skill for b in BANK}
                course.answers += [CheckAnswer(s, "booster", "booster", "booster", item, skill_of[item],
                                               float(rng.binomial(1, 0.4 + ability[s])), 1) for item in items]
    for s in students:
        if s not in ABSENT_LATER:
            course.answers += _check(rng, s, "delayed", "A2", ability[s] + 0.2, 0.0)
    return course


@pytest.fixture(scope="module")
def simulated() -> tuple[Course, CourseReport]:
    course = simulate()
    return course, course_report(course.answers, seed=7, resamples=RESAMPLES)


def _by_hand_score(answers: list[CheckAnswer], student: str, phase: Phase) -> float | None:
    own = [a for a in answers if a.student == student and a.phase == phase]
    return sum(a.earned for a in own) / sum(a.possible for a in own) if own else None


def _by_hand_sdt(answers: list[CheckAnswer], student: str, phase: Phase) -> tuple[float, float]:
    own = [a for a in answers if a.student == student and a.phase == phase and a.judgement is not None]
    strong = [a for a in own if a.judgement == "strong"]
    weak = [a for a in own if a.judgement == "weak"]
    h = (sum(a.answer == "strong" for a in strong) + 0.5) / (len(strong) + 1)
    f = (sum(a.answer == "strong" for a in weak) + 0.5) / (len(weak) + 1)
    return Z(h) - Z(f), -(Z(h) + Z(f)) / 2


def test_the_clock_opens_each_booster_fourteen_days_after_the_post_check(simulated: tuple[Course,
                                                                                         CourseReport]) -> None:
    course, _ = simulated
    assert len(course.boosters) == 30
    for student, day in course.booster_days.items():
        post_day = day - timedelta(days=BOOSTER_DAYS)
        assert booster_due(datetime.combine(post_day, datetime.min.time(), UTC), BOOSTER_DAYS) == day
        assert not booster_open(post_day, BOOSTER_DAYS, day - timedelta(days=1))
        assert len(course.boosters[student]) == 4  # two weakest skills, two items each, none seen before
        assert not any(item.startswith("B-") for item in course.boosters[student])


@pytest.mark.parametrize("student", ["s01", "s05", "s17", "s30"])
def test_students_of_the_simulated_course_by_hand(simulated: tuple[Course, CourseReport], student: str) -> None:
    course, report = simulated
    own = report.student(student)
    hand = {p: _by_hand_score(course.answers, student, p) for p in PHASES}
    assert {p: s.score for p, s in own.phases.items()} == pytest.approx({p: v for p, v in hand.items() if v})
    pre, post, delayed = hand["pre"], hand["post"], hand["delayed"]
    assert pre is not None and post is not None and own.gain is not None
    assert own.gain.gain == pytest.approx(post - pre)
    if student in ABSENT_LATER:
        assert delayed is None and own.missing == ("delayed",)
        assert own.gain.retained_gain is None and own.gain.retention is None
    else:
        assert delayed is not None and own.missing == ()
        assert own.gain.retained_gain == pytest.approx(delayed - pre)
        assert own.gain.retention == pytest.approx((delayed - pre) / (post - pre))
    for phase in ("pre", "post") + (() if student in ABSENT_LATER else ("delayed",)):
        found = own.discernment[phase]
        assert (found.d_prime, found.criterion) == pytest.approx(_by_hand_sdt(course.answers, student, phase))
    # the booster: its items and score, and the post score on the same skills
    assert own.booster_skills == tuple(sorted({i.split("-", 1)[1].rsplit("-", 1)[0]
                                               for i in course.boosters[student]}))
    post_answers = [a for a in course.answers if a.student == student and a.phase == "post"
                    and a.skill in own.booster_skills]
    assert own.post_on_booster_skills == pytest.approx(sum(a.earned for a in post_answers)
                                                       / sum(a.possible for a in post_answers))


def test_the_simulated_class_by_hand(simulated: tuple[Course, CourseReport]) -> None:
    course, report = simulated
    students = [f"s{n:02d}" for n in range(1, 31)]
    for phase in PHASES:
        scores = [_by_hand_score(course.answers, s, phase) for s in students]
        present = [v for v in scores if v is not None]
        figure = report.phase(phase)
        assert figure.score is not None
        assert figure.score.value == pytest.approx(fmean(present)) and figure.score.students == len(present)
        assert figure.score.value in figure.score.interval
        assert figure.took == len(present)
    assert report.phase("delayed").absent == ABSENT_LATER
    gains = report.change("pre", "post").score
    assert gains is not None and gains.value in gains.interval
    pre = {s: _by_hand_score(course.answers, s, "pre") for s in students}
    post = {s: _by_hand_score(course.answers, s, "post") for s in students}
    assert gains.value == pytest.approx(fmean(post[s] - pre[s] for s in students))  # type: ignore[operator]
    stayed = [s for s in students if s not in ABSENT_LATER]
    delayed = {s: _by_hand_score(course.answers, s, "delayed") for s in stayed}
    retained, kept = report.change("pre", "delayed").score, report.change("pre", "delayed").retention
    assert retained is not None and kept is not None and retained.students == 26
    mean_retained = fmean(delayed[s] - pre[s] for s in stayed)  # type: ignore[operator]
    assert retained.value == pytest.approx(mean_retained)
    assert kept.value == pytest.approx(mean_retained / fmean(post[s] - pre[s] for s in stayed))  # type: ignore
    d_prime = report.phase("post").discernment
    assert d_prime is not None and d_prime.d_prime is not None
    assert d_prime.d_prime.value == pytest.approx(fmean(_by_hand_sdt(course.answers, s, "post")[0]
                                                        for s in students))
    assert d_prime.d_prime.value in d_prime.d_prime.interval
    # the lessons made this class better at telling, not more sceptical: no flag
    shift = report.change("pre", "post").discernment
    assert shift is not None and shift.d_prime_change.value > 0 and 0 not in shift.d_prime_change.interval
    assert shift.flag is None
    booster = report.phase("booster")
    assert booster.score is not None and booster.took == 30 and booster.post_on_same_skills is not None
    assert any("4 students did not take the delayed check" in n for n in report.notes)
    table = student_table(report)
    assert len(table) == 30 and table["Delayed score (%)"].isna().sum() == 4


def test_discernment_per_check_is_the_same_as_discernment_py(simulated: tuple[Course, CourseReport]) -> None:
    course, report = simulated
    for phase in ("pre", "post", "delayed"):
        judgements = [Judgement(a.student, a.item_id, a.judgement, a.answer, a.confidence) for a in course.answers
                      if a.phase == phase and a.judgement is not None and a.answer is not None]
        expected = class_discernment(judgements, seed=7, resamples=RESAMPLES)
        found = report.phase(phase).discernment
        assert found is not None
        assert [s.student for s in found.students] == [s.student for s in expected.students]
        for ours, theirs in zip(found.students, expected.students, strict=True):
            assert ours.auc == pytest.approx(theirs.auc)
            assert (ours.hits, ours.false_alarms, ours.n_strong, ours.n_weak) == \
                (theirs.hits, theirs.false_alarms, theirs.n_strong, theirs.n_weak)
            assert (ours.d_prime, ours.criterion) == pytest.approx((theirs.d_prime, theirs.criterion))
        assert (found.hit_rate, found.false_alarm_rate) == pytest.approx((expected.hit_rate,
                                                                          expected.false_alarm_rate))
        for name in ("d_prime", "criterion", "auc"):
            assert same(getattr(found, name), getattr(expected, name))


def test_changes_between_checks_are_the_same_as_compare_checks(simulated: tuple[Course, CourseReport]) -> None:
    """The report estimates the d′ and c changes with its other figures (shared resamples); each is still what
    `discernment.compare_checks` gives that pair of checks alone, flag included (4 students missed the delayed
    check, so pre -> delayed is over fewer students than pre -> post)."""
    _, report = simulated
    counted = {}
    for before, after in CHANGES:
        first, then = report.phase(before).discernment, report.phase(after).discernment
        assert first is not None and then is not None
        expected = compare_checks(first.students, then.students, seed=7, resamples=RESAMPLES)
        found = report.change(before, after).discernment
        assert found is not None and (found.students, found.flag) == (expected.students, expected.flag)
        assert same(found.d_prime_change, expected.d_prime_change)
        assert same(found.criterion_change, expected.criterion_change)
        counted[before, after] = found.students
    assert counted["pre", "delayed"] < counted["pre", "post"]


def same(ours: Estimate | None, theirs: Estimate | None) -> bool:
    """The same figure and interval (to rounding: the report sums resamples as a matrix product)."""
    assert ours is not None and theirs is not None
    return (ours.value, ours.interval.low, ours.interval.high) == pytest.approx(
        (theirs.value, theirs.interval.low, theirs.interval.high), rel=1e-12) and ours.students == theirs.students


def test_class_figures_are_intervals_mean_estimate_gives_them() -> None:
    """Each class figure with its interval is `intervals.mean_estimate` over the students who have a value,
    also when a skill was answered by only some of them (a different set of students to resample)."""
    answers = [marked(s, "pre", f"q{i}", "hedges", e, 2) for i, (s, e) in enumerate(
        [("a", 0), ("b", 1), ("c", 2), ("d", 2), ("e", 1)])]
    answers += [marked("b", "pre", "t1", "tracing", 1, 1), marked("d", "pre", "t1", "tracing", 0, 1),
                marked("e", "pre", "t1", "tracing", 1, 1)]
    report = course_report(answers, seed=5, resamples=RESAMPLES)
    pre = report.phase("pre")
    hedges, tracing = (k.score for k in pre.skills)
    assert same(pre.score, mean_estimate([0, 2 / 3, 1, 2 / 3, 2 / 3], seed=5, resamples=RESAMPLES))
    assert same(hedges, mean_estimate([0, 0.5, 1, 1, 0.5], seed=5, resamples=RESAMPLES))
    assert same(tracing, mean_estimate([1, 0, 1], seed=5, resamples=RESAMPLES))


# --- the flag, both ways ------------------------------------------------------------------------------------------


def _verdict_block(student: str, phase: Phase, hits: int, false_alarms: int) -> list[CheckAnswer]:
    """Ten strong and ten weak passages, `hits` strong ones and `false_alarms` weak ones called strong."""
    out = [judged(student, phase, f"{phase}-s{i}", "strong", "strong" if i < hits else "weak") for i in range(10)]
    return out + [judged(student, phase, f"{phase}-w{i}", "weak", "strong" if i < false_alarms else "weak")
                  for i in range(10)]


def _class(after: list[tuple[int, int]]) -> list[CheckAnswer]:
    """Twenty students all at 7 hits / 3 false alarms before; after, the given (hits, false alarms) in turn."""
    out = []
    for n in range(20):
        out += _verdict_block(f"p{n}", "pre", 7, 3)
        out += _verdict_block(f"p{n}", "post", *after[n % len(after)])
    return out


def test_the_flag_fires_on_a_class_that_became_more_sceptical() -> None:
    """Before: H' = 7.5/11, F' = 3.5/11 -> d′ = 2 x 0.4728 = 0.9457, c = 0.
    After, half the class at 4 hits / 1 false alarm: H' = 4.5/11 = 0.4091, F' = 1.5/11 = 0.1364:
      z = -0.2299 and -1.0968 -> d′ = 0.8669 (change -0.0788), c = 0.6634;
    the other half at 5 / 1: H' = 0.5 -> z = 0, d′ = 1.0968 (change +0.1511), c = 0.5484.
    Mean change in d′ +0.036 (interval from -0.079 to +0.151, so it includes 0), in c +0.606 > 0.2: flagged."""
    report = course_report(_class([(4, 1), (5, 1)]), seed=2, resamples=RESAMPLES)
    shift = report.change("pre", "post").discernment
    assert shift is not None and shift.students == 20
    assert shift.d_prime_change.value == pytest.approx((-0.0788 + 0.1511) / 2, abs=1e-3)
    assert shift.criterion_change.value == pytest.approx((0.6634 + 0.5484) / 2, abs=1e-3)
    assert 0 in shift.d_prime_change.interval
    assert shift.flag == FLAG_SCEPTICAL
    assert change_table(report).loc[0, "Flag"] == "more sceptical, not better at telling"
    # share correct: 14 of 20 before; after, 13 of 20 (4 hits + 9 weak rejected) and 14 of 20: about the same,
    # so without d′ and c a teacher would see no change at all
    post = report.phase("post").score
    assert post is not None and post.value == pytest.approx((13 / 20 + 14 / 20) / 2)


def test_the_flag_stays_down_on_a_class_that_became_better_at_telling() -> None:
    """After, half at 9 hits / 1 false alarm (z(9.5/11) = 1.0968: d′ 2.1936, c 0), half at 8 / 2
    (z(8.5/11) = 0.7479: d′ 1.4957, c 0): d′ rose by 0.5500 to 1.2479 for every student, c did not move."""
    report = course_report(_class([(9, 1), (8, 2)]), seed=2, resamples=RESAMPLES)
    shift = report.change("pre", "post").discernment
    assert shift is not None
    assert shift.d_prime_change.value == pytest.approx((1.2479 + 0.5500) / 2, abs=1e-3)
    assert shift.criterion_change.value == pytest.approx(0, abs=1e-9)
    assert 0 not in shift.d_prime_change.interval and shift.flag is None
    assert change_table(report).loc[0, "Flag"] == ""


# --- missing checks and bad input ---------------------------------------------------------------------------------


def test_a_course_with_no_answers_yet_reports_its_roster() -> None:
    report = course_report([], roster=["ana", "ben"])
    assert [s.student for s in report.students] == ["ana", "ben"]
    assert all(p.score is None and p.took == 0 for p in report.phases)
    assert report.gains is None and all(c.score is None and c.discernment is None for c in report.changes)
    assert len(student_table(report)) == 2 and len(class_table(report)) == 4 and skill_table(report).empty
    assert "nobody has taken the pre check yet" in report.notes


def test_a_check_with_no_judgement_items_has_no_discernment_and_says_so() -> None:
    answers = [marked(s, p, f"{p}-1", "hedges", e, 2) for s, e in (("a", 1), ("b", 2)) for p in ("pre", "post")]
    report = course_report(answers)
    assert report.phase("pre").discernment is None and report.change("pre", "post").discernment is None
    assert report.change("pre", "post").score is not None
    assert any("judgement items" in n for n in report.change("pre", "post").notes)


def test_every_problem_in_the_answers_is_named_with_its_record() -> None:
    answers = [marked("ana", "pre", "q1", "hedges", 1, 1),
               CheckAnswer("", "pre", "c", "A", "q2", "hedges", 1, 1),
               CheckAnswer("ana", "midterm", "c", "A", "q3", "hedges", 1, 1),  # type: ignore[arg-type]
               marked("ana", "pre", "q4", "hedges", 3, 2),
               CheckAnswer("ana", "pre", "c", "A", "q5", "hedges", 1, 1, "strong", None),
               CheckAnswer("ana", "pre", "c", "A", "q6", "hedges", 1, 1, "strong", "strong", 140),
               marked("ana", "pre", "q1", "hedges", 0, 1)]
    with pytest.raises(BadInput) as caught:
        course_report(answers)
    found = [(p.index, p.message) for p in caught.value.problems]
    assert found == [
        (1, "the student is empty"),
        (2, "the phase must be one of pre, post, booster, delayed, not 'midterm'"),
        (3, "the marks earned must be a number from 0 to the marks possible, not 3"),
        (4, "judgement item 'q5' has no strong/weak answer"),
        (5, "the confidence must be empty or a number from 0 to 100, not 140"),
        (6, "'ana' answered item 'q1' twice in the pre check (first at record 0)")]
