"""A short question with a rubric in every export: an essay worth the rubric's most, with the rubric where each
format can carry it (GIFT: the general feedback, since GIFT has no grader information; QTI: the essay's general
feedback; the worksheet: the teacher's key, never the student's sheet), every string escaped."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_export_common import CATALOG, EVERY_TYPE, EVIL
from test_export_gift import app_total, moodle_total, parse_gift
from test_export_qti import NS, _field, _qti_totals, assessment, items, text_of
from test_export_worksheet import Page

from sourcecheck.export.gift import to_gift
from sourcecheck.export.qti import to_qti
from sourcecheck.export.worksheet import to_worksheet
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson

RUBRIC = [
    {"criterion": "Names a source <b>{=~#}: \\ $x$ -> &", "levels": [
        {"points": 0, "descriptor": f"Names none {EVIL}", "example": f"I would google it {EVIL}"},
        {"points": 1, "descriptor": "Names a kind of source.", "example": "Some other website."},
        {"points": 2, "descriptor": "Names a source a reader can find.", "example": "The report's own count."}]},
    {"criterion": "Says what to compare", "levels": [
        {"points": 0, "descriptor": "Nothing to compare.", "example": "Then I would know."},
        {"points": 3, "descriptor": "The figure and the place.", "example": "The 39 at the Hillcrest stops."}]},
]


@pytest.fixture
def with_rubric(tmp_path: Path) -> LoadedLesson:
    lesson: dict[str, Any] = copy.deepcopy(EVERY_TYPE)
    reflect = next(q for q in lesson["questions"] if q["id"] == "reflect")
    reflect["rubric"] = RUBRIC
    path = tmp_path / "every-type.yaml"
    path.write_text(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_lesson(path, CATALOG)


def _words() -> list[str]:
    return [" ".join(t.split()) for c in RUBRIC for t in (c["criterion"], *(x for level in c["levels"]
                                                                            for x in (level["descriptor"],
                                                                                      level["example"])))]


def test_gift_essay_carries_the_rubric_after_the_model_answer(with_rubric: LoadedLesson) -> None:
    result = to_gift([with_rubric])
    essay = next(p for p in parse_gift(result.data) if p.name.endswith("/reflect"))
    assert essay.qtype == "essay"
    assert essay.general.startswith(f"Model answer: Model {EVIL} Rubric: how this answer is scored")
    assert [w for w in _words() if w not in essay.general] == []
    assert "2 points, Mastery: Names a source a reader can find. Example: “The report’s own count.”" in \
        essay.general.replace("'", "’")
    block = next(b for b in result.data.split("\n\n") if "::every-type/reflect::" in b)
    assert block.startswith("// Mark in SourceCheck: 5; set it in Moodle after importing")
    assert "<script" not in block and "&lt;script&gt;" in block
    assert "every-type/reflect: GIFT cannot carry points; set its mark (5) (a teacher scores it with its rubric in " \
           "SourceCheck) in Moodle after importing" in result.notes
    assert any(n.startswith("every-type/reflect: GIFT has no syntax for an essay's information for graders") and
               "\"Information for graders\"" in n for n in result.notes)
    assert moodle_total(result.data) == app_total([with_rubric]) == 12
    assert result.notes[-1].startswith("quiz total: 12 points, as in SourceCheck")


def test_qti_essay_is_worth_the_rubric_and_carries_it_in_its_feedback(with_rubric: LoadedLesson) -> None:
    result = to_qti([with_rubric])
    root = assessment(result.data)
    essay = next(i for i in items(root) if "reflect" in (i.get("title") or ""))
    assert _field(essay, "question_type") == "essay_question"
    assert _field(essay, "points_possible") == "5"
    shown = " ".join(text_of(m.text) for m in essay.iter(f"{{{NS['q']}}}mattext"))
    assert f"Model answer: Model {EVIL}" in shown and "Rubric: how this answer is scored" in shown
    assert [w for w in _words() if w not in shown] == []
    assert "Names a source " in shown and "(up to 2 points)" in shown and "3 points, Mastery:" in shown
    for mattext in essay.iter(f"{{{NS['q']}}}mattext"):
        assert "<script" not in (mattext.text or "") and "<img" not in (mattext.text or "")
    assert _qti_totals(result.data) == (12, 12)
    assert "every-type/reflect: scored by a teacher with its rubric in SourceCheck; exported as an essay worth " \
           "5 points, with the rubric in its general feedback (QTI from text2qti has no other place for it)" \
           in result.notes


def test_the_worksheet_key_prints_the_rubric_and_the_sheet_does_not(with_rubric: LoadedLesson) -> None:
    markup = to_worksheet([with_rubric]).data
    page = Page(markup)
    sheet, key = page.text(0), page.text(1)
    assert [w for w in _words() if w in sheet] == []
    assert "Rubric (up to 5 points, scored by the teacher)" in key
    assert [w for w in _words() if w not in key] == []
    assert key.index(f"Model answer: Model {EVIL}") < key.index("Rubric (up to 5 points")
    assert "<script" not in markup and "&lt;script&gt;" in markup
    assert page.count(1, "sc-rubric-criterion") == 2
