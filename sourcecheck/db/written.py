"""The SQL behind a teacher's scores of written answers (issue 19): SqlStore's thin methods call these.

The scores are append-only: a save inserts a row, and a role's current score is its row with the largest id, so
two teachers saving the same answer at once both keep their rows and the later one wins. A save first takes the
answer row's write lock (an UPDATE that changes nothing, as SqlStore.join locks the class), so saves of one answer
run one after the other, ids grow in that order, and for the first scorer the answer row's earned/possible/verdict
always hold the score of the latest row. A first scorer's save also moves the class's state version: the teacher's
cached figures are keyed by it. Each function is one transaction, or one read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from sourcecheck.db.news import changed, writing
from sourcecheck.db.tables import answers, class_sessions, participants, written_scores
from sourcecheck.grading.scoring import Score
from sourcecheck.sessions.store import (
    FIRST_ATTEMPT,
    MAX_SCORE_COMMENT,
    MAX_SCORER,
    SavedScore,
    ScorerRole,
    WrittenAnswerRow,
    WrittenScoreRow,
)

__all__ = ["save_written_score", "written_answers", "written_feedback"]

_ROLES: tuple[ScorerRole, ...] = ("first", "second")


def _latest(role: ScorerRole, answer_id: Any) -> ColumnElement[int]:
    """The id of a role's current score of an answer: a correlated scalar subquery on the (answer, role, id) index."""
    inner = written_scores.alias("latest")
    return (select(func.max(inner.c.id))
            .where(inner.c.answer_id == answer_id, inner.c.role == role)
            .correlate(answers).scalar_subquery())


def written_answers(engine: Engine, session_ids: Sequence[int], question_id: str) -> list[WrittenAnswerRow]:
    """One statement: the classes' first-attempt answers to the question, each with its first and second scorer's
    current score (two outer joins on the latest id), by answer id."""
    if not session_ids:
        return []
    first, second = written_scores.alias("first_score"), written_scores.alias("second_score")
    query = (select(answers.c.id, answers.c.participant_id, answers.c.response, answers.c.submitted_at,
                    participants.c.display_name,
                    *(c.label(f"first_{c.name}") for c in first.c), *(c.label(f"second_{c.name}") for c in second.c))
             .select_from(answers.join(participants, participants.c.id == answers.c.participant_id)
                          .outerjoin(first, first.c.id == _latest("first", answers.c.id))
                          .outerjoin(second, second.c.id == _latest("second", answers.c.id)))
             .where(participants.c.session_id.in_(list(session_ids)), answers.c.question_id == question_id,
                    answers.c.attempt == FIRST_ATTEMPT)
             .order_by(answers.c.id))
    with engine.connect() as c:
        rows = c.execute(query).all()
    return [WrittenAnswerRow(answer_id=r.id, participant_id=r.participant_id, display_name=r.display_name or "",
                             text=r.response if isinstance(r.response, str) else "",
                             submitted_at=_utc(r.submitted_at), first=_prefixed(r, "first_"),
                             second=_prefixed(r, "second_"))
            for r in rows]


def save_written_score(engine: Engine, answer_id: int, role: ScorerRole, scorer: str, levels: Sequence[int],
                       comment: str, score: Score, seen_id: int | None, request_key: str) -> SavedScore:
    """Store one save, or find the one this request key stored (a retry): the same SavedScore either way.
    `replaced`: the role's score current just before this save, when it was not `seen_id`. For the first scorer
    the answer row takes `score` in the same transaction. LookupError when the answer is gone (its student or class
    was deleted); ValueError for a role, scorer, levels or comment the table does not take, or a request key
    already stored for another answer or role."""
    _check(role, scorer, levels, comment, request_key)
    with writing(engine) as c:
        locked = c.execute(update(answers).where(answers.c.id == answer_id)
                           .values(attempt=answers.c.attempt)).rowcount == 1
        if not locked:
            raise LookupError(f"answer {answer_id} is not stored (deleted?)")
        existing = c.execute(select(written_scores).where(written_scores.c.request_key == request_key)).first()
        if existing is not None:
            saved = _retried(existing, answer_id, role)
            return SavedScore(saved, _replaced(c, saved, seen_id))
        inserted = c.execute(_insert_once(engine).values(
            answer_id=answer_id, role=role, scorer=scorer.strip(), levels=[int(x) for x in levels], comment=comment,
            request_key=request_key, scored_at=datetime.now(UTC)).returning(*written_scores.c)).first()
        if inserted is None:  # the same key stored meanwhile by a retry whose first try's reply was lost
            inserted = c.execute(select(written_scores).where(written_scores.c.request_key == request_key)).one()
            saved = _retried(inserted, answer_id, role)
            return SavedScore(saved, _replaced(c, saved, seen_id))
        saved = _score_row(inserted)
        if role == "first":
            c.execute(update(answers).where(answers.c.id == answer_id)
                      .values(earned=score.earned, possible=score.possible, verdict=score.verdict))
            # the class's figures changed: move its state version, which keys the teacher's caches (Results, the
            # lesson's end) and makes a student's open summary look again
            owner = (select(participants.c.session_id).join(answers, answers.c.participant_id == participants.c.id)
                     .where(answers.c.id == answer_id).scalar_subquery())
            c.execute(update(class_sessions).where(class_sessions.c.id == owner)
                      .values(state_version=class_sessions.c.state_version + 1))
            changed(c, owner, "state")
        return SavedScore(saved, _replaced(c, saved, seen_id))


def written_feedback(engine: Engine, participant_id: int, lesson_id: str, attempt: int) -> dict[str, WrittenScoreRow]:
    """Question id -> the first scorer's current score, for one student's attempt at a lesson: one statement."""
    query = (select(answers.c.question_id, written_scores)
             .select_from(answers.join(written_scores, written_scores.c.id == _latest("first", answers.c.id)))
             .where(answers.c.participant_id == participant_id, answers.c.lesson_id == lesson_id,
                    answers.c.attempt == attempt))
    with engine.connect() as c:
        rows = c.execute(query).all()
    return {r.question_id: _score_row(r) for r in rows}


def _retried(found: Row[Any], answer_id: int, role: ScorerRole) -> WrittenScoreRow:
    """The row a request key stored before: a retry of the same save. The same key for another answer or role is
    not a retry (a reused or colliding key): refused, so the page never says "saved" for a score it did not store."""
    if found.answer_id != answer_id or found.role != role:
        raise ValueError("this request key was already used for another score")
    return _score_row(found)


def _replaced(c: Connection, saved: WrittenScoreRow, seen_id: int | None) -> WrittenScoreRow | None:
    """The role's current score just before `saved` (its row with the largest smaller id), unless the teacher had
    seen it. Read from the rows, so a retry answers as the first try did."""
    row = c.execute(select(written_scores)
                    .where(written_scores.c.answer_id == saved.answer_id, written_scores.c.role == saved.role,
                           written_scores.c.id < saved.id)
                    .order_by(written_scores.c.id.desc()).limit(1)).first()
    if row is None or row.id == seen_id:
        return None
    return _score_row(row)


def _check(role: str, scorer: str, levels: Sequence[int], comment: str, request_key: str) -> None:
    if role not in _ROLES:
        raise ValueError(f"role must be one of {_ROLES}, not {role!r}")
    if len(scorer.strip()) > MAX_SCORER:
        raise ValueError(f"a scorer's name is at most {MAX_SCORER} characters")
    if len(comment) > MAX_SCORE_COMMENT:
        raise ValueError(f"a comment is at most {MAX_SCORE_COMMENT} characters")
    if any(isinstance(x, bool) or not isinstance(x, int) for x in levels):
        raise ValueError("levels are whole numbers of points")
    if not request_key or len(request_key) > 64:
        raise ValueError("a request key is 1 to 64 characters")


def _insert_once(engine: Engine) -> Any:
    """INSERT that does nothing when the request key is already stored."""
    if engine.dialect.name == "postgresql":
        return postgresql.insert(written_scores).on_conflict_do_nothing(index_elements=["request_key"])
    return sqlite.insert(written_scores).on_conflict_do_nothing(index_elements=["request_key"])


def _prefixed(r: Row[Any], prefix: str) -> WrittenScoreRow | None:
    m = r._mapping
    if m[f"{prefix}id"] is None:
        return None
    return WrittenScoreRow(id=m[f"{prefix}id"], answer_id=m[f"{prefix}answer_id"], role=m[f"{prefix}role"],
                           scorer=m[f"{prefix}scorer"], levels=tuple(int(x) for x in m[f"{prefix}levels"]),
                           comment=m[f"{prefix}comment"], scored_at=_utc(m[f"{prefix}scored_at"]) or _now())


def _score_row(r: Row[Any]) -> WrittenScoreRow:
    return WrittenScoreRow(id=r.id, answer_id=r.answer_id, role=r.role, scorer=r.scorer,
                           levels=tuple(int(x) for x in r.levels), comment=r.comment,
                           scored_at=_utc(r.scored_at) or _now())


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every time in the app is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
