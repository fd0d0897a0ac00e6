"""A teacher's scores of written answers, on SQLite and PostgreSQL: stored append-only, the later save wins with
the earlier named, a retried save stores once, the first scorer's score lands on the answer row, and a deleted
student's answers take their scores with them."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sourcecheck.db import SqlStore
from sourcecheck.db.tables import written_scores
from sourcecheck.grading.scoring import Score
from sourcecheck.sessions.store import AnswerRow, SavedScore

HASH = "0" * 64
FULL, HALF, NONE = Score(2.0, 2, "correct"), Score(1.0, 2, "partial"), Score(0.0, 2, "incorrect")


def a_class(store: SqlStore) -> int:
    digest = store.save_lesson_version("lesson", "id: lesson\n")
    return store.create_session("lesson", digest, pacing="self").id


def written(pid: int, text: str, question: str = "q-why", attempt: int = 1) -> AnswerRow:
    return AnswerRow(participant_id=pid, lesson_id="lesson", lesson_hash=HASH, attempt=attempt, question_id=question,
                     response=text, earned=0.0, possible=0, verdict="unscored", submitted_at=datetime.now(UTC))


def a_scored_class(store: SqlStore) -> tuple[int, list[int]]:
    """Three students who wrote an answer (Cy twice: the retry is practice), and one picked an option elsewhere."""
    sid = a_class(store)
    pids = [store.join(sid, f"token-{name}-0000000000000", name).id for name in ("Ana", "Ben", "Cy")]
    for pid, text in zip(pids, ("It is an ad.", "A lobby group.", "No idea"), strict=True):
        assert store.record_answer(written(pid, text))
    store.record_answer(written(pids[2], "Second try", attempt=2))
    store.record_answer(AnswerRow(participant_id=pids[0], lesson_id="lesson", lesson_hash=HASH, attempt=1,
                                  question_id="q-pick", response=1, earned=1.0, possible=1, verdict="correct"))
    return sid, pids


def test_written_answers_lists_first_attempts_by_answer_id_with_no_score_yet(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    rows = store.written_answers([sid], "q-why")
    assert [(r.participant_id, r.display_name, r.text, r.first, r.second) for r in rows] == [
        (pids[0], "Ana", "It is an ad.", None, None), (pids[1], "Ben", "A lobby group.", None, None),
        (pids[2], "Cy", "No idea", None, None)]
    assert [r.answer_id for r in rows] == sorted(r.answer_id for r in rows)
    assert store.written_answers([], "q-why") == []
    assert store.written_answers([sid + 1], "q-why") == []


def test_a_first_score_is_stored_and_lands_on_the_answer_row(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    result = store.save_written_score(ana.answer_id, "first", "MK", [1, 1], "Good: you named the group.", FULL,
                                      None, "key-1")
    assert result.replaced is None
    assert (result.saved.role, result.saved.scorer, result.saved.levels, result.saved.comment) == (
        "first", "MK", (1, 1), "Good: you named the group.")
    [stored] = [a for a in store.answers(pids[0], "lesson") if a.question_id == "q-why"]
    assert stored.score == FULL
    again = store.written_answers([sid], "q-why")[0]
    assert again.first == result.saved and again.second is None
    feedback = store.written_feedback(pids[0], "lesson", 1)
    assert feedback == {"q-why": result.saved}
    assert store.written_feedback(pids[1], "lesson", 1) == {}


def test_a_second_score_never_changes_the_answer_row(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ben = store.written_answers([sid], "q-why")[1]
    store.save_written_score(ben.answer_id, "first", "MK", [0, 1], "", HALF, None, "first-ben")
    second = store.save_written_score(ben.answer_id, "second", "JL", [1, 1], "", FULL, None, "second-ben")
    assert second.replaced is None  # no second score before it: the first scorer's is another role
    [stored] = [a for a in store.answers(pids[1], "lesson") if a.question_id == "q-why"]
    assert stored.score == HALF
    row = store.written_answers([sid], "q-why")[1]
    assert row.first is not None and row.first.levels == (0, 1)
    assert row.second == second.saved
    assert store.written_feedback(pids[1], "lesson", 1)["q-why"].scorer == "MK"  # only the first scorer's


def test_two_scorers_saving_the_same_answer_the_later_wins_and_names_the_earlier(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    # both opened the page when Ana's answer had no score (seen_id None)
    one = store.save_written_score(ana.answer_id, "first", "MK", [1, 1], "Well done", FULL, None, "mk-save")
    two = store.save_written_score(ana.answer_id, "first", "JL", [0, 1], "Say who funds it", HALF, None, "jl-save")
    assert one.replaced is None
    assert two.replaced == one.saved  # the page names MK and MK's score
    assert store.written_answers([sid], "q-why")[0].first == two.saved
    [stored] = [a for a in store.answers(pids[0], "lesson") if a.question_id == "q-why"]
    assert stored.score == HALF  # the later save wins on the answer row too
    # nothing lost: both rows are in the table
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(written_scores)).scalar_one() == 2
    # MK saves again having seen JL's score: no notice
    three = store.save_written_score(ana.answer_id, "first", "MK", [1, 1], "", FULL, two.saved.id, "mk-again")
    assert three.replaced is None


def test_a_retried_save_stores_once_and_returns_the_same_result(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    store.save_written_score(ana.answer_id, "first", "MK", [1, 1], "", FULL, None, "earlier")
    first_try = store.save_written_score(ana.answer_id, "first", "JL", [0, 0], "", NONE, None, "retried")
    assert first_try.replaced is not None and first_try.replaced.scorer == "MK"
    retry = store.save_written_score(ana.answer_id, "first", "JL", [0, 0], "", NONE, None, "retried")
    assert retry == first_try
    later = store.save_written_score(ana.answer_id, "first", "MK", [1, 0], "", HALF, first_try.saved.id, "later")
    late_retry = store.save_written_score(ana.answer_id, "first", "JL", [0, 0], "", NONE, None, "retried")
    assert late_retry == first_try  # a retry after a later save changes nothing: MK's later score stays
    assert store.written_answers([sid], "q-why")[0].first == later.saved
    [stored] = [a for a in store.answers(pids[0], "lesson") if a.question_id == "q-why"]
    assert stored.score == HALF
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(written_scores)).scalar_one() == 3


def test_eight_saves_at_once_leave_the_answer_row_with_the_latest_row(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    scores = [FULL, HALF, NONE, FULL, HALF, NONE, FULL, HALF]
    results: list[SavedScore] = []
    barrier = threading.Barrier(8)

    def save(n: int) -> None:
        barrier.wait()
        results.append(store.save_written_score(ana.answer_id, "first", f"T{n}", [n % 3, 0], "", scores[n], None,
                                                f"thread-{n}"))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8
    latest = max(results, key=lambda r: r.saved.id)
    assert store.written_answers([sid], "q-why")[0].first == latest.saved
    [stored] = [a for a in store.answers(pids[0], "lesson") if a.question_id == "q-why"]
    assert stored.score == scores[int(latest.saved.scorer[1:])]
    assert sum(r.replaced is None for r in results) == 1  # only the very first save replaced nothing


def test_a_deleted_students_answers_take_their_scores_with_them(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    rows = store.written_answers([sid], "q-why")
    for row, key in zip(rows, ("a", "b", "c"), strict=True):
        store.save_written_score(row.answer_id, "first", "MK", [1, 1], "A comment", FULL, None, key)
    assert store.remove_participant(sid, pids[0], delete_answers=True)
    assert [r.display_name for r in store.written_answers([sid], "q-why")] == ["Ben", "Cy"]
    with store.engine.connect() as c:
        left = c.execute(select(written_scores.c.answer_id)).scalars().all()
    assert sorted(left) == [rows[1].answer_id, rows[2].answer_id]
    assert store.delete_session(sid)
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(written_scores)).scalar_one() == 0
    with pytest.raises(LookupError):
        store.save_written_score(rows[1].answer_id, "first", "MK", [1, 1], "", FULL, None, "after-delete")


def test_written_answers_reads_a_courses_classes_in_one_call(store: SqlStore) -> None:
    first, _ = a_scored_class(store)
    second = a_class(store)
    dan = store.join(second, "token-Dan-00000000000000", "Dan").id
    store.record_answer(written(dan, "Dan's answer"))
    rows = store.written_answers([first, second], "q-why")
    assert [r.display_name for r in rows] == ["Ana", "Ben", "Cy", "Dan"]


@pytest.mark.parametrize(("role", "scorer", "levels", "comment"), [
    ("third", "MK", [1], ""), ("first", "M" * 41, [1], ""), ("first", "MK", [1], "x" * 2001),
    ("first", "MK", [True], ""), ("first", "MK", ["1"], "")])
def test_what_the_table_does_not_take_is_refused_before_anything_is_stored(
        store: SqlStore, role: str, scorer: str, levels: list[int], comment: str) -> None:
    sid, _ = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    with pytest.raises(ValueError):
        store.save_written_score(ana.answer_id, role, scorer, levels, comment, FULL, None,  # type: ignore[arg-type]
                                 "bad")
    assert store.written_answers([sid], "q-why")[0].first is None


def test_a_comment_of_markup_and_formulas_is_stored_as_typed(store: SqlStore) -> None:
    sid, pids = a_scored_class(store)
    ana = store.written_answers([sid], "q-why")[0]
    hostile = '=HYPERLINK("http://x","y") <script>alert(1)</script><img src=x onerror=alert(2)>\u200b🙂'
    saved = store.save_written_score(ana.answer_id, "first", "MK", [1, 1], hostile, FULL, None, "hostile")
    assert store.written_feedback(pids[0], "lesson", 1)["q-why"].comment == hostile == saved.saved.comment


def test_a_request_key_stored_for_another_answer_or_role_is_refused(store: SqlStore) -> None:
    """Review 19 L6: a reused key used to return the other answer's row, and the page said "saved"."""
    sid, _ = a_scored_class(store)
    ana, ben = store.written_answers([sid], "q-why")[:2]
    store.save_written_score(ana.answer_id, "first", "MK", [1, 1], "", FULL, None, "same-key")
    with pytest.raises(ValueError, match="already used for another score"):
        store.save_written_score(ben.answer_id, "first", "MK", [1, 1], "", FULL, None, "same-key")
    with pytest.raises(ValueError, match="already used for another score"):
        store.save_written_score(ana.answer_id, "second", "MK", [1, 1], "", FULL, None, "same-key")
    after = store.written_answers([sid], "q-why")
    assert after[1].first is None and after[0].second is None  # nothing stored for Ben, nor a second score
    with store.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(written_scores)).scalar_one() == 1
