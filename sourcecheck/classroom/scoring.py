"""The scoring page's read and its saves: one rubric question of one class, as a teacher marks it.

Why here: the page only draws. What it shows (which answers, in which groups, numbered how, how many are scored,
which answers the second scorer gets, what the two scorers agreed on) is decided once, in this module, from one
store query per rerun (`Store.written_answers`). Grouping the answers (TF-IDF and clustering, the costly part) is
kept per question and set of answers (`cache.Memo`): answers are only added, so the same ids mean the same texts,
and a save (which changes scores, never texts) reuses it.

Fairness: answers are "Answer N" (N from the store's stable order, the answer id, so a number never moves while
the teacher scores); names only when the teacher asks. The second scorer is blind: their read holds only the
sample and only their own scores, never the first scorer's, until every answer of the sample is scored by them.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass

from sourcecheck.analytics.agreement import Agreement, cohen_kappa
from sourcecheck.analytics.grouping import AnswerGroup, group_answers
from sourcecheck.classroom.cache import Memo
from sourcecheck.grading.written import rubric_max, written_score
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import RubricCriterion, ShortQuestion
from sourcecheck.render.hints import highlight_hints, hint_words
from sourcecheck.sessions.store import (
    MAX_SCORE_COMMENT,
    MAX_SCORER,
    ClassSummaryRow,
    SavedScore,
    ScorerRole,
    Store,
    WrittenAnswerRow,
    WrittenScoreRow,
)

__all__ = [
    "SAMPLE_SHARE", "Agreed", "Disagreement", "Role", "ScoredAnswer", "ScoringGroup", "ScoringRead",
    "WrittenQuestion", "class_state_key", "desk_request_key", "group_levels_needed", "other_first_scorers",
    "progress_text", "read_scoring", "replaced_notice", "rubric_questions", "sample_ids", "same_scorer",
    "save_group", "save_score", "total",
]

Role = ScorerRole
SAMPLE_SHARE = 0.15  # of a question's answers, for the second scorer (the issue asks 10-20 %)


@dataclass(frozen=True)
class WrittenQuestion:
    """A rubric question of the class, for the page's chooser and the Results page's links."""

    question_id: str
    position: int  # its number in the lesson, from 1
    prompt: str
    answers: int  # students who answered (first attempts)
    scored_first: int
    scored_second: int


@dataclass(frozen=True)
class ScoredAnswer:
    number: int  # "Answer N": its place in the store's order (answer id), from 1; never moves
    answer_id: int
    name: str  # the student's display name: shown only when the teacher turns names on
    text: str
    highlighted: str  # the text escaped, rubric hint words in <mark class="sc-hint">
    score: WrittenScoreRow | None  # this role's current score
    in_sample: bool


@dataclass(frozen=True)
class ScoringGroup:
    terms: tuple[str, ...]  # words that characterise the group; empty for the group of empty answers
    answers: tuple[ScoredAnswer, ...]

    @property
    def unscored(self) -> int:
        return sum(a.score is None for a in self.answers)


@dataclass(frozen=True)
class Disagreement:
    number: int
    text: str
    first: WrittenScoreRow
    second: WrittenScoreRow


@dataclass(frozen=True)
class Agreed:
    """Agreement between the two scorers over the answers both scored: Cohen's κ on each answer's total."""

    agreement: Agreement
    disagreements: tuple[Disagreement, ...]  # answers where their levels differ, in answer order


@dataclass(frozen=True)
class ScoringRead:
    question: ShortQuestion
    position: int
    rubric: tuple[RubricCriterion, ...]
    most: int  # the rubric's highest total
    role: Role
    groups: tuple[ScoringGroup, ...]  # the answers this role scores, largest group first
    scored: int  # of those, scored by this role
    total: int
    sample_size: int
    sample_done: bool  # the second scorer has scored every answer of the sample
    agreed: Agreed | None  # for the second scorer once the sample is done; None otherwise

    @property
    def answers(self) -> tuple[ScoredAnswer, ...]:
        """Every answer shown, in the page's order (group by group): the keyboard moves through this."""
        return tuple(a for g in self.groups for a in g.answers)

    @property
    def progress(self) -> str:
        return progress_text(self.scored, self.total)


def progress_text(scored: int, total: int) -> str:
    return f"{scored} of {total} scored"


def total(score: WrittenScoreRow) -> int:
    return sum(score.levels)


def _rubric(question: object) -> tuple[RubricCriterion, ...] | None:
    if isinstance(question, ShortQuestion) and question.rubric:
        return tuple(question.rubric)
    return None


_QUESTIONS: Memo[tuple[WrittenQuestion, ...]] = Memo(32)


def rubric_questions(db: Store, session_id: int, lesson: LoadedLesson,
                     state: Hashable | None = None) -> list[WrittenQuestion]:
    """The class's short questions that carry a rubric, in lesson order, with how many answered and were scored
    (one store query per rubric question; a lesson has one or two). `state`: what the counts depend on
    (`class_state_key`: the class's lesson version, its state version, which a first score moves, and its answer
    count); given, the read is kept for it, so Results and the scoring page do not read every written answer again
    on each rerun. Its `scored_second` may then lag: a second score moves no state version (no page shows it)."""
    if state is None:
        return _rubric_questions(db, session_id, lesson)
    return list(_QUESTIONS.get((session_id, state), lambda: tuple(_rubric_questions(db, session_id, lesson))))


def class_state_key(summary: ClassSummaryRow) -> Hashable:
    """What a class's rubric questions' counts depend on, from the class list's row (no query of its own). The join
    code too: a test's fresh database numbers its classes from 1 again, in the same process."""
    return (summary.session.code, summary.session.lesson_hash, summary.session.state_version, summary.answers)


def _rubric_questions(db: Store, session_id: int, lesson: LoadedLesson) -> list[WrittenQuestion]:
    found = []
    for position, question in enumerate(lesson.lesson.questions, start=1):
        if _rubric(question) is None:
            continue
        rows = db.written_answers([session_id], question.id)
        found.append(WrittenQuestion(question.id, position, question.prompt, len(rows),
                                     sum(r.first is not None for r in rows), sum(r.second is not None for r in rows)))
    return found


def sample_ids(session_id: int, question_id: str, answer_ids: Sequence[int]) -> frozenset[int]:
    """The second scorer's sample: ceil(15 %) of the answers, at least one, the same every time. Each answer is
    ranked by a hash of the class, the question and its id, and the lowest ranks are taken: no random state, and an
    answer that arrives later changes the sample by one answer at most."""
    if not answer_ids:
        return frozenset()
    size = max(1, math.ceil(SAMPLE_SHARE * len(answer_ids) - 1e-9))

    def rank(answer_id: int) -> bytes:
        return hashlib.sha256(f"{session_id}:{question_id}:{answer_id}".encode()).digest()

    return frozenset(sorted(answer_ids, key=rank)[:size])


_GROUPS: Memo[tuple[AnswerGroup, ...]] = Memo(32)


def _groups(question_id: str, rows: Sequence[WrittenAnswerRow]) -> tuple[AnswerGroup, ...]:
    key = (question_id, tuple(r.answer_id for r in rows))
    return _GROUPS.get(key, lambda: tuple(group_answers([r.text for r in rows])))


def read_scoring(db: Store, session_id: int, lesson: LoadedLesson, question_id: str, role: Role) -> ScoringRead:
    """What the page shows for `role`. The first scorer sees every answer and their own scores; the second only
    the sample and their own scores, and, once the sample is scored, how far the two agreed."""
    question = lesson.bound(question_id).question
    rubric = _rubric(question)
    if rubric is None or not isinstance(question, ShortQuestion):
        raise LookupError(f"question {question_id} has no rubric")
    position = next(i for i, q in enumerate(lesson.lesson.questions, start=1) if q.id == question_id)
    rows = db.written_answers([session_id], question_id)
    number = {r.answer_id: n for n, r in enumerate(rows, start=1)}
    sample = sample_ids(session_id, question_id, [r.answer_id for r in rows])
    words = hint_words(rubric)
    by_index = list(rows)

    def shown(row: WrittenAnswerRow) -> ScoredAnswer:
        return ScoredAnswer(number[row.answer_id], row.answer_id, row.display_name, row.text,
                            highlight_hints(row.text, words), row.first if role == "first" else row.second,
                            row.answer_id in sample)

    groups = []
    for group in _groups(question_id, rows):
        members = [by_index[i] for i in group.members if role == "first" or by_index[i].answer_id in sample]
        if members:
            groups.append(ScoringGroup(tuple(group.terms), tuple(shown(r) for r in members)))
    mine = [a for g in groups for a in g.answers]
    scored = sum(a.score is not None for a in mine)
    sample_rows = [r for r in rows if r.answer_id in sample]
    sample_done = bool(sample_rows) and all(r.second is not None for r in sample_rows)
    most = rubric_max(rubric)
    agreed = _agreement(rows, number, most) if role == "second" and sample_done else None
    return ScoringRead(question, position, rubric, most, role, tuple(groups), scored, len(mine), len(sample),
                       sample_done, agreed)


def _agreement(rows: Sequence[WrittenAnswerRow], number: dict[int, int], most: int) -> Agreed:
    both = [(r, r.first, r.second) for r in rows if r.first is not None and r.second is not None]
    found = cohen_kappa([total(f) for _, f, _ in both], [total(s) for _, _, s in both], labels=range(most + 1))
    differ = tuple(Disagreement(number[r.answer_id], r.text, f, s) for r, f, s in both if f.levels != s.levels)
    return Agreed(found, differ)


def group_levels_needed(rubric: Sequence[RubricCriterion], levels: Sequence[int | None]) -> list[int] | None:
    """The levels as the store takes them, or None when a criterion has no level picked yet."""
    if len(levels) != len(rubric) or any(level is None for level in levels):
        return None
    return [int(level) for level in levels if level is not None]


def save_score(db: Store, rubric: Sequence[RubricCriterion], answer_id: int, role: Role, scorer: str,
               levels: Sequence[int], comment: str, seen_id: int | None, request_key: str) -> SavedScore:
    """Score one answer: the score computed once, here, from the rubric (ValueError for a level the rubric does not
    have), and stored. `seen_id`: the score this teacher was looking at; another one stored since is `replaced`."""
    score = written_score(list(rubric), levels)
    scorer = " ".join(scorer.split())[:MAX_SCORER]
    if not scorer:
        raise ValueError("a score needs the scorer's initials or name")
    return db.save_written_score(answer_id, role, scorer, list(levels), comment[:MAX_SCORE_COMMENT], score, seen_id,
                                 request_key)


def save_group(db: Store, rubric: Sequence[RubricCriterion], group: ScoringGroup, role: Role, scorer: str,
               levels: Sequence[int], request_key: str) -> list[SavedScore]:
    """"Score the whole group": the same levels for every answer of the group this role has not scored yet (a
    score already given is the teacher's own adjustment and is left alone). Each save has its own request key."""
    written_score(list(rubric), levels)  # a level the rubric does not have: ValueError before anything is stored
    return [save_score(db, rubric, a.answer_id, role, scorer, levels, "", None, f"{request_key}:{a.answer_id}")
            for a in group.answers if a.score is None]


def replaced_notice(saved: SavedScore, number: int, seen: WrittenScoreRow | None = None,
                    own: Collection[int] = ()) -> str | None:
    """The notice after a save, or None when there is nothing to say.

    - Another score saved in between (later save wins): it names the earlier scorer and score.
    - `own`: ids of scores this teacher saved on this page. A save of theirs still pending when they scored the
      answer again (the desk sends a second key before the first is read back) is not someone else's score.
    - `seen`: the score the teacher was looking at. When it was another scorer's (a first scorer replacing a
      colleague's first score), say so: the students and every figure now count the new one."""
    mine = total(saved.saved)
    old = saved.replaced
    if old is not None and old.id not in own:
        return (f"{old.scorer} had scored Answer {number} {total(old)} at {old.scored_at.astimezone():%H:%M}; "
                f"your {mine} replaces it. Theirs is kept.")
    if old is None and seen is not None and seen.id not in own and not same_scorer(seen.scorer,
                                                                                  saved.saved.scorer):
        return (f"You replaced {seen.scorer}'s score of Answer {number} ({total(seen)}) with your {mine}, as "
                f"{saved.saved.role} scorer. Theirs is kept.")
    return None


def same_scorer(one: str, other: str) -> bool:
    """Two "Scoring as" names are the same scorer when they differ only in case and spaces."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def other_first_scorers(read: ScoringRead, scorer: str) -> dict[str, int]:
    """For a first scorer: the other names whose first scores are current on these answers, with how many (a
    co-teacher who meant to be the second scorer, or a colleague sharing the marking). Saving over one replaces
    it for the students and every figure; the page warns before. Empty for the second scorer or no name yet."""
    if read.role != "first" or not scorer.strip():
        return {}
    found: dict[str, int] = {}
    for answer in read.answers:
        if answer.score is not None and not same_scorer(answer.score.scorer, scorer):
            found[answer.score.scorer] = found.get(answer.score.scorer, 0) + 1
    return found


def desk_request_key(session_id: int, answer_id: int, nonce: str) -> str:
    """The keyboard desk's request key for one save: the class, the answer and the desk's nonce, hashed to a fixed
    length (the store takes at most 64 characters; a question id alone may be 64). A resend of the same save (same
    nonce) stores once; the same nonce on another answer is another key."""
    digest = hashlib.sha256(f"{session_id}:{answer_id}:{nonce}".encode()).hexdigest()[:40]
    return f"desk:{digest}"
