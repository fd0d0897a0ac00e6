"""A student's screen in a teacher-paced class: the question the teacher has on, and nothing ahead of it.

Before the reveal a student answers (once); after it they see their feedback and the annotated
explanation. The summary's verdicts and right answers wait until the class is closed. The screen follows
the teacher through `class_state.follow`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from sourcecheck.grading.results import summarise
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.classes import answerable, phase
from sourcecheck.sessions.courses import key_may_be_shown
from sourcecheck.sessions.progress import Progress
from sourcecheck.sessions.solo import solo_paused
from sourcecheck.sessions.store import ClassSessionRow, LiveState, ParticipantRow, Store
from sourcecheck.sessions.timer import seconds_left
from sourcecheck.ui import class_state, course_state, nav
from sourcecheck.ui.content_note_view import show_content_note
from sourcecheck.ui.excerpt_view import show_excerpts
from sourcecheck.ui.feedback_view import show_feedback
from sourcecheck.ui.held_view import show_held_summary
from sourcecheck.ui.question_view import show_question, show_submit_notes
from sourcecheck.ui.summary_view import show_summary
from sourcecheck.ui.text import md, points
from sourcecheck.ui.timer_view import countdown

__all__ = ["show_ended", "show_gone", "show_if_closed", "show_live", "show_timer"]


def show_live(db: Store, session: ClassSessionRow, lesson: LoadedLesson, progress: Progress,
              participant: ParticipantRow) -> None:
    """The poll comes last on the page. Placed first, where it draws nothing, the element after it (the class
    line) now and then vanished after a Submit in a real browser (seen in 2 of about 10 browser runs, and in a
    bare page with a fragment that draws nothing); with nothing after the fragment there is nothing to lose."""
    live = class_state.live_state(db, session.id, fresh=True)
    if live is None:  # deleted since this run found the class
        show_gone(joined=True)
        return
    _screen(db, session, lesson, progress, participant, live)
    class_state.follow(session.id, live.version)


def _screen(db: Store, session: ClassSessionRow, lesson: LoadedLesson, progress: Progress,
            participant: ParticipantRow, live: LiveState) -> None:
    st.caption(f"{md(lesson.lesson.title)} · class {session.code} · you are {md(participant.display_name or '')}")
    now = phase(live, lesson)
    show_submit_notes(revealed=now.question_id if now.kind == "question" and now.revealed else None)  # at once
    if now.kind == "lobby":
        st.info("You are in. Your teacher will start the lesson soon; this page moves on by itself.",
                icon=":material/hourglass_top:")
        show_content_note(lesson)
        return
    if now.kind == "closed":
        show_ended(db, session, lesson, progress)
        return
    if now.kind == "finished" or now.question_id is None:
        # Held until the class is closed: the teacher may still go back (Previous) to a question some did not
        # answer or that was never revealed, and a summary's right answers would answer it for them.
        st.success("That was the last question.", icon=":material/flag:")
        show_held_summary(lesson, progress)
        return
    st.progress(now.number / now.total, text=f"Question {now.number} of {now.total}")
    question = lesson.question(now.question_id)
    answered = question.id in progress.attempt.answers
    if answered and now.revealed:
        show_feedback(lesson, progress, question, next_button=False)
    elif answered:
        st.success("Your answer is saved. Wait for your teacher to show the answers.", icon=":material/done:")
    elif now.revealed:  # now, or before the teacher came back to it: a reveal is one-way
        st.warning("The answers have been shown, so this question is closed.", icon=":material/lock:")
        show_excerpts(lesson, question, annotated=True)
    else:
        show_timer(live)
        show_question(lesson, progress, question, paced=True,
                      on_screen=lambda: answerable(db, session.id, lesson, participant.token))


def show_timer(live: LiveState) -> None:
    """The teacher's soft timer, small, above a question not yet answered: time left, counted down in the browser
    (no rerun a second). Nothing closes at zero, and the words say so."""
    left = seconds_left(live.timer_ends_at, datetime.now(UTC))
    if left is not None and live.timer_ends_at is not None:
        countdown(left, live.timer_ends_at, big=False, key="class-timer", up="Time is up: you can still answer")


def show_ended(db: Store, session: ClassSessionRow, lesson: LoadedLesson, progress: Progress) -> None:
    """A closed class (either pacing): the full summary with its feedback, unless another class on the same
    lesson is still open, whose students could read the key here (sessions/solo.py). A course's check or booster
    class never shows its key (sessions/courses.key_may_be_shown): only the score and the answers given."""
    if not key_may_be_shown(course_state.store(), session.id):
        summary = summarise(lesson, progress.attempt.answers.values())
        st.success("This class is closed, and your answers are saved for your teacher.", icon=":material/flag:")
        percent = f" ({round(100 * summary.earned / summary.possible)} %)" if summary.possible else ""
        st.metric("Your score", f"{points(summary.earned)} of {summary.possible} points{percent}")
        show_held_summary(lesson, progress, note="The right answers are not shown here: other students of your "
                          "course answer these questions later. Your teacher can go through them with you.")
        return
    if solo_paused(db, lesson.id):
        show_held_summary(lesson, progress, note="Your teacher has closed the class. Another class is working on "
                          "this lesson right now: you will see how you did when it has ended.")
        return
    st.success("Your teacher has closed the class. Here is how you did.", icon=":material/flag:")
    show_summary(lesson, progress, retry=False, explain=True)


def show_if_closed(db: Store, class_code: str, student: str) -> bool:
    """The closed class this student joined under this code, with how they did; False (nothing drawn) when there
    is none. Found by the student's token, so it holds after a reload or a return to the class link, and in any
    tab of theirs; a code alone finds no closed class."""
    mine = db.joined_class(class_code, student)
    if mine is None or mine.status != "closed":
        return False
    joined = class_state.participant(db, mine.id, student)
    if joined is None:
        return False
    lesson = class_state.lesson(db, mine)
    show_ended(db, mine, lesson, Progress.load(db, lesson, joined.id, student, retries=False))
    return True


def show_gone(*, joined: bool) -> None:
    """No class to show. `joined`: this tab was in it, and neither it nor the student's seat is stored any more, so
    the teacher deleted it, and its answers with it (the store deletes a class's answers with the class)."""
    if joined:
        st.warning("Your teacher has deleted this class, and with it everything stored for it: your answers too.",
                   icon=":material/delete:")
    else:
        st.warning("This class has ended, or the code is not right. Check the code your teacher shows.",
                   icon=":material/event_busy:")
    st.page_link(nav.JOIN, label="Join another class", icon=":material/login:")
    st.page_link(nav.CATALOG, label="Practise on your own", icon=":material/menu_book:")
