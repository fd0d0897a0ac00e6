"""A short question's rubric is part of its key: the student sees it after answering, with the model answer,
never before; and what the rubric holds is shown as text, never as markup."""

from __future__ import annotations

from ui_helpers import (
    alerts,
    fill,
    html_bodies,
    next_question,
    open_quiz,
    page_text,
    plan,
    progress_of,
    raw_page,
    squash,
    submit,
)

from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import RubricCriterion, ShortQuestion
from sourcecheck.render.rubric import rubric_html

LESSON = "raqqa-who-says"


def _rubric_words(question: ShortQuestion) -> list[str]:
    assert question.rubric
    return [squash(text) for c in question.rubric for level in c.levels for text in (level.descriptor, level.example)]


def test_the_rubric_appears_after_answering_and_not_before(library: Library) -> None:
    lesson = library.get(LESSON)
    assert lesson is not None
    at = open_quiz(LESSON, token="rubric-feedback-token-0001")
    progress = progress_of(at, LESSON)
    how = plan(lesson)
    for question in lesson.lesson.questions:
        if isinstance(question, ShortQuestion) and question.rubric:
            break
        fill(at, lesson, progress, question, how[question.id])
        submit(at, progress, question)
        next_question(at, progress, question)
        assert not at.exception
    else:
        raise AssertionError(f"{LESSON} has no short question with a rubric")
    words = _rubric_words(question)
    before = squash(raw_page(at))
    assert not any('class="sc-rubric"' in body for body in html_bodies(at))
    assert [w for w in words if w in page_text(at) or w in before] == []
    assert squash(question.model_answer) not in page_text(at)

    fill(at, lesson, progress, question, "right")
    submit(at, progress, question)
    assert not at.exception
    shown = page_text(at)
    [rubric] = [body for body in html_bodies(at) if 'class="sc-rubric"' in body]
    assert "How your teacher scores this answer" in rubric
    assert [w for w in words if w not in shown] == []
    assert squash(question.model_answer) in shown
    assert shown.index(squash(question.model_answer)) < shown.index(words[0])  # the model answer, then the rubric
    assert alerts(at).startswith("Not scored yet: your teacher will score this answer with the rubric below.")


def test_rubric_html_escapes_what_the_lesson_wrote() -> None:
    criterion = RubricCriterion.model_validate({"criterion": "Says <b>who</b>", "levels": [
        {"points": 0, "descriptor": "<script>alert(1)</script>", "example": "It's \"fake\" & <i>so</i>"},
        {"points": 1, "descriptor": "One", "example": "Two"},
        {"points": 2, "descriptor": "Three", "example": "Four"}]})
    html = rubric_html([criterion], title="A <title>")
    assert "<script>" not in html and "<b>who" not in html and "<i>so" not in html and "<title>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Says &lt;b&gt;who&lt;/b&gt;" in html
    assert "It&#x27;s &quot;fake&quot; &amp; &lt;i&gt;so&lt;/i&gt;" in html


def test_rubric_html_names_the_levels_as_civic_online_reasoning_does() -> None:
    criterion = RubricCriterion.model_validate({"criterion": "Names the source", "levels": [
        {"points": 0, "descriptor": "None.", "example": "A."}, {"points": 1, "descriptor": "Some.", "example": "B."},
        {"points": 2, "descriptor": "All.", "example": "C."}]})
    html = rubric_html([criterion])
    assert "(up to 2 points)" in html
    assert html.index("0 points, Beginning:") < html.index("1 point, Emerging:") < html.index("2 points, Mastery:")
