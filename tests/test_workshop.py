"""The workshop's core: reading an uploaded lesson, naming its file, saving without clobbering."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sourcecheck.authoring.workshop import (
    MAX_BYTES,
    SavePlan,
    WorkshopError,
    lesson_file_name,
    plan_save,
    read_upload,
    save_lesson,
    upload_name,
)


def test_upload_over_the_limit_is_refused_with_its_size() -> None:
    with pytest.raises(WorkshopError) as e:
        read_upload(b"#" * (MAX_BYTES + 1), "big.yaml")
    assert str(e.value) == "big.yaml is 1,000,001 bytes; lesson files may be at most 1,000,000 bytes"


def test_upload_at_the_limit_is_read() -> None:
    assert len(read_upload(b"#" * MAX_BYTES, "edge.yaml")) == MAX_BYTES


def test_upload_not_utf8_names_the_byte() -> None:
    with pytest.raises(WorkshopError) as e:
        read_upload("id: caf\u00e9\n".encode("latin-1"), "latin.yaml")
    assert str(e.value) == ("latin.yaml is not UTF-8 text (byte 7 cannot be read); save it as UTF-8 "
                            "and upload it again")


def test_upload_drops_a_byte_order_mark() -> None:
    assert read_upload(b"\xef\xbb\xbfid: x\n", "bom.yaml") == "id: x\n"


@pytest.mark.parametrize(("sent", "shown"), [
    ("lesson.yaml", "lesson.yaml"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\t\\my lesson.yaml", "my lesson.yaml"),
    ("evil\x1b[31m.yaml\n", "evil[31m.yaml"),
    ("", "uploaded file"),
    ("a" * 100 + ".yaml", "a" * 60 + "…"),
])
def test_upload_name_is_a_bare_printable_name(sent: str, shown: str) -> None:
    assert upload_name(sent) == shown


@pytest.mark.parametrize("bad", ["../../x", "x/y", "..", "", "X", "a.yaml", "-a", "a" * 65, "a\x00b"])
def test_only_slugs_become_file_names(bad: str) -> None:
    with pytest.raises(WorkshopError):
        lesson_file_name(bad)


def test_new_lesson_goes_to_its_id(tmp_path: Path) -> None:
    plan = plan_save(tmp_path, "fresh", {})
    assert plan == SavePlan(tmp_path / "fresh.yaml", None)
    assert save_lesson(plan, "id: fresh\n") == tmp_path / "fresh.yaml"
    assert (tmp_path / "fresh.yaml").read_text(encoding="utf-8") == "id: fresh\n"


def test_existing_file_needs_confirmation(tmp_path: Path) -> None:
    (tmp_path / "taken.yaml").write_text("old\n", encoding="utf-8")
    plan = plan_save(tmp_path, "taken", {})
    assert plan.conflict is not None and "taken.yaml already exists" in plan.conflict
    with pytest.raises(WorkshopError, match="^not saved: .*taken.yaml already exists"):
        save_lesson(plan, "new\n")
    assert (tmp_path / "taken.yaml").read_text(encoding="utf-8") == "old\n"
    save_lesson(plan, "new\n", replace=True)
    assert (tmp_path / "taken.yaml").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.yaml"]  # no temp file left behind


def test_existing_id_in_another_file_replaces_that_file(tmp_path: Path) -> None:
    """Two files with one id would make the library drop one of them; the old file is replaced instead."""
    holder = tmp_path / "old-name.yaml"
    holder.write_text("id: kept\n", encoding="utf-8")
    plan = plan_save(tmp_path, "kept", {"kept": holder})
    assert plan.target == holder
    assert plan.conflict is not None and "lesson id 'kept' is already used by" in plan.conflict
    with pytest.raises(WorkshopError):
        save_lesson(plan, "id: kept\ntitle: new\n")
    save_lesson(plan, "id: kept\ntitle: new\n", replace=True)
    assert holder.read_text(encoding="utf-8") == "id: kept\ntitle: new\n"
    assert not (tmp_path / "kept.yaml").exists()


def test_a_holder_outside_the_folder_is_never_written(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("id: away\n", encoding="utf-8")
    plan = plan_save(lessons, "away", {"away": outside})
    assert plan == SavePlan(lessons / "away.yaml", None)


def test_file_created_meanwhile_is_not_overwritten(tmp_path: Path) -> None:
    plan = plan_save(tmp_path, "race", {})
    (tmp_path / "race.yaml").write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(WorkshopError, match="created meanwhile"):
        save_lesson(plan, "mine\n")
    assert (tmp_path / "race.yaml").read_text(encoding="utf-8") == "someone else's\n"


def test_a_symlink_in_lessons_is_replaced_not_followed(tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("keep me\n", encoding="utf-8")
    os.symlink(secret, lessons / "link.yaml")
    plan = plan_save(lessons, "link", {})
    assert plan.conflict is not None
    with pytest.raises(WorkshopError):
        save_lesson(plan, "id: link\n")
    save_lesson(plan, "id: link\n", replace=True)
    assert secret.read_text(encoding="utf-8") == "keep me\n"
    assert not (lessons / "link.yaml").is_symlink()


def test_saving_needs_a_folder(tmp_path: Path) -> None:
    one_file = tmp_path / "single.yaml"
    one_file.write_text("id: single\n", encoding="utf-8")
    with pytest.raises(WorkshopError, match="is not a folder"):
        plan_save(one_file, "single", {})


def test_oversized_text_is_not_saved(tmp_path: Path) -> None:
    with pytest.raises(WorkshopError, match="at most 1,000,000 bytes"):
        save_lesson(plan_save(tmp_path, "huge", {}), "é" * 600_000)
    assert not (tmp_path / "huge.yaml").exists()
