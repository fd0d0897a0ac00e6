"""A class whose written answers wait to be scored: the library's raqqa-who-says with the test's rubric (in place
of the library's own) on its short question, stored as the class's lesson version, and 30 students' answers put in
through the store, as a class's would be (some identical, some nearly so, one empty, one long, one with markup and a
formula)."""

from __future__ import annotations

from datetime import UTC, datetime

from sourcecheck.db import SqlStore
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import class_lesson
from sourcecheck.sessions.store import AnswerRow

LESSON = "raqqa-who-says"
QUESTION = "what-would-you-check"

_ONE = """
    rubric:
      - criterion: Names what would have to be checked
        levels:
          - points: 0
            descriptor: Names nothing a reader could check.
            example: I would just trust it, it sounds right.
          - points: 1
            descriptor: Names one thing to check.
            example: A named source who says it.
          - points: 2
            descriptor: Names two things to check, and how each would show it.
            example: A named official who says it and other outlets that found it through their own reporting.
"""
_TWO = _ONE + """      - criterion: Says why the column alone is not enough
        levels:
          - points: 0
            descriptor: Does not say.
            example: It is on the internet.
          - points: 1
            descriptor: Says the column only guesses.
            example: The writer admits it is speculation.
"""

_TEN = _ONE.replace("points: 1\n", "points: 5\n").replace("points: 2\n", "points: 10\n")  # levels 0, 5, 10

ANSWERS = [
    "A named source who says it, and reports from other outlets.",
    "A named source who says it, and reports from other outlets.",
    "a named source who says it and reports from other outlets",
    "A named source who says it and reports from other outlets!",
    "Someone named who says it, and other news outlets reporting the same.",
    "I would look for a document or a recording that shows it.",
    "A document or a recording I could check myself.",
    "A document, or a recording I could check myself.",
    "Other outlets that found the same thing with their own sources.",
    "Other outlets that found the same thing through their own sources.",
    "Proof.",
    "proof",
    "Evidence and a source.",
    "Evidence and a source",
    "I would believe it, it sounds right.",
    "I would just trust it.",
    "",
    "Who says it, and how they would know. Also whether anyone else reported it.",
    "Who says it and how they would know, and if anyone else reported it.",
    "A name of an official and a document.",
    "The name of an official, and a document.",
    "Photos.",
    "Pictures or videos of it.",
    "The writer says it is speculation, so I would want a real source and another report.",
    "The author admits it is a guess, so a real source and another report.",
    "<b>bold</b> =HYPERLINK(\"http://example.com\",\"click\") a source",
    "A source\u200b and a report.",
    "Long: " + "a named source who says it, and a second outlet that checked it. " * 30,
    "Something from the government.",
    "A government statement and a news report.",
]


def rubric_text(*, two_criteria: bool = False, ten: bool = False) -> str:
    """The lesson's YAML with the test's rubric on its short question (the file's last question) in place of the
    library's own: the tests' levels and criteria stay the same whatever the library's rubric says."""
    text = (PROJECT_ROOT / "lessons" / f"{LESSON}.yaml").read_text(encoding="utf-8")
    rubric = _TEN if ten else _TWO if two_criteria else _ONE
    return _without_rubric(text, QUESTION).rstrip("\n") + "\n" + rubric.lstrip("\n")


def plain_text() -> str:
    """The lesson's YAML with no rubric at all: its short question is a reflection, never scored."""
    text = (PROJECT_ROOT / "lessons" / f"{LESSON}.yaml").read_text(encoding="utf-8")
    return _without_rubric(text, QUESTION)


def _without_rubric(text: str, question_id: str) -> str:
    """The YAML with `question_id`'s `rubric:` block cut out (the question must be the file's last; its rubric,
    when it has one, ends where a line is indented no deeper than the question's keys)."""
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {question_id}")
    assert not any(line.lstrip().startswith("- id:") for line in lines[start + 1:]), "the question is not last"
    kept, cutting = lines[:start], False
    for line in lines[start:]:
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() == "rubric:" and indent == 4:
            cutting = True
            continue
        if cutting and (not line.strip() or indent > 4):
            continue
        cutting = False
        kept.append(line)
    return "".join(kept)


def class_with_answers(db: SqlStore, answers: list[str] | None = None, *, two_criteria: bool = False,
                       ten: bool = False, names: str = "Student") -> int:
    """A closed-over class (still open) on the rubric lesson with one first attempt per student: its id. `ten`: a
    one-criterion rubric with levels 0, 5 and 10."""
    digest = db.save_lesson_version(LESSON, rubric_text(two_criteria=two_criteria, ten=ten))
    session = db.create_session(LESSON, digest, pacing="self")
    for n, text in enumerate(ANSWERS if answers is None else answers, start=1):
        person = db.join(session.id, f"written-token-{session.id:04d}-{n:04d}", f"{names} {n}")
        db.record_answer(AnswerRow(participant_id=person.id, lesson_id=LESSON, lesson_hash=digest, attempt=1,
                                   question_id=QUESTION, response=text, earned=0.0, possible=0, verdict="unscored",
                                   submitted_at=datetime.now(UTC)))
    return session.id


def lesson_of(db: SqlStore, session_id: int, catalog: Catalog) -> LoadedLesson:
    """The seeded class's lesson as the app loads it, from the version stored with the class."""
    session = db.session(session_id)
    assert session is not None
    return class_lesson(db, session, catalog)
