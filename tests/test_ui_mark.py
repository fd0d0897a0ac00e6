"""A mark question in AppTest: the marking component gets the words and the categories and nothing of the key;
its state, set through the component's key as the browser's Submit sends it, is scored by the documented rule and
stored once; the student then sees their marks checked against the phrases to find."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from mark_lessons import write_mark_library
from streamlit.testing.v1 import AppTest
from test_ui_security import assert_no_live_markup, secrets_of, write_hostile
from ui_helpers import (
    alerts,
    html_bodies,
    next_question,
    open_quiz,
    page_text,
    progress_of,
    raw_page,
    submit,
    tree_nodes,
)

from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.words import words
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui.question_view import key

LESSON = "example-mark"
TWO = "mark-hedges-and-speakers"
WORKED_B = [["hedge", 4, 6], ["hedge", 11, 14], ["vague-attribution", 0, 2]]  # docs/lesson-format.md: 0.79


@pytest.fixture
def lesson(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoadedLesson:
    seeds, folder = write_mark_library(tmp_path)
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    found = load_library([folder], load_catalog(seeds)).get(LESSON)
    assert found is not None
    return found


def component(at: AppTest) -> Any:
    [found] = [n.proto for n in tree_nodes(at._tree) if getattr(n, "type", "") == "bidi_component"]
    return found


def set_marks(at: AppTest, progress: Progress, question_id: str, marks: object) -> None:
    """What the browser sends with Submit: the component's state under its key."""
    at.session_state[key(progress, question_id, "marks")] = {"marks": marks}


def test_the_component_gets_the_words_and_categories_and_nothing_of_the_key(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="mark-key-check-token-01")
    assert not at.exception
    proto = component(at)
    assert proto.component_name == "sourcecheck_mark"
    data = json.loads(proto.json)
    text = lesson.excerpts["ending"].text
    assert set(data) == {"words", "gaps", "categories", "label"}
    assert data["words"] == [w.text for w in words(text)]
    assert "".join(g + w for g, w in zip(data["gaps"], data["words"], strict=False)) + data["gaps"][-1] == text
    assert [c["id"] for c in data["categories"]] == ["hedge", "vague-attribution"]
    assert all(set(c) == {"id", "title", "colour", "background", "pattern"} for c in data["categories"])
    # No positions of any kind: every value is text, so no word index can say which words are right.
    flat = [data["label"], *data["words"], *data["gaps"], *(v for c in data["categories"] for v in c.values())]
    assert all(isinstance(v, str) for v in flat)
    before = page_text(at) + raw_page(at)
    for secret in secrets_of(lesson, lesson.question(TWO)):
        assert secret not in before, secret
    assert 'class="sc-tag"' not in raw_page(at) and 'class="sc-review"' not in raw_page(at)


def test_submitting_no_marks_warns_and_records_nothing(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="mark-empty-token-0001")
    progress = progress_of(at, LESSON)
    submit(at, progress, lesson.question(TWO))
    assert "Mark at least one phrase in the passage, then press Submit." in alerts(at)
    set_marks(at, progress, TWO, [["claim", 0, 1], ["hedge", 30, 31], ["hedge", 5, 4], "junk"])  # a tampered state
    submit(at, progress, lesson.question(TWO))
    assert not at.exception
    assert "Mark at least one phrase" in alerts(at)
    assert progress.attempt.answers == {}
    assert len([n for n in tree_nodes(at._tree) if getattr(n, "type", "") == "bidi_component"]) == 1


def test_marks_are_scored_by_the_documented_rule_and_shown_checked(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="mark-score-token-0001")
    progress = progress_of(at, LESSON)
    set_marks(at, progress, TWO, WORKED_B)
    submit(at, progress, lesson.question(TWO))
    assert not at.exception
    assert alerts(at).startswith("Partly correct: 0.79 of 1 point")
    stored = progress.attempt.answers[TWO]
    assert stored.response == [["vague-attribution", 0, 2], ["hedge", 4, 6], ["hedge", 11, 14]]  # reading order
    shown = page_text(at)
    assert "**Hedge:** you found 6 of the 6 words to find, and 6 of the 7 words you marked are right." in shown
    assert ("**Vague attribution:** you found 2 of the 4 words to find, and 2 of the 2 words you marked are right."
            in shown)
    assert "**You found a hedge:** “may improve”" in shown
    assert "**You missed a vague attribution:** “Critics say”" in shown
    [review] = [b for b in html_bodies(at) if 'class="sc-review"' in b]
    assert "may improve attendance</mark>" in review and "✓ hedge, plus words that are not" in review
    assert "Supporters say the</mark>" in review and "✓ vague attribution</span>" in review
    assert ">Critics say</span>" in review and "→ missed vague attribution" in review
    assert lesson.question(TWO).explanation.split()[0] in shown  # the usual explanation
    assert any('class="sc-tag"' in b and 'class="sc-quote"' in b for b in html_bodies(at))  # the annotated passage
    for _ in range(2):  # a rerun neither loses nor doubles the answer
        at.run()
    assert list(progress.attempt.answers) == [TWO] and progress.attempt.answers[TWO] == stored


def test_all_targets_marked_is_correct_and_a_retry_starts_empty(lesson: LoadedLesson) -> None:
    at = open_quiz(LESSON, token="mark-retry-token-0001")
    progress = progress_of(at, LESSON)
    question = lesson.question(TWO)
    set_marks(at, progress, TWO, [["hedge", 11, 14]])
    submit(at, progress, question)
    next_question(at, progress, question)
    other = lesson.question("mark-unnamed")
    set_marks(at, progress, other.id, [["unnamed-source", 0, 6], ["unnamed-source", 24, 25]])
    submit(at, progress, other)
    assert alerts(at).startswith("Correct: 1 of 1 point")
    next_question(at, progress, other)
    at.button(key=f"{LESSON}:1:retry").click().run()
    assert progress.attempt.number == 2 and progress.current() == TWO
    assert at.session_state[key(progress, TWO, "marks")] == {"marks": []}  # a fresh component, not the old marks


HOSTILE_MARK = textwrap.dedent("""\
    id: hostile-mark
    title: Hostile marking
    summary: Markup in the passage of a mark question.
    level: intro
    minutes: 5
    skills: [claim-and-source]
    document: evil
    excerpts:
      - id: two
        quote: "Officials said <img src=x onerror=\\"window.__xss=2\\"> it was fine & *bold* $x$"
        annotations:
          - text: "Officials said"
            label: unnamed-source
            note: "<script>window.__xss=20</script>note"
          - text: "<img src=x onerror=\\"window.__xss=2\\">"
            label: claim
            note: "<b>bold note</b>"
    questions:
      - id: mark-it
        type: mark
        excerpt: two
        skill: claim-and-source
        prompt: "<i>Mark</i> the sources"
        labels: [unnamed-source, claim]
        explanation: "<script>window.__xss=21</script>Because."
    """)


def test_markup_in_the_passage_is_data_and_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeds, folder = write_hostile(tmp_path)
    (folder / "hostile-mark.yaml").write_text(HOSTILE_MARK, encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(seeds))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    at = open_quiz("hostile-mark", token="mark-hostile-token-01")
    assert not at.exception
    data = json.loads(component(at).json)
    assert "img" in data["words"] and any("<" in g for g in data["gaps"])  # the markup travels as plain data
    assert_no_live_markup(at)
    progress = progress_of(at, "hostile-mark")
    set_marks(at, progress, "mark-it", [["claim", 2, 7], ["unnamed-source", 0, 1]])
    at.button(key=key(progress, "mark-it", "submit")).click().run()
    assert not at.exception
    assert_no_live_markup(at)
    [review] = [b for b in html_bodies(at) if 'class="sc-review"' in b]
    assert "&lt;" in review and "&quot;" in review and "<img" not in review and "<script" not in review
