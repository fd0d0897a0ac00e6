"""Citations the lessons send students to look up are right in the lessons' own voice (issue 20, must-fix).

The blog dates the Washington Post story it follows "(6/5/04)"; the story came out on 8 June 2005. A student who
searches an archive on either reading of that date finds nothing, so the library teaches that a citation can be
wrong and that the names find what a date does not. The glossary's MEI is the publication that ran the paper the
blog asks about, not another body with the same letters.
"""

from __future__ import annotations

import re

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import MultiQuestion, SingleQuestion

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
_POST_DATE = "(6/5/04)"
# A lesson dating the story to 2004 in its own words: "this 2004 story", "the story of 2004", "in June 2004".
_DATED_2004 = re.compile(r"\b2004 (?:story|article|interview|report)\b|\b(?:story|article|interview) (?:of|from|in) "
                         r"(?:\w+ )?2004\b|\bpublished (?:on |in )?(?:\w+ )*2004\b", re.IGNORECASE)


def _voice(lesson: LoadedLesson) -> list[str]:
    """What the lesson says in its own voice: notes, prompts, options, feedback, explanations, with quotes removed."""
    texts = [lesson.lesson.title, lesson.lesson.summary]
    texts += [a.note for e in lesson.lesson.excerpts for a in e.annotations]
    for q in lesson.lesson.questions:
        texts += [q.prompt, q.explanation or "", getattr(q, "feedback_true", "") or "",
                  getattr(q, "feedback_false", "") or "", getattr(q, "model_answer", "") or ""]
        texts += [f"{o.text} {o.feedback or ''}" for o in getattr(q, "options", [])]
        texts += [f"{i.text} {i.feedback or ''}" for i in getattr(q, "items", [])]
    return [_QUOTED.sub(" ", " ".join(t.split())) for t in texts]


def _quoting_the_post_date(library: Library) -> list[LoadedLesson]:
    return [x for x in library.lessons if any(_POST_DATE in e.quote for e in x.lesson.excerpts)]


def test_the_glossary_names_the_bulletin_that_ran_the_paper(catalog: Catalog) -> None:
    mei = next(e for e in catalog.glossary.entries if e.term == "MEI")
    assert "Middle East Intelligence Bulletin" in mei.definition
    assert "Institute" not in mei.definition
    assert "Syria's Proxy Forces in Iraq" in mei.definition and "2003" in mei.definition


def test_no_lesson_dates_the_post_story_to_2004_and_each_gives_the_real_date(library: Library) -> None:
    lessons = _quoting_the_post_date(library)
    assert {x.id for x in lessons} >= {"following-the-trail", "following-a-citation"}
    wrong = [(x.id, m.group(0)) for x in lessons for t in _voice(x) for m in _DATED_2004.finditer(t)]
    assert wrong == []
    assert [x.id for x in lessons if not any("8 June 2005" in t for t in _voice(x))] == []


def test_the_archive_question_teaches_to_search_by_the_names_not_the_date(library: Library) -> None:
    lesson = library.get("following-a-citation")
    assert lesson is not None
    question = next(q for q in lesson.lesson.questions if q.id == "first-source-archive")
    assert isinstance(question, MultiQuestion)
    right = [o.text.lower() for o in question.options if o.correct]
    assert right and all("date" not in o for o in right), right
    assert sum("name" in o for o in right) >= 2, right
    wrong = [o.text.lower() for o in question.options if not o.correct]
    assert any("date" in o for o in wrong), wrong  # the tempting move, answered in its feedback
    assert "search by the names" in " ".join((question.explanation or "").split())
    assert "can be wrong" in " ".join((question.explanation or "").split())


def test_why_seven_years_is_measured_from_the_uprisings(library: Library) -> None:
    lesson = library.get("following-the-trail")
    assert lesson is not None
    question = next(q for q in lesson.lesson.questions if q.id == "why-seven-years")
    assert isinstance(question, SingleQuestion)
    key = next(o for o in question.options if o.correct)
    assert "uprising" in key.text.lower() and "daily beast" not in key.text.lower()
