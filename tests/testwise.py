"""Test-wise strategies: ways to score without reading the passage, played over a lesson library.

A test-wise student looks at the form of the options, not at the text: pick the one without "always",
the most hedged one, the longest, the one that repeats the passage's words, "both", the middle one.
Each strategy here sees only what a student sees before answering (the prompt, the passage, the
options or phrases in the order the app shows them) and answers; the app's own scoring
(`score_question`) marks the answer. Chance is the expected score of a random guess at the same
question, computed exactly with the same scoring.

A mark question has no options: a strategy marks words of the passage, from its form (every word,
nothing, the quoted parts, capitals, numbers, the first or last sentence, the prompt's words) or from
the vocabulary of sourcing without reading (hedge-looking words such as "may" and "reportedly",
"said" and "according", "obvious" and "confirmed", negations), in every category asked or in the one
whose name the word suggests, alone or with two words either side. Its chance is what a random
marking of the same number of words, in each category, scores: a strategy counts as a pattern only
where its choice of words finds the targets better than blind marks would. (Against one fixed
baseline, "mark every word" would look like a pattern wherever the targets fill much of the passage,
though it uses nothing about where they are.) That expectation is exact, from the scoring rule in
grading/marking.py. The vocabulary strategies are held to the same rule: a mark question that a word
list answers is a word hunt, not reading, so its key needs phrases with no cue word in them, cue words
that are not targets, and targets that are not always in the same place.

A strategy that finds no difference between the options of a question (all tie) is a random guess
there, so that question is left out of its rate: the rate says how well the pattern works where a
student can use it. A strategy and its reverse ("longest" and "shortest", "with absolute words" and
"without") are both played, so a rewrite that flips a pattern is caught as well as the pattern.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from sourcecheck.grading.marking import CategoryKey, mark_key, marked_words
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.check_forms import JUDGEMENT_NO, JUDGEMENT_PROMPT, JUDGEMENT_YES
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)

__all__ = ["JUDGEMENT_CUES", "JUDGEMENT_MARGIN", "MARGIN", "MIN_QUESTIONS", "CueScore", "Play", "Result",
           "STRATEGIES", "judgement_cues", "plays", "run_strategies"]

MARGIN = 0.10  # a strategy may beat chance by at most 10 percentage points
MIN_QUESTIONS = 5  # fewer are not a pattern a student could learn: one question there moves a rate 20+ points

# ---------------------------------------------------------------------------------------------- words

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset("""
a an the and or of to in on at by for from with as is are was were be been being it its it's this that these
those there their they them he his him she her we our you your i me my not no do does did has have had so than
then which who whom what when where why how into about over after before own one any each out up only just also
more most such other same own yet here s t
""".split())
ABSOLUTE = frozenset("""
always never every everything everyone all none nothing nobody no-one only prove proves proved proven proof
certainly certain definitely completely entirely totally must cannot can't impossible exactly sure settles settle
""".split())
HEDGE = frozenset("""
may might could can perhaps possibly possible probably likely seem seems seemed appear appears suggest suggests
some often sometimes usually mostly partly rather but yet although though unless still not limit limits
""".split())
VERDICT = frozenset("true false wrong right proof prove proves proved proven disproved lie lies lying fake correct"
                    .split())
PRAISE = frozenset("honest honestly honesty careful carefully clear clearly checkable fair fairly admits admit".split())
COMBINED = re.compile(r"\b(both|all of|each of|either|neither|none of|every one of)\b")
QUOTE = re.compile(r"[\"“”‘]")  # quotation marks, not the apostrophe of "Reuters' words"


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))


def stems(text: str) -> set[str]:
    """Content words cut to six letters, so 'hedges' meets 'hedged' and 'verified' meets 'verify'."""
    return {w[:6] for w in words(text) if w not in STOPWORDS and len(w) > 2}


def count(text: str, vocabulary: frozenset[str]) -> int:
    return sum(w in vocabulary for w in words(text))


# ---------------------------------------------------------------------------------------------- plays


@dataclass(frozen=True)
class Play:
    """One auto-scored question as a student sees it before answering.

    kind 'one': pick one of `choices` (single, true-false); 'some': tick any of them (multi, spans);
    'sort': give each of `items` one of `choices` (match); 'mark': mark words of the passage (the
    `choices` are its words) in the categories `items`.
    """

    lesson: str
    bound: BoundQuestion
    kind: str
    choices: tuple[str, ...]
    items: tuple[str, ...] = ()
    ordered: bool = False  # the options are shown in the YAML order (shuffle is off)
    typical_length: float = 0.0  # true-false: the median prompt length over the library ("long ones are true")
    typical_passage: float = 0.0  # judgement: the median passage length (words) of the lesson's judgement items

    @property
    def judgement(self) -> bool:
        """A check's judgement item ("Could you rely on this as it is sourced?", yes or no): docs/checks.md."""
        return (self.type == "single" and self.prompt == JUDGEMENT_PROMPT
                and self.choices == (JUDGEMENT_YES, JUDGEMENT_NO))

    @property
    def type(self) -> str:
        return self.bound.question.type

    @property
    def prompt(self) -> str:
        return self.bound.question.prompt

    @property
    def passage(self) -> str:
        return "\n".join(p.text for p in self.bound.excerpts)

    def score(self, response: object) -> float:
        return score_question(self.bound, response).fraction  # type: ignore[arg-type]

    def expected_one(self, picks: Iterable[int]) -> float:
        """A student who picks uniformly among `picks`."""
        picks = list(picks)
        if self.type == "true-false":
            return sum(self.score(i == 0) for i in picks) / len(picks)  # choices are ("True", "False")
        return sum(self.score(i) for i in picks) / len(picks)

    def expected_sort(self, picks: Sequence[Sequence[int]]) -> float:
        """Each row guessed uniformly among its `picks`: by linearity, the mean of the rows' chances."""
        assert isinstance(self.bound.question, MatchQuestion)
        total = 0.0
        for row, options in enumerate(picks):
            # score one row at a time through the app's scoring: a full response where only this row varies
            hits = 0.0
            for c in options:
                response = [self.choices[c] if j == row else None for j in range(len(self.items))]
                hits += self.score(response) * len(self.items)
            total += hits / len(options)
        return total / len(self.items)

    def chance_of_marking(self, marks: Sequence[Sequence[object]]) -> float:
        """Mark: the expected score of marking, in each category, as many words as `marks` do, at random."""
        key = mark_key(self.bound)
        size = len(key.words)
        fractions = [_random_f1(c, len(marked_words(marks, c.label)), size)  # type: ignore[arg-type]
                     for c in key.categories]
        return sum(fractions) / len(fractions)

    def chance(self) -> float:
        if self.kind == "mark":  # a random marking the size of the key: the baseline has to have a size
            key = mark_key(self.bound)
            return self.chance_of_marking([[c.label, i, i] for c in key.categories for i in c.required])
        if self.kind == "one":
            return self.expected_one(range(len(self.choices)))
        if self.kind == "sort":
            return self.expected_sort([range(len(self.choices))] * len(self.items))
        n = len(self.choices)  # 'some': a random non-empty set of ticks, every set equally likely
        subsets = [s for r in range(1, n + 1) for s in itertools.combinations(range(n), r)]
        return sum(self.score(list(s)) for s in subsets) / len(subsets)


def _random_f1(key: CategoryKey, k: int, size: int) -> float:
    """The expected F1 of k words drawn at random from `size`: h of them targets, n neutral, the rest not.

    The scoring counts the neutral words neither way, so F1 = 2h / ((k - n) + targets), and 0 when h = 0.
    """
    required, neutral = len(key.required), len(key.neutral)
    other = size - required - neutral
    total = math.comb(size, k)
    expected = 0.0
    for h in range(1, min(k, required) + 1):
        for n in range(0, min(k - h, neutral) + 1):
            ways = math.comb(required, h) * math.comb(neutral, n) * math.comb(other, k - h - n)
            if ways:
                expected += ways / total * 2 * h / (k - n + required)
    return expected


def plays(lessons: Iterable[LoadedLesson]) -> list[Play]:
    """Every auto-scored question of every lesson; a question type this module does not know fails loudly."""
    lessons = list(lessons)
    tf_median = median([len(q.prompt) for x in lessons for q in x.lesson.questions
                        if isinstance(q, TrueFalseQuestion)] or [0])
    out = []
    for lesson in lessons:
        typical_passage = median([passage_words(lesson.bound(q.id)) for q in lesson.lesson.questions
                                  if _is_judgement(q)] or [0])
        for question in lesson.lesson.questions:
            bound = lesson.bound(question.id)
            shuffle = lesson.lesson.shuffle if question.shuffle is None else question.shuffle
            if isinstance(question, SingleQuestion):
                out.append(Play(lesson.id, bound, "one", tuple(o.text for o in question.options), ordered=not shuffle,
                                typical_passage=typical_passage if _is_judgement(question) else 0.0))
            elif isinstance(question, MultiQuestion):
                out.append(Play(lesson.id, bound, "some", tuple(o.text for o in question.options), ordered=not shuffle))
            elif isinstance(question, TrueFalseQuestion):
                out.append(Play(lesson.id, bound, "one", ("True", "False"), ordered=True,
                                typical_length=tf_median))
            elif isinstance(question, SpansQuestion):
                out.append(Play(lesson.id, bound, "some", tuple(c.text for c in bound.candidates), ordered=True))
            elif isinstance(question, MatchQuestion):
                out.append(Play(lesson.id, bound, "sort", tuple(question.categories),
                                tuple(i.text for i in question.items), ordered=True))
            elif isinstance(question, MarkQuestion):
                out.append(Play(lesson.id, bound, "mark", tuple(w.text for w in mark_key(bound).words),
                                tuple(question.labels), ordered=True))
            elif isinstance(question, ShortQuestion):
                continue  # never scored
            else:
                raise AssertionError(f"{lesson.id}/{question.id}: the test-wise strategies cannot play a "
                                     f"{question.type!r} question yet; add it to tests/testwise.py")
    return out


def _is_judgement(question: object) -> bool:
    return (isinstance(question, SingleQuestion) and question.prompt == JUDGEMENT_PROMPT
            and [o.text for o in question.options] == [JUDGEMENT_YES, JUDGEMENT_NO])


def passage_words(bound: BoundQuestion) -> int:
    return len(words("\n".join(p.text for p in bound.excerpts)))


# ---------------------------------------------------------------------------------------------- strategies
# A strategy takes a play and returns what the student picks, or None where it sees no difference:
#   'one'  -> the options it would choose between (picked uniformly)
#   'some' -> the options it ticks
#   'sort' -> per item, the categories it would choose between


Pick = list[int] | list[list[int]] | list[list[str | int]] | None


def _best(scores: Sequence[float], *, highest: bool = True) -> list[int] | None:
    """The indexes with the top (or bottom) score; None when every option ties."""
    if len(set(scores)) < 2:
        return None
    target = max(scores) if highest else min(scores)
    return [i for i, s in enumerate(scores) if s == target]


def _split(scores: Sequence[float], *, high: bool = True) -> list[int] | None:
    """For ticking: the options above (or below) the median; None when that is none or all of them."""
    mid = median(scores)
    chosen = [i for i, s in enumerate(scores) if (s > mid if high else s < mid)]
    return chosen if 0 < len(chosen) < len(scores) else None


def _flags(flags: Sequence[bool]) -> list[int] | None:
    chosen = [i for i, f in enumerate(flags) if f]
    return chosen if 0 < len(chosen) < len(flags) else None


def by_score(feature: Callable[[Play, str], float], *, highest: bool = True) -> Callable[[Play], Pick]:
    """Single: the option(s) with the top score. Multi and spans: tick those above the median."""
    def strategy(play: Play) -> Pick:
        scores = [feature(play, c) for c in play.choices]
        if play.kind == "one" and play.type != "true-false":
            return _best(scores, highest=highest)
        if play.kind == "some":
            return _split(scores, high=highest)
        return None
    return strategy


def ruling_out(feature: Callable[[Play, str], float], *, highest: bool = True) -> Callable[[Play], Pick]:
    """Single: rule out the option(s) with the top (or bottom) score and guess among the rest."""
    def strategy(play: Play) -> Pick:
        if play.kind != "one" or play.type == "true-false":
            return None
        out = _best([feature(play, c) for c in play.choices], highest=highest)
        return [i for i in range(len(play.choices)) if i not in out] if out else None
    return strategy


def by_flag(flag: Callable[[Play, str], bool]) -> Callable[[Play], Pick]:
    """Single: choose among the flagged options. Multi and spans: tick the flagged ones."""
    def strategy(play: Play) -> Pick:
        if play.kind not in ("one", "some") or play.type == "true-false":
            return None
        return _flags([flag(play, c) for c in play.choices])
    return strategy


def middle_by_certainty(play: Play) -> Pick:
    """The calibrated middle: rank options from most hedged to most absolute and take the middle one(s)."""
    if play.kind != "one" or play.type == "true-false" or len(play.choices) < 3:
        return None
    certainty = [count(c, ABSOLUTE) - count(c, HEDGE) for c in play.choices]
    if len(set(certainty)) < 2:
        return None
    mid = median(certainty)
    return [i for i, s in enumerate(certainty) if s == mid] or None


def by_position(where: str) -> Callable[[Play], Pick]:
    """Only where the options keep their written order (shuffle off): the first, last or middle one."""
    def strategy(play: Play) -> Pick:
        if play.kind != "one" or play.type == "true-false" or not play.ordered:
            return None
        n = len(play.choices)
        return [{"first": 0, "last": n - 1, "middle": n // 2}[where]]
    return strategy


def tick_all(play: Play) -> Pick:
    return list(range(len(play.choices))) if play.kind == "some" else None


def true_false(rule: Callable[[Play], bool], *, reverse: bool = False) -> Callable[[Play], Pick]:
    """Answer True when the rule holds for the statement (False when reversed)."""
    def strategy(play: Play) -> Pick:
        if play.type != "true-false":
            return None
        return [0 if rule(play) != reverse else 1]
    return strategy


def sort_by_shared_words(play: Play) -> Pick:
    """Match: put each item in the category that shares most words with it."""
    if play.kind != "sort":
        return None
    picks = [_best([len(stems(item) & stems(c)) for c in play.choices]) or list(range(len(play.choices)))
             for item in play.items]
    return picks if any(len(p) < len(play.choices) for p in picks) else None


def _excerpt_cover(play: Play, option: str) -> float:
    mine, passage = stems(option), stems(play.passage)
    return len(mine & passage) / len(mine) if mine else 0.0


def _prompt_overlap(play: Play, option: str) -> float:
    return len(stems(option) & stems(play.prompt))


def _convergence(play: Play, option: str) -> float:
    """How many words an option shares with the other options: the 'answer the others orbit' tell."""
    mine = stems(option)
    return sum(len(mine & stems(other)) for other in play.choices if other != option)


# ---------------------------------------------------------------------------------------------- marking
# A marking strategy reads only the passage's words, the prompt and the category names, and marks words.

MARK_HEDGE = frozenset("""
may might could perhaps possibly possible probably likely seem seems seemed appear appears apparently
reportedly allegedly alleged allegation allegations supposedly claim claims claimed unclear unknown unverified uncertain
plausible suggest suggests
""".split())
MARK_GUESS = frozenset("speculation speculate speculative guess imagine if perhaps".split())
MARK_NEGATION = frozenset("not no never nothing none cannot can't isn't wasn't don't doesn't didn't unclear".split())
MARK_SOURCE = frozenset("""
said says say told according reported reports report argues argued insisted stated states mentions sources
source officials experts believed thought claims claimed
""".split())
MARK_BOOSTER = frozenset("""
obvious obviously actually confirmed confirms revealed reveals clearly truly indeed certainly definitely proves
proved proof debunks undeniably
""".split())
# Which cue list a student would reach for, given a category's name on the palette.
_CUES = {"hedge": MARK_HEDGE, "unverified": MARK_HEDGE, "speculation": MARK_GUESS, "booster": MARK_BOOSTER,
         **{label: MARK_SOURCE for label in ("named-source", "unnamed-source", "vague-attribution", "outlet",
                                             "document", "corroboration")}}
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*:?\s|\n")  # . ! ? (then quotes, a bracket, a colon), or a new line


def _word_text(play: Play, i: int) -> str:
    return play.choices[i].lower().replace("’", "'")


def _runs(indexes: Iterable[int]) -> list[tuple[int, int]]:
    """Word indexes as runs of neighbours: one mark per run, as a student drags across a phrase."""
    out: list[tuple[int, int]] = []
    for i in sorted(set(indexes)):
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def _marks(indexes: Iterable[int], labels: Iterable[str]) -> list[list[str | int]]:
    runs = _runs(indexes)
    return [[label, first, last] for label in labels for first, last in runs]


def marking(choose: Callable[[Play], Iterable[int]]) -> Callable[[Play], Pick]:
    """Mark the chosen words in every category asked; None where it chooses no word (nothing to play)."""
    def strategy(play: Play) -> Pick:
        if play.kind != "mark":
            return None
        chosen = set(choose(play))
        return _marks(chosen, play.items) if chosen else None
    return strategy


def marking_by_category(widen: int = 0) -> Callable[[Play], Pick]:
    """Each category gets the cue words its name suggests (hedge words for Hedge, "said" and "according" for
    the source categories, "obvious" and "confirmed" for Certainty booster), with `widen` words either side,
    as a student who knows the vocabulary but does not read would mark them."""
    def strategy(play: Play) -> Pick:
        if play.kind != "mark" or not any(label in _CUES for label in play.items):
            return None
        marks: list[list[str | int]] = []
        for label in play.items:
            cues = _CUES.get(label, frozenset())
            hits = {j for i in range(len(play.choices)) if _word_text(play, i) in cues
                    for j in range(max(0, i - widen), min(len(play.choices), i + widen + 1))}
            marks += _marks(hits, [label])
        return marks or None
    return strategy


def _cue_words(vocabulary: frozenset[str]) -> Callable[[Play], Iterable[int]]:
    return lambda play: (i for i in range(len(play.choices)) if _word_text(play, i) in vocabulary)


def _quoted(play: Play) -> Iterable[int]:
    """The words inside quotation marks (straight or curly double quotes)."""
    text = play.passage
    inside = [False] * (len(text) + 1)
    opened = False
    for at, ch in enumerate(text):
        if ch in "“”\"":
            opened = ch == "“" or (ch == '"' and not opened)
        inside[at] = opened
    return (i for i, w in enumerate(mark_key(play.bound).words) if inside[w.start])


def _unquoted(play: Play) -> Iterable[int]:
    """The words outside quotation marks, where the passage quotes anything at all."""
    quoted = set(_quoted(play))
    return (i for i in range(len(play.choices)) if i not in quoted) if quoted else ()


def _prompt_words(play: Play) -> Iterable[int]:
    mine = stems(play.prompt)
    return (i for i in range(len(play.choices)) if _word_text(play, i)[:6] in mine
            and _word_text(play, i) not in STOPWORDS and len(play.choices[i]) > 2)


def _capitalised(play: Play) -> Iterable[int]:
    """Names, as a student spots them: a capital letter not at the start of a sentence."""
    found = mark_key(play.bound).words
    for i in range(1, len(found)):
        before = play.passage[found[i - 1].end:found[i].start]
        if found[i].text[:1].isupper() and not _SENTENCE_END.search(before + " "):
            yield i


def _sentence(which: int) -> Callable[[Play], Iterable[int]]:
    def choose(play: Play) -> Iterable[int]:
        found = mark_key(play.bound).words
        sentences: list[list[int]] = [[]]
        for i, word in enumerate(found):
            sentences[-1].append(i)
            after = play.passage[word.end:found[i + 1].start] if i + 1 < len(found) else ""
            if _SENTENCE_END.search(after + " "):
                sentences.append([])
        sentences = [x for x in sentences if x]
        return sentences[which] if len(sentences) > 1 else []
    return choose


def mark_nothing(play: Play) -> Pick:
    return [] if play.kind == "mark" else None


STRATEGIES: dict[str, Callable[[Play], Pick]] = {
    "without absolute words": by_flag(lambda p, c: count(c, ABSOLUTE) == 0),
    "with absolute words": by_flag(lambda p, c: count(c, ABSOLUTE) > 0),
    "most hedged": by_score(lambda p, c: count(c, HEDGE)),
    "least hedged": by_score(lambda p, c: count(c, HEDGE), highest=False),
    "not the most hedged (rule it out)": ruling_out(lambda p, c: count(c, HEDGE)),
    "not the most words from the passage (rule it out)": ruling_out(_excerpt_cover),
    "middle by certainty": middle_by_certainty,
    "not the most certain (rule it out)": ruling_out(lambda p, c: count(c, ABSOLUTE) - count(c, HEDGE)),
    "not the least certain (rule it out)": ruling_out(lambda p, c: count(c, ABSOLUTE) - count(c, HEDGE),
                                                      highest=False),
    "longest": by_score(lambda p, c: len(c)),
    "shortest": by_score(lambda p, c: len(c), highest=False),
    "not the longest (rule it out)": ruling_out(lambda p, c: len(c)),
    "not the shortest (rule it out)": ruling_out(lambda p, c: len(c), highest=False),
    "most words from the passage": by_score(_excerpt_cover),
    "fewest words from the passage": by_score(_excerpt_cover, highest=False),
    "not the fewest words from the passage (rule it out)": ruling_out(_excerpt_cover, highest=False),
    "most words from the prompt": by_score(_prompt_overlap),
    "fewest words from the prompt": by_score(_prompt_overlap, highest=False),
    "most like the other options": by_score(_convergence),
    "without verdict words (true, false, prove)": by_flag(lambda p, c: count(c, VERDICT) == 0),
    "without praise words (honest, careful, clear)": by_flag(lambda p, c: count(c, PRAISE) == 0),
    "with praise words (honest, careful, clear)": by_flag(lambda p, c: count(c, PRAISE) > 0),
    '"both", "neither", "all of"': by_flag(lambda p, c: bool(COMBINED.search(c.lower()))),
    'not "both", "neither", "all of"': by_flag(lambda p, c: not COMBINED.search(c.lower())),
    "quotes the text": by_flag(lambda p, c: bool(QUOTE.search(c))),
    "quotes nothing": by_flag(lambda p, c: not QUOTE.search(c)),
    "first option (unshuffled)": by_position("first"),
    "last option (unshuffled)": by_position("last"),
    "middle option (unshuffled)": by_position("middle"),
    "tick everything": tick_all,
    "true-false: always True": true_false(lambda p: True),
    "true-false: always False": true_false(lambda p: True, reverse=True),
    "true-false: False if absolute words, else True": true_false(lambda p: count(p.prompt, ABSOLUTE) == 0),
    "true-false: True if absolute words, else False": true_false(lambda p: count(p.prompt, ABSOLUTE) == 0,
                                                                reverse=True),
    "true-false: True if hedged, else False": true_false(lambda p: count(p.prompt, HEDGE) > 0),
    "true-false: False if hedged, else True": true_false(lambda p: count(p.prompt, HEDGE) > 0, reverse=True),
    "true-false: True if it quotes the text": true_false(lambda p: bool(QUOTE.search(p.prompt))),
    "true-false: False if it quotes the text": true_false(lambda p: bool(QUOTE.search(p.prompt)), reverse=True),
    "true-false: True if longer than most": true_false(lambda p: len(p.prompt) > p.typical_length),
    "true-false: True if shorter than most": true_false(lambda p: len(p.prompt) > p.typical_length, reverse=True),
    "match: the category sharing most words": sort_by_shared_words,
    "mark: every word, in every category": marking(lambda p: range(len(p.choices))),
    "mark: nothing": mark_nothing,
    "mark: hedge-looking words, in every category": marking(_cue_words(MARK_HEDGE)),
    "mark: source-looking words, in every category": marking(_cue_words(MARK_SOURCE)),
    "mark: certainty words, in every category": marking(_cue_words(MARK_BOOSTER)),
    "mark: negations (not, no, cannot), in every category": marking(_cue_words(MARK_NEGATION)),
    "mark: numbers and dates, in every category": marking(
        lambda p: (i for i in range(len(p.choices)) if any(ch.isdigit() for ch in p.choices[i]))),
    "mark: each category's cue words": marking_by_category(),
    "mark: each category's cue words, two words either side": marking_by_category(widen=2),
    "mark: the quoted parts, in every category": marking(_quoted),
    "mark: what is outside the quotes, in every category": marking(_unquoted),
    "mark: the prompt's words, in every category": marking(_prompt_words),
    "mark: capitalised words (names), in every category": marking(_capitalised),
    "mark: the first sentence, in every category": marking(_sentence(0)),
    "mark: the last sentence, in every category": marking(_sentence(-1)),
}


# ---------------------------------------------------------------------------------------------- judgement passages
# A judgement item's two answers are the same on every passage, so the strategies above see nothing to go by
# there. A test-wise student looks at the passage instead: does it have numbers, a title in quotation marks,
# a date, is it long? These strategies answer "strong" (yes) by such a feature and "weak" (no) without it, and
# the reverse, as a student might learn either from a few items. A form has few judgement items (6 in the
# bundled check), so a pooled rate hides a form-sized cue: `judgement_cues` counts them form by form.

JUDGEMENT_MARGIN = 1  # per form: at most half the judgement items + 1 right (4 of 6), and so at least half - 1
_DIGIT = re.compile(r"\d")
_MONTH = ("January|February|March|April|May|June|July|August|September|October|November|December")
_DATE = re.compile(rf"\b(?:{_MONTH})\b|\b(?:19|20)\d\d\b")
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_TITLE_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def has_digits(text: str) -> bool:
    return bool(_DIGIT.search(text))


def has_quoted_title(text: str) -> bool:
    """Words in quotation marks written like a title: two or more words, every word of four or more letters
    starting with a capital or a digit ("Car Park Income Report 2024"), unlike quoted speech ("a lot of
    parking money", "Half my Saturday customers…")."""
    for span in _QUOTED.findall(text):
        found = _TITLE_WORD.findall(span)
        long = [w for w in found if len(w) > 3 or w[0].isdigit()]
        if len(found) >= 2 and long and all(w[0].isupper() or w[0].isdigit() for w in long):
            return True
    return False


def has_title_or_date(text: str) -> bool:
    return has_quoted_title(text) or bool(_DATE.search(text))


def has_quotation_marks(text: str) -> bool:
    return bool(_QUOTED.search(text))


def judging(rule: Callable[[Play], bool], *, reverse: bool = False) -> Callable[[Play], Pick]:
    """A judgement item: "yes" (strong) where the rule holds for the passage, "no" where not (or the reverse)."""
    def strategy(play: Play) -> Pick:
        if not play.judgement:
            return None
        return [0 if rule(play) != reverse else 1]
    return strategy


def _longer(play: Play) -> bool:
    return passage_words(play.bound) > play.typical_passage


_CUE_RULES: dict[str, Callable[[Play], bool]] = {
    "it has digits": lambda p: has_digits(p.passage),
    "it has a quoted title or a date": lambda p: has_title_or_date(p.passage),
    "it is longer than the form's median passage": _longer,
    "it has quotation marks": lambda p: has_quotation_marks(p.passage),
    "it has digits, a quoted title or a date": lambda p: has_digits(p.passage) or has_title_or_date(p.passage),
}
JUDGEMENT_CUES: dict[str, Callable[[Play], Pick]] = {
    **{f"judgement: strong if {name}": judging(rule) for name, rule in _CUE_RULES.items()},
    **{f"judgement: weak if {name}": judging(rule, reverse=True) for name, rule in _CUE_RULES.items()},
}


@dataclass(frozen=True)
class CueScore:
    strategy: str
    lesson: str
    right: int
    questions: int

    @property
    def fails(self) -> bool:
        return self.right > self.questions / 2 + JUDGEMENT_MARGIN

    def line(self) -> str:
        return f"{self.strategy:68} {self.lesson:22} {self.right} of {self.questions} right"


def judgement_cues(all_plays: Sequence[Play]) -> list[CueScore]:
    """Each passage-cue strategy on each lesson's (form's) judgement items: how many it gets right."""
    out = []
    lessons = sorted({p.lesson for p in all_plays if p.judgement})
    for name, strategy in JUDGEMENT_CUES.items():
        for lesson in lessons:
            mine = [p for p in all_plays if p.lesson == lesson and p.judgement]
            right = sum(round(_expected(p, strategy(p))) for p in mine)
            out.append(CueScore(name, lesson, right, len(mine)))
    return out


# ---------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    strategy: str
    type: str
    questions: int
    rate: float
    chance: float
    where: tuple[str, ...]  # lesson/question ids it was played on

    @property
    def advantage(self) -> float:
        return self.rate - self.chance

    @property
    def fails(self) -> bool:
        return self.questions >= MIN_QUESTIONS and self.advantage > MARGIN

    def line(self) -> str:
        return (f"{self.strategy:48} {self.type:10} {self.questions:4d} questions  rate {self.rate:6.1%}  "
                f"chance {self.chance:6.1%}  {self.advantage:+6.1%}")


def _expected(play: Play, pick: Pick) -> float:
    assert pick is not None
    if play.kind == "one":
        return play.expected_one(pick)  # type: ignore[arg-type]
    if play.kind == "sort":
        return play.expected_sort(pick)  # type: ignore[arg-type]
    return play.score(list(pick))  # 'some' ticks, 'mark' marks: scored as given


def run_strategies(all_plays: Sequence[Play]) -> list[Result]:
    """Each strategy against each question type it can play: its mean expected score beside chance."""
    chances = {id(p): p.chance() for p in all_plays if p.kind != "mark"}
    results = []
    for name, strategy in STRATEGIES.items():
        by_type: dict[str, list[tuple[Play, float, float]]] = {}
        for play in all_plays:
            pick = strategy(play)
            if pick is not None:
                chance = (play.chance_of_marking(pick) if play.kind == "mark"  # type: ignore[arg-type]
                          else chances[id(play)])
                by_type.setdefault(play.type, []).append((play, _expected(play, pick), chance))
        for qtype, scored in sorted(by_type.items()):
            n = len(scored)
            results.append(Result(
                name, qtype, n, sum(s for _, s, _ in scored) / n, sum(c for _, _, c in scored) / n,
                tuple(f"{p.lesson}/{p.bound.id}" for p, _, _ in scored)))
    return results
