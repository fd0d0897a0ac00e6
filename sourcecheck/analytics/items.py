"""Per question: how many answered, facility, discrimination, time; which options the class chose; and, for
mark questions, how many marked each word of the passage in each category."""

from __future__ import annotations

from typing import Any, assert_never

import numpy as np
import pandas as pd

from sourcecheck.analytics.frames import first_attempts
from sourcecheck.grading.marking import mark_key
from sourcecheck.grading.tally import mark_counts
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["MARK_WORD_COLUMNS", "MIN_STUDENTS_FOR_DISCRIMINATION", "discrimination", "distractors", "item_stats",
           "mark_words"]

MARK_WORD_COLUMNS = ["position", "question_id", "category", "word_number", "word", "target", "marked", "answered",
                     "marked_share"]

MIN_STUDENTS_FOR_DISCRIMINATION = 3  # below this a correlation says nothing (two students always give ±1)


def item_stats(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Facility is Moodle's facility index: the mean share of the points earned (1 = everyone right), shown as
    "Mean score"; fully_right is the share of first attempts that earned full marks. Discrimination is Moodle's
    discrimination index: the correlation between the score on this question and the score on the rest of the
    test, over the students who answered it. Each is over the scored answers ("scored"); "answered" counts every
    first answer, so a written question shows its answers before a teacher has scored them."""
    first = first_attempts(answers)
    scored = first[first["possible"] > 0]
    grouped = scored.groupby("question_id")
    stats = pd.DataFrame({
        "answered": first.groupby("question_id").size(),  # every first answer, a written one not yet scored too
        "scored": grouped.size(),  # the answers the figures count (a written one once a teacher scored it)
        "fully_right": grouped["correct"].mean(),
        "facility": grouped["score"].mean(),
        "mean_time_s": grouped["time_taken_s"].mean().astype("float64"),
    })
    stats["discrimination"] = discrimination(scored)
    out = items[["position", "question_id", "type", "skill", "prompt"]].merge(
        stats, left_on="question_id", right_index=True, how="left")
    out["answered"] = out["answered"].fillna(0).astype("int64")
    out["scored"] = out["scored"].fillna(0).astype("int64")
    return out.reset_index(drop=True)


def discrimination(scored: pd.DataFrame) -> pd.Series:
    """Corrected item-total correlation per question (NaN where it is undefined: too few students, or
    everyone scored the same on the question or on the rest)."""
    grid = scored.pivot_table(index="participant_id", columns="question_id", values="earned", aggfunc="first")
    total = grid.sum(axis=1, min_count=1)
    out = {}
    for question in grid.columns:
        item = grid[question]
        answered = item.notna()
        x, rest = item[answered], (total - item)[answered]
        defined = answered.sum() >= MIN_STUDENTS_FOR_DISCRIMINATION and x.std() > 0 and rest.std() > 0
        out[question] = float(np.corrcoef(x, rest)[0, 1]) if defined else np.nan
    return pd.Series(out, dtype="float64", name="discrimination")


def distractors(answers: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """One row per option of each choice question: how many chose it, their share, whether it is a right option
    (`right_option`: a property of the option, not of anyone's answer), and its feedback, so a teacher sees which
    misconception is common."""
    choice_items = items[items["options"].map(len) > 0]  # the questions options.choices gives options
    if choice_items.empty:
        return pd.DataFrame(columns=["position", "question_id", "option", "text", "right_option", "chosen", "share",
                                     "feedback"])
    options = choice_items[["position", "question_id", "type", "options", "correct_options", "option_feedback"]]
    options = options.assign(option=options["options"].map(lambda o: list(range(len(o))))).explode("option")
    options = options.dropna(subset=["option"]).astype({"option": "int64"})
    options["text"] = [o[i] for o, i in zip(options["options"], options["option"], strict=True)]
    options["right_option"] = [i in c for c, i in zip(options["correct_options"], options["option"], strict=True)]
    options["feedback"] = [f[i] or "" for f, i in zip(options["option_feedback"], options["option"], strict=True)]

    chosen = first_attempts(answers).merge(choice_items[["question_id", "type"]], on="question_id")
    answered = chosen.groupby("question_id").size().rename("answered")
    picks = _picks(chosen)
    counts = picks.groupby(["question_id", "option"]).size().rename("chosen")
    out = options.merge(counts, left_on=["question_id", "option"], right_index=True, how="left")
    out = out.merge(answered, left_on="question_id", right_index=True, how="left")
    out["chosen"] = out["chosen"].fillna(0).astype("int64")
    out["share"] = (out["chosen"] / out["answered"]).where(out["answered"] > 0)
    columns = ["position", "question_id", "option", "text", "right_option", "chosen", "share", "feedback"]
    return out[columns].reset_index(drop=True)


def _picks(chosen: pd.DataFrame) -> pd.DataFrame:
    """One row per student, question and picked option, read as `picked_indexes` reads a response (only real
    ints count, each once); True and False are options 0 and 1 of a true-false question. Vectorised: a class
    of thousands answers hundreds of thousands of times."""
    tf = chosen["type"].to_numpy() == "true-false"
    truth = chosen.loc[tf, ["participant_id", "question_id", "response"]]
    truth = truth.assign(option=truth["response"].map({True: 0, False: 1}))
    other = chosen.loc[~tf, ["participant_id", "question_id", "response"]].explode("response")
    other = other[other["response"].map(lambda v: type(v) is int).to_numpy(dtype=bool)]  # not a bool, not junk
    other = other.assign(option=other["response"])
    picks = pd.concat([other, truth], ignore_index=True).dropna(subset=["option"])
    picks = picks.astype({"option": "int64"}).drop_duplicates(["participant_id", "question_id", "option"])
    columns: pd.DataFrame = picks[["participant_id", "question_id", "option"]]  # a list of columns: a frame
    return columns


def mark_words(answers: pd.DataFrame, lesson: LoadedLesson) -> pd.DataFrame:
    """One row per mark question, category and word that someone marked or that is a word to find (first
    attempts): the numbers under the dashboard's heat map."""
    first = first_attempts(answers)
    rows: list[dict[str, Any]] = []
    for position, question in enumerate(lesson.lesson.questions, start=1):
        match question:
            case MarkQuestion():
                responses = list(first.loc[first["question_id"] == question.id, "response"])
                rows += _marked_words(lesson, position, question, responses)
            case SingleQuestion() | MultiQuestion() | TrueFalseQuestion() | SpansQuestion() | MatchQuestion() \
                    | ShortQuestion():
                pass  # no words to mark
            case _:
                assert_never(question)
    return pd.DataFrame(rows, columns=MARK_WORD_COLUMNS)


def _marked_words(lesson: LoadedLesson, position: int, question: MarkQuestion,
                  responses: list[Any]) -> list[dict[str, Any]]:
    bound = lesson.bound(question.id)
    key = mark_key(bound)
    counts = mark_counts(bound, responses)
    rows = []
    for category in key.categories:
        for i, word in enumerate(key.words):
            marked = counts[category.label][i]
            if marked or i in category.required:
                rows.append({"position": position, "question_id": question.id,
                             "category": LABELS[category.label].title, "word_number": i + 1, "word": word.text,
                             "target": i in category.required, "marked": marked, "answered": len(responses),
                             "marked_share": marked / len(responses) if responses else np.nan})
    return rows
