"""Hints for a teacher scoring written answers: the words of a rubric's level examples, marked in an answer.

A level's example answer is the scorer's anchor ("a 2 names the ministry and says why it would know"). When a
student's answer uses a word that only some levels' examples use, the scoring page marks it, so the eye finds
where the answer touches the rubric. A hint is never a score: a word from the level 2 example says nothing about
whether the answer earns a 2 ("the ministry is not named" uses "ministry" too), which is why the mark names the
level the word comes from and nothing else, and nothing here computes points.

Student text is hostile (markup, formulas, 1 MB of it, zero-width characters): everything is escaped here, and
only the `<mark>` tags this module writes are markup. Matching is whole-word and case-insensitive; a word is a run
of letters and digits, so "ministry" is found in "Ministry's" but not in "ministryless".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape

from sourcecheck.lessons.models import RubricCriterion

__all__ = ["HINTS_CSS", "STOP_WORDS", "hint_words", "highlight_hints"]

HINTS_CSS = """
.sc-hint{background:#fff1a8;color:#111;border-bottom:2px dotted #111;padding:0 .05em;border-radius:2px}
"""

# English function words: never a hint, they are in every answer whatever its level.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are aren't as at be because been before being below
between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
for from further get gets got had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers
herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's me more
most mustn't my myself no nor not of off on once only or other ought our ours ourselves out over own same shan't
she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves then
there there's these they they'd they'll they're they've this those through to too under until up very was
wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom
why why's will with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
""".split())

# A word: letters and digits, joined through an apostrophe inside it (as lessons/words.py counts words).
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def hint_words(rubric: Sequence[RubricCriterion]) -> dict[int, frozenset[str]]:
    """Level points -> the distinctive words of the example answers at that level, over all criteria: lowercased
    (casefolded), no function words, no bare numbers, and no word that the examples of every level use. Every
    level's points are a key, with an empty set when its examples have no distinctive word."""
    found: dict[int, set[str]] = {}
    for criterion in rubric:
        for level in criterion.levels:
            found.setdefault(level.points, set()).update(_content_words(level.example))
    common = set.intersection(*found.values()) if len(found) > 1 else set()
    return {points: frozenset(words - common) for points, words in sorted(found.items())}


def highlight_hints(text: str, words: Mapping[int, frozenset[str]]) -> str:
    """`text` as escaped HTML with each hint word (whole word, any case) in
    `<mark class="sc-hint" title="Word from the level N example">`; a word of several levels' examples names them
    all ("the level 1 and 2 examples"). Everything else is escaped text, whatever the student typed."""
    levels: dict[str, list[int]] = {}
    for points, hinted in sorted(words.items()):
        for word in hinted:
            levels.setdefault(word.casefold(), []).append(points)
    if not levels or not text:
        return escape(text)
    alternatives = "|".join(re.escape(w) for w in sorted(levels, key=lambda w: (-len(w), w)))
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
    out: list[str] = []
    at = 0
    for match in pattern.finditer(text):
        level = levels.get(match.group().casefold())
        if level is None:  # matched only by IGNORECASE's simple folding: not the same word after casefolding
            continue
        out += [escape(text[at:match.start()]), f'<mark class="sc-hint" title="{_title(level)}">',
                escape(match.group()), "</mark>"]
        at = match.end()
    out.append(escape(text[at:]))
    return "".join(out)


def _content_words(example: str) -> set[str]:
    return {w for w in (m.group().casefold() for m in _WORD.finditer(example))
            if w.replace("’", "'") not in STOP_WORDS and not w.isdigit() and len(w) > 1}


def _title(levels: list[int]) -> str:
    if len(levels) == 1:
        return f"Word from the level {levels[0]} example"
    named = ", ".join(str(p) for p in levels[:-1]) + f" and {levels[-1]}"
    return f"Word from the level {named} examples"
