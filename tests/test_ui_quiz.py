"""The student flow in AppTest: catalog, every question type answered right, wrong or partly, feedback,
summary, retry of the missed ones; and an answer survives reruns and refreshes without double counting."""

from __future__ import annotations

import pytest
from catalog_cards import open_lesson
from ui_helpers import (
    alerts,
    expected_points,
    fill,
    html_bodies,
    next_question,
    open_quiz,
    page_text,
    plan,
    progress_of,
    squash,
    start_app,
    submit,
    tree_nodes,
)

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import (
    QUESTION_TYPES,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from sourcecheck.ui.question_view import key

LESSON = "raqqa-who-says"
SPANS_LESSON = "compare-unnamed-officials"  # raqqa's phrases are marked in the passage; this lesson ticks them


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


def check_feedback(question: Question, response: object, shown: str) -> None:
    """The student reads feedback for what they chose and sees the right answer; not feedback for the rest."""
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        picked = {response} if isinstance(response, int) else set(response)  # type: ignore[arg-type]
        for i, option in enumerate(question.options):
            if i in picked or option.correct:
                assert squash(option.text) in shown, option.text
            if i in picked and option.feedback:
                assert squash(option.feedback) in shown, option.feedback
            if i not in picked and not option.correct and option.feedback:
                assert squash(option.feedback) not in shown, option.feedback
    elif isinstance(question, TrueFalseQuestion):
        mine = question.feedback_true if response is True else question.feedback_false
        if mine:
            assert squash(mine) in shown
    elif isinstance(question, MatchQuestion):
        for item in question.items:
            assert squash(item.text) in shown
            if item.feedback:
                assert squash(item.feedback) in shown


def test_lesson_uses_every_question_type(lesson: LoadedLesson, library: Library) -> None:
    """The full flow walks these two lessons: together they hold every question type."""
    assert {q.type for q in lesson.lesson.questions} == {"single", "multi", "true-false", "mark", "match", "short"}
    spans = library.get(SPANS_LESSON)
    assert spans is not None and "spans" in {q.type for q in spans.lesson.questions}
    assert {q.type for x in (lesson, spans) for q in x.lesson.questions} == set(QUESTION_TYPES)


def test_catalog_opens_the_lesson_and_keeps_it_in_the_url() -> None:
    at = start_app().run()
    assert not at.exception
    open_lesson(at, LESSON)
    assert not at.exception
    assert at.query_params["lesson"] == LESSON
    assert len(at.query_params["s"]) >= 16
    assert at.session_state["lesson_id"] == LESSON
    assert "Question 1 of" in at.get("progress")[0].proto.text


@pytest.mark.parametrize("lesson_id", [LESSON, SPANS_LESSON])
def test_full_flow_every_type_feedback_summary_and_retry(library: Library, lesson_id: str) -> None:
    lesson = library.get(lesson_id)
    assert lesson is not None
    at = open_quiz(lesson_id)
    assert not at.exception
    progress = progress_of(at, lesson_id)
    how_for = plan(lesson)
    questions = lesson.lesson.questions
    for n, question in enumerate(questions, start=1):
        how = how_for[question.id]
        assert f"Question {n} of {len(questions)}" in at.get("progress")[0].proto.text
        quotes = [body for body in html_bodies(at) if 'class="sc-quote"' in body]
        marking = [n for n in tree_nodes(at._tree) if getattr(n, "type", "") == "bidi_component"]
        if question.type == "mark":  # the passage is the marking component
            assert (len(quotes), len(marking)) == (0, 1)
        else:
            assert len(quotes) == len(question.excerpt_ids)  # a compare question shows both excerpts
        credits = [body for body in html_bodies(at) if 'class="sc-credit">From ' in body]
        assert len(credits) == len(question.excerpt_ids)  # each with its document's title
        fill(at, lesson, progress, question, how)
        submit(at, progress, question)
        assert not at.exception
        shown = page_text(at)
        verdict = alerts(at)
        if isinstance(question, ShortQuestion):
            assert "Not scored" in verdict
            assert squash(question.model_answer) in shown
        else:
            word = {"right": "Correct", "wrong": "Incorrect", "partial": "Partly correct"}[how]
            assert verdict.startswith(word) or f" {word}:" in verdict, verdict
            assert f"of {question.points} point" in verdict
        if question.explanation:
            assert squash(question.explanation) in shown
        check_feedback(question, progress.attempt.answers[question.id].response, shown)
        assert any('class="sc-tag"' in h.proto.body for h in at.get("html")), "annotated excerpt with tags"
        assert any(e.label.startswith("Read") and "context" in e.label for e in at.expander)
        if question.confidence:
            assert "You said you were 90 % sure." in shown
        next_question(at, progress, question)
        assert not at.exception

    # Summary: score, skills table, every question with both answers in words.
    assert progress.current() is None
    total = sum(expected_points(lesson, q, how_for[q.id]) for q in questions)
    possible = sum(getattr(q, "points", 0) for q in questions if not isinstance(q, ShortQuestion))
    score = at.metric[0].value
    assert score.startswith(f"{round(total, 2):g} of {possible} points"), score
    table = at.table[0].value
    assert list(table.columns) == ["Skill", "Points", "Score"]
    assert "Hedges and what they admit" in set(table["Skill"])  # skill rows by their human titles
    assert len(table) == len({q.skill for q in questions if not isinstance(q, ShortQuestion)})
    shown = page_text(at)
    for question in questions:
        assert squash(question.prompt) in shown
    assert shown.count("Your answer:") == len(questions)
    assert shown.count("Right answer:") + shown.count("A model answer:") == len(questions)

    missed = [q.id for q in questions if how_for[q.id] in ("wrong", "partial")]
    at.button(key=f"{lesson_id}:1:retry").click().run()
    assert not at.exception
    assert progress.attempt.number == 2 and progress.attempt.question_ids == missed
    assert f"Retry 1 · Question 1 of {len(missed)}" in at.get("progress")[0].proto.text
    for question_id in missed:
        question = lesson.question(question_id)
        fill(at, lesson, progress, question, "right")
        submit(at, progress, question)
        assert alerts(at).startswith("Correct")
        next_question(at, progress, question)
    assert at.metric[0].value.startswith(f"{sum(lesson.question(q).points for q in missed)} of")
    assert "You got every scored question right." in alerts(at)
    assert progress.attempts[0].answers.keys() == {q.id for q in questions}  # the first attempt is kept


def test_empty_submit_warns_and_records_nothing(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="empty-submit-token-01")
    progress = progress_of(at, LESSON)
    question = lesson.lesson.questions[0]
    submit(at, progress, question)
    assert not at.exception
    assert "Pick one answer" in alerts(at)
    assert progress.attempt.answers == {}
    assert at.radio(key=key(progress, question.id, "choice")).value is None  # still on the question


def test_rerun_and_repeated_submit_do_not_double_count(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="rerun-token-000000001")
    progress = progress_of(at, LESSON)
    question = lesson.lesson.questions[0]
    fill(at, lesson, progress, question, "wrong")
    submit(at, progress, question)
    first = progress.attempt.answers[question.id]
    for _ in range(3):
        at.run()
    assert not at.exception
    assert list(progress.attempt.answers) == [question.id]
    assert progress.attempt.answers[question.id] == first
    assert alerts(at).startswith("Incorrect")  # still the feedback of the same question
    next_question(at, progress, question)
    second = lesson.lesson.questions[1]
    assert progress.current() == second.id
    assert "Question 2 of" in at.get("progress")[0].proto.text


def test_refresh_returns_to_the_same_place_with_the_same_order(lesson: LoadedLesson) -> None:
    token = "refresh-token-00000001"
    at = open_quiz(LESSON, token=token)
    progress = progress_of(at, LESSON)
    question = lesson.lesson.questions[0]
    order = at.radio(key=key(progress, question.id, "choice")).options
    fill(at, lesson, progress, question, "right")
    submit(at, progress, question)

    again = open_quiz(LESSON, token=token)  # a refresh: a new session with the URL's lesson and token
    assert not again.exception
    assert progress_of(again, LESSON).attempt.answers == progress.attempt.answers
    assert alerts(again).startswith("Correct")  # the feedback is still there, nothing lost
    assert len(progress.attempt.answers) == 1
    next_question(again, progress, question)
    other = open_quiz(LESSON, token="another-student-token-01")
    assert progress_of(other, LESSON).attempt.answers == {}
    assert other.radio(key=key(progress_of(other, LESSON), question.id, "choice")).options != order or len(
        order) < 3  # another student usually sees another order; the same student always the same
    same = open_quiz(LESSON, token="another-student-token-01")
    assert same.radio(key=key(progress_of(same, LESSON), question.id, "choice")).options == \
        other.radio(key=key(progress_of(other, LESSON), question.id, "choice")).options


def test_lesson_survives_page_switch_without_query_params(lesson: LoadedLesson) -> None:
    at = start_app().run()
    open_lesson(at, LESSON)
    token = at.query_params["s"]
    at.query_params.clear()  # st.navigation clears them on a page switch
    at.run()
    assert not at.exception
    assert at.query_params["lesson"] == LESSON and at.query_params["s"] == token


def test_unknown_lesson_says_so() -> None:
    at = open_quiz("no-such-lesson")
    assert not at.exception
    assert "There is no lesson called “no-such-lesson”." in alerts(at)


def test_back_to_lessons_from_the_summary(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="summary-back-token-0001")
    progress = progress_of(at, LESSON)
    for question in lesson.lesson.questions:
        fill(at, lesson, progress, question, "right")
        submit(at, progress, question)
        next_question(at, progress, question)
    assert not at.exception
    assert f"{LESSON}:1:retry" not in [b.key for b in at.button]  # nothing missed, nothing to retry
    at.button(key=f"{LESSON}:1:back").click().run()
    assert not at.exception
    assert at.title[0].value == "SourceCheck"

