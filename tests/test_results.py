"""Totals, per-skill breakdown and 'missed' add up the stored scores, and shuffling is stable per student."""

from __future__ import annotations

from sourcecheck.grading.responses import Response
from sourcecheck.grading.results import summarise
from sourcecheck.grading.scoring import Verdict, score_question
from sourcecheck.grading.shuffle import option_order
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.sessions.store import AnswerRow


def stored(lesson: LoadedLesson, question_id: str, response: Response) -> AnswerRow:
    """An answer as sessions/progress.py stores it: scored once, the score kept in the row."""
    score = score_question(lesson.bound(question_id), response)
    return row(lesson, question_id, response, score.earned, score.possible, score.verdict)


def row(lesson: LoadedLesson, question_id: str, response: Response, earned: float, possible: int,
        verdict: Verdict) -> AnswerRow:
    return AnswerRow(participant_id=1, lesson_id=lesson.id, lesson_hash=lesson.origin.sha256, attempt=1,
                     question_id=question_id, response=response, earned=earned, possible=possible, verdict=verdict)


def test_summary_totals_and_skill_rows(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    q = {x.id: x for x in lesson.lesson.questions}
    right_single = next(i for i, o in enumerate(q["who-concludes"].options) if o.correct)
    answers = [
        stored(lesson, "who-concludes", right_single),          # claim-and-source: 1/1
        stored(lesson, "officials-named", True),                # named-unnamed: 0/1 (answer is false)
        stored(lesson, "what-is-given", [0]),                   # what-is-cited: 1 of 2 right -> 0.5
        stored(lesson, "what-would-you-check", "a named source"),  # short: unscored
    ]
    summary = summarise(lesson, answers)
    assert (summary.earned, summary.possible) == (1.5, 3)
    assert [(r.skill, r.earned, r.possible) for r in summary.skills] == [
        ("claim-and-source", 1.0, 1), ("named-unnamed", 0.0, 1), ("what-is-cited", 0.5, 1)]
    assert summary.missed == ["officials-named", "what-is-given"]


def test_the_summary_shows_the_stored_score_not_a_new_one(library: Library) -> None:
    """A score the rules could never give (the right answer stored as partly right, 0.25) is what the summary
    adds up: it reads the stored score, and never scores the response again."""
    lesson = library.get("raqqa-who-says")
    q = {x.id: x for x in lesson.lesson.questions}
    right_single = next(i for i, o in enumerate(q["who-concludes"].options) if o.correct)
    summary = summarise(lesson, [row(lesson, "who-concludes", right_single, 0.25, 1, "partial")])
    [result] = summary.results
    assert (result.score.earned, result.score.verdict, result.response) == (0.25, "partial", right_single)
    assert (summary.earned, summary.possible, summary.missed) == (0.25, 1, ["who-concludes"])


def test_option_order_is_stable_per_student_and_differs_between_students(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    question = next(q for q in lesson.lesson.questions if q.type == "multi")
    first = option_order(lesson, question, "student-a")
    assert option_order(lesson, question, "student-a") == first          # a refresh does not reshuffle
    assert sorted(first) == list(range(len(question.options)))
    orders = {tuple(option_order(lesson, question, f"student-{n}")) for n in range(20)}
    assert len(orders) > 5


def test_shuffle_false_keeps_yaml_order(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    question = next(q for q in lesson.lesson.questions if q.type == "multi").model_copy(update={"shuffle": False})
    assert option_order(lesson, question, "anyone") == list(range(len(question.options)))


def test_catalog_order_is_level_then_the_skill_progression(library: Library) -> None:
    from sourcecheck.lessons.curriculum import curriculum_order
    from sourcecheck.lessons.skills import skill_rank

    ordered = curriculum_order(library.lessons)
    levels = {"intro": 0, "core": 1, "advanced": 2}
    ranks = [(levels[x.lesson.level], skill_rank(x.lesson.skills[0])) for x in ordered]
    assert ranks == sorted(ranks)  # level first, then the skill progression within each level
    assert ordered[0].lesson.level == "intro" and ordered[0].lesson.skills[0] == "claim-and-source"
    assert ordered[-1].lesson.level == "advanced" and ordered[-1].lesson.skills[0] == "tracing"
