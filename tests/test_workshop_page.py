"""The lesson workshop in AppTest: problems with line and caret as the teacher edits, the student preview,
download, saving into a temporary lessons folder (with and without confirmation), uploads, the quote finder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from catalog_cards import openable
from streamlit.testing.v1 import AppTest
from teacher_helpers import FIXTURES, codes, signed_in, use_passcode
from ui_helpers import alerts, fill, next_question, page_text, submit

from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.lessons.problems import LessonProblems, format_problem
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import teacher_nav

MINIMAL = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")
TYPO = MINIMAL.replace("    options:\n", "    optoins:\n")
TYPO_PROBLEM = ("pasted-lesson.yaml:23:5: unknown key 'optoins' (did you mean 'options'?)\n"
                "        optoins:\n"
                "        ^")
NEW_ID = MINIMAL.replace("id: minimal\n", "id: brand-new\n", 1)


@pytest.fixture
def lessons(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A temporary lessons folder holding the minimal lesson; the app reads and saves there."""
    use_passcode(monkeypatch, tmp_path)
    folder = tmp_path / "lessons"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "minimal.yaml", folder / "minimal.yaml")
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(folder))
    return folder


def workshop() -> AppTest:
    at = signed_in(teacher_nav.WORKSHOP)
    assert not at.exception
    return at


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="ws-text").input(text).run()
    assert not at.exception
    return at


def preview_progress(at: AppTest) -> Progress:
    return at.session_state["ws-progress-view"]


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_empty_workshop_says_what_to_do(lessons: Path) -> None:
    at = workshop()
    assert "Paste a lesson or upload a file" in alerts(at)
    assert not at.tabs


def test_a_problem_is_shown_with_its_line_and_caret(lessons: Path) -> None:
    at = paste(workshop(), TYPO)
    assert codes(at) == [TYPO_PROBLEM]
    assert "1 problem to fix" in alerts(at)
    assert not at.tabs  # nothing to preview or save until it is fixed
    assert not at.get("download_button")


def test_every_problem_is_listed(lessons: Path) -> None:
    two = TYPO.replace("minutes: 2", "minutes: lots")
    at = paste(workshop(), two)
    shown = codes(at)
    assert "2 problems to fix" in alerts(at)
    assert [c.split("\n")[0] for c in shown] == [
        "pasted-lesson.yaml:6:10: minutes must be a whole number, not the text 'lots'",
        "pasted-lesson.yaml:23:5: unknown key 'optoins' (did you mean 'options'?)",
    ]


def test_fixing_the_problem_shows_the_student_preview(lessons: Path) -> None:
    at = paste(workshop(), TYPO)
    paste(at, MINIMAL)
    assert codes(at) == []
    assert "No problems: “Minimal lesson”, 1 question." in alerts(at)
    assert [t.label for t in at.tabs] == ["Preview as a student", "Save or download"]
    shown = page_text(at)
    assert "Who gave the information?" in shown
    assert "Most alarmingly, officials said, Trump revealed the city" in shown
    assert "No names are given." not in shown  # the note is part of the answer: only after submitting


def test_preview_shows_feedback_and_the_annotated_excerpt(lessons: Path, catalog) -> None:
    at = paste(workshop(), MINIMAL)
    loaded = load_lesson_bytes(MINIMAL.encode(), catalog, name="x")
    progress = preview_progress(at)
    question = loaded.lesson.questions[0]
    fill(at, loaded, progress, question, "wrong")
    submit(at, progress, question)
    assert not at.exception
    assert "Incorrect: 0 of 1 point" in alerts(at)
    assert "The officials are not named." in alerts(at)  # the explanation
    bodies = [h.proto.body for h in at.get("html")]
    assert any('class="sc-tag"' in b and "officials said" in b for b in bodies)  # the annotated excerpt
    assert "No names are given." in page_text(at)  # its note
    next_question(at, progress, question)
    assert "Your results" in [h.value for h in at.header]


def test_editing_the_lesson_starts_the_preview_again(lessons: Path, catalog) -> None:
    at = paste(workshop(), MINIMAL)
    loaded = load_lesson_bytes(MINIMAL.encode(), catalog, name="x")
    progress = preview_progress(at)
    fill(at, loaded, progress, loaded.lesson.questions[0], "right")
    submit(at, progress, loaded.lesson.questions[0])
    assert "Correct: 1 of 1 point" in alerts(at)
    paste(at, MINIMAL.replace("Who gave the information?", "Who is the source?"))
    assert preview_progress(at) is not progress
    assert "Correct" not in alerts(at)
    assert "Who is the source?" in page_text(at)


def test_draft_survives_a_visit_to_another_page(lessons: Path) -> None:
    at = paste(workshop(), TYPO)
    at.switch_page(teacher_nav.EXPORTS).run()
    at.switch_page(teacher_nav.WORKSHOP).run()
    assert at.text_area(key="ws-text").value == TYPO
    assert codes(at) == [TYPO_PROBLEM]


def test_download_offers_the_text_under_the_lesson_id(lessons: Path) -> None:
    at = paste(workshop(), MINIMAL)
    [button] = at.get("download_button")
    assert button.label == "Download minimal.yaml"


def test_save_a_new_lesson(lessons: Path) -> None:
    at = paste(workshop(), NEW_ID)
    assert not at.checkbox  # nothing to confirm
    at.button(key="ws-save").click().run()
    assert not at.exception
    assert "Saved" in alerts(at) and "brand-new.yaml" in alerts(at)
    assert files(lessons)["brand-new.yaml"] == NEW_ID
    at.switch_page("sourcecheck/ui/pages/catalog.py").run()
    assert "brand-new" in openable(at)  # students see it at once


def test_save_refuses_an_existing_id_without_confirmation(lessons: Path) -> None:
    changed = MINIMAL.replace("title: Minimal lesson", "title: Minimal lesson, second version")
    at = paste(workshop(), changed)
    assert "Lesson id 'minimal' is already used by" in alerts(at)
    at.button(key="ws-save").click().run()
    assert "not saved" in alerts(at)
    assert files(lessons) == {"minimal.yaml": MINIMAL}

    at.checkbox(key="ws-replace:minimal.yaml").check().run()
    at.button(key="ws-save").click().run()
    assert not at.exception
    assert "Saved" in alerts(at)
    assert files(lessons) == {"minimal.yaml": changed}


def test_save_refuses_to_overwrite_a_file_that_holds_another_lesson(lessons: Path) -> None:
    (lessons / "brand-new.yaml").write_text("# not a lesson yet\n", encoding="utf-8")
    at = paste(workshop(), NEW_ID)
    assert "brand-new.yaml already exists" in alerts(at)
    at.button(key="ws-save").click().run()
    assert files(lessons)["brand-new.yaml"] == "# not a lesson yet\n"
    at.checkbox(key="ws-replace:brand-new.yaml").check().run()
    at.button(key="ws-save").click().run()
    assert files(lessons)["brand-new.yaml"] == NEW_ID


def test_an_id_that_is_a_path_never_reaches_the_disk(lessons: Path) -> None:
    escape = MINIMAL.replace("id: minimal\n", "id: ../../x\n", 1)
    at = paste(workshop(), escape)
    assert codes(at) and codes(at)[0].startswith("pasted-lesson.yaml:2:5: ")
    assert "ws-save" not in [b.key for b in at.button]
    assert [p for p in lessons.parent.rglob("*") if p.is_file()] == [lessons / "minimal.yaml"]
    assert files(lessons) == {"minimal.yaml": MINIMAL}


def test_saved_file_is_inside_the_lessons_folder(lessons: Path) -> None:
    at = paste(workshop(), NEW_ID)
    at.button(key="ws-save").click().run()
    [saved] = [p for p in lessons.parent.rglob("*.yaml") if p.name != "minimal.yaml"]
    assert saved.parent.resolve() == lessons.resolve() and saved.name == "brand-new.yaml"


def test_saving_is_off_when_the_app_runs_on_one_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    single = tmp_path / "draft.yaml"
    single.write_text(MINIMAL, encoding="utf-8")
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(single))
    at = paste(workshop(), NEW_ID)
    assert "Saving is not available here" in alerts(at)
    assert "ws-save" not in [b.key for b in at.button]


def test_upload_fills_the_editor_and_names_the_file_in_problems(lessons: Path) -> None:
    at = workshop()
    at.file_uploader(key="ws-upload").upload("my-lesson.yaml", TYPO.encode(), "application/x-yaml").run()
    assert not at.exception
    assert at.text_area(key="ws-text").value == TYPO
    assert codes(at) == [TYPO_PROBLEM.replace("pasted-lesson.yaml", "my-lesson.yaml")]


def test_oversized_upload_is_refused_and_the_text_kept(lessons: Path) -> None:
    at = paste(workshop(), TYPO)
    at.file_uploader(key="ws-upload").upload("big.yaml", b"#" * 1_000_001, "application/x-yaml").run()
    assert not at.exception
    assert "big.yaml is 1,000,001 bytes; lesson files may be at most 1,000,000 bytes" in alerts(at)
    assert at.text_area(key="ws-text").value == TYPO


def test_upload_that_is_not_utf8_is_refused(lessons: Path) -> None:
    at = workshop()
    at.file_uploader(key="ws-upload").upload("latin.yaml", "title: café\n".encode("latin-1")).run()
    assert not at.exception
    assert "latin.yaml is not UTF-8 text (byte 10 cannot be read); save it as UTF-8" in alerts(at)
    assert at.text_area(key="ws-text").value == ""


def test_upload_keeps_only_the_bare_file_name(lessons: Path) -> None:
    at = workshop()
    at.file_uploader(key="ws-upload").upload("../../etc/lesson.yaml", TYPO.encode()).run()
    assert codes(at)[0].startswith("lesson.yaml:23:5: ")


@pytest.mark.parametrize(("fixture", "problem"), [
    ("anchors.yaml", "pasted-lesson.yaml:20:12: YAML anchors and aliases (&name, *name) are not allowed in "
                     "lessons; write the value out in full\n        skill: &s named-unnamed\n               ^"),
    ("path-traversal.yaml", None),
    ("tab-indent.yaml", None),
])
def test_broken_fixtures_show_the_loaders_own_messages(lessons: Path, catalog, fixture: str,
                                                       problem: str | None) -> None:
    raw = (FIXTURES / "bad" / fixture).read_bytes()
    at = paste(workshop(), raw.decode("utf-8"))
    with pytest.raises(LessonProblems) as e:
        load_lesson_bytes(raw, catalog, name="pasted-lesson.yaml")
    assert codes(at) == [format_problem(err) for err in e.value.errors]
    if problem:
        assert codes(at) == [problem]


def test_quote_finder_gives_a_line_that_validates(lessons: Path, catalog) -> None:
    at = workshop()
    at.selectbox(key="ws-doc").set_value("000_7512caa2dcf887b1")
    at.text_input(key="ws-words").input("OFFICIALS   said").run()
    assert not at.exception
    [radio] = [r for r in at.radio]
    assert radio.label.startswith("2 passages")
    radio.set_value(1).run()
    [line] = [c for c in codes(at) if c.startswith("quote: ")]
    assert line.startswith("quote: “Officials said the capability could be useful")
    lesson = MINIMAL.replace("    quote: Most alarmingly, officials said, Trump revealed the city\n", f"    {line}\n")
    lesson = lesson.replace("text: officials said", "text: Officials said")
    assert isinstance(load_lesson_bytes(lesson.encode(), catalog, name="x"), LoadedLesson)


def test_quote_finder_offers_the_closest_passage_when_nothing_matches(lessons: Path) -> None:
    at = workshop()
    at.selectbox(key="ws-doc").set_value("000_7512caa2dcf887b1")
    at.text_input(key="ws-words").input("most alarmingly officals said").run()
    assert "No passage contains “most alarmingly officals said”" in alerts(at)
    assert any("Most alarmingly, officials said" in c for c in codes(at))



def _numbered(at: AppTest) -> list[str]:
    return [c.value for c in at.code if c.proto.show_line_numbers]


def test_the_draft_is_shown_with_line_numbers_beside_its_problems(lessons: Path) -> None:
    """A problem says "line 23"; the text box has no line numbers, so the draft is shown again with them beside
    the problems, and the numbered line is the one the message names."""
    at = paste(workshop(), TYPO)
    [numbered] = _numbered(at)
    assert numbered == TYPO.rstrip("\n")
    line = int(codes(at)[0].split(":")[1])
    assert numbered.splitlines()[line - 1] == "    optoins:"
    [expander] = [e for e in at.expander if e.label.startswith("The lesson with line numbers")]
    assert expander.label == f"The lesson with line numbers ({len(TYPO.splitlines())} lines)"
    assert expander.proto.expanded


def test_a_warning_gets_the_numbered_copy_and_a_clean_lesson_does_not(lessons: Path) -> None:
    at = paste(workshop(), NEW_ID)
    assert _numbered(at) == []  # no message names a line: nothing to find
    unused = NEW_ID.replace("questions:\n", "  - id: spare\n    quote: But is the Israeli agent actually a mole?\n"
                            "questions:\n")
    paste(at, unused)
    assert "no question uses excerpt 'spare'" in codes(at)[0]
    assert _numbered(at) == [unused.rstrip("\n")]
