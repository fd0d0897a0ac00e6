"""A lesson from a teacher's browser into lessons/: upload checks, the file name, saving without clobbering.

The text is only ever data: the loader parses it with a safe YAML loader and nothing in it is
run. It is written to one file directly inside the lessons folder, named from the lesson id (a
slug the model already enforces) or the file that already holds that id; never from a name the
browser sent. Replacing an existing file or lesson is refused unless the teacher confirms it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sourcecheck.lessons.loader import display_path
from sourcecheck.lessons.rules import MAX_BYTES, is_slug, too_big

__all__ = ["MAX_BYTES", "SavePlan", "WorkshopError", "lesson_file_name", "plan_save", "read_upload",
           "save_lesson", "upload_name"]

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


class WorkshopError(Exception):
    """A reason a lesson cannot be read or saved, worded for the teacher."""


def upload_name(name: str) -> str:
    """The uploaded file's own name, for messages only: no folders, no control characters, not too long."""
    base = _UNPRINTABLE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return (base[:60] + "…" if len(base) > 61 else base) or "uploaded file"


def read_upload(raw: bytes, name: str) -> str:
    """The text of an uploaded lesson file, or WorkshopError when it is too big or not UTF-8."""
    if (message := too_big(len(raw), name)) is not None:
        raise WorkshopError(message)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise WorkshopError(f"{name} is not UTF-8 text (byte {e.start} cannot be read); save it as UTF-8 "
                            "and upload it again") from e


def lesson_file_name(lesson_id: str) -> str:
    """`<id>.yaml`. Ids are slugs once a lesson validates; this refuses anything else all the same."""
    if not is_slug(lesson_id):
        raise WorkshopError(f"'{lesson_id}' cannot be a file name: lesson ids use lowercase letters, digits and '-'")
    return f"{lesson_id}.yaml"


@dataclass(frozen=True)
class SavePlan:
    target: Path
    conflict: str | None  # what saving would replace, to confirm first; None: a new file


def plan_save(folder: Path, lesson_id: str, existing: Mapping[str, Path]) -> SavePlan:
    """Where a lesson goes: the file already holding its id (so ids stay unique), else `<id>.yaml`.

    `existing` maps the ids of lessons that loaded to their files.
    """
    if not folder.is_dir():
        raise WorkshopError(f"{display_path(folder)} is not a folder, so lessons cannot be saved into it")
    holder = existing.get(lesson_id)
    if holder is not None and _directly_in(folder, holder):
        return SavePlan(holder, f"lesson id '{lesson_id}' is already used by {display_path(holder)}; "
                                "saving replaces that file")
    target = folder / lesson_file_name(lesson_id)
    if not _directly_in(folder, target):
        raise WorkshopError(f"{display_path(target)} is not inside {display_path(folder)}")
    if target.exists() or target.is_symlink():
        return SavePlan(target, f"{display_path(target)} already exists; saving replaces it")
    return SavePlan(target, None)


def save_lesson(plan: SavePlan, text: str, *, replace: bool = False) -> Path:
    """Write the lesson; a conflict needs `replace=True`. A replaced file is swapped in whole, never half-written."""
    if plan.conflict and not replace:
        raise WorkshopError(f"not saved: {plan.conflict}. Tick the box to confirm, or change the lesson id")
    data = text.encode("utf-8")
    if (message := too_big(len(data), "the lesson")) is not None:
        raise WorkshopError(message)
    if plan.conflict:
        _replace(plan.target, data)
        return plan.target
    try:
        with plan.target.open("xb") as f:  # O_EXCL: never follows a symlink, never overwrites
            f.write(data)
    except FileExistsError as e:
        raise WorkshopError(f"not saved: {display_path(plan.target)} was created meanwhile; "
                            "check it, then save again") from e
    return plan.target


def _replace(target: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".workshop-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)  # replaces a symlink itself, not what it points to
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _directly_in(folder: Path, path: Path) -> bool:
    """The file's own folder (links in the folder itself resolved) is `folder`: no '..', no subfolders."""
    return path.parent.resolve() == folder.resolve() and path.name not in ("", ".", "..")
