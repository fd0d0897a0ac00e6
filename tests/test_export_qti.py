"""QTI export: open the zip and read the QTI XML the way Canvas does (items, types, correct responses)."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from test_export_common import EVIL, load_every_type, real_lessons

from sourcecheck.export.qti import item_points, to_qti
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import MatchQuestion, ShortQuestion

NS = {"q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}


@pytest.fixture
def every_type(tmp_path: Path) -> LoadedLesson:
    return load_every_type(tmp_path)


def assessment(data: bytes) -> ET.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert "imsmanifest.xml" in names
        main = [n for n in names if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml")]
        assert len(main) == 1
        return ET.fromstring(z.read(main[0]))


def items(root: ET.Element) -> list[ET.Element]:
    return [i for i in root.iter(f"{{{NS['q']}}}item") if _field(i, "question_type") != "text_only_question"]


def _field(item: ET.Element, label: str) -> str:
    for f in item.iter(f"{{{NS['q']}}}qtimetadatafield"):
        if f.findtext("q:fieldlabel", namespaces=NS) == label:
            return f.findtext("q:fieldentry", default="", namespaces=NS)
    return ""


def text_of(html_text: str | None) -> str:
    """What Canvas shows for a mattext: markup dropped, character references decoded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text or "")).split())


def choices(item: ET.Element) -> dict[str, str]:
    return {label.get("ident", ""): text_of(label.findtext(".//q:mattext", namespaces=NS))
            for label in item.iter(f"{{{NS['q']}}}response_label")}


def correct(item: ET.Element) -> set[str]:
    """Idents of the choices that score 100: varequal under the respcondition that sets SCORE, not under <not>."""
    for condition in item.iter(f"{{{NS['q']}}}respcondition"):
        setvar = condition.find("q:setvar", NS)
        if setvar is not None and setvar.text == "100":
            negated = {v.text for n in condition.iter(f"{{{NS['q']}}}not") for v in n.iter(f"{{{NS['q']}}}varequal")}
            return {v.text or "" for v in condition.iter(f"{{{NS['q']}}}varequal")} - negated
    return set()


def right_texts(item: ET.Element) -> set[str]:
    labels = choices(item)
    return {labels[i] for i in correct(item)}


def test_one_item_per_question_and_one_per_match_item(every_type: LoadedLesson) -> None:
    found = items(assessment(to_qti([every_type]).data))
    titles = [i.get("title") for i in found]
    assert titles == ["every-type/pick-one", "every-type/pick-all", "every-type/yes-no", "every-type/hedges",
                      "every-type/mark-them", "every-type/sort (item 1 of 3)", "every-type/sort (item 2 of 3)",
                      "every-type/sort (item 3 of 3)", "every-type/reflect"]
    assert [_field(i, "question_type") for i in found] == [
        "multiple_choice_question", "multiple_answers_question", "true_false_question",
        "multiple_answers_question", "multiple_answers_question", "multiple_choice_question",
        "multiple_choice_question", "multiple_choice_question", "essay_question"]
    assert [_field(i, "points_possible") for i in found] == ["1", "2", "1", "1", "1", "0.33", "0.33", "0.34", "0"]


def test_correct_responses_are_the_lesson_answer_key(every_type: LoadedLesson) -> None:
    found = {i.get("title"): i for i in items(assessment(to_qti([every_type]).data))}
    assert right_texts(found["every-type/pick-one"]) == {"[markdown] starts with a bracket"}
    assert list(choices(found["every-type/pick-one"]).values()) == [
        "[markdown] starts with a bracket", "%50% starts like a weight", f"Option {EVIL}"]
    assert right_texts(found["every-type/pick-all"]) == {"An outlet", "A nationality"}
    assert right_texts(found["every-type/yes-no"]) == {"False"}
    assert right_texts(found["every-type/hedges"]) == {"“but little concrete facts”"}
    assert set(choices(found["every-type/hedges"]).values()) == {"“much speculation”", "“but little concrete facts”"}
    assert list(choices(found["every-type/mark-them"]).values()) == [  # each annotated phrase in each category
        "“The New York Times now confirms”: outlet", "“The New York Times now confirms”: unnamed source",
        "“Israeli sources”: outlet", "“Israeli sources”: unnamed source"]
    assert right_texts(found["every-type/mark-them"]) == {"“The New York Times now confirms”: outlet",
                                                          "“Israeli sources”: unnamed source"}
    sort = every_type.question("sort")
    assert isinstance(sort, MatchQuestion)
    for n, item in enumerate(sort.items, start=1):
        qti_item = found[f"every-type/sort (item {n} of 3)"]
        assert right_texts(qti_item) == {item.category}
        assert set(choices(qti_item).values()) == set(sort.categories)
        assert item.text in text_of(qti_item.findtext(".//q:presentation/q:material/q:mattext", namespaces=NS))


def test_feedback_and_model_answer_carry_over(every_type: LoadedLesson) -> None:
    root = assessment(to_qti([every_type]).data)
    texts = [text_of(m.text) for m in root.iter(f"{{{NS['q']}}}mattext")]
    assert f"Right {EVIL}" in texts
    assert f"Look again {EVIL}" in texts
    assert any(t.startswith(f"Model answer: Model {EVIL}") for t in texts)
    assert f"Explanation {EVIL}" in texts


def test_hostile_text_is_text_and_no_file_is_embedded(every_type: LoadedLesson) -> None:
    data = to_qti([every_type]).data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if n.startswith("images/")]
    root = assessment(data)
    for mattext in root.iter(f"{{{NS['q']}}}mattext"):
        markup = mattext.text or ""
        assert "<script" not in markup and "<img" not in markup and "<code" not in markup
        assert "<strong>b</strong>" not in markup and "<em>b</em>" not in markup
    prompt = next(m.text for m in root.iter(f"{{{NS['q']}}}mattext") if "Prompt" in (m.text or ""))
    assert f"Prompt {EVIL}" in text_of(prompt)
    assert root.find("q:assessment", NS).get("title") == f"Title {EVIL}"


def test_notes_say_what_changed_shape(every_type: LoadedLesson) -> None:
    notes = to_qti([every_type]).notes
    assert notes == [
        "every-type/hedges: spans question exported as a multiple-answers question over its 2 candidate phrases "
        "(students tick phrases instead of selecting them in the passage)",
        "every-type/mark-them: mark question exported as a multiple-answers question over 4 choices made from its "
        "passage's annotated phrases (students tick phrases instead of marking words in the passage, so a mark "
        "that is a word too long or too short cannot be scored as SourceCheck scores it)",
        "every-type/sort: Canvas QTI from text2qti has no matching questions; exported as 3 multiple-choice "
        "questions, one per item, worth 0.33 + 0.33 + 0.34 = 1 point, as in SourceCheck (credit per item)",
        "every-type/reflect: short answers are never scored in SourceCheck; exported as an essay worth 0 points, "
        "so Canvas collects the answer without counting it",
        "quiz total: 7 points, as in SourceCheck",
    ]


def _app_total(lessons: list[LoadedLesson]) -> float:
    """What the app's summary says the lessons are worth once every answer is scored: the points possible of every
    question, as scored, and for a short answer with a rubric (stored unscored, then scored by a teacher) each
    criterion's highest level."""
    scored = sum(score_question(x.bound(q.id), None).possible for x in lessons for q in x.lesson.questions)
    return scored + sum(max(level.points for level in c.levels) for x in lessons for q in x.lesson.questions
                        if isinstance(q, ShortQuestion) for c in q.rubric or ())


def _qti_totals(data: bytes) -> tuple[float, float]:
    """The sum of the items' points, and the total in assessment_meta.xml (what Canvas shows as the quiz's)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        meta_name = next(n for n in z.namelist() if n.endswith("assessment_meta.xml"))
        meta = z.read(meta_name).decode("utf-8")
    total = float(re.search(r"<points_possible>([^<]+)</points_possible>", meta).group(1))  # type: ignore[union-attr]
    return sum(float(_field(i, "points_possible")) for i in items(assessment(data))), total


def test_the_quiz_is_worth_what_the_app_says(every_type: LoadedLesson) -> None:
    """A match question's points are shared among its items and a short question counts 0, as in the app."""
    summed, total = _qti_totals(to_qti([every_type]).data)
    assert summed == pytest.approx(_app_total([every_type])) == pytest.approx(total) == 7


@pytest.mark.parametrize("lesson", real_lessons(), ids=lambda x: x.id)
def test_every_bundled_lesson_keeps_its_total_in_canvas(lesson: LoadedLesson) -> None:
    summed, total = _qti_totals(to_qti([lesson]).data)
    assert summed == pytest.approx(_app_total([lesson])) == pytest.approx(total)


@pytest.mark.parametrize(("points", "items", "shares"), [
    (1, 3, [0.33, 0.33, 0.34]), (1, 4, [0.25] * 4), (2, 3, [0.66, 0.67, 0.67]), (1, 7, [0.14] * 5 + [0.15] * 2),
    (3, 1, [3.0]),
])
def test_item_points_add_up_exactly(points: int, items: int, shares: list[float]) -> None:
    assert item_points(points, items) == shares
    assert round(sum(item_points(points, items)), 2) == points


def test_several_lessons_make_one_quiz_with_a_heading_per_lesson() -> None:
    lessons = real_lessons()
    root = assessment(to_qti(lessons).data)
    headings = [i.get("title") for i in root.iter(f"{{{NS['q']}}}item")
                if _field(i, "question_type") == "text_only_question"]
    assert headings == [x.lesson.title for x in lessons]
    expected = sum(len(q.items) if isinstance(q, MatchQuestion) else 1 for x in lessons for q in x.lesson.questions)
    assert len(items(root)) == expected
    assert all(correct(i) for i in items(root) if _field(i, "question_type") != "essay_question")
