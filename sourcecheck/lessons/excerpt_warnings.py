"""Warnings about excerpts that work but are probably not what the teacher meant.

A quote found in two places of its document is placed at the first, and "Read in context" shows the
paragraphs around that one: if the teacher meant the other, students read the wrong context. An excerpt that no
question names is never shown to a student at all (often a question still names its old id).
"""

from __future__ import annotations

from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.models import Lesson
from sourcecheck.lessons.problems import Loc, ProblemCollector

__all__ = ["repeated_quote", "unused_excerpts"]

_LISTED = 3  # places named in the message; more are counted


def repeated_quote(document: Document, starts: list[int], loc: Loc, warnings: ProblemCollector) -> None:
    """`starts`: every place (normalised offsets) where the quote is in the document; a warning if several."""
    if len(starts) < 2:
        return
    places = [_place(document, document.normalised.span(at, at + 1)[0]) for at in starts]
    named = ", ".join(places[:_LISTED - 1] if len(places) > _LISTED else places[:-1])
    rest = f"{len(places) - _LISTED + 1} more places" if len(places) > _LISTED else places[-1]
    warnings.add(loc + ("quote",), f"this quote is in {document.info.id} {len(starts)} times: {named} and {rest}; "
                 "the lesson uses the first, and shows the paragraphs around it; quote more words (a few before or "
                 "after it) so that it matches only the place you mean")


def unused_excerpts(lesson: Lesson, warnings: ProblemCollector) -> None:
    used = {ref for question in lesson.questions for ref in question.excerpt_ids}
    for i, excerpt in enumerate(lesson.excerpts):
        if excerpt.id not in used:
            warnings.add(("excerpts", i, "id"), f"no question uses excerpt '{excerpt.id}', so students never see "
                         "it; name it in a question's 'excerpt:', or delete it")


def _place(document: Document, offset: int) -> str:
    """"line 9 (paragraph 4)": a paragraph is a line with text, as the document's blank lines part them."""
    line = document.text.count("\n", 0, offset) + 1
    paragraph = sum(1 for text in document.text.split("\n")[:line] if text.strip())
    return f"line {line} (paragraph {paragraph})"
