"""Marking questions: the words a student can mark, what counts as an answer, and the scoring rule
(grading/marking.py, docs/lesson-format.md) on the edge cases a real class produces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mark_lessons import load_mark_lesson

from sourcecheck.grading.describe import describe_answer, describe_response
from sourcecheck.grading.feedback import feedback_for
from sourcecheck.grading.marking import category_keys, mark_key, score_marks, word_states
from sourcecheck.grading.raw import MarkState
from sourcecheck.grading.responses import MarkRange, empty_hint, mark_ranges, read_response
from sourcecheck.grading.scoring import score_mark, score_question
from sourcecheck.grading.tally import mark_counts, tally
from sourcecheck.lessons.loaded import BoundQuestion, LoadedLesson
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.targets import Target
from sourcecheck.lessons.words import gaps, word_range, words

TWO = "mark-hedges-and-speakers"  # hedge: "may improve", "too early to know"; vague: "Supporters say", "Critics say"


@pytest.fixture(scope="module")
def lesson(tmp_path_factory: pytest.TempPathFactory) -> LoadedLesson:
    return load_mark_lesson(tmp_path_factory.mktemp("mark"))


@pytest.fixture(scope="module")
def two(lesson: LoadedLesson) -> BoundQuestion:
    return lesson.bound(TWO)


def texts(text: str) -> list[str]:
    return [w.text for w in words(text)]


def target(text: str, phrase: str, label: str = "hedge", occurrence: int = 1) -> Target:
    at = -1
    for _ in range(occurrence):
        at = text.index(phrase, at + 1)
    span = word_range(words(text), at, at + len(phrase))
    assert span is not None
    return Target(label, span[0], span[1], phrase, "note")


def f1s(text: str, targets: list[Target], marks: list[MarkRange], labels: tuple[str, ...] = ("hedge",)
        ) -> list[float]:
    return [round(c.f1, 4) for c in score_marks(category_keys(words(text), targets, labels), marks)]


# --- words -----------------------------------------------------------------------------------------------------

def test_punctuation_is_never_a_word() -> None:
    assert texts("Officials said, “it’s fine” — really?!") == ["Officials", "said", "it’s", "fine", "really"]


@pytest.mark.parametrize(("text", "expected"), [
    ("the district's website", ["the", "district's", "website"]),
    ("the district’s website", ["the", "district’s", "website"]),  # a curly apostrophe stays inside the word
    ("“two years of surveys”", ["two", "years", "of", "surveys"]),  # curly quotes stay outside
    ("from 8:00 to 8:45", ["from", "8:00", "to", "8:45"]),
    ("a co-founder of U.S. firms", ["a", "co-founder", "of", "U.S", "firms"]),
    ("2,000 people, 61 percent", ["2,000", "people", "61", "percent"]),
    ("'quoted' words", ["quoted", "words"]),
    ("café naïve Zürich", ["café", "naïve", "Zürich"]),
    ("", []),
])
def test_words(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@given(st.text(max_size=80))
def test_gaps_and_words_give_back_the_text(text: str) -> None:
    found = words(text)
    pieces = gaps(text, found)
    assert len(pieces) == len(found) + 1
    assert "".join(g + w.text for g, w in zip(pieces, found, strict=False)) + pieces[-1] == text
    assert all(not any(ch.isalnum() for ch in g) for g in pieces)  # every letter and digit is in some word


def test_a_phrase_that_cuts_a_word_takes_the_whole_word() -> None:
    found = words("They reportedly said so.")
    assert word_range(found, 5, 11) == (1, 1)  # "report" inside "reportedly"
    assert word_range(found, 23, 24) is None  # the full stop alone


# --- scoring: edge cases ---------------------------------------------------------------------------------------

SENTENCE = "Officials said the plan may fail, and critics said it might not."
HEDGES = [target(SENTENCE, "may fail"), target(SENTENCE, "might not")]


@pytest.mark.parametrize(("marks", "expected"), [
    ([], [0.0]),                                                  # nothing marked
    ([("hedge", 4, 5), ("hedge", 10, 11)], [1.0]),                # exactly the two targets
    ([("hedge", 4, 5)], [0.6667]),                                # one of two: P 1, R 1/2
    ([("hedge", 0, 11)], [0.5333]),                               # everything: P 4/11 ("and" is neutral), R 1
    ([("hedge", 0, 1)], [0.0]),                                   # only wrong words
    ([("hedge", 4, 5), ("hedge", 4, 5), ("hedge", 10, 11)], [1.0]),  # the same mark sent twice counts once
    ([("hedge", 3, 5), ("hedge", 4, 6), ("hedge", 10, 11)], [0.8889]),  # overlapping marks: words counted once
    ([("hedge", 4, 11)], [0.7273]),                               # one mark across both targets: P 4/7, R 1
    ([("hedge", 5, 5), ("hedge", 11, 11)], [0.6667]),             # half of each: P 1, R 1/2
])
def test_edge_cases(marks: list[MarkRange], expected: list[float]) -> None:
    assert f1s(SENTENCE, HEDGES, marks) == expected


def test_a_function_word_either_side_is_tolerated() -> None:
    text = "She pointed to a 2023 district survey in which 61 percent said so."
    survey = [target(text, "a 2023 district survey", "document")]
    # words: She pointed to a 2023 district survey in which ...  ("a" is 3, "survey" is 6)
    for marks in ([("document", 3, 6)], [("document", 4, 6)], [("document", 2, 6)], [("document", 2, 7)],
                  [("document", 4, 7)]):
        assert f1s(text, survey, marks, ("document",)) == [1.0], marks
    assert f1s(text, survey, [("document", 1, 6)], ("document",)) == [0.8571]  # "pointed" is not a function word
    assert f1s(text, survey, [("document", 4, 5)], ("document",)) == [0.8]  # "survey" missed


def test_a_target_of_function_words_only_keeps_them() -> None:
    text = "It was for them, and for us."
    assert f1s(text, [target(text, "and for")], [("hedge", 4, 4)]) == [0.6667]


def test_repeated_words_count_by_position() -> None:
    text = "Critics say it may work. Supporters say it may work."
    second = [target(text, "may work", occurrence=2)]
    assert f1s(text, second, [("hedge", 8, 9)]) == [1.0]
    assert f1s(text, second, [("hedge", 3, 4)]) == [0.0]  # the same words, the other time they occur


def test_curly_quotes_and_punctuation_around_a_target() -> None:
    text = "Raman said the decision followed “two years of surveys, sleep studies and long evenings”."
    quote = [target(text, "two years of surveys, sleep studies and long evenings", "document")]
    assert f1s(text, quote, [("document", 5, 13)], ("document",)) == [1.0]


def test_each_category_is_scored_on_its_own_and_averaged(two: BoundQuestion) -> None:
    both = [["hedge", 4, 5], ["hedge", 11, 14], ["vague-attribution", 0, 1], ["vague-attribution", 7, 8]]
    assert score_question(two, both).verdict == "correct"
    swapped = [["vague-attribution", 4, 5], ["vague-attribution", 11, 14], ["hedge", 0, 1], ["hedge", 7, 8]]
    assert score_question(two, swapped).earned == 0.0  # the right words in the wrong categories
    hedges_only = [["hedge", 4, 5], ["hedge", 11, 14]]
    assert score_question(two, hedges_only).earned == 0.5


def test_score_mark_is_the_mean_and_scales_to_points() -> None:
    assert score_mark([1.0, 0.5], points=4).earned == 3.0
    assert score_mark([], points=2).earned == 0.0


# The worked examples of docs/lesson-format.md, word for word (test_docs checks they are on the page).
WORKED = [
    ("every target exactly", [["hedge", 4, 5], ["hedge", 11, 14], ["vague-attribution", 0, 1],
                              ["vague-attribution", 7, 8]], 1.0),
    ("one word too many, a function word, one target missed",
     [["hedge", 4, 6], ["hedge", 11, 14], ["vague-attribution", 0, 2]], 0.7949),
    ("the whole passage as a hedge", [["hedge", 0, 23]], 0.2069),
]


@pytest.mark.parametrize(("name", "marks", "earned"), WORKED, ids=[w[0] for w in WORKED])
def test_worked_examples(two: BoundQuestion, name: str, marks: list[list[str | int]], earned: float) -> None:
    assert score_question(two, marks).earned == earned
    page = (PROJECT_ROOT / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith(f"| {name}"))
    assert row.endswith(f"| **{earned:.2f}** |"), row  # the page shows the score the code gives


# --- properties ------------------------------------------------------------------------------------------------

marks_strategy = st.lists(st.tuples(st.sampled_from(["hedge", "vague-attribution"]), st.integers(0, 23),
                                    st.integers(0, 23)).map(lambda m: (m[0], min(m[1:]), max(m[1:]))), max_size=12)


@given(marks_strategy)
def test_any_marks_score_between_0_and_1(two: BoundQuestion, marks: list[MarkRange]) -> None:
    score = score_question(two, [list(m) for m in marks])
    assert 0.0 <= score.earned <= score.possible
    assert (score.verdict == "correct") == (score.earned == score.possible)


@given(st.sampled_from(["mark-hedges-and-speakers", "mark-unnamed"]), st.booleans())
def test_marking_exactly_the_targets_scores_1(lesson: LoadedLesson, question_id: str, stretch: bool) -> None:
    """Marking each annotated phrase as written scores full marks, and so does the same plus a function word."""
    bound = lesson.bound(question_id)
    key = mark_key(bound)
    neutral = {c.label: c.neutral for c in key.categories}
    marks: list[list[str | int]] = []
    for t in key.targets:
        last = t.last + 1 if stretch and t.last + 1 in neutral[t.label] else t.last
        marks.append([t.label, t.first, last])
    assert score_question(bound, marks).verdict == "correct"


@given(marks_strategy)
def test_reading_a_response_twice_changes_nothing(two: BoundQuestion, marks: list[MarkRange]) -> None:
    once = read_response(two, MarkState({"marks": [list(m) for m in marks]}))
    again = read_response(two, MarkState({"marks": once}))
    assert once == again


# --- what counts as an answer ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "kept"), [
    (None, None),
    ({"marks": []}, None),
    ({}, None),
    ({"marks": [["hedge", 4, 5]]}, [["hedge", 4, 5]]),
    ([["hedge", 4, 5]], [["hedge", 4, 5]]),                            # the bare list reads the same
    ({"marks": [["hedge", 5, 4]]}, None),                               # last before first
    ({"marks": [["hedge", 4, 24]]}, None),                              # past the last word (there are 24)
    ({"marks": [["hedge", -1, 2]]}, None),
    ({"marks": [["claim", 0, 1]]}, None),                               # a label the question does not ask
    ({"marks": [["hedge", True, 2]]}, None),                            # a bool is not an index
    ({"marks": [["hedge", 1.0, 2]]}, None),
    ({"marks": [["hedge", 4]]}, None),
    ({"marks": "hedge 4 5"}, None),
    ({"marks": [["hedge", 11, 14], ["hedge", 4, 5], ["hedge", 4, 5], ["nope", 1, 1]]},
     [["hedge", 4, 5], ["hedge", 11, 14]]),                             # sorted, each once, junk dropped
])
def test_read_response(two: BoundQuestion, sent: object, kept: object) -> None:
    assert read_response(two, MarkState(sent)) == kept


def test_a_tampered_browser_cannot_send_unbounded_marks() -> None:
    flood = [["hedge", 0, 0]] * 10_000 + [["hedge", 1, 1]]
    assert mark_ranges(flood, ["hedge"], 5) == [("hedge", 0, 0)]


def test_empty_hint(two: BoundQuestion) -> None:
    assert empty_hint(two) == "Mark at least one phrase in the passage, then press Submit."


# --- feedback, words, the class's counts -----------------------------------------------------------------------

def test_feedback_lists_found_partly_missed_and_not_a_target(two: BoundQuestion) -> None:
    marks = [["hedge", 4, 5], ["hedge", 12, 14], ["hedge", 16, 18], ["vague-attribution", 0, 1]]
    items = [(i.text, i.mark, i.category) for i in feedback_for(two, marks)]
    assert items == [
        ("Supporters say", "right", "vague-attribution"),
        ("may improve", "right", "hedge"),
        ("Critics say", "missed", "vague-attribution"),
        ("too early to know", "partial", "hedge"),
        ("board will review", "wrong", "hedge"),
    ]
    assert feedback_for(two, marks, with_notes=True)[0].feedback == "Which supporters? No one is named."


def test_describe(two: BoundQuestion) -> None:
    assert describe_response(two, None) == "No answer"
    assert describe_response(two, [["vague-attribution", 7, 8], ["hedge", 4, 6]]) == (
        "Hedge: “may improve attendance”; Vague attribution: “Critics say”")
    assert describe_answer(two) == ("Hedge: “may improve”, “too early to know”; "
                                    "Vague attribution: “Supporters say”, “Critics say”")


def test_word_states(two: BoundQuestion) -> None:
    key = mark_key(two)
    hedge = key.categories[0]
    states = word_states(hedge, key.marks([["hedge", 4, 6], ["hedge", 14, 15]]), len(key.words))
    assert states[3:7] == ["", "hit", "hit", "extra"]
    assert states[11:16] == ["missed", "missed", "missed", "hit", "neutral"]


def test_class_counts_per_word_and_category(two: BoundQuestion) -> None:
    answers = [[["hedge", 4, 5], ["hedge", 4, 6]], [["hedge", 5, 5], ["vague-attribution", 0, 1]], None, "junk"]
    counts = mark_counts(two, answers)
    assert counts["hedge"][3:8] == [0, 1, 2, 1, 0]  # one student's overlapping marks count once
    assert counts["vague-attribution"][:3] == [1, 1, 0]
    bars = tally(two, answers)
    assert (bars.answered, bars.kind) == (4, "targets")
    assert [(b.label, b.count) for b in bars.bars] == [
        ("Vague attribution: “Supporters say”", 1), ("Hedge: “may improve”", 1),
        ("Vague attribution: “Critics say”", 0), ("Hedge: “too early to know”", 0)]


def test_a_stored_answer_from_a_longer_passage_scores_what_still_fits(two: BoundQuestion) -> None:
    """The teacher shortened the quote after students answered: marks past its end count for nothing."""
    assert score_question(two, [["hedge", 4, 5], ["hedge", 11, 14], ["hedge", 30, 31]]).earned == 0.5

