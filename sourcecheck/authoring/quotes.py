"""Finding passages for `quote:` and writing them back as YAML a teacher can paste.

A teacher remembers a few words, not the exact characters: the search ignores case,
runs of whitespace and the kind of quote marks and dashes (textmatch.normalise), then
widens the hit to whole sentences of the document, because a quote that starts and
ends on sentence boundaries reads well in the app and survives small edits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.textmatch import Normalised, closest_match, find_all, line_breaks, normalise

__all__ = [
    "Passage", "closest", "find_passages", "flow_scalar", "folded_scalar", "line_of", "sentences", "yaml_scalar",
]

# A sentence ends at . ! ? or … (plus closing quotes or brackets) before whitespace and a
# character that is not a lowercase letter ("U.S. intelligence" is not a boundary), or at a newline.
_ELLIPSIS = re.compile(r"\S\s*(?:\.\.\.|…)\s*\S")  # an ellipsis between words, not one ending a quote
_MAX_RANGE = 3000  # "first ... last": how far apart the two ends may be, in characters
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[^\sa-z])|\n")


@dataclass(frozen=True)
class Passage:
    start: int  # offsets into the document's original text
    end: int
    line: int  # 1-based line of `start` in the document

    def text(self, document: Document) -> str:
        """The passage with its whitespace runs collapsed: quotes are whitespace-tolerant, YAML lines are not."""
        return " ".join(document.text[self.start:self.end].split())


def find_passages(document: Document, words: str) -> list[Passage]:
    """Every sentence run of the document that contains `words`, in document order, without repeats.

    "first words ... last words" (or …) asks for the run from the first words to the nearest
    following last words, so a quote of several sentences needs no copying by hand.
    """
    doc = _folded(document.normalised)
    first, last = _split_range(words)
    wanted, until = _fold(normalise(first).text), _fold(normalise(last).text)
    bounds = sentences(document.text)
    found: list[Passage] = []
    for at in find_all(doc, wanted) if wanted else []:
        stop = at + len(wanted)
        if until:
            after = doc.find(until, stop)
            if after == -1 or after - stop > _MAX_RANGE:
                continue
            stop = after + len(until)
        start, end = document.normalised.span(at, stop)
        start, end = _widen(bounds, start, end, len(document.text))
        passage = Passage(start, end, line_of(document.text, start))
        if passage not in found:
            found.append(passage)
    return found


def closest(document: Document, words: str) -> Passage:
    """The passage most like `words`, for 'did you mean' when nothing matches: as many words, and never a word
    of a paragraph its matching words are not in."""
    doc = _folded(document.normalised)
    near = closest_match(doc, _fold(normalise(words).text), line_breaks(document.normalised))
    start, end = document.normalised.span(near.start, max(near.end, near.start + 1))
    return Passage(start, end, line_of(document.text, start))


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, without surrounding whitespace."""
    out: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        out.append((start, match.end()))
        start = match.end()
    out.append((start, len(text)))
    return [_strip(text, a, b) for a, b in out if text[a:b].strip()]


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def yaml_scalar(text: str) -> str:
    """`text` as a one-line YAML scalar (plain, quoted or escaped as PyYAML judges safe)."""
    dumped = yaml.safe_dump(text, allow_unicode=True, width=float("inf"), default_flow_style=True)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def flow_scalar(text: str) -> str:
    """`text` as an item of a `[...]` list or `{...}` mapping: there a plain comma would end the item, so
    `[rushed, report finds]` is two phrases; this quotes whatever a flow collection would split."""
    dumped = yaml.safe_dump([text], allow_unicode=True, width=float("inf"), default_flow_style=True)
    return dumped.strip().removeprefix("[").removesuffix("]")


def folded_scalar(text: str, indent: int, *, width: int = 88) -> str:
    """`text` as a `>-` block wrapped at `width`, or a one-line scalar when folding could change it.

    Folding joins lines with single spaces, so it is exact only for text whose whitespace
    is already single spaces and whose characters YAML can print.
    """
    if text != " ".join(text.split()) or not text or not _printable(text):
        return yaml_scalar(text)
    pad = " " * indent
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-\n" + "\n".join(pad + part for part in lines)


def _split_range(words: str) -> tuple[str, str]:
    """("first words", "last words") for "first words ... last words"; (words, "") without an inner ellipsis."""
    match = _ELLIPSIS.search(words)
    if match is None:
        return words, ""
    cut = re.search(r"\s*(?:\.\.\.|…)\s*", words[match.start() + 1:])
    assert cut is not None
    at = match.start() + 1
    return words[:at + cut.start()], words[at + cut.end():]


def _printable(text: str) -> bool:
    return all(ch in "\t\n" or ch.isprintable() for ch in text) and "\ufeff" not in text


def _widen(bounds: list[tuple[int, int]], start: int, end: int, length: int) -> tuple[int, int]:
    lo = max((a for a, _ in bounds if a <= start), default=0)
    hi = min((b for _, b in bounds if b >= end), default=length)
    return lo, hi


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _fold(text: str) -> str:
    """Lowercase one character at a time, keeping length, so offsets still map back."""
    return "".join(lower if len(lower := ch.lower()) == 1 else ch for ch in text)


def _folded(normalised: Normalised) -> str:
    return _fold(normalised.text)
