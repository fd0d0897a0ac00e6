"""The scoring page's views: choose a class and a rubric question, say who is scoring and in which role, then
score: the keyboard desk (ui/scoring_keys/) over the focused answer, the answers in groups with "Score the whole
group", each answer adjustable on its own, and the rubric beside them.

Everything shown comes from `classroom.scoring` (which answers, their groups and numbers, the progress, the blind
sample, the agreement); every save goes through it (the score is computed there once, from the rubric). This
module draws and passes the teacher's clicks and keys on. A score is shown as saved only when a rerun reads it back
from the store.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

import streamlit as st

from sourcecheck.classroom.class_list import class_list
from sourcecheck.classroom.scoring import (
    Role,
    ScoredAnswer,
    ScoringGroup,
    ScoringRead,
    WrittenQuestion,
    class_state_key,
    desk_request_key,
    group_levels_needed,
    other_first_scorers,
    read_scoring,
    replaced_notice,
    rubric_questions,
    save_group,
    save_score,
    total,
)
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import RubricCriterion
from sourcecheck.sessions.params import session_id_param
from sourcecheck.sessions.store import (
    ClassSessionRow,
    ClassSummaryRow,
    SavedScore,
    Store,
    StoreUnavailable,
    WrittenScoreRow,
)
from sourcecheck.ui import class_state
from sourcecheck.ui.text import md

__all__ = ["COMPONENT", "CSS", "Chosen", "choose", "show"]

_FILES = Path(__file__).parent / "scoring_keys"
COMPONENT = "sourcecheck_scoring_keys"
_FOLD = 600  # characters of an answer shown before "Read the whole answer"
_DESK_TEXT = 4000  # characters of an answer the keyboard desk is given (a 1 MB answer stays in the list)
_SCORER = "sc-scorer-kept"  # "Scoring as", kept for the session even when the page's widgets are not drawn
_ROLE = "sc-role-kept"  # the role the teacher picked, kept the same way (never a default: see _scorer_and_role)
_OWN = "sc-own"  # ids of the scores saved from this browser session: a pending save of one's own is not "replaced"
_NOTICES = "sc-notices"  # what the last saves said (a replaced score, a refused save), shown once
_DONE = "sc-done"  # the desk's last save the server handled: {nonce, message}
_FOCUS = "sc-focus"  # an answer the teacher picked in the list, for the desk: {id, nonce}
_DESK = "sc-desk"

CSS = """
.sc-answer-text{white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.5;margin:0;color:#111}
.sc-answer-text mark.sc-hint{background:#fff1a8;color:#111;border-bottom:2px dotted #6b5800;padding:0 .1em}
.sc-level{margin:0 0 .35rem 0;line-height:1.4}
.sc-level .sc-example{color:#333;font-style:italic}
[data-testid="stColumn"]:has(.st-key-sc-rubric){position:sticky;top:1rem;align-self:flex-start}
[data-testid="stMainBlockContainer"]{max-width:none;padding-left:2rem;padding-right:2rem}
"""

_ROLES: dict[Role, str] = {"first": "First scorer", "second": "Second scorer"}


class Chosen:
    """The class, its lesson and the rubric question the page is on."""

    def __init__(self, session: ClassSessionRow, lesson: LoadedLesson, question: WrittenQuestion) -> None:
        self.session, self.lesson, self.question = session, lesson, question


def choose(db: Store) -> Chosen | None:
    """Class and question, from the URL (?session=&question=, as Results links them) or the choosers."""
    classes = class_list(db)
    if not classes:
        st.info("No classes yet: written answers appear here once a class has answered.", icon=":material/draw:")
        return None
    by_id = {c.session.id: c.session for c in classes}
    by_summary = {c.session.id: c for c in classes}
    wanted = session_id_param(st.query_params.get("session"))
    first = wanted if wanted in by_id else classes[0].session.id
    left, right = st.columns([2, 3])
    with left:
        chosen = st.selectbox("Class", list(by_id), index=list(by_id).index(first), key="sc-session",
                              format_func=lambda i: _class_label(by_id[i]))
    session = by_id[chosen]
    st.query_params["session"] = str(session.id)
    lesson = class_state.lesson(db, session)
    questions = rubric_questions(db, session.id, lesson, class_state_key(by_summary[chosen]))
    if not questions:
        st.info(f"The lesson of class {md(session.code)} has no written question with a rubric, so there is "
                "nothing to score here. A short question is scored once its lesson gives it a rubric "
                "(docs/authoring.md).", icon=":material/info:")
        st.query_params.pop("question", None)
        return None
    ids = [q.question_id for q in questions]
    asked = st.query_params.get("question")
    with right:
        picked = st.selectbox("Question", ids, index=ids.index(asked) if asked in ids else 0, key="sc-question",
                              format_func=lambda i: _question_label(questions[ids.index(i)]))
    st.query_params["question"] = picked
    return Chosen(session, lesson, questions[ids.index(picked)])


def _class_label(session: ClassSessionRow) -> str:
    return f"{session.code} · {session.lesson_id} · {session.created_at:%Y-%m-%d %H:%M}"


def _question_label(q: WrittenQuestion) -> str:
    prompt = q.prompt if len(q.prompt) <= 70 else q.prompt[:69] + "…"
    return f"Question {q.position}: {prompt}"


def _scorer_and_role() -> tuple[str, Role | None, bool]:
    """The role has no default: a co-teacher who came to score second must not land on the first scores (the
    second scorer is blind), nor score as first without meaning to."""
    kept = st.session_state.get(_SCORER, "")
    if "sc-scorer" not in st.session_state:
        st.session_state["sc-scorer"] = kept
    if "sc-role" not in st.session_state and st.session_state.get(_ROLE) in _ROLES:
        st.session_state["sc-role"] = st.session_state[_ROLE]
    one, two, three = st.columns([2, 2, 1], vertical_alignment="bottom")
    with one:
        typed = st.text_input("Scoring as (your initials or name)", key="sc-scorer", max_chars=40,
                              placeholder="e.g. A. B.")
    with two:
        role: Role | None = st.radio("Role", list(_ROLES), format_func=_ROLES.__getitem__, key="sc-role",
                                     horizontal=True, index=None)
    with three:
        names = st.toggle("Show names", key="sc-names", value=False)
    scorer = " ".join(typed.split())
    st.session_state[_SCORER] = scorer
    st.session_state[_ROLE] = role
    return scorer, role, names


def show(db: Store, chosen: Chosen) -> None:
    scorer, role, names = _scorer_and_role()
    if role is None:  # nothing of the answers, nor any score, until the teacher says which scorer they are
        st.info("Pick your role to see the answers. **First scorer**: you score every answer, and your scores "
                "count for the students and in every figure. **Second scorer** (a co-teacher, or you a week "
                "later): you score a sample drawn by the app, without seeing the first scores, to measure "
                "agreement.", icon=":material/how_to_reg:")
        return
    read = read_scoring(db, chosen.session.id, chosen.lesson, chosen.question.question_id, role)
    # What comes and goes (notices, the role's note) stays inside one container, so the desk and the answers
    # keep their place on the page from run to run: a moved component would be drawn anew, losing its focus.
    with st.container(key="sc-top"):
        for notice in st.session_state.pop(_NOTICES, []):
            st.warning(md(notice), icon=":material/sync_problem:")
        st.markdown(f"**Question {read.position}.** {md(read.question.prompt)}")
        if role == "second":
            st.markdown(f"**Second scorer, blind:** you score a sample drawn by the app, {read.sample_size} of "
                        f"{chosen.question.answers} answers, without seeing the first scores. Agreement is shown "
                        "once you have scored the whole sample.")
        if not scorer:
            st.info("Type your initials or name in “Scoring as” to start scoring: every score is stored with it.",
                    icon=":material/badge:")
        others = other_first_scorers(read, scorer)
        if others:
            who = ", ".join(f"{md(name)} ({n} answer{'s' if n != 1 else ''})" for name, n in others.items())
            st.warning(f"First scores by {who} are on these answers. Scoring as {md(scorer)}, first scorer, your "
                       "save replaces theirs for the students and every figure (theirs is kept). To check "
                       "agreement with them, pick **Second scorer** instead.", icon=":material/group:")
    if read.total == 0:
        st.info("Nobody has answered this question yet.", icon=":material/hourglass_empty:")
        return
    answers_col, rubric_col = st.columns([3, 2], gap="medium")
    with rubric_col:
        _rubric(read.rubric)
    with answers_col:
        _desk(db, chosen, read, scorer, names)
        st.caption("Highlighted words are in the rubric's example answers at some level: hints for reading, "
                   "never scores.")
        for n, group in enumerate(read.groups, start=1):
            _group(db, chosen, read, group, n, scorer, names)
    if role == "second":
        _agreement(read)


def _rubric(rubric: Sequence[RubricCriterion]) -> None:
    with st.container(border=True, key="sc-rubric"):
        st.subheader("Rubric", anchor=False)
        for criterion in rubric:
            st.markdown(f"**{md(criterion.criterion)}**")
            st.html("".join(
                f'<p class="sc-level"><strong>{level.points}</strong>: {_esc(level.descriptor)}<br>'
                f'<span class="sc-example">Example: {_esc(level.example)}</span></p>'
                for level in sorted(criterion.levels, key=lambda lv: lv.points)))


def _esc(text: str) -> str:
    return escape(text)


def _desk(db: Store, chosen: Chosen, read: ScoringRead, scorer: str, names: bool) -> None:
    data: dict[str, Any] = {
        "answers": [_desk_answer(a, names) for a in read.answers],
        "criteria": [{"name": c.criterion, "levels": [{"points": lv.points, "descriptor": lv.descriptor}
                                                        for lv in sorted(c.levels, key=lambda lv: lv.points)]}
                     for c in read.rubric],
        "progress": read.progress,
        "done": st.session_state.get(_DONE),
        "focus": st.session_state.get(_FOCUS),
        "disabled": "" if scorer else "Type your initials or name in “Scoring as” first.",
        "who": f"Scoring as {scorer}, {_ROLES[read.role].lower()}" if scorer else "Nobody is scoring yet",
    }
    _mount(key=_DESK, data=data, on_save_change=_on_desk_save,
           args=(db, chosen.session.id, tuple(read.rubric), read.role, scorer,
                 {a.answer_id: (a.number, a.score) for a in read.answers}))


def _desk_answer(answer: ScoredAnswer, names: bool) -> dict[str, Any]:
    short = len(answer.text) > _DESK_TEXT
    html = answer.highlighted if not short else _esc(answer.text[:_DESK_TEXT])
    score = answer.score
    return {"id": answer.answer_id, "label": f"Answer {answer.number}", "name": answer.name if names else "",
            "html": html, "shortened": short, "levels": list(score.levels) if score else None,
            "comment": score.comment if score else "", "score_id": score.id if score else None}


_mount_component = st.components.v2.component(
    COMPONENT,
    html=(_FILES / "keys.html").read_text(encoding="utf-8"),
    css=(_FILES / "keys.css").read_text(encoding="utf-8"),
    js=(_FILES / "keys.js").read_text(encoding="utf-8"),
)


def _mount(*, key: str, data: Mapping[str, Any], on_save_change: Any, args: tuple[Any, ...]) -> None:
    def changed() -> None:
        on_save_change(*args)

    _mount_component(key=key, data=dict(data), on_save_change=changed)


def _on_desk_save(db: Store, session_id: int, rubric: tuple[RubricCriterion, ...], role: Role, scorer: str,
                  shown: Mapping[int, tuple[int, WrittenScoreRow | None]]) -> None:
    """The desk's "save" trigger: {answer_id, levels, comment, seen_id, nonce}. Saved here, before the page is
    drawn again, so the rerun shows it from the store. The desk always gets a reply (`_DONE`), saved or not, so it
    never stays "saving…"."""
    value = st.session_state.get(_DESK, {})
    payload = value.get("save") if isinstance(value, Mapping) else None
    if not isinstance(payload, Mapping):
        return
    nonce = str(payload.get("nonce", ""))[:40]
    try:
        answer_id = int(payload["answer_id"])
        levels = [int(v) for v in payload["levels"]]
        seen = payload.get("seen_id")
        seen_id = int(seen) if seen is not None else None
        comment = str(payload.get("comment") or "")
    except (KeyError, TypeError, ValueError):
        return
    if answer_id not in shown:  # not an answer this role scores (a second scorer outside the sample)
        st.session_state[_DONE] = {"nonce": nonce, "message": "That answer is not yours to score."}
        return
    number, seen = shown[answer_id]
    message = _save_one(db, rubric, answer_id, number, role, scorer, levels, comment, seen_id,
                        desk_request_key(session_id, answer_id, nonce), seen)
    st.session_state[_DONE] = {"nonce": nonce, "message": message}


_GONE = "Not saved: Answer {number} is no longer stored (its student or class was deleted)."
_DOWN = "Not saved: the database is not answering. Score it again in a moment."


def _save_one(db: Store, rubric: Sequence[RubricCriterion], answer_id: int, number: int, role: Role, scorer: str,
              levels: Sequence[int], comment: str, seen_id: int | None, request_key: str,
              seen: WrittenScoreRow | None) -> str:
    """Save one score; what the desk and the page then say. Never raises for a save the store refused or could
    not take: the teacher reads why, on the desk and above the answers."""
    if not scorer:
        return "Not saved: type your initials or name in “Scoring as” first."
    try:
        saved = save_score(db, rubric, answer_id, role, scorer, levels, comment, seen_id, request_key)
    except ValueError as e:
        return _not_saved(f"Not saved: {e}.")
    except LookupError:
        return _not_saved(_GONE.format(number=number))
    except StoreUnavailable:
        return _not_saved(_DOWN)
    _said(saved, number, seen)
    return f"Answer {number} saved: {total(saved.saved)}."


def _not_saved(message: str) -> str:
    st.session_state.setdefault(_NOTICES, []).append(message)
    return message


def _said(saved: SavedScore, number: int, seen: WrittenScoreRow | None) -> None:
    own: set[int] = st.session_state.setdefault(_OWN, set())
    notice = replaced_notice(saved, number, seen, own)
    own.add(saved.saved.id)
    if notice:
        st.session_state.setdefault(_NOTICES, []).append(notice)


def _group(db: Store, chosen: Chosen, read: ScoringRead, group: ScoringGroup, n: int, scorer: str,
           names: bool) -> None:
    heading = ", ".join(group.terms) if group.terms else "empty or unlike the others"
    size = "1 answer" if len(group.answers) == 1 else f"{len(group.answers)} answers"
    with st.container(border=True, key=f"sc-group-{n}"):
        st.subheader(f"Group {n}: {md(heading)} · {size}", anchor=False)
        if group.unscored and len(group.answers) > 1:
            with st.form(f"sc-group-form-{n}", border=False):
                st.markdown(f"**Score the whole group**: {group.unscored} not yet scored by you get these levels.")
                cols = st.columns(len(read.rubric))
                for c, (col, criterion) in enumerate(zip(cols, read.rubric, strict=True)):
                    with col:
                        st.selectbox(criterion.criterion, _points(criterion), index=None, key=f"sc-g{n}-c{c}",
                                     placeholder="Level")
                st.form_submit_button("Score the whole group", key=f"sc-group-save-{n}", disabled=not scorer,
                                      on_click=_on_group, args=(db, chosen, read, group, n, scorer))
        for answer in group.answers:
            _answer(db, chosen, read, answer, scorer, names)


def _points(criterion: RubricCriterion) -> list[int]:
    return sorted(level.points for level in criterion.levels)


def _on_group(db: Store, chosen: Chosen, read: ScoringRead, group: ScoringGroup, n: int, scorer: str) -> None:
    levels = group_levels_needed(read.rubric, [st.session_state.get(f"sc-g{n}-c{c}") for c in
                                               range(len(read.rubric))])
    if levels is None:
        st.session_state.setdefault(_NOTICES, []).append("Pick a level for every criterion to score the group.")
        return
    try:
        saved = save_group(db, read.rubric, group, read.role, scorer, levels, secrets.token_hex(8))
    except ValueError as e:
        _not_saved(f"Group {n} not saved: {e}.")
        return
    except LookupError:
        _not_saved(f"Group {n} not all saved: one of its answers is no longer stored (its student or class was "
                   "deleted). The others scored so far are kept; score the group again for the rest.")
        return
    except StoreUnavailable:
        _not_saved(f"Group {n} not all saved: the database is not answering. What was saved is kept; score the "
                   "group again in a moment for the rest.")
        return
    numbers = {a.answer_id: a.number for a in group.answers}
    for one in saved:
        _said(one, numbers[one.saved.answer_id], None)


def _answer(db: Store, chosen: Chosen, read: ScoringRead, answer: ScoredAnswer, scorer: str, names: bool) -> None:
    who = f" · {md(answer.name)}" if names else ""
    with st.container(border=True, key=f"sc-answer-{answer.number}"):
        st.markdown(f"**Answer {answer.number}**{who} · {_score_line(answer.score, read)}")
        if len(answer.text) <= _FOLD:
            st.html(f'<p class="sc-answer-text">{answer.highlighted or "<em>(empty)</em>"}</p>')
        else:
            st.html(f'<p class="sc-answer-text">{_esc(answer.text[:_FOLD])}…</p>')
            with st.expander(f"Read the whole of Answer {answer.number} ({len(answer.text):,} characters)"):
                st.html(f'<p class="sc-answer-text">{answer.highlighted}</p>')
        with st.container(horizontal=True):
            st.button("Score with the keys", key=f"sc-focus-{answer.answer_id}", on_click=_focus,
                      args=(answer.answer_id,), type="tertiary", icon=":material/keyboard:")
            with st.popover(f"Adjust Answer {answer.number}", icon=":material/edit:"):
                _adjust_form(db, read, answer, scorer)


def _score_line(score: WrittenScoreRow | None, read: ScoringRead) -> str:
    if score is None:
        return "not scored yet"
    levels = "" if len(score.levels) == 1 else " (" + " + ".join(str(v) for v in score.levels) + ")"
    comment = f" · “{md(score.comment)}”" if score.comment else ""
    return f"**{total(score)} of {read.most}**{levels} by {md(score.scorer)}{comment}"


def _focus(answer_id: int) -> None:
    st.session_state[_FOCUS] = {"id": answer_id, "nonce": secrets.token_hex(4)}


def _adjust_form(db: Store, read: ScoringRead, answer: ScoredAnswer, scorer: str) -> None:
    score = answer.score
    with st.form(f"sc-adjust-{answer.answer_id}", border=False):
        for c, criterion in enumerate(read.rubric):
            points = _points(criterion)
            current = points.index(score.levels[c]) if score is not None and score.levels[c] in points else None
            st.radio(criterion.criterion, points, index=current, key=f"sc-a{answer.answer_id}-c{c}", horizontal=True)
        st.text_area("Comment for the student", value=score.comment if score else "", max_chars=2000,
                     key=f"sc-a{answer.answer_id}-comment")
        st.form_submit_button("Save", key=f"sc-a{answer.answer_id}-save", disabled=not scorer, type="primary",
                              on_click=_on_adjust,
                              args=(db, read, answer, scorer, score.id if score is not None else None))


def _on_adjust(db: Store, read: ScoringRead, answer: ScoredAnswer, scorer: str, seen_id: int | None) -> None:
    picked = [st.session_state.get(f"sc-a{answer.answer_id}-c{c}") for c in range(len(read.rubric))]
    if any(p is None for p in picked):
        st.session_state.setdefault(_NOTICES, []).append(
            f"Answer {answer.number} is not saved: pick a level for every criterion.")
        return
    comment = str(st.session_state.get(f"sc-a{answer.answer_id}-comment") or "")
    _save_one(db, read.rubric, answer.answer_id, answer.number, read.role, scorer, [int(p) for p in picked if
              p is not None], comment, seen_id, secrets.token_hex(8), answer.score)


def _agreement(read: ScoringRead) -> None:
    st.header("Agreement between the two scorers", anchor=False)
    if read.agreed is None:
        st.info(f"Agreement appears once you have scored the whole sample ({read.progress}).",
                icon=":material/balance:")
        return
    found = read.agreed.agreement
    if found.n == 0:  # the sample is done, but the first scorer has not scored those answers yet
        st.info("You have scored the whole sample; the first scorer has not scored these answers yet. Agreement "
                "appears once both of you have scored them.", icon=":material/balance:")
        return
    kappa = "not defined" if found.kappa is None else f"{found.kappa:.2f}"
    weighted = "not defined" if found.weighted_kappa is None else f"{found.weighted_kappa:.2f}"
    st.markdown(f"**{found.n} answers scored by both.** Cohen's κ **{kappa}**; quadratic-weighted κ "
                f"**{weighted}** (on each answer's total, 0 to {read.most}).")
    st.caption("κ is 1 when the two scorers agree on every answer and 0 when they agree no more than chance "
               "would; the weighted κ counts a disagreement by one level as less than one by two. Above 0.6 is "
               "usually taken as good agreement; below, read the rubric together and score the disagreements "
               "again.")
    if not read.agreed.disagreements:
        st.success("You gave every answer the same levels.", icon=":material/check:")
        return
    st.subheader(f"Scored differently ({len(read.agreed.disagreements)})", anchor=False)
    for d in read.agreed.disagreements:
        with st.container(border=True):
            st.markdown(f"**Answer {d.number}**")
            st.html(f'<p class="sc-answer-text">{_esc(d.text[:_FOLD])}{"…" if len(d.text) > _FOLD else ""}</p>')
            left, right = st.columns(2)
            with left:
                st.markdown(f"First scorer ({md(d.first.scorer)}): **{total(d.first)}**"
                            f"{_levels(d.first)}")
            with right:
                st.markdown(f"Second scorer ({md(d.second.scorer)}): **{total(d.second)}**"
                            f"{_levels(d.second)}")


def _levels(score: WrittenScoreRow) -> str:
    return "" if len(score.levels) == 1 else " (" + " + ".join(str(v) for v in score.levels) + ")"


def scoring_links(db: Store, summary: ClassSummaryRow, lesson: LoadedLesson, page: str) -> None:
    """For the Results page: a "Score written answers" link per rubric question of the class (its counts read
    once per class state)."""
    session = summary.session
    for q in rubric_questions(db, session.id, lesson, class_state_key(summary)):
        st.page_link(page, label=f"Score written answers: question {q.position} ({q.scored_first} of {q.answers} "
                                 "scored)", icon=":material/draw:",
                     query_params={"session": str(session.id), "question": q.question_id})
