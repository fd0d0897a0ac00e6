"""validate --format json and --watch: the shapes editors and scripts read, and a watch loop that ends cleanly."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lesson_texts import one_question_lesson

from sourcecheck.cli import main
from sourcecheck.cli import validate as validate_module
from sourcecheck.cli.validate import check_once, snapshot, watch_loop
from sourcecheck.lessons.paths import PROJECT_ROOT

GOOD = one_question_lesson(id="good", title="Good", summary="A valid lesson.")
BROKEN = GOOD.replace("answer: true", "answr: true").replace("level: intro", "level: easy")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "lessons" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def run(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_json_lists_every_problem_with_its_place_and_a_summary(folder: Path) -> None:
    result = run("validate", "--format", "json", folder / "lessons", "--seeds", folder / "seeds")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    broken = os.path.relpath(folder / "lessons" / "broken.yaml")
    assert report["problems"] == [
        {"path": broken, "line": 4, "column": 8,
         "message": "'easy' is not allowed for level; use one of: intro, core, advanced"},
        {"path": broken, "line": 17, "column": 5, "message": "unknown key 'answr' (did you mean 'answer'?)"},
    ]
    assert report["summary"] == {"files": 2, "invalid_files": 1, "problems": 2, "warnings": 0,
                                 "questions": 1, "valid": False}


def test_json_for_valid_lessons_exits_0(folder: Path) -> None:
    result = run("validate", "--format", "json", folder / "lessons" / "good.yaml", "--seeds", folder / "seeds")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"problems": [], "warnings": [], "summary": {
        "files": 1, "invalid_files": 0, "problems": 0, "warnings": 0, "questions": 1, "valid": True}}


def test_json_reports_a_broken_catalog_as_a_problem(folder: Path) -> None:
    (folder / "seeds" / "catalog.yaml").write_text("documents: 3\n", encoding="utf-8")
    result = run("validate", "--format", "json", folder / "lessons" / "good.yaml", "--seeds", folder / "seeds")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"][0]["message"] == "catalog needs a 'documents:' list"


def test_text_format_is_unchanged(folder: Path) -> None:
    result = run("validate", folder / "lessons" / "good.yaml", "--seeds", folder / "seeds")
    assert (result.exit_code, result.stdout) == (0, "1 lesson file valid, 1 questions\n")


def test_bad_format_is_a_usage_error(folder: Path) -> None:
    assert run("validate", "--format", "xml", folder / "lessons").exit_code == 2


def test_watch_checks_again_after_a_save_and_stops_on_ctrl_c(folder: Path) -> None:
    lesson = folder / "lessons" / "good.yaml"
    codes: list[int] = []
    sleeps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 2:  # the teacher saves a mistake
            lesson.write_text(BROKEN, encoding="utf-8")
            os.utime(lesson, ns=(1, 1))
        if len(sleeps) == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        watch_loop([lesson], lambda: codes.append(check_once([lesson], folder / "seeds", "text")) or codes[-1],
              sleep=fake_sleep)
    assert codes == [0, 1]  # once at the start, once after the save; no check while nothing changed


def test_snapshot_notices_new_and_removed_lesson_files(folder: Path) -> None:
    before = snapshot([folder / "lessons"])
    (folder / "lessons" / "new.yaml").write_text(GOOD, encoding="utf-8")
    assert snapshot([folder / "lessons"]) != before
    (folder / "lessons" / "new.yaml").unlink()
    assert snapshot([folder / "lessons"]) == before


def test_watch_command_stops_cleanly_on_ctrl_c(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(validate_module.time, "sleep", interrupt)
    result = run("validate", "--watch", folder / "lessons" / "good.yaml", "--seeds", folder / "seeds")
    assert result.exit_code == 0
    assert "1 lesson file valid" in result.stdout
    assert "stopped watching" in result.stderr


@pytest.mark.parametrize("newer", ["draft", "original"])
def test_a_draft_with_a_lessons_id_replaces_it_whichever_was_saved_last(folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         newer: str) -> None:
    """A teacher copies a lesson out of lessons/ to edit it, and validates just the copy: the answer is the
    workshop's (saving it replaces the original), a warning, the same whichever file was saved last."""
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder / "lessons"))
    copy = folder / "draft.yaml"
    copy.write_text(GOOD.replace("title: Good", "title: My new lesson"), encoding="utf-8")
    older = folder / "lessons" / "good.yaml" if newer == "draft" else copy
    os.utime(older, ns=(1_000_000_000, 1_000_000_000))
    result = run("validate", copy, "--seeds", folder / "seeds")
    original = os.path.relpath(folder / "lessons" / "good.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{os.path.relpath(copy)}:1:5: warning: lesson id 'good' is already used by {original}: this replaces "
        f"{original} when saved into {os.path.relpath(folder / 'lessons')}/ (as the workshop's Save does); to add a "
        "new lesson instead, give this one its own id\n"
        "    id: good\n"
        "        ^\n"
        "1 lesson file valid, 1 questions, 1 warning\n")
    assert "broken.yaml" not in result.output  # the rest of the folder's problems are not this file's
    kept = run("validate", folder / "lessons" / "good.yaml", "--seeds", folder / "seeds")
    assert kept.exit_code == 0 and "warning" not in kept.output, kept.output  # the lesson itself is fine


def test_a_copy_inside_lessons_that_kept_the_id_is_refused(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two files in lessons/ with one id both reach the app: the newer one is refused, as before."""
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder / "lessons"))
    copy = folder / "lessons" / "copy.yaml"
    copy.write_text(GOOD.replace("title: Good", "title: My new lesson"), encoding="utf-8")
    os.utime(folder / "lessons" / "good.yaml", ns=(1_000_000_000, 1_000_000_000))
    result = run("validate", copy, "--seeds", folder / "seeds")
    assert result.exit_code == 1
    assert f"copy.yaml:1:5: lesson id 'good' is already used by {os.path.relpath(folder / 'lessons' / 'good.yaml')}"\
        in result.output


def test_a_comma_that_splits_a_phrase_is_a_warning_not_a_failure(folder: Path) -> None:
    spans = ("  - id: pick\n    type: spans\n    excerpt: nyt\n    skill: named-unnamed\n    prompt: Pick.\n"
             "    answers: [Most alarmingly, officials said]\n    distractors: [Trump]\n    explanation: Both.\n")
    text = GOOD.replace("quote: The New York Times now confirms",
                        "quote: Most alarmingly, officials said, Trump revealed the city") + spans
    path = folder / "comma.yaml"
    path.write_text(text, encoding="utf-8")
    result = run("validate", path, "--seeds", folder / "seeds")
    assert result.exit_code == 0, result.output
    assert ("warning: “Most alarmingly” and “officials said” stand side by side in the quote: inside [...] a comma "
            "ends a phrase") in result.output
    assert result.output.splitlines()[-1] == "1 lesson file valid, 2 questions, 1 warning"
    block = path.read_text(encoding="utf-8").replace("answers: [Most alarmingly, officials said]",
                                                     "answers:\n      - Most alarmingly\n      - officials said")
    path.write_text(block, encoding="utf-8")  # one item per line: clearly two phrases, no warning
    assert "warning" not in run("validate", path, "--seeds", folder / "seeds").output
