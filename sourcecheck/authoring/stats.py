"""Library statistics as pandas tables: what a teacher or reviewer reads to see coverage at a glance."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sourcecheck.authoring.quality import correct_is_longest, correct_positions, missing_feedback, question_sourcing
from sourcecheck.lessons.curriculum import curriculum_order
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import QUESTION_TYPES
from sourcecheck.lessons.skills import SKILLS

__all__ = ["LibraryStats", "library_stats", "question_table", "text_table"]


def question_table(lessons: list[LoadedLesson]) -> pd.DataFrame:
    """One row per question: the raw material for every count below."""
    rows = []
    for lesson in lessons:
        for q in lesson.lesson.questions:
            rows.append({
                "lesson": lesson.id,
                "question": q.id,
                "type": q.type,
                "skill": q.skill,
                "document": lesson.excerpts[q.excerpt_ids[0]].document.info.id,
                "documents": len({lesson.excerpts[x].document.info.id for x in q.excerpt_ids}),
                "sourcing": question_sourcing(lesson, q),
                "missing_feedback": len(missing_feedback(q)),
                "longest_is_correct": correct_is_longest(q),
            })
    return pd.DataFrame(rows, columns=["lesson", "question", "type", "skill", "document", "documents", "sourcing",
                                       "missing_feedback", "longest_is_correct"])


def text_table(lessons: list[LoadedLesson]) -> pd.DataFrame:
    """One row per text the library quotes: its kind, whether it was invented for practice, and how much the
    lessons use it (a question counts once for each text it quotes)."""
    infos = {e.document.info.id: e.document.info for x in lessons for e in x.excerpts.values()}
    quoting = {(lesson.id, q.id, lesson.excerpts[ref].document.info.id)
               for lesson in lessons for q in lesson.lesson.questions for ref in q.excerpt_ids}
    rows = [{"document": doc_id, "kind": info.kind or "", "invented": "yes" if info.invented else "no",
             "lessons": len({lesson for lesson, _, d in quoting if d == doc_id}),
             "questions": sum(d == doc_id for _, _, d in quoting)}
            for doc_id, info in sorted(infos.items())]
    return pd.DataFrame(rows, columns=["document", "kind", "invented", "lessons", "questions"])


@dataclass(frozen=True)
class LibraryStats:
    lessons: pd.DataFrame
    texts: pd.DataFrame
    by_type: pd.Series
    by_skill: pd.Series
    by_document: pd.Series
    by_sourcing: pd.Series
    labels: pd.Series
    no_feedback: pd.DataFrame
    longest_correct: pd.DataFrame
    positions: pd.Series

    @property
    def question_count(self) -> int:
        return int(self.by_type.sum())


def library_stats(lessons: list[LoadedLesson]) -> LibraryStats:
    table = question_table(lessons)
    ordered = curriculum_order(lessons)
    lesson_rows = pd.DataFrame([{
        "lesson": x.id, "level": x.lesson.level, "minutes": x.lesson.minutes, "questions": len(x.lesson.questions),
        "document": x.lesson.document, "skills": ", ".join(x.lesson.skills)} for x in ordered])
    labels = pd.Series({name: sum(a.annotation.label == name for x in lessons for e in x.excerpts.values()
                                  for a in e.annotations) for name in LABELS}, name="annotations")
    all_questions = [q for x in lessons for q in x.lesson.questions]
    return LibraryStats(
        lessons=lesson_rows,
        texts=text_table(lessons),
        by_type=table["type"].value_counts().reindex(list(QUESTION_TYPES), fill_value=0),
        by_skill=table["skill"].value_counts().reindex(list(SKILLS), fill_value=0),
        by_document=table["document"].value_counts().sort_index(),
        by_sourcing=table["sourcing"].value_counts(),
        labels=labels,
        no_feedback=table.loc[table["missing_feedback"] > 0, ["lesson", "question", "missing_feedback"]],
        longest_correct=table.loc[table["longest_is_correct"], ["lesson", "question", "type"]],
        positions=pd.Series(correct_positions(all_questions)).sort_index(),
    )
