"""Hostile YAML (alias bombs, deep nesting, huge scalars, python tags, non-UTF-8, a NUL byte, 250,000 values) is
refused with one clear FILE:LINE:COL message, fast, wherever a teacher meets it: the loader, `python -m
sourcecheck validate`, the lesson catalog and the workshop (pasted and uploaded); the app goes on serving.

How long each refusal took and what it said are written to test-artifacts/security/hostile-yaml.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from catalog_cards import openable
from hostile_yaml import CASES, Hostile
from teacher_helpers import codes, signed_in, use_passcode
from ui_helpers import alerts, start_app, unmd

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import display_path, load_lesson_bytes
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.ui import nav, teacher_nav

ARTIFACT = PROJECT_ROOT / "test-artifacts" / "security" / "hostile-yaml.json"
MINIMAL = PROJECT_ROOT / "tests" / "fixtures" / "good" / "minimal.yaml"
FIGURES: dict[str, dict[str, object]] = {}
IDS = [case.name for case in CASES]


def file_name(case: Hostile) -> str:
    return "hostile-" + "".join(ch if ch.isalnum() else "-" for ch in case.name.lower()) + ".yaml"


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    """A lessons folder holding one good lesson and every hostile file."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "minimal.yaml").write_bytes(MINIMAL.read_bytes())
    for case in CASES:
        (folder / file_name(case)).write_bytes(case.raw)
    return folder


@pytest.mark.timeout(30)  # an alias bomb that expanded would not finish at all
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_loader_refuses_it_with_one_located_message(case: Hostile, catalog: Catalog) -> None:
    started = time.perf_counter()
    with pytest.raises(LessonProblems) as refused:
        load_lesson_bytes(case.raw, catalog, name="upload.yaml")
    seconds = time.perf_counter() - started
    errors = refused.value.errors
    found = [e for e in errors if case.says in e.message]
    assert found, [e.message for e in errors]
    assert len(errors) == 1 or not case.alone, [e.headline() for e in errors]
    assert case.line is None or found[0].line == case.line, found[0].headline()
    for error in errors:
        assert error.path == "upload.yaml" and "\n" not in error.headline() and "Traceback" not in error.message
    FIGURES[case.name] = {"bytes": len(case.raw), "loader_ms": round(1000 * seconds, 1),
                          "problems": len(errors), "message": found[0].headline()}


def validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sourcecheck", "validate", *map(str, paths)], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=120, env=os.environ | {"PYTHONIOENCODING": "utf-8"})


def test_validate_names_the_file_in_one_line_for_the_issues_two_files(tmp_path: Path) -> None:
    """The two files of the issue, one command each, as a teacher would run them."""
    for name, raw in (("brackets.yaml", b"title: " + b"[" * 20_000 + b"]" * 20_000),
                      ("braces.yaml", b"{a: " * 3000 + b"1" + b"}" * 3000)):
        (tmp_path / name).write_bytes(raw)
        started = time.perf_counter()
        result = validate(tmp_path / name)
        seconds = time.perf_counter() - started
        assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
        first = result.stdout.splitlines()[0]
        assert first.startswith(f"{display_path(tmp_path / name)}:1:") and "nested more than 40 levels" in first
        FIGURES.setdefault("cli", {})[name] = {"seconds_whole_command": round(seconds, 2), "first_line": first}


def test_validate_reports_every_hostile_file_in_one_run(hostile_folder: Path) -> None:
    result = validate(hostile_folder)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    headlines = [line for line in result.stdout.splitlines() if line.startswith(display_path(hostile_folder))]
    for case in CASES:
        mine = [line for line in headlines if f"{file_name(case)}:" in line]
        assert any(case.says in line for line in mine), (case.name, mine)
        assert len(mine) == 1 or not case.alone, mine
    assert f"{len(CASES)} of {len(CASES) + 1} lesson files invalid" in result.stdout


def test_the_catalog_serves_the_good_lesson_and_names_each_bad_file_to_the_teacher(
        hostile_folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(hostile_folder))
    use_passcode(monkeypatch, tmp_path)
    student = start_app().run()
    assert not student.exception
    assert openable(student) == ["minimal"]
    assert "could not be loaded" not in alerts(student)  # a broken file is the teacher's to fix

    teacher = signed_in(nav.CATALOG)
    assert not teacher.exception
    notice = unmd(teacher.warning[0].value)
    assert f"{len(CASES)} lesson files could not be loaded" in notice
    for case in CASES:
        lines = [line for line in notice.splitlines() if f"{file_name(case)}:" in line]
        assert lines and (len(lines) == 1 or not case.alone), (case.name, lines)
    teacher.switch_page(teacher_nav.SIGN_IN).run()  # and the app goes on serving the same session
    assert not teacher.exception and "Lesson workshop" in teacher.markdown[0].value + "".join(
        p.proto.label for p in teacher.get("page_link"))


@pytest.mark.parametrize("how", ["pasted", "uploaded"])
def test_the_workshop_refuses_each_with_one_message(how: str, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)
    at = signed_in(teacher_nav.WORKSHOP)
    for case in CASES:
        started = time.perf_counter()
        if how == "pasted":
            try:
                text = case.raw.decode("utf-8")
            except UnicodeDecodeError:
                continue  # a browser's text box cannot hold bytes that are not text; the upload below can
            at.text_area(key="ws-text").input(text).run()
        else:
            at.file_uploader(key="ws-upload").upload(file_name(case), case.raw).run()
        seconds = time.perf_counter() - started
        assert not at.exception, case.name
        shown = alerts(at) + "\n" + "\n".join(codes(at))
        assert case.says in shown, (case.name, shown[:500])
        name = "pasted-lesson.yaml" if how == "pasted" else file_name(case)
        assert name in shown, (case.name, shown[:500])
        if case.alone and codes(at) and name in codes(at)[0]:
            assert len(codes(at)) == 1, codes(at)
        refused = [unmd(e.value) for e in at.error if name in unmd(e.value)]  # an upload refused before parsing
        first = refused[0] if refused else codes(at)[0].splitlines()[0]
        FIGURES.setdefault(f"workshop {how}", {})[case.name] = {"rerun_ms": round(1000 * seconds, 1),
                                                               "first_message": first[:300]}
    at.text_area(key="ws-text").input(MINIMAL.read_text(encoding="utf-8")).run()  # still serving, same session
    assert not at.exception and "No problems: “Minimal lesson”" in alerts(at)


@pytest.mark.parametrize("long", [False, True], ids=["short file", "file long enough to be scanned first"])
@pytest.mark.parametrize("inner", ["1", ""], ids=["a value inside", "empty inside"])
def test_the_depth_limit_is_40_whether_or_not_the_file_is_scanned_first(long: bool, inner: str,
                                                                       catalog: Catalog) -> None:
    """The top-level mapping is one level: 39 lists inside it are allowed, 40 are not."""
    padding = "#" + "x" * 17_000 + "\n" if long else ""

    def problems(lists: int) -> list[str]:
        text = f"{padding}title: {'[' * lists}{inner}{']' * lists}\n"
        with pytest.raises(LessonProblems) as refused:
            load_lesson_bytes(text.encode(), catalog, name="deep.yaml")
        return [e.message for e in refused.value.errors]

    assert not any("nested more than 40" in m for m in problems(39))
    assert problems(40) == ["lists and mappings are nested more than 40 levels deep here; a lesson needs about 6"]
