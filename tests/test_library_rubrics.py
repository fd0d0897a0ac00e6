"""The library's rubrics: every short question that asks for sourcing reasoning has one, in the Civic Online
Reasoning shape (one or two criteria, levels 0 beginning / 1 emerging / 2 mastery), and its words stay as
neutral as the rest of a lesson."""

from __future__ import annotations

import pytest
from test_library import _JUDGEMENT, _QUOTED

from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import ShortQuestion

# (lesson, question) of every short question scored by rubric.
SCORED = {
    ("blog-same-tests", "rewrite-conclusion"), ("following-a-citation", "next-check"),
    ("raqqa-who-says", "what-would-you-check"), ("reuters-same-standard", "turn-the-tests"),
    ("strike-headline-body", "rewrite-headline"), ("unnamed-sources-two-texts", "two-questions"),
    ("what-strong-sourcing-looks-like", "source-the-pool-claims"), ("who-is-behind-the-source", "investigate-one"),
    ("whose-words-book-reviews", "check-a-review"),
    ("officials-said-news-report", "rewrite-the-headline"), ("campaign-post-same-tests", "what-would-you-ask"),
    ("traced-ammunition-report", "what-makes-it-checkable"),
}
# Left as reflections, never scored: rewriting exercises that ask for no sourcing reasoning (a headline in under 12
# words; a sentence's hedges, which is word choice, not who is behind a claim or what supports it).
REFLECTIONS = {("headlines-and-vague-sources", "rewrite-mosul"), ("compare-unnamed-officials", "rewrite-obvious")}


def _shorts(library: Library) -> dict[tuple[str, str], ShortQuestion]:
    return {(lesson.id, q.id): q for lesson in library.lessons for q in lesson.lesson.questions
            if isinstance(q, ShortQuestion)}


def test_every_short_question_that_asks_for_reasoning_has_a_rubric(library: Library) -> None:
    shorts = _shorts(library)
    assert {k for k, q in shorts.items() if q.rubric} == SCORED
    assert {k for k, q in shorts.items() if not q.rubric} == REFLECTIONS


@pytest.mark.parametrize("where", sorted(SCORED))
def test_each_rubric_is_in_the_civic_online_reasoning_shape(library: Library, where: tuple[str, str]) -> None:
    question = _shorts(library)[where]
    assert question.rubric is not None and 1 <= len(question.rubric) <= 2
    for criterion in question.rubric:
        assert [level.points for level in criterion.levels] == [0, 1, 2]
        examples = [" ".join(level.example.split()) for level in criterion.levels]
        assert len(set(examples)) == 3 and " ".join(question.model_answer.split()) not in examples


def test_rubric_words_are_neutral_outside_quotes(library: Library) -> None:
    """The lesson's own voice in a descriptor or an example never judges an outlet, an author or a claim."""
    texts = [(where, text) for where, q in _shorts(library).items() for c in q.rubric or ()
             for text in (c.criterion, *(t for level in c.levels for t in (level.descriptor, level.example)))]
    assert [(where, m.group(0)) for where, text in texts for m in _JUDGEMENT.finditer(_QUOTED.sub("", text))] == []
