"""A rubric is checked like the rest of a lesson: what pydantic cannot say (levels from 0 upwards by distinct
points, criteria named once, an example that is not the model answer) gets one message at its line and column,
and every problem in the file is reported in one run."""
# ruff: noqa: E501  (golden messages are compared whole, one printed line per source line, as in test_loader_errors)

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import load_lesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.lessons.problems import LessonProblems, format_problem

QUESTION = """\
  - id: why
    type: short
    excerpt: officials
    skill: named-unnamed
    prompt: Who is behind the claim, and how would they know?
    model_answer: Unnamed officials; the report does not say how they would know.
    rubric:
      - criterion: Says who is behind the claim
        levels:
{levels}
"""
GOOD_LEVELS = """\
          - {points: 0, descriptor: Names no one., example: It says so in the article.}
          - {points: 1, descriptor: Names the officials only., example: Officials.}
          - {points: 2, descriptor: Says they are unnamed., example: No names given.}"""


def _lesson(tmp_path: Path, minimal_text: str, levels: str, extra: str = "") -> Path:
    path = tmp_path / "rubric.yaml"
    path.write_text(minimal_text + QUESTION.format(levels=levels) + extra, encoding="utf-8")
    return path


def _problems(path: Path, catalog: Catalog) -> list[str]:
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    return [format_problem(replace(e, path="rubric.yaml")) for e in caught.value.errors]


def test_a_rubric_from_0_to_2_loads_and_counts_its_criteria(catalog: Catalog, tmp_path: Path,
                                                            minimal_text: str) -> None:
    loaded = load_lesson(_lesson(tmp_path, minimal_text, GOOD_LEVELS), catalog)
    question = loaded.lesson.questions[1]
    assert isinstance(question, ShortQuestion) and question.rubric is not None
    [criterion] = question.rubric
    assert [level.points for level in criterion.levels] == [0, 1, 2]
    assert loaded.warnings == ()


def test_levels_that_do_not_start_at_0_and_rise_get_every_message_with_its_caret(
        catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    levels = GOOD_LEVELS.replace("points: 0", "points: 1").replace("points: 2", "points: 0")
    assert _problems(_lesson(tmp_path, minimal_text, levels), catalog) == [
        """\
rubric.yaml:36:22: the levels of 'Says who is behind the claim' start at 1 point; start with a level worth 0 (an answer that does not do this yet), e.g. 0, 1, 2
              - {points: 1, descriptor: Names no one., example: It says so in the article.}
                         ^""",
        """\
rubric.yaml:37:22: two levels of 'Says who is behind the claim' are worth 1 point; give each level its own points, e.g. 0, 1, 2
              - {points: 1, descriptor: Names the officials only., example: Officials.}
                         ^""",
        """\
rubric.yaml:38:22: the levels of 'Says who is behind the claim' must rise: this one is worth 0 after one worth 1; list them from 0 upwards, e.g. 0, 1, 2
              - {points: 0, descriptor: Says they are unnamed., example: No names given.}
                         ^""",
    ]


def test_a_criterion_named_twice_is_refused_whatever_its_case(catalog: Catalog, tmp_path: Path,
                                                              minimal_text: str) -> None:
    again = """\
      - criterion: says WHO is behind  the claim
        levels:
          - points: 0
            descriptor: Gives no reason.
            example: Because.
          - points: 2
            descriptor: Says how the officials would know.
            example: They work for the government.
"""
    assert _problems(_lesson(tmp_path, minimal_text, GOOD_LEVELS, again), catalog) == ["""\
rubric.yaml:39:20: criterion 'says WHO is behind  the claim' is listed twice in this rubric (also criterion 1); give each criterion its own name, or merge the two
          - criterion: says WHO is behind  the claim
                       ^"""]


def test_rubric_problems_come_with_the_other_problems_of_the_file(catalog: Catalog, tmp_path: Path,
                                                                 minimal_text: str) -> None:
    levels = GOOD_LEVELS.replace("points: 2", "points: 1")
    path = _lesson(tmp_path, minimal_text, levels.replace("Names no one.", "Names no one"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("excerpt: officials\n    skill: named-unnamed\n    prompt: Who is behind",
                                 "excerpt: oficials\n    skill: named-unnamed\n    prompt: Who is behind"), "utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert [(e.line, e.message[:20]) for e in caught.value.errors] == [
        (29, "no excerpt with id '"), (38, "two levels of 'Says ")]


def test_an_example_that_is_the_model_answer_gets_a_warning(catalog: Catalog, tmp_path: Path,
                                                           minimal_text: str) -> None:
    levels = GOOD_LEVELS.replace("example: No names given.",
                                 "example: \"Unnamed  officials; the report does not say how they would know.\"")
    loaded = load_lesson(_lesson(tmp_path, minimal_text, levels), catalog)
    assert [format_problem(replace(w, path="rubric.yaml")) for w in loaded.warnings] == ["""\
rubric.yaml:38:70: the 2-point example of 'Says who is behind the claim' is the model answer word for word; write it as a student at this level would answer, so a scorer can compare answers with it
    … 2, descriptor: Says they are unnamed., example: "Unnamed  officials; the report does not say how …
                                                      ^"""]


@pytest.mark.parametrize(("bad", "message"), [
    ("          - {points: 0, descriptor: Names no one., example: Nothing.}", "levels needs at least 2 items"),
    (GOOD_LEVELS.replace("points: 2", "points: 11"), "points must be at most 10, not 11"),
])
def test_the_schema_still_refuses_one_level_and_points_over_10(catalog: Catalog, tmp_path: Path, minimal_text: str,
                                                              bad: str, message: str) -> None:
    with pytest.raises(LessonProblems) as caught:
        load_lesson(_lesson(tmp_path, minimal_text, bad), catalog)
    [error] = caught.value.errors
    assert error.message == message
