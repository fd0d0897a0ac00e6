"""Lessons out to other tools: Moodle (GIFT), Canvas (QTI zip) and paper (an HTML worksheet).

Each format is a function from loaded lessons to an ExportResult (the file's text or bytes
plus notes on what had to change shape), so the command line and the app offer the same
exports. text2qti is imported only when a QTI export is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sourcecheck.export.common import ExportError, ExportResult
from sourcecheck.lessons.loaded import LoadedLesson

__all__ = ["FORMATS", "ExportError", "ExportResult", "export"]

# format name -> (file suffix, media type)
FORMATS: dict[str, tuple[str, str]] = {
    "gift": (".gift.txt", "text/plain"),
    "qti": (".zip", "application/zip"),
    "worksheet": (".html", "text/html"),
}


def export(fmt: str, lessons: Sequence[LoadedLesson], *, part: str = "both") -> ExportResult:
    """The lessons in format `fmt` (one of FORMATS); ExportError if the format refuses them.

    `part` is for the worksheet only: "both", "worksheet" (for students) or "key" (for the teacher).
    """
    if part not in ("both", "worksheet", "key"):
        raise ValueError(f"unknown part {part!r}; use both, worksheet or key")
    if part != "both" and fmt != "worksheet":
        raise ValueError("only the worksheet has parts")
    if not lessons:
        raise ExportError("nothing to export: no lessons given")
    if fmt == "gift":
        from sourcecheck.export.gift import to_gift
        return to_gift(lessons)
    if fmt == "qti":
        from sourcecheck.export.qti import to_qti
        return to_qti(lessons)
    if fmt == "worksheet":
        from sourcecheck.export.worksheet import Part, to_worksheet
        return to_worksheet(lessons, part=cast(Part, part))
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
