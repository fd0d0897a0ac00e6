"""The words of an excerpt, with their character offsets: what a student marks, and what marks are scored on.

One tokeniser for everything that counts words (the marking component's data, scoring, the checks, the heat
map and the worksheet), so a word the student tapped is the same word the score counts. A word is a run of
letters and digits, joined through an apostrophe, a hyphen or a point inside it ("district's", "co-founder",
"8:45", "U.S"); quotes, dashes and other punctuation sit between words and are never marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Word", "gaps", "word_range", "words"]

# Inside a word: straight and curly apostrophes, hyphens, and . : , / between two alphanumerics (8:45, 2,000).
_WORD = re.compile(r"[^\W_]+(?:['’‐‑\-.:,/][^\W_]+)*")


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # offsets into the excerpt's text
    end: int


@lru_cache(maxsize=256)
def words(text: str) -> tuple[Word, ...]:
    """Every word of `text` in reading order."""
    return tuple(Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text))


def gaps(text: str, found: Sequence[Word]) -> list[str]:
    """What stands between the words: gaps[i] comes before word i, and the last one after the last word.
    Joining gaps and words in turn gives back `text` exactly."""
    out, at = [], 0
    for word in found:
        out.append(text[at:word.start])
        at = word.end
    out.append(text[at:])
    return out


def word_range(found: Sequence[Word], start: int, end: int) -> tuple[int, int] | None:
    """The first and last index of the words that characters [start, end) touch; None when they touch none
    (a phrase of punctuation only). A phrase that cuts a word in two takes the whole word."""
    inside = [i for i, w in enumerate(found) if w.start < end and w.end > start]
    return (inside[0], inside[-1]) if inside else None
