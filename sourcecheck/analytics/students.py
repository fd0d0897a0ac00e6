"""Per student and per class: participation, scores, mastery per skill, calibration and discernment."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sourcecheck.analytics.frames import first_attempts
from sourcecheck.lessons.skills import SKILLS

__all__ = ["CONFIDENCE_BINS", "calibration", "calibration_bins", "discernment", "mastery_by_student",
           "participation", "per_student", "score_distribution", "skill_mastery"]

CONFIDENCE_BINS = [50, 60, 70, 80, 90, 101]  # "how sure are you?" is asked from 50 % to 100 %


def participation(answers: pd.DataFrame, items: pd.DataFrame, joined: int) -> pd.DataFrame:
    answered = first_attempts(answers).groupby("question_id").size().rename("answered")
    out = items[["position", "question_id", "prompt"]].merge(answered, left_on="question_id", right_index=True,
                                                             how="left")
    out["answered"] = out["answered"].fillna(0).astype("int64")
    out["joined"] = joined
    return out.reset_index(drop=True)


def per_student(answers: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    """Every student who joined, answers or not: answers given, points, score and time (first attempts)."""
    first = first_attempts(answers)
    grouped = first.groupby("participant_id")
    totals = pd.DataFrame({"answers": grouped.size(), "earned": grouped["earned"].sum(),
                           "possible": grouped["possible"].sum(),
                           "time_s": grouped["time_taken_s"].sum().astype("float64")})
    out = students[["participant_id", "display_name"]].merge(totals, left_on="participant_id", right_index=True,
                                                             how="left")
    out[["answers", "earned", "possible"]] = out[["answers", "earned", "possible"]].fillna(0)
    out = out.astype({"answers": "int64", "possible": "int64"})
    out["score"] = (out["earned"] / out["possible"]).where(out["possible"] > 0)
    return out.reset_index(drop=True)


def score_distribution(scores: pd.Series) -> pd.DataFrame:
    """How many students scored 0-9 %, 10-19 %, ... 90-100 %: the histogram's numbers."""
    edges = list(range(0, 100, 10))
    labels = [f"{lo}-{lo + 9} %" if lo < 90 else "90-100 %" for lo in edges]
    bins = pd.cut(scores.dropna() * 100, bins=[*edges, 100.001], right=False, labels=labels)
    return bins.value_counts(sort=False).rename_axis("score").reset_index(name="students")


def skill_mastery(answers: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean share of points per student and skill, and for the class (over every answer on that skill), the
    skills by the name `items` gives them, the class's in the order of the skill progression."""
    scored = first_attempts(answers).merge(items[["question_id", "skill"]], on="question_id")
    scored = scored[scored["possible"] > 0]
    per = (scored.groupby(["participant_id", "display_name", "skill"])["score"].mean()
           .rename("mastery").reset_index())
    whole = scored.groupby("skill").agg(mastery=("score", "mean"), answers=("score", "size")).reset_index()
    order = {name: rank for rank, name in enumerate(SKILLS.values())}  # the progression, as the catalog orders
    whole = whole.sort_values("skill", key=lambda names: names.map(lambda n: order.get(n, len(order))),
                              kind="stable").reset_index(drop=True)
    return per, whole


def mastery_by_student(per: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """`skill_mastery`'s per-student rows as one row per student who answered and skill of the lesson, the skills
    in the progression's order: a skill the student answered no question on has no mastery (NaN), which the
    table says in words. Long, not one column per skill: skill names are sentences, and a column for each would
    not fit a laptop's screen."""
    order = {name: rank for rank, name in enumerate(SKILLS.values())}
    skills = sorted(dict.fromkeys(items["skill"]), key=lambda n: order.get(n, len(order)))
    people = per[["participant_id", "display_name"]].drop_duplicates()
    grid = people.merge(pd.DataFrame({"skill": skills}), how="cross")
    out = grid.merge(per, on=["participant_id", "display_name", "skill"], how="left")
    out["rank"] = out["skill"].map(lambda n: skills.index(n))
    out = out.sort_values(["display_name", "participant_id", "rank"], kind="stable")
    return out[["participant_id", "display_name", "skill", "mastery"]].reset_index(drop=True)


def calibration(answers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Over answers that came with "how sure are you?": mean confidence (in percent, 50-100, as the student gave
    it) against accuracy (share fully right, 0-1); over- or underconfidence is their difference in percentage
    points (confidence - 100 x accuracy). The Brier score is mean((confidence/100 - correct)^2), where 0 is
    perfect and 0.25 is what always saying 50 % earns."""
    rated = _rated(answers)
    per = (rated.groupby(["participant_id", "display_name"])
           .agg(answers=("correct", "size"), confidence=("confidence", "mean"), accuracy=("correct", "mean"),
                brier=("sq", "mean")).reset_index())
    per["overconfidence"] = per["confidence"] - 100 * per["accuracy"]
    whole = pd.DataFrame({"answers": [len(rated)], "confidence": [rated["confidence"].mean()],
                          "accuracy": [rated["correct"].mean()], "brier": [rated["sq"].mean()]})
    whole["overconfidence"] = whole["confidence"] - 100 * whole["accuracy"]
    return _rounded(per), _rounded(whole)


def calibration_bins(answers: pd.DataFrame) -> pd.DataFrame:
    rated = _rated(answers)
    labels = [f"{lo}-{hi - 1} %" if hi <= 100 else f"{lo}-100 %" for lo, hi in zip(CONFIDENCE_BINS, CONFIDENCE_BINS[1:],
                                                                                       strict=False)]
    rated = rated.assign(bin=pd.cut(rated["confidence"].astype("float64"), bins=CONFIDENCE_BINS, right=False,
                                    labels=labels))
    out = rated.groupby("bin", observed=False).agg(answers=("correct", "size"), confidence=("confidence", "mean"),
                                                   accuracy=("correct", "mean"))
    return _rounded(out.reset_index().rename(columns={"bin": "sure"}))


def discernment(answers: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accuracy on questions about strongly sourced passages against weakly sourced ones. A student right on
    weak and wrong on strong may simply distrust everything; discernment is being right on both."""
    tagged = first_attempts(answers).merge(items[["question_id", "sourcing"]], on="question_id")
    tagged = tagged[tagged["sourcing"].isin(["strong", "weak"]) & tagged["correct"].notna()]
    per = tagged.pivot_table(index=["participant_id", "display_name"], columns="sourcing", values="correct",
                             aggfunc="mean").reindex(columns=["strong", "weak"]).reset_index()
    per.columns.name = None
    per["gap"] = per["strong"] - per["weak"]
    whole = tagged.groupby("sourcing")["correct"].agg(["mean", "size"]).reindex(["strong", "weak"])
    whole = whole.rename(columns={"mean": "accuracy", "size": "answers"}).rename_axis("sourcing").reset_index()
    return per, whole


def _rated(answers: pd.DataFrame) -> pd.DataFrame:
    rated = first_attempts(answers)
    rated = rated[rated["confidence"].notna() & rated["correct"].notna()].copy()
    rated["confidence"] = rated["confidence"].astype("float64")
    rated["p"] = rated["confidence"] / 100
    rated["correct"] = rated["correct"].astype("float64")
    rated["sq"] = np.square(rated["p"] - rated["correct"])
    return rated


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    """Confidence and its gap to accuracy are percent (50-100 and percentage points): one decimal is plenty."""
    return frame.round({"confidence": 1, "overconfidence": 1})
