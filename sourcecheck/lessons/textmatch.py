"""Finding a teacher's quote in a document.

Quotes are compared after normalising only whitespace and typographic quotes and dashes,
as the lesson format promises; everything else (case, spelling, punctuation) must match.
Offsets are mapped back to the original text, so the app shows the document's own words.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Normalised", "closest_passage", "find_all", "normalise"]

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})


@dataclass(frozen=True)
class Normalised:
    text: str
    origin: tuple[int, ...]  # origin[i]: index in the original text of normalised char i
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) for a normalised [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=64)
def normalise(text: str) -> Normalised:
    chars: list[str] = []
    origin: list[int] = []
    in_space = False
    for i, ch in enumerate(text.translate(_TRANSLATE)):
        if ch.isspace():
            if not in_space and chars:
                chars.append(" ")
                origin.append(i)
            in_space = True
            continue
        in_space = False
        chars.append(ch)
        origin.append(i)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return Normalised("".join(chars), tuple(origin), text)


def find_all(haystack: str, needle: str) -> list[int]:
    """Every start of `needle` in `haystack` (both already normalised), overlaps included."""
    starts, at = [], haystack.find(needle)
    while at != -1 and needle:
        starts.append(at)
        at = haystack.find(needle, at + 1)
    return starts


def closest_passage(haystack: str, needle: str) -> str:
    """The passage of `haystack` most like `needle`, cut at word boundaries, for 'did you mean'."""
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    block = matcher.find_longest_match(0, len(haystack), 0, len(needle))
    start = max(block.a - block.b, 0)
    end = min(start + len(needle), len(haystack))
    while start > 0 and not haystack[start - 1].isspace():
        start -= 1
    while end < len(haystack) and not haystack[end].isspace():
        end += 1
    passage = haystack[start:end]
    if needle and needle[0].isalnum():
        passage = passage.lstrip("\"'(“‘")
    return passage


def first_difference(found: str, wanted: str) -> str | None:
    """Where a near-identical passage and a quote first part ways, as a short message."""
    matcher = difflib.SequenceMatcher(None, found, wanted, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal" and (i2 - i1 <= 40 and j2 - j1 <= 40):
            a, b = found[max(i1 - 12, 0):i2 + 12], wanted[max(j1 - 12, 0):j2 + 12]
            return f"the document has “…{a}…” where the quote has “…{b}…”"
    return None
