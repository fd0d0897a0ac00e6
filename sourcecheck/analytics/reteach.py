"""What to reteach: the scored questions, fewest fully right first, each with its most common wrong answer in words.

Why: a teacher opening the results after a class asks one question, "what do I go over on Monday?". The per-question
table answers it only after sorting and cross-reading the options table; this frame answers it directly. Share
fully right (first attempts that earned full marks), not the mean score, orders it: a question half the class got
half right is a question to reteach.

The wrong answer is counted per student, among the first attempts that were not fully right: the wrong option,
phrase or row each of them gave (a student who gave it once or three times counts once), read through the same
readers scoring uses. When nobody gave anything wrong but some left something out (a multi or spans question
answered with too little, a mark question with a phrase not found, a match row left unsorted), the most common
omission is named instead. A question type added later fails mypy here until it says what its wrong answers are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any, assert_never

import numpy as np
import pandas as pd

from sourcecheck.analytics.frames import first_attempts
from sourcecheck.grading.marking import mark_key, marked_words
from sourcecheck.grading.responses import Response, match_rows, picked_indexes
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["NOBODY_WRONG", "NOT_ANSWERED", "RETEACH_COLUMNS", "RUBRIC_SHORT", "most_common_wrong", "reteach",
           "wrong_answers"]

RETEACH_COLUMNS = ["position", "question_id", "prompt", "skill", "answered", "fully_right", "facility",
                   "wrong_answer", "wrong_students"]
NOT_ANSWERED = "not answered"
NOBODY_WRONG = "—"  # everyone who answered got it fully right
RUBRIC_SHORT = "Below full marks on the rubric"  # a written answer a teacher scored, not fully right

# (sort key, text): the key keeps ties in the question's own order (option, phrase, word, row)
Wrong = tuple[tuple[int, ...], str]


def reteach(answers: pd.DataFrame, items: pd.DataFrame, lesson: LoadedLesson) -> pd.DataFrame:
    """One row per scored question of the lesson: share fully right (NaN when nobody answered), mean score, and
    the most common wrong answer with how many students gave it; the lowest share fully right first, questions
    nobody answered last."""
    first = first_attempts(answers)
    first = first[first["possible"] > 0]
    scored = items[items["points"] > 0]
    rows: list[dict[str, Any]] = []
    for item in scored.itertuples(index=False):
        mine = first[first["question_id"] == item.question_id]
        wrong_rows = mine[mine["verdict"] != "correct"]
        text, students = (NOT_ANSWERED, 0) if mine.empty else \
            most_common_wrong(lesson.bound(str(item.question_id)), list(wrong_rows["response"]))
        rows.append({"position": item.position, "question_id": item.question_id, "prompt": item.prompt,
                     "skill": item.skill, "answered": len(mine),
                     "fully_right": float(mine["correct"].mean()) if len(mine) else np.nan,
                     "facility": float(mine["score"].mean()) if len(mine) else np.nan,
                     "wrong_answer": text, "wrong_students": students})
    out = pd.DataFrame(rows, columns=RETEACH_COLUMNS)
    out = out.sort_values(["fully_right", "position"], na_position="last", kind="stable")
    return out.astype({"answered": "int64", "wrong_students": "int64"}).reset_index(drop=True)


def most_common_wrong(bound: BoundQuestion, responses: Sequence[Response]) -> tuple[str, int]:
    """The wrong answer most of these (not fully right) responses gave, and how many gave it; the most common
    omission when nobody gave a wrong one; NOBODY_WRONG with 0 when there is nothing wrong at all."""
    for kind in (wrong_answers(bound, responses), _omissions(bound, responses)):
        if kind:
            (_, text), count = min(kind.items(), key=lambda pair: (-pair[1], pair[0][0]))
            return text, count
    return NOBODY_WRONG, 0


def wrong_answers(bound: BoundQuestion, responses: Iterable[Response]) -> Counter[Wrong]:
    """Per wrong thing given (an option, a phrase, a mark, a row in the wrong category), how many responses gave
    it, each response counting once per thing."""
    question = bound.question
    counts: Counter[Wrong] = Counter()
    match question:
        case SingleQuestion() | MultiQuestion():
            for r in responses:
                counts.update(((i,), f"Chose “{question.options[i].text}”") for i in sorted(picked_indexes(r))
                              if 0 <= i < len(question.options) and not question.options[i].correct)
        case TrueFalseQuestion():
            wrong = not question.answer
            counts.update(((0,), f"Answered {wrong}") for r in responses if r is wrong)
        case SpansQuestion():
            picks = bound.candidates
            for r in responses:
                counts.update(((i,), f"Selected “{picks[i].text}”") for i in sorted(picked_indexes(r))
                              if 0 <= i < len(picks) and not picks[i].correct)
        case MarkQuestion():
            key = mark_key(bound)
            text = bound.excerpts[0].text
            for r in responses:
                marks = key.marks(r)
                given: set[Wrong] = set()
                for category in key.categories:
                    extra = sorted(marked_words(marks, category.label) - category.required - category.neutral)
                    for run in _runs(extra):
                        phrase = " ".join(text[key.words[run[0]].start:key.words[run[-1]].end].split())
                        given.add(((run[0], key.categories.index(category)),
                                   f"Marked “{phrase}” as {LABELS[category.label].title.lower()}"))
                counts.update(given)
        case MatchQuestion():
            items = question.items
            for r in responses:
                rows = match_rows(r, len(items))
                counts.update(((j, question.categories.index(got) if got in question.categories else 0),
                               f"Put “{item.text}” under {got} (right: {item.category})")
                              for j, (item, got) in enumerate(zip(items, rows, strict=True))
                              if got is not None and got != item.category)
        case ShortQuestion():
            # only a rubric question's answers reach here (reteach lists scored questions), each one a teacher
            # scored below full marks: which criterion it missed is on the scoring page, not in the response
            if question.rubric:
                counts.update(((0,), RUBRIC_SHORT) for _ in responses)
        case _:
            assert_never(question)
    return counts


def _omissions(bound: BoundQuestion, responses: Iterable[Response]) -> Counter[Wrong]:
    """Per right thing left out (a right option or phrase not picked, a phrase to mark not found, a match row
    left without a category), how many responses left it out."""
    question = bound.question
    counts: Counter[Wrong] = Counter()
    match question:
        case MultiQuestion():
            for r in responses:
                got = picked_indexes(r)
                counts.update(((i,), f"Left out “{o.text}”") for i, o in enumerate(question.options)
                              if o.correct and i not in got)
        case SpansQuestion():
            for r in responses:
                got = picked_indexes(r)
                counts.update(((i,), f"Left out “{c.text}”") for i, c in enumerate(bound.candidates)
                              if c.correct and i not in got)
        case MarkQuestion():
            key = mark_key(bound)
            required = {c.label: c.required for c in key.categories}
            for r in responses:
                marks = key.marks(r)
                for n, t in enumerate(key.targets):
                    wanted = set(range(t.first, t.last + 1)) & required.get(t.label, frozenset())
                    if wanted and not wanted <= marked_words(marks, t.label):
                        counts[((n,), f"Did not mark “{' '.join(t.text.split())}” as "
                                      f"{LABELS[t.label].title.lower()}")] += 1
        case MatchQuestion():
            for r in responses:
                rows = match_rows(r, len(question.items))
                counts.update(((j,), f"Left “{item.text}” unsorted")
                              for j, (item, got) in enumerate(zip(question.items, rows, strict=True)) if got is None)
        case SingleQuestion() | TrueFalseQuestion() | ShortQuestion():
            pass  # a wrong single or true-false answer is a wrong pick, counted above; a written one is not scored
        case _:
            assert_never(question)
    return counts


def _runs(indexes: Sequence[int]) -> list[list[int]]:
    """Sorted word indexes as runs of neighbours: [2, 3, 7] -> [[2, 3], [7]]."""
    runs: list[list[int]] = []
    for i in indexes:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs
