"""`export` through the runner: formats, output to a file or stdout, notes on stderr, refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lesson_texts import one_question_lesson
from test_export_common import write_every_type

from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

ANCHORS = one_question_lesson(id="anchors", title="&t Anchored", summary="*t")


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    return write_every_type(tmp_path)


def run(*args: object) -> object:
    return CliRunner().invoke(main, ["export", *[str(a) for a in args]])


def test_gift_to_stdout_with_one_note_per_spans_question(lesson: Path) -> None:
    result = run("--format", "gift", lesson)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("// SourceCheck lesson every-type")
    assert result.stderr.count("note: every-type/hedges: spans question exported") == 1
    assert "wrote" not in result.stderr


@pytest.mark.parametrize(("fmt", "start"), [("gift", b"// SourceCheck"), ("qti", b"PK"), ("worksheet", b"<!DOCTYPE")])
def test_each_format_writes_its_file(lesson: Path, tmp_path: Path, fmt: str, start: bytes) -> None:
    out = tmp_path / f"out.{fmt}"
    result = run("--format", fmt, lesson, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(start)
    assert result.stdout == ""
    assert "7 questions from 1 lesson" in result.stderr


def test_qti_zip_to_a_pipe(lesson: Path) -> None:
    result = run("--format", "qti", lesson)
    assert result.exit_code == 0
    assert zipfile.ZipFile(io.BytesIO(result.stdout_bytes)).testzip() is None
    assert "Canvas QTI from text2qti has no matching questions" in result.stderr


def test_a_folder_exports_every_lesson_in_it(tmp_path: Path) -> None:
    out = tmp_path / "all.gift.txt"
    result = run("--format", "gift", PROJECT_ROOT / "lessons", "-o", out)
    assert result.exit_code == 0, result.output
    lessons = sorted((PROJECT_ROOT / "lessons").glob("*.yaml"))
    assert out.read_text(encoding="utf-8").count("$CATEGORY: $course$/SourceCheck/") == len(lessons)


def test_an_invalid_lesson_stops_the_export(lesson: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(ANCHORS.replace("&t ", "").replace("*t", "Fine").replace("answer:", "answr:"))
    out = tmp_path / "out.html"
    result = run("--format", "worksheet", lesson, broken, "-o", out)
    assert result.exit_code == 1
    assert "unknown key 'answr' (did you mean 'answer'?)" in result.stderr
    assert "nothing was exported" in result.stderr
    assert not out.exists()


def test_a_lesson_with_anchors_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text(ANCHORS, encoding="utf-8")
    result = run("--format", "gift", path)
    assert result.exit_code == 1
    assert "YAML anchors and aliases (&name, *name) are not allowed in lessons" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("args", [
    ["--format", "pdf", "LESSON"],
    ["--format", "gift", "--part", "key", "LESSON"],
    ["--format", "gift", "missing.yaml"],
    ["--format", "gift"],
])
def test_usage_errors_exit_2(lesson: Path, args: list[str]) -> None:
    assert run(*[lesson if a == "LESSON" else a for a in args]).exit_code == 2


def test_worksheet_part_key(lesson: Path) -> None:
    result = run("--format", "worksheet", "--part", "key", lesson)
    assert result.exit_code == 0
    assert 'class="ws-lesson ws-key"' in result.stdout and "ws-sheet" not in result.stdout
