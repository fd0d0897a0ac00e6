"""The scoring page's read and saves (classroom/scoring.py) on a real store, SQLite and PostgreSQL: answers
numbered and grouped, progress per role, the second scorer's blind sample, agreement and its disagreements, scoring
a group at once, and the later-save-wins notice."""

from __future__ import annotations

import math

import pytest
from sklearn.metrics import cohen_kappa_score
from written_seed import ANSWERS, QUESTION, class_with_answers

from sourcecheck.classroom.scoring import (
    read_scoring,
    replaced_notice,
    rubric_questions,
    sample_ids,
    save_group,
    save_score,
)
from sourcecheck.db import SqlStore
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.sessions.classes import class_lesson


def _lesson(store: SqlStore, session_id: int, catalog: Catalog) -> LoadedLesson:
    session = store.session(session_id)
    assert session is not None
    return class_lesson(store, session, catalog)


def test_the_chooser_lists_rubric_questions_with_their_counts(store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store)
    lesson = _lesson(store, sid, catalog)
    found = rubric_questions(store, sid, lesson)
    assert [(q.question_id, q.answers, q.scored_first, q.scored_second) for q in found] == [(QUESTION, 30, 0, 0)]
    assert found[0].position == len(lesson.lesson.questions)  # the lesson's last question


def test_every_answer_is_shown_once_numbered_in_the_stores_order_and_identical_ones_share_a_group(
        store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store)
    read = read_scoring(store, sid, _lesson(store, sid, catalog), QUESTION, "first")
    assert read.progress == "0 of 30 scored"
    assert sorted(a.number for a in read.answers) == list(range(1, 31))
    by_number = {a.number: a for a in read.answers}
    assert [by_number[n].text for n in range(1, 31)] == ANSWERS  # Answer N is the N-th answer stored
    group_of = {a.number: g for g, group in enumerate(read.groups) for a in group.answers}
    assert group_of[1] == group_of[2] == group_of[3]  # identical after case and punctuation
    assert all(len(g.answers) <= len(read.groups[0].answers) for g in read.groups)  # largest first
    markup = by_number[26]
    assert "<b>" not in markup.highlighted and "&lt;b&gt;" in markup.highlighted  # shown inert


def test_the_sample_is_15_percent_at_least_one_and_the_same_every_time() -> None:
    ids = list(range(100, 130))
    first = sample_ids(7, "q", ids)
    assert len(first) == math.ceil(0.15 * 30) == 5
    assert sample_ids(7, "q", list(reversed(ids))) == first  # not the order, the ids decide
    assert sample_ids(7, "q", ids) == first
    assert sample_ids(8, "q", ids) != first or sample_ids(7, "r", ids) != first  # another class or question
    assert len(sample_ids(7, "q", [5])) == 1
    assert sample_ids(7, "q", []) == frozenset()
    grown = sample_ids(7, "q", [*ids, 130])  # an answer arriving late changes the sample by one at most
    assert len(first - grown) <= 1


def test_scoring_a_group_scores_only_what_this_role_has_not_scored(store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store)
    lesson = _lesson(store, sid, catalog)
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    group = read.groups[0]
    assert len(group.answers) >= 3
    adjusted = group.answers[0]
    save_score(store, read.rubric, adjusted.answer_id, "first", "A. B.", [1], "Only one thing named", None, "k-1")
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    saved = save_group(store, read.rubric, read.groups[0], "first", "A. B.", [2], "group-1")
    assert len(saved) == len(group.answers) - 1
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    levels = {a.answer_id: a.score.levels for a in read.groups[0].answers if a.score is not None}
    assert levels[adjusted.answer_id] == (1,)  # the teacher's own adjustment stays
    assert sorted(levels.values()).count((2,)) == len(group.answers) - 1
    assert read.progress == f"{len(group.answers)} of 30 scored"
    with pytest.raises(ValueError):
        save_group(store, read.rubric, read.groups[1], "first", "A. B.", [3], "group-2")  # no level 3
    assert read_scoring(store, sid, lesson, QUESTION, "first").scored == len(group.answers)


def test_a_save_needs_a_scorer_and_the_rubrics_levels(store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store, ANSWERS[:3])
    lesson = _lesson(store, sid, catalog)
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    answer = read.answers[0].answer_id
    with pytest.raises(ValueError):
        save_score(store, read.rubric, answer, "first", "  ", [1], "", None, "k-empty")
    with pytest.raises(ValueError):
        save_score(store, read.rubric, answer, "first", "A. B.", [5], "", None, "k-five")
    assert read_scoring(store, sid, lesson, QUESTION, "first").scored == 0


def test_the_later_save_wins_and_says_whose_score_it_replaced(store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store, ANSWERS[:3])
    lesson = _lesson(store, sid, catalog)
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    answer = read.answers[0]
    first = save_score(store, read.rubric, answer.answer_id, "first", "A. B.", [1], "", None, "k-ab")
    assert replaced_notice(first, answer.number) is None
    second = save_score(store, read.rubric, answer.answer_id, "first", "C. D.", [2], "", None, "k-cd")  # saw none
    notice = replaced_notice(second, answer.number)
    assert notice is not None
    assert notice.startswith(f"A. B. had scored Answer {answer.number} 1 at ")
    assert notice.endswith("your 2 replaces it. Theirs is kept.")
    again = save_score(store, read.rubric, answer.answer_id, "first", "C. D.", [0], "", second.saved.id, "k-cd2")
    assert again.replaced is None  # they had seen their own score: nothing to say


def test_the_second_scorer_sees_only_the_sample_and_never_the_first_scores(store: SqlStore,
                                                                           catalog: Catalog) -> None:
    sid = class_with_answers(store)
    lesson = _lesson(store, sid, catalog)
    first = read_scoring(store, sid, lesson, QUESTION, "first")
    for group in first.groups:
        save_group(store, first.rubric, group, "first", "A. B.", [1], f"all-{group.answers[0].number}")
    assert read_scoring(store, sid, lesson, QUESTION, "first").progress == "30 of 30 scored"
    blind = read_scoring(store, sid, lesson, QUESTION, "second")
    assert blind.total == blind.sample_size == 5
    assert {a.answer_id for a in blind.answers} == sample_ids(sid, QUESTION, [a.answer_id for a in first.answers])
    assert all(a.score is None for a in blind.answers)  # the first scores are not in the second scorer's read
    assert blind.progress == "0 of 5 scored" and blind.agreed is None


def test_agreement_is_cohens_kappa_on_totals_over_the_answers_both_scored(store: SqlStore,
                                                                          catalog: Catalog) -> None:
    sid = class_with_answers(store)
    lesson = _lesson(store, sid, catalog)
    first = read_scoring(store, sid, lesson, QUESTION, "first")
    blind = read_scoring(store, sid, lesson, QUESTION, "second")
    firsts, seconds = [], []
    for n, answer in enumerate(blind.answers):
        mine, theirs = n % 3, (n % 3 if n else 2)  # the first answer of the sample scored differently
        save_score(store, first.rubric, answer.answer_id, "first", "A. B.", [mine], "", None, f"f-{n}")
        if n < len(blind.answers) - 1:
            save_score(store, first.rubric, answer.answer_id, "second", "C. D.", [theirs], "", None, f"s-{n}")
            firsts.append(mine)
            seconds.append(theirs)
    almost = read_scoring(store, sid, lesson, QUESTION, "second")
    assert almost.agreed is None and not almost.sample_done  # one answer of the sample still to score
    last = blind.answers[-1]
    save_score(store, first.rubric, last.answer_id, "second", "C. D.", [(len(blind.answers) - 1) % 3], "", None,
               "s-last")  # the same as the first scorer's
    done = read_scoring(store, sid, lesson, QUESTION, "second")
    assert done.sample_done and done.agreed is not None
    saved_last = next(a for a in done.answers if a.answer_id == last.answer_id).score
    assert saved_last is not None
    firsts.append((len(blind.answers) - 1) % 3)
    seconds.append(saved_last.levels[0])
    found = done.agreed.agreement
    assert found.n == 5
    assert found.kappa == pytest.approx(cohen_kappa_score(firsts, seconds, labels=[0, 1, 2]))
    assert found.weighted_kappa == pytest.approx(
        cohen_kappa_score(firsts, seconds, labels=[0, 1, 2], weights="quadratic"))
    differ = {d.number for d in done.agreed.disagreements}
    expected = {a.number for a, f, s in zip(blind.answers, firsts, seconds, strict=True) if f != s}
    assert differ == expected and blind.answers[0].number in differ
    assert read_scoring(store, sid, lesson, QUESTION, "first").agreed is None  # the first scorer is not shown it


def test_a_two_criterion_rubric_totals_its_levels(store: SqlStore, catalog: Catalog) -> None:
    sid = class_with_answers(store, ANSWERS[:4], two_criteria=True)
    lesson = _lesson(store, sid, catalog)
    read = read_scoring(store, sid, lesson, QUESTION, "first")
    assert [c.criterion for c in read.rubric] == ["Names what would have to be checked",
                                                  "Says why the column alone is not enough"]
    assert read.most == 3
    saved = save_score(store, read.rubric, read.answers[0].answer_id, "first", "A. B.", [2, 1], "", None, "two-1")
    assert saved.saved.levels == (2, 1)
    with pytest.raises(ValueError):
        save_score(store, read.rubric, read.answers[1].answer_id, "first", "A. B.", [2], "", None, "two-2")
    row = next(r for r in store.session_answers(sid) if r.answer.question_id == QUESTION and r.answer.earned > 0)
    assert (row.answer.earned, row.answer.possible, row.answer.verdict) == (3.0, 3, "correct")  # counted
