"""The end of an attempt: score, per-skill breakdown, every answer beside the right one, and a retry.

Every score shown is the one stored with the answer (grading/results.py adds them up; nothing is scored again).
A written answer with a rubric waits for the teacher's score; once scored, the summary shows it with the level per
criterion and the teacher's comment, escaped like everything a person typed.
"""

from __future__ import annotations

import streamlit as st

from sourcecheck.grading.describe import describe_answer, describe_response
from sourcecheck.grading.results import QuestionResult, Summary, summarise
from sourcecheck.grading.written import WrittenResult
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion
from sourcecheck.sessions.progress import Progress
from sourcecheck.ui import nav, reconnect
from sourcecheck.ui.feedback_view import verdict_text
from sourcecheck.ui.text import md, points

__all__ = ["show_summary", "skills_table"]


def skills_table(summary: Summary) -> list[dict[str, str]]:
    """One row per skill, as st.table takes it (the ui layer does not import pandas)."""
    return [{"Skill": row.title, "Points": f"{points(row.earned)} of {row.possible}",
             "Score": f"{round(100 * row.earned / row.possible)} %" if row.possible else "–"}
            for row in summary.skills]


def show_summary(lesson: LoadedLesson, progress: Progress, *, retry: bool = True, explain: bool = False) -> None:
    """`retry` is off in a class: class results count the first attempt, and the class moves on together (the
    progress of a class participant refuses a retry too: `Progress.retries`). `explain`: each question's
    explanation too, for a closed class, whose students may never have seen it (a self-paced class holds all
    feedback until it closes; a teacher-paced one shows it only for the questions revealed)."""
    attempt = progress.attempt
    summary = summarise(lesson, attempt.answers.values(), progress.teacher_scores())
    st.caption(md(lesson.lesson.title))
    st.header("Your results" if attempt.number == 1 else f"Your results: retry {attempt.number - 1}", anchor=False)
    if attempt.number > 1:
        st.caption(f"This retry covered the {len(attempt.question_ids)} question"
                   f"{'s' if len(attempt.question_ids) != 1 else ''} you missed before.")
    percent = f" ({round(100 * summary.earned / summary.possible)} %)" if summary.possible else ""
    st.metric("Score", f"{points(summary.earned)} of {summary.possible} points{percent}")
    if summary.skills:
        st.subheader("By skill", anchor=False)
        st.table(skills_table(summary), hide_index=True)
    st.subheader("Question by question", anchor=False)
    for n, result in enumerate(summary.results, start=1):
        bound = lesson.bound(result.question_id)
        question = bound.question
        # Consecutive paragraphs go in one st.markdown, spaced as separate ones would be: every element is one more
        # message on every rerun of the results screen (about five per question before).
        with st.container(border=True, key=f"result-{attempt.number}-{question.id}"):
            lines = [f"**{n}. {md(question.prompt)}**"]
            if result.written is None:
                lines.append(verdict_text(result.score))
            lines.append(f"**Your answer:** {md(describe_response(bound, result.response))}")
            if result.written is not None:
                st.markdown("\n\n".join(lines))
                lines = []
                _teacher_score(result, result.written, in_class=not progress.retries)
            right = "A model answer" if isinstance(question, ShortQuestion) else "Right answer"
            lines.append(f"**{right}:** {md(describe_answer(bound))}")
            if explain and question.explanation:
                lines.append(f"**Why:** {md(question.explanation)}")
            st.markdown("\n\n".join(lines))
    if retry and progress.retries:
        _actions(progress, summary)


def _teacher_score(result: QuestionResult, written: WrittenResult, *, in_class: bool) -> None:
    """A rubric question's score: waiting for the teacher (in a class; solo practice has no teacher to score it),
    or the points, the level given on each criterion with what it means, and the teacher's comment."""
    if written.waiting:
        if in_class:
            st.info("Waiting for your teacher's score.", icon=":material/hourglass_top:")
        else:
            st.caption("A teacher scores this answer when you answer it in a class; here it counts for no points.")
        return
    possible = result.score.possible
    st.markdown(f"**Your teacher's score:** {points(result.score.earned)} of {possible} "
                f"point{'s' if possible != 1 else ''}")
    if written.levels:
        st.markdown("\n".join(f"- **{md(level.criterion)}:** {level.points} of {level.most}. {md(level.descriptor)}"
                              for level in written.levels))
    lines = [md(line.strip()) for line in written.comment.splitlines() if line.strip()]
    if lines:  # the teacher's line breaks kept (a Markdown hard break), every line escaped
        st.markdown("**Your teacher's comment:**  \n" + "  \n".join(lines))


def _actions(progress: Progress, summary: Summary) -> None:
    number = progress.attempt.number
    if summary.missed:
        st.button(f"Retry the ones I missed ({len(summary.missed)})", key=f"{progress.lesson_id}:{number}:retry",
                  type="primary", icon=":material/replay:", on_click=_retry, args=(progress, summary.missed, number))
    elif summary.possible:
        st.success("You got every scored question right.", icon=":material/celebration:")
    if st.button("Back to lessons", key=f"{progress.lesson_id}:{number}:back", icon=":material/arrow_back:"):
        st.switch_page(nav.CATALOG)


@reconnect.saving
def _retry(progress: Progress, question_ids: list[str], after: int) -> None:
    progress.retry(question_ids, after=after)
