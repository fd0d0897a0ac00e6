"""Courses (issue 18): a class group whose students are known across weeks, without accounts or e-mail.

A teacher makes a course and a roster of display names; each student gets a personal code (8 characters from
an alphabet without look-alikes, shown ABCD-EFGH) printed on a card. The code is stored only as an scrypt hash:
the teacher sees it once, on the cards printed when it is made, and "new cards" draws new codes (old cards stop
working). A browser that entered a code is remembered by a hash of its HttpOnly device cookie for 30 days after its
last use (never past the course's retention date), and asks "Are you NAME?" before it shows or seats anyone (a
shared school laptop). Classes can belong to a course; joining one with the code (or, once confirmed, from a
remembered browser) links the answers to the student.

Checks: a teacher schedules a pre-check, a post-check and a delayed check (14 to 42 days after the post-check).
Forms are counterbalanced and nobody sees a form twice: a student's forms are the check's forms in letter order,
rotated by the student's `rotation`; the pre-check plays form [r], the post-check [r+1], the delayed check [r+2]
(mod the number of forms). So with two forms, pre and post run A then B for half the class and B then A for the
other half; a delayed check on top needs a third form (with two, it would repeat the pre-check's form) and a
schedule that would show someone a form twice is refused (`validate_schedule`). Rotations are handed out in roster
order, each to the rotation fewest students have yet: the halves (or thirds) differ by at most one student, also
for a student added later.

Retention: a course's data is kept until the end of the school year it was made in (1 August, 00:00 UTC: the
school year runs September to July), unless the teacher picks an earlier date; then everything of the course
(classes, answers, students, remembered browsers) is deleted, when the app starts and once a day after
(SqlStore.purge_solo_if_due, next to the solo practice of db/retention.py).

Every function takes the time (`now`) from its caller: tests move it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sourcecheck.grading.results import SkillRow, summarise
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.skills import SKILLS, skill_rank
from sourcecheck.sessions.budget import SeatBudget
from sourcecheck.sessions.classes import (
    DEFAULT_MAX_STUDENTS,
    JOIN_LIMITS,
    ClassLessonMissing,
    class_lesson,
    find_class,
    join_class,
    start_class,
)
from sourcecheck.sessions.course_store import (
    PHASES,
    ClassCourseStore,
    CourseClassRow,
    CourseRow,
    CourseStore,
    Phase,
    StudentAnswerRow,
    StudentRow,
)
from sourcecheck.sessions.guesses import Guesser
from sourcecheck.sessions.identity import new_student_token
from sourcecheck.sessions.names import NameRejected, clean_display_name, name_key
from sourcecheck.sessions.store import ClassFull, ClassSessionRow, ParticipantRow

__all__ = [
    "CODE_ALPHABET", "CODE_LENGTH", "DELAY_DAYS", "MOST_BOOSTER_DAYS", "Check", "CourseError", "CourseHome", "DueCheck",
    "NeedsPersonalCode", "ScheduleError", "add_students", "check_forms", "course_home", "create_course",
    "default_retention", "delete_student", "device_hash", "export_csv", "export_json", "find_student", "forget",
    "format_code", "hash_code", "join_course_class", "key_may_be_shown", "may_join", "new_personal_code",
    "normalise_personal_code", "purge_due", "recognised", "reissue_codes", "remember", "rotate_forms",
    "rotation_for", "schedule_check", "seat",
    "set_booster_days", "set_retention", "start_booster", "start_check", "validate_schedule",
]

CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"  # none of the look-alikes 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B
CODE_LENGTH = 8  # 22**8 = 5.5e10 codes, about 35.5 bits
DELAY_DAYS = (14, 42)  # the delayed check: 2 to 6 weeks after the post-check
# ~33 ms and 16 MB a hash (measured, 2 cores): trying all 5.5e10 codes against a copied database is ~57 years of
# one core. One salt for all: a code is looked up by its hash.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_SALT = b"sourcecheck personal code v1"
_CHECK_CLASSES = 50  # classes one check phase and form may run through, 4 weeks each
DEVICE_DAYS = 30  # a remembered browser is forgotten 30 days after its last use (renewed on use)
MOST_BOOSTER_DAYS = 60  # a booster later than this would land after the delayed check, or in the holidays


class CourseError(ValueError):
    """A teacher's or student's request that cannot be done; the message says what to do."""


class ScheduleError(CourseError):
    """A check schedule that breaks a rule (order, the delay, a form seen twice)."""


class NeedsPersonalCode(CourseError):
    """A course's class, and the browser is not known: the page asks for the personal code."""


class Check(Protocol):
    """A check as lessons/check_forms.load_checks gives it: forms by letter, each a playable lesson (a Protocol, so
    the tests can make one of library lessons)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def forms(self) -> Mapping[str, LoadedLesson]: ...


# -- personal codes ------------------------------------------------------------------------------------------------

def new_personal_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """ABCDEFGH -> ABCD-EFGH, as printed on a card."""
    return f"{code[:4]}-{code[4:]}"


def normalise_personal_code(text: str) -> str | None:
    """What a student typed, as the code: case, spaces and hyphens do not matter. None: not a code at all."""
    code = re.sub(r"[\s\-_.]", "", text).upper()
    return code if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code) else None


def hash_code(code: str) -> str:
    """The stored form of a personal code: scrypt, slow enough that a copied database does not give the codes."""
    return hashlib.scrypt(code.encode("ascii"), salt=_SALT, **_SCRYPT).hex()


def device_hash(device_id: str) -> str:
    """The stored form of a browser's device id (random, 256 bits: a plain hash is enough)."""
    return hashlib.sha256(f"sourcecheck device:{device_id}".encode()).hexdigest()


# -- courses and rosters -------------------------------------------------------------------------------------------

def default_retention(created: datetime) -> datetime:
    """The end of the school year `created` falls in: 1 August 00:00 UTC (made in August or later: next year's)."""
    year = created.astimezone(UTC).year + (1 if created.astimezone(UTC).month >= 8 else 0)
    return datetime(year, 8, 1, tzinfo=UTC)


def create_course(store: CourseStore, name: str, now: datetime, submission: str) -> CourseRow:
    clean = " ".join(name.split())[:80]
    if not clean:
        raise CourseError("Give the course a name, for example 'Year 10 · Period 3'.")
    key = hashlib.sha256(f"{submission}:{clean}".encode()).hexdigest()
    return store.create_course(clean, now, default_retention(now), key)


def set_retention(store: CourseStore, course: CourseRow, until: datetime, now: datetime) -> None:
    """A teacher may shorten the retention period, never lengthen it past the end of the school year."""
    latest = default_retention(course.created_at)
    if until > latest:
        raise CourseError(f"A course is kept at most until the end of its school year ({latest:%d %B %Y}).")
    if until <= now:
        raise CourseError("Pick a date in the future: on that date everything stored for the course is deleted.")
    store.set_retention(course.id, until)


def add_students(store: CourseStore, course: CourseRow, names: Iterable[str],
                 now: datetime) -> list[tuple[StudentRow, str]]:
    """Add each name to the roster with a new personal code; returns the students made and their codes (the only
    time a code is known in clear). A name already on the roster (as people read names) raises CourseError,
    after the names before it were added."""
    made = []
    for raw in names:
        try:
            clean = clean_display_name(raw)
        except NameRejected as e:
            raise CourseError(str(e)) from e
        key = name_key(clean)
        token = new_student_token()
        for _ in range(20):
            code = new_personal_code()
            stored = store.add_student(course.id, clean, key, hash_code(code), token, now)
            found = store.student_by_name(course.id, key)
            if found is not None and found.token == token:
                made.append((found, code))
                break
            if found is not None and not stored:
                raise CourseError(f"{clean} is on the roster already.")
        else:
            raise RuntimeError("no free personal code after 20 tries")
    return made


def reissue_codes(store: CourseStore, students: Sequence[StudentRow]) -> list[tuple[StudentRow, str]]:
    """New codes for these students (a lost card, cards to print again): their old codes stop working."""
    issued = []
    for student in students:
        for _ in range(20):
            code = new_personal_code()
            if store.set_student_code(student.id, hash_code(code)):
                issued.append((student, code))
                break
    return issued


def find_student(store: ClassCourseStore, code: str, guesser: Guesser) -> StudentRow:
    """The student with this personal code. A wrong code counts as a wrong join code (sessions/guesses.py): the
    same limits per tab, per address and for everyone."""
    verdict = JOIN_LIMITS.verdict(store, guesser)
    if verdict.refused_for > 0:
        raise CourseError("Too many wrong codes from this browser: wait a few minutes and try again.")
    normal = normalise_personal_code(code)
    found: list[StudentRow] = []

    def look_up() -> bool:
        row = store.student_by_code(hash_code(normal)) if normal else None
        found.extend([row] if row else [])
        return row is not None

    if not JOIN_LIMITS.wait_then(guesser, verdict.wait, look_up):
        JOIN_LIMITS.wrong(store, guesser)
        raise CourseError("That personal code is not right. It is on your card: 8 letters and digits, "
                          "like ACDE-FH34.")
    return found[0]


def remember(store: CourseStore, student: StudentRow, device: str | None, now: datetime | None = None) -> None:
    """This browser belongs to `student` (the last student to enter a code on it) for DEVICE_DAYS from now, never
    past the course's retention date; using it again ("Continue as NAME") renews it. The store keeps a student's
    MOST_DEVICES most recent browsers (db/store.py): a code typed on a fourth forgets the oldest."""
    course = store.course(student.course_id)
    if device is not None and course is not None:
        until = (now or datetime.now(UTC)) + timedelta(days=DEVICE_DAYS)
        store.remember_device(device_hash(device), student.id, min(until, course.retention_until))


def forget(store: CourseStore, device: str | None) -> None:
    """'Not you?': this browser no longer belongs to anyone."""
    if device is not None:
        store.forget_device(device_hash(device))


def recognised(store: CourseStore, device: str | None, now: datetime) -> StudentRow | None:
    """The student this browser is remembered as. Pages do not act on it unasked: a shared school laptop would seat
    the next student as the last one, so they ask "Are you NAME?" first (`to_confirm`)."""
    return store.device_student(device_hash(device), now) if device else None


# -- checks: forms, schedule, counterbalancing ---------------------------------------------------------------------

def check_forms(check: Check) -> list[str]:
    return sorted(check.forms)


def rotate_forms(forms: Sequence[str], rotation: int, phase: Phase) -> str:
    """The form a student with this rotation plays in this phase."""
    return forms[(rotation + PHASES.index(phase)) % len(forms)]


def validate_schedule(check: Check, dates: Mapping[Phase, datetime]) -> None:
    """Pre before post before delayed; the delayed check 14 to 42 days after the post-check; and enough forms that
    nobody sees one twice (with two forms: pre and post; a delayed check too needs a third)."""
    forms = check_forms(check)
    if not forms:
        raise ScheduleError(f"The check {check.title} has no forms.")
    phases = [p for p in PHASES if p in dates]
    for earlier, later in zip(phases, phases[1:], strict=False):
        if dates[later] <= dates[earlier]:
            raise ScheduleError(f"The {later}-check must open after the {earlier}-check.")
    if "delayed" in dates:
        if "post" not in dates:
            raise ScheduleError("Schedule the post-check first: the delayed check comes 2 to 6 weeks after it.")
        gap = dates["delayed"] - dates["post"]
        if not timedelta(days=DELAY_DAYS[0]) <= gap <= timedelta(days=DELAY_DAYS[1]):
            raise ScheduleError("The delayed check opens 2 to 6 weeks (14 to 42 days) after the post-check.")
    used = {PHASES.index(p) % len(forms) for p in phases}
    if len(used) < len(phases):
        raise ScheduleError(f"The check {check.title} has {len(forms)} forms: a student would see one twice. "
                            f"Pre- and post-check need 2 forms; with a delayed check, 3.")


def schedule_check(store: CourseStore, course: CourseRow, check: Check, dates: Mapping[Phase, datetime]) -> None:
    """Replace the check's schedule in the course with `dates` (validated first; a phase left out is removed)."""
    validate_schedule(check, dates)
    for phase in PHASES:
        if phase in dates:
            store.schedule_check(course.id, check.id, phase, dates[phase])
        else:
            store.unschedule_check(course.id, check.id, phase)


def rotation_for(store: CourseStore, course_id: int, check: Check, student: StudentRow) -> int:
    """The student's rotation for this check, given once: to the rotation fewest of the course have, the lowest on
    a tie, students without one taken in roster order first (so the halves stay balanced)."""
    given = store.rotations(course_id, check.id)
    if student.id in given:
        return given[student.id]
    n = len(check_forms(check))
    for other in store.students(course_id):
        if other.id in given:
            continue
        counts = [sum(1 for r in given.values() if r == k) for k in range(n)]
        rotation = counts.index(min(counts))
        store.set_rotation(other.id, check.id, rotation)
        given = store.rotations(course_id, check.id)  # a second tab may have given one meanwhile
        if other.id == student.id:
            break
    return given[student.id]


# -- a student's home in a course ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueCheck:
    check_id: str
    title: str
    phase: Phase
    form: str
    opens_at: datetime
    answered: int
    questions: int

    @property
    def done(self) -> bool:
        return self.questions > 0 and self.answered >= self.questions


@dataclass(frozen=True)
class CourseHome:
    """What one student sees of their course: nothing about anyone else."""

    course: CourseRow
    student: StudentRow
    due: list[DueCheck] = field(default_factory=list)  # open now and not finished
    done: list[DueCheck] = field(default_factory=list)
    upcoming: list[DueCheck] = field(default_factory=list)
    classes: list[CourseClassRow] = field(default_factory=list)  # the course's open classes (not checks)
    skills: list[SkillRow] = field(default_factory=list)  # their own progress by skill, in closed classes only


def course_home(store: ClassCourseStore, student: StudentRow, checks: Mapping[str, Check], catalog: Catalog,
                now: datetime) -> CourseHome:
    cs = store
    course = cs.course(student.course_id)
    if course is None:
        raise CourseError("This course is no longer there.")
    answers = cs.student_answers(student.id)
    home = CourseHome(course, student)
    for row in cs.schedule(course.id):
        check = checks.get(row.check_id)
        if check is None:
            continue
        forms = check_forms(check)
        form = rotate_forms(forms, rotation_for(cs, course.id, check, student), row.phase)
        answered = len({a.answer.question_id for a in answers if a.check_id == row.check_id and a.phase == row.phase
                        and a.answer.attempt == 1})
        item = DueCheck(row.check_id, check.title, row.phase, form, row.opens_at, answered,
                        len(check.forms[form].lesson.questions))
        (home.upcoming if row.opens_at > now else home.done if item.done else home.due).append(item)
    home.classes.extend(c for c in cs.course_classes(course.id) if c.phase is None and c.session.status == "open")
    home.skills.extend(_skills(store, answers, catalog))
    return home


def _skills(store: ClassCourseStore, answers: Sequence[StudentAnswerRow], catalog: Catalog) -> list[SkillRow]:
    """Their first answers in the course's closed classes, added up by skill (the scores stored with them). A class
    still open holds its feedback (until the reveal, or until it closes): a score here would tell the student in a
    second tab whether an answer is right before the class shows it, so its answers count once it has closed."""
    by_class: dict[int, list[StudentAnswerRow]] = {}
    for a in answers:
        if a.answer.attempt == 1:
            by_class.setdefault(a.session_id, []).append(a)
    totals: dict[str, tuple[float, int]] = {}
    for rows in by_class.values():
        session = store.session(rows[0].session_id)
        if session is None or session.status != "closed":
            continue
        try:
            lesson = class_lesson(store, session, catalog)
        except ClassLessonMissing:
            continue
        for skill in summarise(lesson, [r.answer for r in rows]).skills:
            earned, possible = totals.get(skill.skill, (0.0, 0))
            totals[skill.skill] = (earned + skill.earned, possible + skill.possible)
    return [SkillRow(s, SKILLS[s], e, p) for s, (e, p) in sorted(totals.items(), key=lambda kv: skill_rank(kv[0]))]


def start_check(store: ClassCourseStore, student: StudentRow, check: Check, phase: Phase,
                now: datetime) -> tuple[ClassSessionRow, ParticipantRow]:
    """The student's seat in the self-paced class that plays their form of this check phase: the class is made the
    first time any student of the course opens that form (one per course, check, phase and form, by its request
    key), and stays open 4 weeks; a student who comes later gets a new class of the same form."""
    cs = store
    scheduled = {r.phase: r for r in cs.schedule(student.course_id) if r.check_id == check.id}
    if phase not in scheduled or scheduled[phase].opens_at > now:
        raise CourseError("This check is not open yet.")
    form = rotate_forms(check_forms(check), rotation_for(cs, student.course_id, check, student), phase)
    base = f"course:{student.course_id}:{check.id}:{phase}:{form}:{scheduled[phase].opens_at.isoformat()}"
    most = max(DEFAULT_MAX_STUDENTS, len(cs.students(student.course_id)))
    for n in range(_CHECK_CLASSES):  # a class closed (4 weeks on, or by the teacher): the next one of the series
        session = start_class(store, check.forms[form], pacing="self", submission=f"{base}:{n}", open_days=28,
                              now=now, max_students=most)
        cs.link_class(session.id, student.course_id, check.id, phase, form)
        if session.status == "open":
            return session, seat(store, session, student)
    raise CourseError("This check has been closed. Ask your teacher.")


def seat(store: ClassCourseStore, session: ClassSessionRow, student: StudentRow) -> ParticipantRow:
    """The student's participant in a class of their course, under their roster name and token, linked to them."""
    cs = store
    try:
        participant = store.join(session.id, student.token, student.display_name)
    except ClassFull as e:
        raise CourseError(f"This class is full ({e.limit} students). Ask your teacher to raise the limit.") from e
    except LookupError as e:
        raise CourseError("This class has ended.") from e
    cs.seat_student(participant.id, student.id)
    return participant


def join_course_class(store: ClassCourseStore, code: str, token: str, name: str, guesser: Guesser, seats: SeatBudget,
                      *, device: str | None, personal_code: str | None, now: datetime,
                      checks: Mapping[str, Check] | None = None,
                      ) -> tuple[ClassSessionRow, ParticipantRow, StudentRow | None]:
    """A join from the join page. A one-off class: as ever (sessions/classes.join_class, the name typed). A course's
    class: the student is known by this browser (remembered) or by their personal code, and joins under their
    roster name and student token; raises NeedsPersonalCode when neither is given.

    A check's class or a booster's is not open to the whole course (`may_join`): only to the students whose form
    of that phase it plays, or who were offered that booster. Its code is on every student's class page, so anyone
    could type it.

    The class is looked up by its code before the guess limits are applied, to know whether it is a course's
    (one query more for a right code, even in a tab that is then refused); nobody is seated, and no personal code
    is looked up, before the class code has passed those limits (find_class), as any join's."""
    cs = store
    found = store.session_by_code(code)
    linked = cs.course_class(found.id) if found is not None else None
    if linked is None:
        session, participant = join_class(store, code, token, name, guesser, seats, device)
        return session, participant, None
    session = find_class(store, code, guesser)
    student = recognised(cs, device, now)
    if personal_code or student is None or student.course_id != linked.course_id:  # a code typed wins
        if not personal_code:
            raise NeedsPersonalCode("This class is for a course: type the personal code from your card.")
        student = find_student(store, personal_code, guesser)
        if student.course_id != linked.course_id:
            raise CourseError("That personal code is for another course. Check the class code on the board.")
        remember(cs, student, device)
    refusal = may_join(store, linked, student, checks)
    if refusal is not None:
        raise CourseError(refusal)
    return session, seat(store, session, student), student


_NOT_YOUR_CHECK = ("This class is for other students of your course: each student takes the check on their own "
                   "form. Open your course page (My course) and press Start there: it takes you to your own check.")
_NOT_YOUR_BOOSTER = ("This booster is for other students of your course. Your own boosters are on your course page "
                     "(My course).")


def may_join(store: ClassCourseStore, linked: CourseClassRow, student: StudentRow,
             checks: Mapping[str, Check] | None) -> str | None:
    """Why `student` may not take a seat in this class of their course, or None when they may. Any class of the
    course that is not a check's or a booster's is open to all of it. A student who holds a seat in the class
    already (they started it from their course page) always gets back in. A check's class takes only the students
    whose form of that phase it plays (their rotation: `rotate_forms`), so nobody sees a form twice; without the
    check (`checks` not given, or the check gone) nobody new is seated by code, and the course page's Start seats
    them in their own form's class. A booster's class takes nobody new by code: which booster a student is offered
    is decided above this layer (classroom/course_boosters.py), and the course page's button seats them."""
    if linked.phase is None or store.participant(linked.session.id, student.token) is not None:
        return None
    if linked.phase == "booster":
        return _NOT_YOUR_BOOSTER
    check = checks.get(linked.check_id) if checks is not None and linked.check_id is not None else None
    if check is None or linked.form not in check.forms:
        return _NOT_YOUR_CHECK
    if rotate_forms(check_forms(check), rotation_for(store, student.course_id, check, student),
                    linked.phase) != linked.form:
        return _NOT_YOUR_CHECK
    return None


class _Links(Protocol):
    def course_class(self, session_id: int) -> CourseClassRow | None: ...


def key_may_be_shown(store: _Links, session_id: int) -> bool:
    """Whether this class's right answers and explanations may be shown to students: in the summary once the class
    is closed (ui/class_view.show_ended), or on the projector from the Reteach list (ui/reteach_view.py). Not a
    check's class nor a booster's: counterbalancing brings every form of a check back in another phase for other
    students of the course (with two forms, A then B for half the class and B then A for the other half), and a
    booster's lesson is offered to classmates later, so its key would reach them before they answer. Those
    students see their score and their answers, never the key; the teacher's results keep everything."""
    linked = store.course_class(session_id)
    return linked is None or linked.phase is None


# -- boosters: a library lesson on a weak skill, some days after the post-check ----------------------------------
# Which lesson, and when, is decided above this layer (classroom/course_boosters.py, with analytics/boosters.py);
# here only the course's setting and the class the booster plays in.

def set_booster_days(store: CourseStore, course: CourseRow, days: int) -> None:
    """How many days after a student's post-check their booster opens (0: the same day)."""
    if not 0 <= days <= MOST_BOOSTER_DAYS:
        raise CourseError(f"Pick 0 to {MOST_BOOSTER_DAYS} days: a booster after a short gap, before the delayed "
                          "check.")
    store.set_booster_days(course.id, days)


def start_booster(store: ClassCourseStore, student: StudentRow, lesson: LoadedLesson,
                  now: datetime) -> tuple[ClassSessionRow, ParticipantRow]:
    """The student's seat in the course's self-paced booster class on this lesson: made the first time a student of
    the course opens a booster on it (one per course and lesson, by its request key), linked with the phase
    "booster" and the lesson's id in place of a check's, open 4 weeks; a student who comes later gets the next
    class of the series. A booster class is not listed among the course's classes: only the students it was
    offered to see it."""
    base = f"course:{student.course_id}:booster:{lesson.id}"
    most = max(DEFAULT_MAX_STUDENTS, len(store.students(student.course_id)))
    for n in range(_CHECK_CLASSES):
        session = start_class(store, lesson, pacing="self", submission=f"{base}:{n}", open_days=28, now=now,
                              max_students=most)
        store.link_class(session.id, student.course_id, lesson.id, "booster")
        if session.status == "open":
            return session, seat(store, session, student)
    raise CourseError("This booster has been closed. Ask your teacher.")


# -- privacy: purge, export, delete --------------------------------------------------------------------------------

def purge_due(store: CourseStore, now: datetime) -> int:
    """Delete every course whose retention date has come (the store does it at start-up and daily too)."""
    return store.purge_courses(now)


_EXPORT_FIELDS = ("class_code", "check", "phase", "form", "lesson", "question", "attempt", "response", "earned",
                  "possible", "verdict", "confidence", "time_taken_ms", "submitted_at")


def _export_rows(store: CourseStore, student: StudentRow) -> list[dict[str, object]]:
    return [{"class_code": a.class_code, "check": a.check_id, "phase": a.phase, "form": a.form,
             "lesson": a.answer.lesson_id, "question": a.answer.question_id, "attempt": a.answer.attempt,
             "response": a.answer.response, "earned": a.answer.earned, "possible": a.answer.possible,
             "verdict": a.answer.verdict, "confidence": a.answer.confidence, "time_taken_ms": a.answer.time_taken_ms,
             "submitted_at": a.answer.submitted_at.isoformat() if a.answer.submitted_at else None}
            for a in store.student_answers(student.id)]


def export_json(store: CourseStore, student: StudentRow) -> str:
    """Everything stored about the student: name, course, their forms' rotations, when their remembered browsers
    expire, and every answer (the code is not stored, only its hash, and the hashes are left out)."""
    course = store.course(student.course_id)
    return json.dumps({"student": {"name": student.display_name, "course": course.name if course else None,
                                   "added": student.created_at.isoformat(),
                                   "kept_until": course.retention_until.isoformat() if course else None},
                       "check_form_rotations": store.student_rotations(student.id),
                       "remembered_browsers_expire": [d.isoformat() for d in store.student_devices(student.id)],
                       "answers": _export_rows(store, student)}, indent=2, ensure_ascii=False)


def export_csv(store: CourseStore, student: StudentRow) -> str:
    """The student's answers, one row each; a cell a spreadsheet would run as a formula is quoted with '."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_EXPORT_FIELDS)
    writer.writeheader()
    for row in _export_rows(store, student):
        cells = {k: json.dumps(v, ensure_ascii=False) if k == "response" else v for k, v in row.items()}
        writer.writerow({k: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v
                         for k, v in cells.items()})
    return out.getvalue()


def delete_student(store: CourseStore, student: StudentRow) -> bool:
    """The student and everything about them (answers, seats, remembered browsers, practice of their token)."""
    return store.delete_student(student.id)



# -- a remembered browser asks first (a shared school laptop) ------------------------------------------------------

__all__ += ["DEVICE_DAYS", "shows_seat_code", "to_confirm", "to_confirm_for_class"]


def to_confirm(store: CourseStore, device: str | None, known: int | None, now: datetime) -> StudentRow | None:
    """The student this browser is remembered as, when this tab has not said it is them (`known`: the student id
    this tab typed a code for or confirmed): the page asks "Are you NAME?" and shows or seats nothing of theirs
    until "Continue". None: nothing to ask."""
    student = recognised(store, device, now)
    return None if student is None or student.id == known else student


def to_confirm_for_class(store: ClassCourseStore, code: str, device: str | None, known: int | None,
                         now: datetime) -> StudentRow | None:
    """As `to_confirm`, before a join without a personal code: only when the class code names a class of the
    remembered student's course (join_course_class would seat them in it unasked)."""
    student = to_confirm(store, device, known, now)
    if student is None:
        return None
    found = store.session_by_code(code)
    linked = store.course_class(found.id) if found is not None else None
    return student if linked is not None and linked.course_id == student.course_id else None


def shows_seat_code(store: ClassCourseStore, session: ClassSessionRow) -> bool:
    """Whether a student's class page offers the seat code (sessions/seats.py). Not in a course's class: its seats
    are the students' own (courses.seat makes them without a seat code), and the personal code on their card is
    what brings a student back to them from another device."""
    return store.course_class(session.id) is None
