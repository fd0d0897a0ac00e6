"""How marks in the passage are scored: token-level precision and recall per category, F1 averaged over the
categories asked, with the tolerance a teacher would accept.

The rule (docs/lesson-format.md has it with worked examples):
- Words are lessons/words.py's words; punctuation is never a word, so it never counts.
- For each category, the words to find are the words of the excerpt's annotations with that label.
- A function word ("the", "of", "and", ...) at either end of a target, and a function word just before or
  just after a target, are neutral: marking them or not changes nothing. A target that is only function
  words keeps them all.
- precision = marked words that are targets / marked words (neutral ones left out of both);
  recall = marked words that are targets / target words; F1 = 2PR / (P + R), and 0 when nothing hits.
- The question's fraction is the mean of the categories' F1; points are that fraction of the question's.

Plain functions over word indexes: no UI, no storage, and the same result for a response read back later.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sourcecheck.grading.responses import MarkRange, Response, mark_ranges
from sourcecheck.lessons.loaded import BoundQuestion
from sourcecheck.lessons.models import MarkQuestion
from sourcecheck.lessons.targets import Target, excerpt_words, mark_targets
from sourcecheck.lessons.words import Word

__all__ = [
    "FUNCTION_WORDS", "CategoryKey", "CategoryScore", "MarkKey", "WordState", "category_keys", "mark_key",
    "marked_words", "score_marks", "word_states",
]

FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "from", "with",
    "as", "into", "onto", "than", "that",
})

WordState = Literal["hit", "extra", "missed", "neutral", ""]


@dataclass(frozen=True)
class CategoryKey:
    label: str
    required: frozenset[int]  # word indexes a perfect answer marks
    neutral: frozenset[int]  # word indexes that count neither way


@dataclass(frozen=True)
class CategoryScore:
    label: str
    hits: int  # target words marked
    marked: int  # words marked, neutral ones left out
    required: int  # target words

    @property
    def precision(self) -> float:
        return self.hits / self.marked if self.marked else 0.0

    @property
    def recall(self) -> float:
        return self.hits / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        if not self.hits:
            return 0.0
        return 2 * self.precision * self.recall / (self.precision + self.recall)


def _is_function(word: Word) -> bool:
    return word.text.lower().replace("’", "'") in FUNCTION_WORDS


def _core(found: Sequence[Word], target: Target) -> tuple[range, set[int]]:
    """The target's words less a function word at each end (unless nothing else is left), and those ends."""
    first, last = target.first, target.last
    edges: set[int] = set()
    if all(_is_function(w) for w in found[first:last + 1]):
        return range(first, last + 1), edges
    if _is_function(found[first]):
        edges.add(first)
        first += 1
    if _is_function(found[last]):
        edges.add(last)
        last -= 1
    return range(first, last + 1), edges


def category_keys(found: Sequence[Word], targets: Iterable[Target], labels: Sequence[str]) -> list[CategoryKey]:
    """Per label asked, in the question's order: what to find and what is neutral."""
    required: dict[str, set[int]] = {label: set() for label in labels}
    loose: dict[str, set[int]] = {label: set() for label in labels}
    for target in targets:
        if target.label not in required:
            continue
        core, edges = _core(found, target)
        required[target.label].update(core)
        loose[target.label].update(edges)
        for outside in (target.first - 1, target.last + 1):
            if 0 <= outside < len(found) and _is_function(found[outside]):
                loose[target.label].add(outside)
    return [CategoryKey(label, frozenset(required[label]), frozenset(loose[label] - required[label]))
            for label in labels]


@dataclass(frozen=True)
class MarkKey:
    """A bound mark question's key: its passage's words, the targets and what each category asks."""

    words: tuple[Word, ...]
    targets: tuple[Target, ...]
    categories: list[CategoryKey]

    def marks(self, response: Response) -> list[MarkRange]:
        """The response's valid marks (grading.responses.mark_ranges) for this passage and these labels."""
        return mark_ranges(response, [c.label for c in self.categories], len(self.words))

    def score(self, response: Response) -> list[CategoryScore]:
        return score_marks(self.categories, self.marks(response))


def mark_key(bound: BoundQuestion) -> MarkKey:
    question = bound.question
    if not isinstance(question, MarkQuestion) or not bound.excerpts:
        raise ValueError(f"question {bound.id!r} is not a mark question bound to its passage")
    placed = bound.excerpts[0]
    found = excerpt_words(placed)
    targets = mark_targets(placed, question.labels)
    return MarkKey(found, targets, category_keys(found, targets, question.labels))


def marked_words(marks: Iterable[MarkRange], label: str) -> set[int]:
    """Every word inside some mark of `label`: overlapping marks count each word once."""
    return {i for mark_label, first, last in marks if mark_label == label for i in range(first, last + 1)}


def score_marks(keys: Sequence[CategoryKey], marks: Sequence[MarkRange]) -> list[CategoryScore]:
    out = []
    for key in keys:
        marked = marked_words(marks, key.label) - key.neutral
        out.append(CategoryScore(key.label, len(marked & key.required), len(marked), len(key.required)))
    return out


def word_states(key: CategoryKey, marks: Sequence[MarkRange], size: int) -> list[WordState]:
    """Each word's state in one category, for drawing the marks after the answer: hit (marked, a target word),
    extra (marked, not one), missed (a target word left unmarked), neutral (marked, counts neither way)."""
    marked = marked_words(marks, key.label)
    states: list[WordState] = []
    for i in range(size):
        if i in marked:
            states.append("hit" if i in key.required else "neutral" if i in key.neutral else "extra")
        else:
            states.append("missed" if i in key.required else "")
    return states
