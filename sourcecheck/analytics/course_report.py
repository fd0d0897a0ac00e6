"""The course report (issue 18): one course's checks across weeks, per student and for the class.

A course gives each student a pre-check, lessons, a post-check, a booster on their weakest skills and a delayed
check weeks later. The store hands this module one `CheckAnswer` per stored first attempt; it returns a typed
`CourseReport` and the tables the course page draws and offers as CSV. Nothing here reads the store or the
clock, so a simulated course can be reported on in a test exactly as a real one.

What is reported, and over whom:
- score = marks earned / marks possible (a share; the tables show it in %), per student and check, and per
  skill; the class score of a check is the MEAN OF THE STUDENTS' scores (every student weighs the same) with
  a 95 % percentile-bootstrap interval over students (`intervals.mean_estimate`, seeded; all the checks'
  figures are estimated in one `intervals.mean_estimates`, which shares resamples among them);
- gain, retained gain and the share of the gain kept come from `gains.class_gains`, over the students with
  a pre and a post score (the retained gain and retention over those of them who took the delayed check too);
- discernment per check, from the judgement items only (those with a `judgement`): hit and false-alarm rates,
  d′, c and AUC per student and for the class as `discernment.py` defines them. The counts and the AUC are
  taken with one pandas groupby over all checks instead of `discernment.per_student`'s loop per answer (the
  issue asks for 100,000 answers within 2x of a SQL count); `sdt` turns the counts into d′ and c, and a test
  checks every figure equals `discernment.class_discernment` on the same judgements;
- between checks (pre -> post, pre -> delayed, post -> delayed): the mean change in score with its interval
  and the figures of `discernment.compare_checks` (its `paired_changes`, estimated with the checks' other
  figures, and its `shift_flag`), whose flag reads "more sceptical, not better at telling" when c moved by
  more than 0.2 and the interval for the change in d′ includes 0;
- the booster: each student's booster score, the skills it covered, and their post score on those same
  skills (did the booster find them where the post-check left them?).

A student missing a check (absent from the delayed check, no booster yet) is not an error: their figures for
that check are absent, `StudentReport.missing` names the checks, `ClassPhase.absent` the students, and
`CourseReport.notes` says in words what the class figures leave out. Bad values (a phase that is not one of
the four, marks out of range, the same item answered twice in one check) raise `BadInput` with every problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Literal, NamedTuple, get_args

import numpy as np
import numpy.typing as npt
import pandas as pd

from sourcecheck.analytics.discernment import (
    LEVELS,
    ClassDiscernment,
    Shift,
    StudentDiscernment,
    Verdict,
    paired_changes,
    sdt,
    shift_flag,
)
from sourcecheck.analytics.gains import ClassGains, Scores, StudentGain, class_gains, student_gain
from sourcecheck.analytics.intervals import (
    LEVEL,
    RESAMPLES,
    BadInput,
    Estimate,
    Problem,
    mean_estimates,
)

__all__ = ["CHANGES", "CHANGE_COLUMNS", "CLASS_COLUMNS", "PHASES", "PHASE_NAMES", "SKILL_COLUMNS", "Change",
           "CheckAnswer", "ClassPhase", "ClassSkill", "CourseReport", "Phase", "PhaseScore", "SkillScore",
           "StudentReport", "answers_frame", "change_table", "check_answers", "class_skill_table",
           "class_table", "course_report", "skill_table", "student_columns", "student_table"]

Phase = Literal["pre", "post", "booster", "delayed"]
PHASES: tuple[Phase, ...] = get_args(Phase)  # in the order a course runs them
PHASE_NAMES: Mapping[Phase, str] = {"pre": "Pre", "post": "Post", "booster": "Booster", "delayed": "Delayed"}
CHANGES: tuple[tuple[Phase, Phase], ...] = (("pre", "post"), ("pre", "delayed"), ("post", "delayed"))


class CheckAnswer(NamedTuple):
    """One stored first attempt in a course check. `judgement` is the item's truth for a judgement item (is the
    passage's sourcing strong or weak?) and `answer` the student's verdict on it; both None for other items.
    `confidence` (0-100) when the student was asked how sure they were. A NamedTuple, so a list of 100,000
    turns into columns in one `zip`."""

    student: str
    phase: Phase
    check_id: str
    form: str
    item_id: str
    skill: str
    earned: float
    possible: int
    judgement: Verdict | None = None
    answer: Verdict | None = None
    confidence: int | None = None


COLUMNS = list(CheckAnswer._fields)


@dataclass(frozen=True)
class SkillScore:
    skill: str
    earned: float
    possible: int
    score: float | None  # None when the skill's items were worth no marks


@dataclass(frozen=True)
class PhaseScore:
    """One student's result on one check: marks, score, and per skill (sorted by skill)."""

    phase: Phase
    check_ids: tuple[str, ...]
    forms: tuple[str, ...]
    answers: int
    earned: float
    possible: int
    score: float | None
    skills: tuple[SkillScore, ...]


@dataclass(frozen=True)
class StudentReport:
    student: str
    phases: Mapping[Phase, PhaseScore]  # only the checks the student took
    missing: tuple[Phase, ...]  # checks someone in the course took and this student did not
    gain: StudentGain | None  # None without both a pre and a post score
    discernment: Mapping[Phase, StudentDiscernment]  # checks in which the student answered judgement items
    booster_skills: tuple[str, ...]
    post_on_booster_skills: float | None  # post score over the booster's skills; None without either


@dataclass(frozen=True)
class ClassSkill:
    skill: str
    score: Estimate  # mean over the students who answered that skill in the check


@dataclass(frozen=True)
class ClassPhase:
    """The class on one check. `score` and `discernment` are None when no student took it (or, for
    discernment, answered no judgement item in it)."""

    phase: Phase
    took: int
    absent: tuple[str, ...]
    score: Estimate | None
    skills: tuple[ClassSkill, ...]
    discernment: ClassDiscernment | None
    post_on_same_skills: Estimate | None = None  # booster only: the same students' post score on those skills


@dataclass(frozen=True)
class Change:
    """From one check to a later one. `score` is the mean per-student change in score (after - before);
    `retention` the share of the gain kept (pre -> delayed only); `discernment` the change in d′ and c with the
    flag. Each is None when no student has what it needs, and `notes` says why."""

    before: Phase
    after: Phase
    score: Estimate | None
    retention: Estimate | None
    discernment: Shift | None
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CourseReport:
    students: tuple[StudentReport, ...]  # the roster's order, then students seen only in answers
    phases: tuple[ClassPhase, ...]  # one per PHASES, in that order
    gains: ClassGains | None  # None when no student has both a pre and a post score
    changes: tuple[Change, ...]  # one per CHANGES
    notes: tuple[str, ...]  # what the class figures leave out, in words

    def phase(self, phase: Phase) -> ClassPhase:
        return next(p for p in self.phases if p.phase == phase)

    def change(self, before: Phase, after: Phase) -> Change:
        return next(c for c in self.changes if (c.before, c.after) == (before, after))

    def student(self, name: str) -> StudentReport:
        return next(s for s in self.students if s.student == name)


# --- input -----------------------------------------------------------------------------------------------------


def answers_frame(answers: Sequence[CheckAnswer]) -> pd.DataFrame:
    """The answers as a table (one row per answer, in the order given), for a caller that wants to show them."""
    return pd.DataFrame({name: pd.Series(list(map(itemgetter(index), answers)), dtype=object)
                         for index, name in enumerate(COLUMNS)})


@dataclass(frozen=True)
class _Coded:
    """The answers as arrays: each text column factorised once into integer codes (uniques in order of first
    appearance), the numbers as floats. Every count below is a `np.bincount` over these codes, which is what
    keeps 100,000 answers near the cost of a SQL GROUP BY."""

    codes: Mapping[str, npt.NDArray[np.int64]]
    uniques: Mapping[str, list[object]]
    numbers: Mapping[str, npt.NDArray[np.float64]]
    raw: Mapping[str, list[object]]  # the numeric columns as given, for messages about bad values

    def __len__(self) -> int:
        return len(self.codes["student"])


_TEXT = ("student", "phase", "check_id", "form", "item_id", "skill", "judgement", "answer")
_NUMBERS = ("earned", "possible", "confidence")


def _coded(answers: Sequence[CheckAnswer]) -> _Coded:
    codes: dict[str, npt.NDArray[np.int64]] = {}
    uniques: dict[str, list[object]] = {}
    numbers: dict[str, npt.NDArray[np.float64]] = {}
    raw: dict[str, list[object]] = {}
    for name in _TEXT:
        values = np.fromiter(map(itemgetter(COLUMNS.index(name)), answers), dtype=object, count=len(answers))
        found, distinct = pd.factorize(values, use_na_sentinel=True)
        codes[name], uniques[name] = found.astype(np.int64), list(distinct)
    if all(isinstance(v, str) for v in uniques["skill"]):  # skill codes in name order: per-skill rows come sorted
        by_name = sorted(range(len(uniques["skill"])), key=lambda code: str(uniques["skill"][code]))
        position = np.empty(len(by_name), dtype=np.int64)
        position[by_name] = np.arange(len(by_name))
        codes["skill"] = np.where(codes["skill"] >= 0, position[codes["skill"]], -1)
        uniques["skill"] = [uniques["skill"][code] for code in by_name]
    for name in _NUMBERS:
        raw[name] = list(map(itemgetter(COLUMNS.index(name)), answers))
        try:
            numbers[name] = np.array(raw[name], dtype=np.float64)
        except (TypeError, ValueError):  # text among the numbers: each bad value is named by check_answers
            numbers[name] = pd.to_numeric(pd.Series(raw[name], dtype=object), errors="coerce").to_numpy(
                dtype=np.float64, na_value=np.nan)
    return _Coded(codes, uniques, numbers, raw)


def _bad_text(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def check_answers(answers: Sequence[CheckAnswer]) -> list[Problem]:
    """Every problem with the answers (index = the answer's position): empty names, a phase not among the four,
    marks out of range, a judgement item without a strong/weak answer (or an answer without a judgement),
    a confidence outside 0-100, and the same item answered twice by a student in one check."""
    return _problems(_coded(answers))


def _problems(coded: _Coded) -> list[Problem]:
    """Checked per distinct value where it can be, so 100,000 answers cost a few distinct names."""
    problems: list[Problem] = []

    def flag(mask: npt.NDArray[np.bool_], values: Sequence[object], message: str) -> None:
        problems.extend(Problem(i, message.format(value=values[i])) for i in np.flatnonzero(mask).tolist())

    def bad_codes(name: str, bad: Callable[[object], bool]) -> npt.NDArray[np.bool_]:
        wrong = [code for code, value in enumerate(coded.uniques[name]) if bad(value)]
        mask: npt.NDArray[np.bool_] = np.isin(coded.codes[name], wrong)
        return mask

    def value_of(name: str) -> list[object]:
        return [None if code < 0 else coded.uniques[name][code] for code in coded.codes[name]]

    for name in ("student", "check_id", "form", "item_id", "skill"):
        mask = bad_codes(name, _bad_text) | (coded.codes[name] < 0)
        if mask.any():
            flag(mask, value_of(name), f"the {name.replace('_', ' ')} is empty")
    mask = bad_codes("phase", lambda v: v not in PHASES) | (coded.codes["phase"] < 0)
    if mask.any():
        flag(mask, value_of("phase"), "the phase must be one of " + ", ".join(PHASES) + ", not {value!r}")
    for name in ("judgement", "answer"):
        mask = bad_codes(name, lambda v: v not in LEVELS)
        if mask.any():
            flag(mask, value_of(name), f"the {name} must be strong, weak or empty, not " + "{value!r}")
    items = value_of("item_id") if (coded.codes["judgement"] >= 0).any() or (coded.codes["answer"] >= 0).any() \
        else []
    flag((coded.codes["judgement"] >= 0) & (coded.codes["answer"] < 0), items,
         "judgement item {value!r} has no strong/weak answer")
    flag((coded.codes["answer"] >= 0) & (coded.codes["judgement"] < 0), items,
         "item {value!r} has a strong/weak answer but no judgement")
    earned, possible, confidence = (coded.numbers[n] for n in _NUMBERS)
    with np.errstate(invalid="ignore"):
        flag(~np.isfinite(earned) | (earned < 0) | (earned > np.where(np.isfinite(possible), possible, np.inf)),
             coded.raw["earned"], "the marks earned must be a number from 0 to the marks possible, not {value!r}")
        flag(~np.isfinite(possible) | (possible < 0) | (possible != np.round(possible)), coded.raw["possible"],
             "the marks possible must be a whole number from 0, not {value!r}")
        given = np.array([v is not None for v in coded.raw["confidence"]], dtype=bool)
        flag(given & ~((confidence >= 0) & (confidence <= 100)), coded.raw["confidence"],
             "the confidence must be empty or a number from 0 to 100, not {value!r}")
    key = _key(coded, "student", "phase", "item_id")
    _, first, inverse, counts = np.unique(key, return_index=True, return_inverse=True, return_counts=True)
    if (counts > 1).any():
        earliest = first[inverse]
        students, phases, item_ids = value_of("student"), value_of("phase"), value_of("item_id")
        for index in np.flatnonzero(earliest != np.arange(len(key))):
            problems.append(Problem(int(index), f"{students[index]!r} answered item {item_ids[index]!r} twice in "
                                                f"the {phases[index]} check (first at record {earliest[index]})"))
    return sorted(problems, key=lambda p: p.index)


def _key(coded: _Coded, *names: str) -> npt.NDArray[np.int64]:
    """One integer per combination of the named columns' codes (a mixed-radix number)."""
    key = np.zeros(len(coded), dtype=np.int64)
    for name in names:
        key = key * (len(coded.uniques[name]) + 1) + coded.codes[name] + 1
    return key


# --- the report ------------------------------------------------------------------------------------------------


def course_report(answers: Sequence[CheckAnswer], roster: Sequence[str] = (), *, seed: int = 0,
                  resamples: int = RESAMPLES, level: float = LEVEL) -> CourseReport:
    """The report on a course's stored first attempts. `roster` lists the course's students, so one who has
    answered nothing yet still gets a row (and is counted absent); students seen only in the answers follow
    it. Raises BadInput with every problem in the answers."""
    coded = _coded(answers)
    problems = _problems(coded)
    if problems:
        raise BadInput(problems)
    return _report(coded, roster, seed=seed, resamples=resamples, level=level)


def _order(coded: _Coded, roster: Sequence[str]) -> list[str]:
    seen = dict.fromkeys(roster)
    seen.update(dict.fromkeys(str(s) for s in coded.uniques["student"]))
    return list(seen)


def _share(earned: float, possible: int) -> float | None:
    return earned / possible if possible > 0 else None


def _student_phase(coded: _Coded) -> tuple[npt.NDArray[np.int64], int]:
    """One code per answer for its (student, check), student-major in PHASES order, and how many there can be."""
    phase_of = np.array([PHASES.index(p) for p in coded.uniques["phase"]], dtype=np.int64)
    size = len(coded.uniques["student"]) * len(PHASES)
    return coded.codes["student"] * len(PHASES) + phase_of[coded.codes["phase"]], size


def _scores(coded: _Coded) -> dict[str, dict[Phase, PhaseScore]]:
    """Marks per student and check, and per skill, as weighted bincounts over the (student, check[, skill])
    codes; the check ids and forms from the distinct (student, check, id) codes."""
    students, skills = coded.uniques["student"], coded.uniques["skill"]
    sp, size = _student_phase(coded)
    earned, possible = coded.numbers["earned"], coded.numbers["possible"]
    answers = np.bincount(sp, minlength=size)
    marks = np.bincount(sp, weights=earned, minlength=size), np.bincount(sp, weights=possible, minlength=size)
    k = len(skills)
    sps = sp * k + coded.codes["skill"]
    skill_answers = np.bincount(sps, minlength=size * k)
    skill_marks = (np.bincount(sps, weights=earned, minlength=size * k),
                   np.bincount(sps, weights=possible, minlength=size * k))
    names = [str(skill) for skill in skills]
    by_key: dict[int, list[SkillScore]] = {}
    found = np.flatnonzero(skill_answers)  # read out as lists: indexing arrays one number at a time is slow
    for code, got, out_of in zip(found.tolist(), skill_marks[0][found].tolist(),
                                 skill_marks[1][found].astype(np.int64).tolist(), strict=True):
        by_key.setdefault(code // k, []).append(SkillScore(names[code % k], got, out_of, _share(got, out_of)))
    labels: dict[int, tuple[list[str], list[str]]] = {}
    for name, slot in (("check_id", 0), ("form", 1)):
        width = len(coded.uniques[name])
        for pair in np.unique(sp * width + coded.codes[name]).tolist():
            labels.setdefault(pair // width, ([], []))[slot].append(str(coded.uniques[name][pair % width]))
    out: dict[str, dict[Phase, PhaseScore]] = {}
    found = np.flatnonzero(answers)
    for code, count, got, out_of in zip(found.tolist(), answers[found].tolist(), marks[0][found].tolist(),
                                        marks[1][found].astype(np.int64).tolist(), strict=True):
        phase = PHASES[code % len(PHASES)]
        ids, forms = labels[code]
        out.setdefault(str(students[code // len(PHASES)]), {})[phase] = PhaseScore(
            phase, tuple(sorted(ids)), tuple(sorted(forms)), count, got, out_of, _share(got, out_of),
            tuple(by_key[code]))  # skill codes are in name order
    return out


def _discernment(coded: _Coded) -> dict[Phase, dict[str, StudentDiscernment]]:
    """Per check and student: the counts, rates, d′ and c (`sdt`) and the AUC, as bincounts over the
    (student, check) codes. The AUC is the Mann-Whitney statistic from average ranks within the student's
    answers (ties count half), the same number as `discernment.auc` on the ratings (+confidence when answered
    strong, -confidence when weak, ±1 without a confidence)."""
    judged = coded.codes["judgement"] >= 0
    if not judged.any():
        return {}
    sp, size = _student_phase(coded)
    sp = sp[judged]
    strong = np.array([v == "strong" for v in coded.uniques["judgement"]])[coded.codes["judgement"][judged]]
    said_strong = np.array([v == "strong" for v in coded.uniques["answer"]])[coded.codes["answer"][judged]]
    confidence = coded.numbers["confidence"][judged]
    size_of = np.where(np.isnan(confidence), 1.0, confidence)
    rating = np.where(said_strong, size_of, -size_of)
    rank = pd.Series(rating).groupby(sp).rank(method="average").to_numpy()
    n = np.bincount(sp, minlength=size)
    n_strong = np.bincount(sp, weights=strong, minlength=size)
    hits = np.bincount(sp, weights=strong & said_strong, minlength=size)
    false_alarms = np.bincount(sp, weights=~strong & said_strong, minlength=size)
    strong_ranks = np.bincount(sp, weights=np.where(strong, rank, 0.0), minlength=size)
    students = coded.uniques["student"]
    out: dict[Phase, dict[str, StudentDiscernment]] = {}
    found = np.flatnonzero(n)
    for code, ns, nw, h, f, ranks in zip(found.tolist(), *(a[found].astype(np.int64).tolist() for a in (
            n_strong, n - n_strong, hits, false_alarms)), strong_ranks[found].tolist(), strict=True):
        both = ns > 0 and nw > 0
        d_prime, criterion = sdt(h, ns, f, nw) if both else (None, None)
        area = (ranks - ns * (ns + 1) / 2) / (ns * nw) if both else None
        name = str(students[code // len(PHASES)])
        out.setdefault(PHASES[code % len(PHASES)], {})[name] = StudentDiscernment(
            student=name, n_strong=ns, n_weak=nw, hits=h, false_alarms=f,
            hit_rate=h / ns if ns else None, false_alarm_rate=f / nw if nw else None,
            d_prime=d_prime, criterion=criterion, auc=area)
    return out


def _class_discernment(students: Sequence[StudentDiscernment], d_prime: Estimate | None,
                       criterion: Estimate | None, area: Estimate | None) -> ClassDiscernment:
    """The class figures as `discernment.class_discernment` defines them: pooled rates, and the means over
    students (estimated by the caller, with the check's other figures)."""
    n_strong = sum(s.n_strong for s in students)
    n_weak = sum(s.n_weak for s in students)
    return ClassDiscernment(
        students=tuple(students), n_strong=n_strong, n_weak=n_weak,
        hit_rate=sum(s.hits for s in students) / n_strong if n_strong else None,
        false_alarm_rate=sum(s.false_alarms for s in students) / n_weak if n_weak else None,
        d_prime=d_prime, criterion=criterion, auc=area)


def _post_on(post: PhaseScore | None, skills: Sequence[str]) -> float | None:
    if post is None or not skills:
        return None
    own = [s for s in post.skills if s.skill in skills]
    return _share(sum(s.earned for s in own), sum(s.possible for s in own)) if own else None


def _report(coded: _Coded, roster: Sequence[str], *, seed: int, resamples: int,
            level: float) -> CourseReport:
    order = _order(coded, roster)
    scores = _scores(coded)
    judged = _discernment(coded)
    taken = [p for p in PHASES if any(p in own for own in scores.values())]
    students: list[StudentReport] = []
    for name in order:
        own = scores.get(name, {})
        pre, post = own.get("pre"), own.get("post")
        booster_skills = tuple(s.skill for s in own["booster"].skills) if "booster" in own else ()
        gain = None
        if pre is not None and post is not None and pre.score is not None and post.score is not None:
            delayed = own.get("delayed")
            gain = _gain(name, pre.score, post.score, None if delayed is None else delayed.score)
        students.append(StudentReport(
            student=name, phases=own, missing=tuple(p for p in taken if p not in own), gain=gain,
            discernment={p: judged[p][name] for p in PHASES if name in judged.get(p, {})},
            booster_skills=booster_skills, post_on_booster_skills=_post_on(post, booster_skills)))

    # every class figure of the checks and of the changes between them in one `mean_estimates`: one draw of
    # resamples per class size instead of one per check and change (`class_gains` draws its own)
    laid_out = [_phase_columns(phase, students, judged) for phase in PHASES]
    by_columns = {columns.phase: columns for columns in laid_out}
    moved = [_difference(s, "post", "delayed") for s in students]
    paired = [column for before, after in CHANGES for column in paired_changes(
        by_columns[before].present, by_columns[after].present)]
    figures = mean_estimates([c for p in laid_out for c in p.columns] + paired + [moved], seed=seed,
                             resamples=resamples, level=level)
    phases, start = [], 0
    for columns in laid_out:
        phases.append(_class_phase(columns, figures[start:start + len(columns.columns)]))
        start += len(columns.columns)
    with_gain = [s for s in students if s.gain is not None]
    gains = None
    if with_gain:
        gains = class_gains([_scores_of(s) for s in with_gain], seed=seed, resamples=resamples, level=level)
    by_phase = {p.phase: p for p in phases}
    changes = tuple(_change(before, after, gains, figures[-1], figures[start + 2 * i:start + 2 * i + 2], by_phase)
                    for i, (before, after) in enumerate(CHANGES))
    return CourseReport(tuple(students), tuple(phases), gains, changes, tuple(_notes(phases, changes, taken)))


def _gain(name: str, pre: float, post: float, delayed: float | None) -> StudentGain:
    return student_gain(Scores(name, pre, post, delayed))


def _scores_of(student: StudentReport) -> Scores:
    def score(phase: Phase) -> float | None:
        own = student.phases.get(phase)
        return None if own is None else own.score
    pre, post = score("pre"), score("post")
    assert pre is not None and post is not None  # only students with a gain are passed in
    return Scores(student.student, pre, post, score("delayed"))


@dataclass(frozen=True)
class _PhaseColumns:
    """One check's class figures before they are estimated: a column per figure (the score, each skill, d′, c,
    AUC, the post score on the booster's skills), one value per student who took the check (None: none)."""

    phase: Phase
    took: int
    absent: tuple[str, ...]
    skill_names: list[str]
    present: list[StudentDiscernment]
    judged: bool
    columns: list[list[float | None]]


def _phase_columns(phase: Phase, students: Sequence[StudentReport], judged: Mapping[Phase, Mapping[str,
                   StudentDiscernment]]) -> _PhaseColumns:
    """Every class figure is a mean over the students who took the check (those with a value: a skill they
    answered, both kinds of passage for d′)."""
    took = [s for s in students if phase in s.phases]
    absent = tuple(s.student for s in students if phase not in s.phases)
    skill_names = sorted({k.skill for s in took for k in s.phases[phase].skills if k.score is not None})
    own = judged.get(phase, {})
    present = [own.get(s.student) for s in took]
    columns: list[list[float | None]] = [[s.phases[phase].score for s in took]]
    own_skills = [{k.skill: k.score for k in s.phases[phase].skills} for s in took]
    for name in skill_names:
        columns.append([scores.get(name) for scores in own_skills])
    columns += [[None if d is None else d.d_prime for d in present], [None if d is None else d.criterion
                                                                      for d in present],
                [None if d is None else d.auc for d in present],
                [s.post_on_booster_skills if phase == "booster" else None for s in took]]
    return _PhaseColumns(phase, len(took), absent, skill_names, [d for d in present if d is not None], bool(own),
                         columns)


def _class_phase(columns: _PhaseColumns, figures: Sequence[Estimate | None]) -> ClassPhase:
    """The class on one check, from its columns' estimates (in the columns' order)."""
    score, *rest = figures
    names = columns.skill_names
    skill_figures, (d_prime, criterion, area, same_skills) = rest[:len(names)], rest[len(names):]
    skills = tuple(ClassSkill(name, figure) for name, figure in zip(names, skill_figures, strict=True)
                   if figure is not None)
    discernment = None
    if columns.judged:
        discernment = _class_discernment(columns.present, d_prime, criterion, area)
    return ClassPhase(columns.phase, columns.took, columns.absent, score, skills, discernment, same_skills)


def _change(before: Phase, after: Phase, gains: ClassGains | None, post_to_delayed: Estimate | None,
            shift_figures: Sequence[Estimate | None], phases: Mapping[Phase, ClassPhase]) -> Change:
    """One change between checks, from figures the caller estimated: the post -> delayed change in score, and
    the mean changes in d′ and c over `discernment.paired_changes` (what `compare_checks` gives)."""
    notes: list[str] = []
    retention = None
    if (before, after) == ("pre", "post"):
        score = None if gains is None else gains.gain
    elif (before, after) == ("pre", "delayed"):  # over the students with a gain who took the delayed check
        score = None if gains is None else gains.retained_gain
        retention = None if gains is None else gains.retention
        if score is not None and retention is None:
            notes.append("no share of the gain kept: the mean gain of those students is 0")
    else:
        score = post_to_delayed
    if score is None:
        notes.append(f"no score change: no student took both the {before} and the {after} check"
                     + (" (and the post check)" if (before, after) == ("pre", "delayed") else ""))
    first, then = phases[before].discernment, phases[after].discernment
    d_prime, criterion = shift_figures
    shift = None
    if first is None or then is None:
        notes.append(f"no discernment change: the {before if first is None else after} check had no "
                     "judgement items answered")
    elif d_prime is None or criterion is None:
        notes.append(f"no discernment change: no student answered strong and weak items in both the "
                     f"{before} and the {after} check")
    else:
        shift = Shift(d_prime.students, d_prime, criterion, shift_flag(criterion.value, d_prime.interval))
    return Change(before, after, score, retention, shift, tuple(notes))


def _difference(student: StudentReport, before: Phase, after: Phase) -> float | None:
    first, then = student.phases.get(before), student.phases.get(after)
    if first is None or then is None or first.score is None or then.score is None:
        return None
    return then.score - first.score


def _notes(phases: Sequence[ClassPhase], changes: Sequence[Change], taken: Sequence[Phase]) -> list[str]:
    notes = []
    for phase in phases:
        if phase.phase not in taken:
            notes.append(f"nobody has taken the {phase.phase} check yet")
        elif phase.absent:
            count = len(phase.absent)
            notes.append(f"{count} student{'s' if count != 1 else ''} did not take the {phase.phase} check "
                         f"and {'are' if count != 1 else 'is'} left out of its figures: " + ", ".join(phase.absent))
    for change in changes:
        if any(p in taken for p in (change.before, change.after)):
            notes += [f"{PHASE_NAMES[change.before]} to {change.after}: {n}" for n in change.notes]
    return notes


# --- tables for the course page and its CSV --------------------------------------------------------------------

SKILL_COLUMNS = ["Student", "Check", "Skill", "Score (%)", "Marks earned", "Marks possible"]
CLASS_SKILL_COLUMNS = ["Check", "Skill", "Students", "Score (%)", "Score 95 % interval from (%)",
                       "Score 95 % interval to (%)"]
_RATES = ("hit rate (%)", "false-alarm rate (%)", "d′ (z units)", "c (z units)", "AUC (%)")
CLASS_COLUMNS = [
    "Check", "Students who took it", "Students absent", "Score (%)", "Score 95 % interval from (%)",
    "Score 95 % interval to (%)", "Hit rate (%)", "False-alarm rate (%)", "d′ (z units)",
    "d′ 95 % interval from", "d′ 95 % interval to", "c (z units)", "c 95 % interval from", "c 95 % interval to",
    "AUC (%)", "AUC 95 % interval from (%)", "AUC 95 % interval to (%)", "Post score on the same skills (%)"]
CHANGE_COLUMNS = [
    "From", "To", "Students with both scores", "Score change (percentage points)",
    "Score change 95 % interval from (percentage points)", "Score change 95 % interval to (percentage points)",
    "Share of the gain kept (%)", "Share kept 95 % interval from (%)", "Share kept 95 % interval to (%)",
    "Students with d′ in both", "d′ change (z units)", "d′ change 95 % interval from", "d′ change 95 % interval to",
    "c change (z units)", "c change 95 % interval from", "c change 95 % interval to", "Flag", "Notes"]


def student_columns() -> list[str]:
    """The per-student table's headers: scores per check, the gains, the booster, discernment per check."""
    return (["Student"] + [f"{PHASE_NAMES[p]} score (%)" for p in PHASES]
            + ["Gain (percentage points)", "Retained gain (percentage points)", "Share of the gain kept (%)",
               "Booster skills", "Post score on the booster skills (%)"]
            + [f"{PHASE_NAMES[p]} {r}" for p in PHASES for r in _RATES] + ["Checks missed"])


def _pct(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


_COUNTS = ("Students", "Marks possible", "Students who took it", "Students absent", "Students with both scores",
           "Students with d′ in both")


def _frame(rows: list[list[object]], columns: list[str], text: Sequence[str]) -> pd.DataFrame:
    """Text columns as text, counts as whole numbers (empty allowed), everything else as floats (NaN = empty)."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "Int64" if c in _COUNTS else "float64" for c in columns if c not in text})


def student_table(report: CourseReport) -> pd.DataFrame:
    """One row per student (empty cells for what a student did not take), numbers as floats (NaN = empty)."""
    rows: list[list[object]] = []
    for s in report.students:
        row: list[object] = [s.student]
        row += [_pct(s.phases[p].score) if p in s.phases else None for p in PHASES]
        g = s.gain
        row += [_pct(g.gain) if g else None, _pct(g.retained_gain) if g else None, _pct(g.retention) if g else None,
                ", ".join(s.booster_skills), _pct(s.post_on_booster_skills)]
        for p in PHASES:
            d = s.discernment.get(p)
            row += ([None] * 5 if d is None else
                    [_pct(d.hit_rate), _pct(d.false_alarm_rate), d.d_prime, d.criterion, _pct(d.auc)])
        row.append(", ".join(s.missing))
        rows.append(row)
    return _frame(rows, student_columns(), ["Student", "Booster skills", "Checks missed"])


def skill_table(report: CourseReport) -> pd.DataFrame:
    """One row per student, check and skill the student answered."""
    rows: list[list[object]] = [[s.student, PHASE_NAMES[p], k.skill, _pct(k.score), k.earned, k.possible]
                                for s in report.students for p in PHASES if p in s.phases
                                for k in s.phases[p].skills]
    return _frame(rows, SKILL_COLUMNS, ["Student", "Check", "Skill"])


def _interval(estimate: Estimate | None, scale: float = 1.0) -> list[object]:
    if estimate is None:
        return [None, None, None]
    return [scale * estimate.value, scale * estimate.interval.low, scale * estimate.interval.high]


def class_skill_table(report: CourseReport) -> pd.DataFrame:
    rows: list[list[object]] = [[PHASE_NAMES[p.phase], k.skill, k.score.students, *_interval(k.score, 100.0)]
                                for p in report.phases for k in p.skills]
    return _frame(rows, CLASS_SKILL_COLUMNS, ["Check", "Skill"])


def class_table(report: CourseReport) -> pd.DataFrame:
    """One row per check: who took it, the class score with its interval, and discernment."""
    rows: list[list[object]] = []
    for p in report.phases:
        d = p.discernment
        row: list[object] = [PHASE_NAMES[p.phase], p.took, len(p.absent), *_interval(p.score, 100.0)]
        row += [None, None] if d is None else [_pct(d.hit_rate), _pct(d.false_alarm_rate)]
        row += _interval(None if d is None else d.d_prime) + _interval(None if d is None else d.criterion)
        row += _interval(None if d is None else d.auc, 100.0)
        row.append(None if p.post_on_same_skills is None else 100.0 * p.post_on_same_skills.value)
        rows.append(row)
    return _frame(rows, CLASS_COLUMNS, ["Check"])


def change_table(report: CourseReport) -> pd.DataFrame:
    """One row per change (pre to post, pre to delayed, post to delayed) with the flag and what is missing."""
    rows: list[list[object]] = []
    for c in report.changes:
        shift = c.discernment
        row: list[object] = [PHASE_NAMES[c.before], PHASE_NAMES[c.after],
                             None if c.score is None else c.score.students, *_interval(c.score, 100.0),
                             *_interval(c.retention, 100.0), None if shift is None else shift.students]
        row += _interval(None if shift is None else shift.d_prime_change)
        row += _interval(None if shift is None else shift.criterion_change)
        row += ["" if shift is None or shift.flag is None else shift.flag, "; ".join(c.notes)]
        rows.append(row)
    return _frame(rows, CHANGE_COLUMNS, ["From", "To", "Flag", "Notes"])
