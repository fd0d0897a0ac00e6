"""What a marking question asks a student to find: its excerpt's annotations with the question's labels,
as ranges of words (lessons/words.py), so the checks, scoring, the feedback and the exports agree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sourcecheck.lessons.loaded import PlacedExcerpt
from sourcecheck.lessons.words import Word, word_range, words

__all__ = ["Target", "excerpt_words", "mark_targets"]


@dataclass(frozen=True)
class Target:
    label: str
    first: int  # indexes into the excerpt's words, both included
    last: int
    text: str  # the annotated phrase, as the document has it
    note: str


def excerpt_words(placed: PlacedExcerpt) -> tuple[Word, ...]:
    return words(placed.text)


def mark_targets(placed: PlacedExcerpt, labels: Sequence[str]) -> tuple[Target, ...]:
    """In reading order; an annotation with no word in it (punctuation only) cannot be marked and is left out
    (the checks report it)."""
    found = excerpt_words(placed)
    out = []
    for a in placed.annotations:
        if a.annotation.label not in labels:
            continue
        span = word_range(found, a.start, a.end)
        if span is not None:
            out.append(Target(a.annotation.label, span[0], span[1], placed.text[a.start:a.end], a.annotation.note))
    return tuple(sorted(out, key=lambda t: (t.first, t.last, labels.index(t.label))))
