"""The teacher's exports: one lesson for Moodle, Canvas or paper, through the same core as `sourcecheck export`.

Each file is built when the page runs (a lesson exports in well under a second) and offered
with st.download_button; the notes the command line prints on standard error (what had to
change shape, such as spans questions) are shown under the file they concern.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sourcecheck.export import FORMATS, ExportError, export
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.ui.text import md

__all__ = ["KINDS", "ExportKind", "file_name", "show_exports"]


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str
    how: str
    fmt: str
    part: str = "both"
    suffix: str | None = None  # when the format's own suffix is not enough to tell two files apart


KINDS = (
    ExportKind("gift", "Moodle (GIFT)", "In Moodle: Question bank › Import › GIFT format.", "gift"),
    ExportKind("qti", "Canvas (QTI zip)", "In Canvas: Settings › Import course content › QTI .zip file.", "qti"),
    ExportKind("worksheet", "Printable worksheet", "For students: open it in a browser and print it.", "worksheet",
               "worksheet", "-worksheet.html"),
    ExportKind("key", "Answer key", "For the teacher: the annotated passages, right answers and explanations.",
               "worksheet", "key", "-answer-key.html"),
)


def file_name(lesson: LoadedLesson, kind: ExportKind) -> str:
    return lesson.id + (kind.suffix or FORMATS[kind.fmt][0])


def show_exports(library: Library) -> None:
    if not library.lessons:
        st.info("There are no lessons to export yet.", icon=":material/info:")
        return
    titles = {x.id: f"{x.lesson.title} ({x.id})" for x in curriculum_order(library.lessons)}
    chosen = st.selectbox("Lesson", list(titles), index=None, key="ex-lesson", placeholder="Choose a lesson",
                          format_func=titles.__getitem__)
    lesson = library.get(chosen) if chosen else None
    if lesson is None:
        st.info("Choose a lesson to export.", icon=":material/info:")
        return
    for kind in KINDS:
        with st.container(border=True, key=f"ex-box-{kind.key}"):
            _one(lesson, kind)


def _one(lesson: LoadedLesson, kind: ExportKind) -> None:
    st.header(kind.title, anchor=False)
    st.caption(kind.how)
    try:
        result = export(kind.fmt, [lesson], part=kind.part)
    except ExportError as e:
        st.error(f"This lesson cannot be exported this way: {md(str(e))}", icon=":material/block:")
        return
    data = result.data.encode("utf-8") if isinstance(result.data, str) else result.data
    name = file_name(lesson, kind)
    st.download_button(f"Download {name}", data=data, file_name=name, mime=FORMATS[kind.fmt][1],
                       key=f"ex-download-{kind.key}", on_click="ignore", icon=":material/download:")
    if result.notes:
        st.markdown("\n".join(f"- {md(note)}" for note in result.notes))
