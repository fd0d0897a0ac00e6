"""Paths from lessons, catalogs, the command line, the browser and URLs stay inside the project: document and lesson
ids with `../`, absolute paths, NUL bytes, a trailing newline or a backslash are refused with a clear message by the
loader, the catalog, `python -m sourcecheck validate`, `add-document`, `new`, `quote`, the workshop's save and the
app's URLs; and nothing outside the folders is read or written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from teacher_helpers import signed_in, use_passcode
from ui_helpers import alerts, open_quiz

from sourcecheck.authoring.workshop import WorkshopError, lesson_file_name, plan_save, upload_name
from sourcecheck.cli import main
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.lessons.rules import is_document_id, is_slug
from sourcecheck.sessions.identity import is_student_token
from sourcecheck.ui import teacher_nav

MINIMAL = (PROJECT_ROOT / "tests" / "fixtures" / "good" / "minimal.yaml").read_text(encoding="utf-8")
DOCUMENT = "000_7512caa2dcf887b1"
SECRET = "the secret outside the seeds folder"
BAD_IDS = ["../secret", "../../etc/passwd", "..", "/etc/passwd", "/tmp/secret", "a/b", "a\\b", "..\\secret",
           "a\x00b", "\x00", "secret\n", "~/secret", "C:secret", "%2e%2e/secret", ""]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """seeds/ and lessons/ inside a folder that also holds a file a traversal would reach."""
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "seeds" / "secret").mkdir()
    return tmp_path


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding `text` exactly (NUL and newline as escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0").replace("\n", "\\n") + '"'


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_the_rules_refuse_it(bad: str) -> None:
    assert not is_slug(bad) and not is_document_id(bad)
    assert not bad or not is_student_token(bad + "x" * 16)  # a token from the URL: no path characters either
    with pytest.raises(WorkshopError):
        lesson_file_name(bad)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("where", ["lesson document", "excerpt document", "lesson id"])
def test_the_loader_refuses_it_at_its_line(bad: str, where: str, project: Path) -> None:
    if where == "lesson document":
        text = MINIMAL.replace(f"document: {DOCUMENT}", f"document: {yaml_string(bad)}")
    elif where == "excerpt document":
        text = MINIMAL.replace("  - id: officials\n", f"  - id: officials\n    document: {yaml_string(bad)}\n")
    else:
        text = MINIMAL.replace("id: minimal", f"id: {yaml_string(bad)}")
    with pytest.raises(LessonProblems) as refused:
        load_lesson_bytes(text.encode("utf-8"), load_catalog(project / "seeds"), name="bad.yaml")
    errors = refused.value.errors
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if yaml_string(bad) in row)
    assert any(e.line == line and ("id" in e.message) for e in errors), [e.headline() for e in errors]
    assert not any(SECRET in e.message for e in errors)


@pytest.mark.parametrize("bad", ["../secret", "/etc/passwd", "a\x00b", "secret\n", "a\\b"], ids=repr)
def test_a_catalog_entry_with_a_path_for_an_id_is_refused(bad: str, project: Path) -> None:
    catalog = project / "seeds" / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + f"  - id: {yaml_string(bad)}\n    kind: test\n",
                       encoding="utf-8")
    with pytest.raises(LessonProblems) as refused:
        load_catalog(project / "seeds")
    assert any("id" in e.message for e in refused.value.errors)


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_the_command_line_refuses_it_and_writes_nothing_outside(bad: str, project: Path) -> None:
    seeds = str(project / "seeds")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    lesson = project / "lessons" / "bad.yaml"
    lesson.write_text(MINIMAL.replace(f"document: {DOCUMENT}", f"document: {yaml_string(bad)}"), encoding="utf-8")
    result = run("validate", str(lesson), "--seeds", seeds)
    assert result.exit_code == 1 and "bad.yaml:" in result.output and SECRET not in result.output
    lesson.unlink()
    source = project / "text.txt"
    source.write_text("A short text that a teacher wants to quote.\n", encoding="utf-8")
    commands = [["new", "--document", bad, "--id", "ok-id", "--seeds", seeds],
                ["new", "--document", DOCUMENT, "--id", bad, "--seeds", seeds],
                ["quote", "--document", bad, "officials", "--seeds", seeds]]
    if bad:  # an empty --id means "make one from the title"
        commands.append(["add-document", str(source), "--title", "T", "--id", bad, "--seeds", seeds])
    for args in commands:
        result = run(*args)
        assert result.exit_code != 0, (args, result.output)
        assert SECRET not in result.output and "Traceback" not in result.output, result.output
    source.unlink()
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before  # nothing written anywhere


def test_the_workshop_saves_only_into_the_lessons_folder(project: Path) -> None:
    lessons = project / "lessons"
    outside = project / "outside.yaml"
    outside.write_text("id: x\n", encoding="utf-8")
    plan = plan_save(lessons, "fine", {"fine": outside})  # a lesson file listed from elsewhere is not replaced
    assert plan.target == lessons / "fine.yaml" and plan.conflict is None
    for bad in BAD_IDS:
        with pytest.raises(WorkshopError):
            plan_save(lessons, bad, {})
    assert upload_name("../../etc/evil.yaml") == "evil.yaml" and upload_name("C:\\x\\evil.yaml") == "evil.yaml"
    assert upload_name("a\x00b.yaml") == "ab.yaml"


@pytest.mark.parametrize("bad", ["../evil", "/tmp/evil", "a\x00b", "evil\n"], ids=repr)
def test_the_workshop_page_offers_no_save_for_a_path_id(bad: str, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(project / "seeds"))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(project / "lessons"))
    use_passcode(monkeypatch, tmp_path)
    at = signed_in(teacher_nav.WORKSHOP)
    at.text_area(key="ws-text").input(MINIMAL.replace("id: minimal", f"id: {yaml_string(bad)}")).run()
    assert not at.exception
    assert "is not a valid id" in "\n".join(c.value for c in at.code)
    assert not [b for b in at.button if b.key == "ws-save"]
    assert list((project / "lessons").iterdir()) == []


@pytest.mark.parametrize("wanted", ["../../etc/passwd", "/etc/passwd", "raqqa-who-says/../x", "%00", "a\x00b"])
def test_a_lesson_url_with_a_path_only_looks_up_the_library(wanted: str) -> None:
    at = open_quiz(wanted)
    assert not at.exception
    assert "There is no lesson called" in alerts(at) and "root:" not in alerts(at)


def test_no_project_file_points_outside_the_project() -> None:
    """The config and every tracked file: no path into the machine's shared folders or above the project, so a
    teacher's copy works as it is (config.toml once pointed at the team's notes)."""
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    for section in config.values():
        for value in section.values():
            if isinstance(value, str) and ("/" in value or "\\" in value):
                assert (PROJECT_ROOT / value).resolve().is_relative_to(PROJECT_ROOT), value
    outside = re.compile("|".join([r"\.\./" + "shared", "/" + "work/", "shared/" + "notes", r"\.\./\.\./" + r"\.\./"]))
    files = subprocess.run(["git", "ls-files"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    found = []
    for name in files.stdout.splitlines():
        path = PROJECT_ROOT / name
        if path.suffix in (".txt", ".png", ".db") or not path.is_file():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if outside.search(line) and "etc/passwd" not in line:
                found.append(f"{name}:{n}: {line.strip()[:100]}")
    assert not found, found
