"""The workshop's editor: a lesson pasted or uploaded, checked on every rerun, then downloaded or saved.

Checking is the loader's own `load_lesson_bytes`, so a teacher sees exactly the FILE:LINE:COL
messages the command line prints, each with its line and a caret. The text is kept in a
session key of its own, so a draft survives a visit to another page.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.authoring.workshop import (
    WorkshopError,
    lesson_file_name,
    plan_save,
    read_upload,
    save_lesson,
    upload_name,
)
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library, display_path, load_lesson_bytes
from sourcecheck.lessons.paths import lessons_dir
from sourcecheck.lessons.problems import LessonError, LessonProblems, format_problem
from sourcecheck.ui.text import md

__all__ = ["EDITOR_CSS", "PASTED", "WIDE_CSS", "check", "show_editor", "show_numbered", "show_problems", "show_save",
           "show_warnings"]

PASTED = "pasted-lesson.yaml"  # the FILE in messages about text that was typed or pasted
TEXT, DRAFT, NAME = "ws-text", "ws-draft", "ws-name"
UPLOAD, UPLOAD_ERROR = "ws-upload", "ws-upload-error"

# The editor beside its problems or preview needs more than the app's centred column. A second
# st.set_page_config(layout="wide") in the page races the app's own "centered" in the browser, so the
# page widens the main column itself; the rule goes when the page is left.
WIDE_CSS = """
.stMainBlockContainer{max-width:min(104rem,100%)}
@media (min-width:60rem){.stMainBlockContainer{padding-left:3rem;padding-right:3rem}}
"""

# YAML is read by its indentation: the editor shows it in a fixed-width font, one line per line.
EDITOR_CSS = """
.st-key-ws-text textarea{font-family:"Source Code Pro",ui-monospace,monospace;font-size:.875rem;line-height:1.5;
  white-space:pre;overflow-wrap:normal;overflow-x:auto;tab-size:2}
"""


def show_editor() -> tuple[str, str]:
    """The lesson's text and the name its problems are reported under."""
    if TEXT not in st.session_state:  # Streamlit drops a widget's value when its page is left
        st.session_state[TEXT] = st.session_state.get(DRAFT, "")
    st.html(f"<style>{EDITOR_CSS}</style>")
    upload = st.file_uploader("Upload a lesson file (.yaml, at most 1 MB, UTF-8)", type=["yaml", "yml"],
                              max_upload_size=1, key=UPLOAD, on_change=_take_upload)
    failed = st.session_state.get(UPLOAD_ERROR)
    if upload is not None and failed and failed[0] == upload.file_id:
        st.error(md(failed[1]), icon=":material/block:")
    text = st.text_area("Lesson YAML", key=TEXT, height=560,
                        placeholder="Paste a lesson here, or upload a file above.",
                        help="Problems are listed beside the box each time the text changes: press Ctrl+Enter "
                             "or click outside the box. Their line numbers are those of **The lesson with line "
                             "numbers**, beside the problems.")
    st.session_state[DRAFT] = text
    return text, st.session_state.get(NAME, PASTED)


def show_numbered(text: str, *, expanded: bool = True) -> None:
    """The draft again, read-only, with line numbers: messages say "line 160", and a browser's text box has no
    line numbers. Beside the editor, so the teacher finds the line here and the same words in the box; the box
    itself stays a plain text area (keyboard, screen readers, undo and paste all work as everywhere)."""
    count = text.count("\n") + (0 if text.endswith("\n") else 1)
    with st.expander(f"The lesson with line numbers ({count} line{'s' if count != 1 else ''})", expanded=expanded,
                     icon=":material/format_list_numbered:"):
        st.code(text, language=None, line_numbers=True, height=560 if count > 24 else "content")


def _take_upload() -> None:
    """A new file replaces the editor's text, once; a refused one leaves the text alone and says why."""
    file = st.session_state.get(UPLOAD)
    if file is None:
        return
    name = upload_name(file.name)
    try:
        text = read_upload(file.getvalue(), name)
    except WorkshopError as e:
        st.session_state[UPLOAD_ERROR] = (file.file_id, str(e))
        return
    st.session_state.pop(UPLOAD_ERROR, None)
    st.session_state[TEXT] = st.session_state[DRAFT] = text
    st.session_state[NAME] = name


def check(text: str, name: str, catalog: Catalog) -> LoadedLesson | list[LessonError]:
    """The lesson, or every problem in it. Parsed as data only: safe YAML, no tags, no anchors."""
    try:
        return load_lesson_bytes(text.encode("utf-8", "surrogatepass"), catalog, name=name)
    except LessonProblems as e:
        return e.errors


def show_problems(errors: list[LessonError]) -> None:
    count = len(errors)
    st.error(f"{count} problem{'s' if count != 1 else ''} to fix. This list is checked again each time "
             "you change the lesson.", icon=":material/error:")
    for error in errors:
        # Monospace keeps the caret under its column; wrapping keeps the message readable on a phone.
        st.code(format_problem(error), language=None, wrap_lines=True)


def show_warnings(warnings: tuple[LessonError, ...]) -> None:
    """Valid as written, but probably not what was meant: worth a look, not a reason to stop."""
    for warning in warnings:
        st.warning("Worth a look: the lesson works, but this is probably not what you meant.",
                   icon=":material/warning:")
        st.code(format_problem(warning), language=None, wrap_lines=True)


def show_save(loaded: LoadedLesson, text: str, library: Library) -> None:
    file_name = lesson_file_name(loaded.id)
    st.download_button(f"Download {file_name}", data=text.encode("utf-8"), file_name=file_name,
                       mime="application/yaml", key="ws-download", on_click="ignore", icon=":material/download:")
    folder = lessons_dir()
    try:
        plan = plan_save(folder, loaded.id, {lesson.id: lesson.path for lesson in library.lessons})
    except WorkshopError as e:
        st.info(f"Saving is not available here: {md(str(e))}.", icon=":material/info:")
        return
    replace = False
    if plan.conflict:
        st.warning(md(plan.conflict[:1].upper() + plan.conflict[1:]) + ".", icon=":material/warning:")
        replace = st.checkbox(f"Yes, replace {md(display_path(plan.target))}", key=f"ws-replace:{plan.target.name}")
    if st.button(f"Save into {md(display_path(folder))}", key="ws-save", type="primary", icon=":material/save:"):
        try:
            saved = save_lesson(plan, text, replace=replace)
        except WorkshopError as e:
            st.error(md(str(e)), icon=":material/block:")
            return
        st.success(f"Saved {md(display_path(saved))}. Students see it in the lesson list now.",
                   icon=":material/check_circle:")
