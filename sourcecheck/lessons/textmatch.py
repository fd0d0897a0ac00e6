"""Finding a teacher's quote in a document.

Quotes are compared after normalising only whitespace and typographic quotes and dashes,
as the lesson format promises; everything else (case, spelling, punctuation) must match.
Offsets are mapped back to the original text, so the app shows the document's own words.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NearMiss", "Normalised", "WordDifference", "closest_match", "closest_passage", "find_all", "line_breaks",
           "normalise"]

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})


_MAX_TIED = 50  # placings compared by their characters when as many words line up
_SHOWN_WORDS = 6  # of a longer difference, the first words are enough to find it
_PUNCTUATION = "\"'.,;:!?()[]-…"


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


def closest_passage(haystack: str, needle: str, breaks: Sequence[int] = ()) -> str:
    """The passage of `haystack` most like `needle`, in whole words, for 'did you mean'."""
    near = closest_match(haystack, needle, breaks)
    return haystack[near.start:near.end]


@dataclass(frozen=True)
class WordDifference:
    """Where a quote first parts from its closest passage, in words."""

    word: int  # index of the quote's word where the difference is, to point the caret at
    here: str  # the quote's words there ("" when the document has words the quote lacks)
    there: str  # the document's words there ("" when the quote has words the document lacks)
    beside: str = ""  # when the quote lacks words: "before 'x'" or "after 'x'", a word of the quote

    def describe(self) -> str:
        """"'said' here, 'says' in the document", in the teacher's words."""
        here, there = _shown(self.here, self.there)
        if here and there:
            return f"'{here}' here, '{there}' in the document"
        if here:
            return f"'{here}' here is not in the document"
        return f"the document has '{there}' {self.beside}"


@dataclass(frozen=True)
class NearMiss:
    """The closest passage as offsets into the haystack, and its first difference from the needle (None when
    they share too few words for one word to be the difference)."""

    start: int
    end: int
    difference: WordDifference | None


def line_breaks(normalised: Normalised) -> tuple[int, ...]:
    """Offsets of the normalised text's spaces that stand for a line break: where paragraphs part."""
    text, origin, original = normalised.text, normalised.origin, normalised.original
    return tuple(i for i, ch in enumerate(text) if ch == " " and i + 1 < len(origin)
                 and "\n" in original[origin[i]:origin[i + 1]])


def closest_match(haystack: str, needle: str, breaks: Sequence[int] = ()) -> NearMiss:
    """The run of `haystack`'s words that best lines up with `needle`'s words, kept within the paragraphs
    (parted at `breaks`) that its matching words lie in: a passage that reads into the next paragraph
    would validate with a stray word when pasted back.

    Both texts are normalised (single spaces). The quote's first word may end a word of the document and its
    last word may start one (`Most` of `“Most`), as `find_all` allows.
    """
    hay, wanted = _words(haystack), needle.split()
    if not hay or not wanted:
        return NearMiss(0, 0, None)
    keys, wanted_keys = [_key(w) for _, _, w in hay], [_key(w) for w in wanted]  # "said," lines up with "said"
    a, b = _anchor(haystack, hay, keys, needle, wanted_keys)
    lo, hi = max(a - b - len(wanted) // 2 - 2, 0), min(a - b + len(wanted) * 3 // 2 + 2, len(hay))
    first, last = _aligned(keys, lo, hi, wanted_keys)
    first, last = _within_paragraphs(hay, keys, wanted_keys, first, last, breaks)
    found = [w for _, _, w in hay[first:last]]
    start, end = hay[first][0], hay[last - 1][1]
    if found[0] != wanted[0] and found[0].endswith(wanted[0]):
        start, found[0] = hay[first][1] - len(wanted[0]), wanted[0]
    if found[-1] != wanted[-1] and found[-1].startswith(wanted[-1]):
        end, found[-1] = hay[last - 1][0] + len(wanted[-1]), wanted[-1]
    return NearMiss(start, end, _first_difference(found, wanted))


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", text)]


def _key(word: str) -> str:
    return word.strip(_PUNCTUATION)


def _anchor(haystack: str, hay: list[tuple[int, int, str]], keys: list[str], needle: str,
            wanted: list[str]) -> tuple[int, int]:
    """(document word, quote word) that line up: of the placings that line up the most words, the one whose
    characters are most alike ("district spokesperson" for "district spokesman", not the first "district");
    by characters alone when no word is shared."""
    at: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        at.setdefault(key, []).append(i)
    votes = Counter(i - j for j, key in enumerate(wanted) for i in at.get(key, ()))
    if votes:
        most = max(votes.values())
        tied = sorted(s for s, n in votes.items() if n == most)[:_MAX_TIED]
        text = " ".join(wanted)

        def likeness(start: int) -> float:
            window = " ".join(keys[max(start, 0):start + len(wanted)])
            return difflib.SequenceMatcher(None, window, text, autojunk=False).ratio()

        best = max(tied, key=lambda s: (likeness(s), -s))
        return (best, 0) if best >= 0 else (0, -best)
    chars = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    found = chars.find_longest_match(0, len(haystack), 0, len(needle))
    word_a = bisect.bisect_right([s for s, _, _ in hay], found.a) - 1
    return max(word_a, 0), len(needle[:found.b].split()) - (0 if found.b == 0 or needle[found.b - 1] == " " else 1)


def _aligned(keys: list[str], lo: int, hi: int, wanted: list[str]) -> tuple[int, int]:
    """The document words [first, last) that line up with the quote's first and last words."""
    matcher = difflib.SequenceMatcher(None, keys[lo:hi], wanted, autojunk=False)
    codes = [c for c in matcher.get_opcodes() if c[3] < c[4]]  # leading and trailing document-only words drop
    _, i1, i2, j1, j2 = codes[0]
    first = max(i1, i2 - (j2 - j1))
    _, i1, i2, j1, j2 = codes[-1]
    last = min(i2, i1 + (j2 - j1))
    return lo + first, max(lo + last, lo + first + 1)


def _within_paragraphs(hay: list[tuple[int, int, str]], keys: list[str], wanted: list[str], first: int,
                       last: int, breaks: Sequence[int]) -> tuple[int, int]:
    """Cut [first, last) to the paragraphs from that of its first shared word to that of its last one."""
    if not breaks:
        return first, last
    shared = [i for tag, i1, i2, _, _ in difflib.SequenceMatcher(
        None, keys[first:last], wanted, autojunk=False).get_opcodes() if tag == "equal"
        for i in range(first + i1, first + i2)]
    if not shared:
        return first, last

    def paragraph(word: int) -> int:
        return bisect.bisect_right(breaks, hay[word][0])

    top, bottom = paragraph(shared[0]), paragraph(shared[-1])
    keep = [i for i in range(first, last) if top <= paragraph(i) <= bottom]
    return keep[0], keep[-1] + 1


def _first_difference(found: list[str], wanted: list[str]) -> WordDifference | None:
    matcher = difflib.SequenceMatcher(None, found, wanted, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    if shared * 2 < len(wanted) and len(wanted) > 2:
        return None  # too little in common for one word to be what differs
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "delete":
            beside = f"before '{wanted[j1]}'" if j1 < len(wanted) else f"after '{wanted[-1]}'"
            return WordDifference(min(j1, len(wanted) - 1), "", _few(found[i1:i2]), beside)
        if tag != "equal":
            return WordDifference(j1, _few(wanted[j1:j2]), _few(found[i1:i2]))
    return None


def _few(words: list[str]) -> str:
    return " ".join(words[:_SHOWN_WORDS]) + (" …" if len(words) > _SHOWN_WORDS else "")


def _shown(here: str, there: str) -> tuple[str, str]:
    """The two words without the punctuation around them, unless the punctuation is what differs."""
    bare_here, bare_there = here.strip(_PUNCTUATION), there.strip(_PUNCTUATION)
    if bare_here == bare_there or (here and not bare_here) or (there and not bare_there):
        return here, there
    return bare_here, bare_there
