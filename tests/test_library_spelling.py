"""Names students must search for are spelt right in the lessons' own voice, and a text's misspelling is pointed out.

A lesson that sends students to an archive ("search by the reporter's name") fails them if it repeats a text's
misspelling: a search for "Stuart Levy" does not find the Treasury official. So:
- the lesson's own voice (title, summary, content note, prompts, options, explanations, feedback, notes, model
  answers, rubrics, match items and categories; the glossary's definitions) never uses a misspelling in the table
  below, outside quotation marks. Quotation marks, and an option or item that is a phrase of the lesson's own
  excerpts word for word, are the text's words and stay verbatim; a quote is never corrected;
- a lesson whose excerpts carry the misspelling says so in one of its strings: the misspelling and the right
  spelling together ("The post spells him “Levy”: his name is Stuart Levey").
The rules read whatever is in lessons/ and checks/, so a lesson added later is held to them.

The table was built by reading the documents in seeds/ and following each name to where it was published. The
documents alone cannot settle any of these: each name appears in one document (002, the scholarly blog), spelt
one way only, with nothing in the documents that spells it otherwise. The right spellings come from the public
record, named beside each row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import yaml

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import load_checks
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.textmatch import normalise


@dataclass(frozen=True)
class Misspelling:
    wrong: str
    right: str
    who: str  # who the name belongs to, and where the right spelling is published

    def used(self, text: str) -> bool:
        return bool(re.search(rf"(?<![\w-]){re.escape(self.wrong)}(?![\w-])", text))

    def named(self, text: str) -> bool:
        return bool(re.search(rf"(?<![\w-]){re.escape(self.right)}(?![\w-])", text))


SPELLINGS = (
    Misspelling("Levy", "Levey", "Stuart Levey, the US Treasury's Under Secretary for Terrorism and Financial "
                "Intelligence (2004-2011): so spelt on the Treasury's press releases and testimony, among them the "
                "designation of Abu Ghadiyah's network (28 February 2008) that the blog cites"),
    Misspelling("Rogio", "Roggio", "Bill Roggio, editor of the Long War Journal, by-line of its October 2007 "
                "article on the Al-Qaeda in Iraq operative killed near the Syrian border that the blog cites"),
    Misspelling("Thompsen", "Thomson", "Mike Thomson, foreign affairs correspondent of BBC Radio 4's Today "
                "programme, who brought out The Raqqa Diaries (Hutchinson, 2017)"),
    Misspelling("Abdel Ahad", "Abdul-Ahad", "Ghaith Abdul-Ahad, the by-line of the Washington Post story of 8 June "
                "2005 (\"Outside Iraq but Deep in the Fight\") that the blog cites as (6/5/04)"),
)

# Keys whose values are the text's words or identifiers, never the lesson's voice.
_NOT_VOICE = frozenset({"id", "type", "skill", "skills", "document", "excerpt", "labels", "label", "sourcing",
                        "quote", "answers", "distractors", "level", "format_version", "shuffle", "confidence",
                        "answer", "correct", "points", "occurrence", "minutes"})
_QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"|‘[^‘’]*’(?!\w)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")  # one sentence may hold both: "spelt “Levy”; it is Levey"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_VOICE or (key == "text" and ".annotations[" in path):  # an annotation's phrase
                continue
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, f"{path}[{i}]")


def voice(lesson: LoadedLesson) -> list[tuple[str, str]]:
    """(where, text) for every string the lesson says in its own voice; a string that is a phrase of the lesson's
    excerpts word for word (an option or a match item quoting the passage) is the text's, and left out."""
    passages = [normalise(p.text).text for p in lesson.excerpts.values()]
    out = []
    for where, text in _strings(lesson.lesson.model_dump(), ""):
        if not any(normalise(text).text in passage for passage in passages):
            out.append((f"{lesson.id}: {where}", text))
    return out


def _outside_quotes(text: str) -> str:
    return _QUOTED.sub(" ", text)


def _glossary_voice() -> list[tuple[str, str]]:
    data = yaml.safe_load((PROJECT_ROOT / "seeds" / "glossary.yaml").read_text(encoding="utf-8"))
    return [(f"glossary: {entry['term']}", str(entry.get("definition", ""))) for entry in data["glossary"]]


def misspelt_in_voice(strings: list[tuple[str, str]]) -> list[str]:
    return [f"{where} says “{m.wrong}” (the text's misspelling of {m.right}): “{text.strip()}”"
            for where, text in strings for m in SPELLINGS if m.used(_outside_quotes(text))]


def not_pointed_out(lesson: LoadedLesson) -> list[str]:
    """The table's misspellings in the lesson's excerpts that no string of the lesson puts beside the right one."""
    shown = " ".join(p.text for p in lesson.excerpts.values())
    sentences = [s for _, text in voice(lesson) for s in _SENTENCE.split(text)]
    return [f"{lesson.id}: its excerpts spell {m.right} “{m.wrong}”, and the lesson never says so ({m.who})"
            for m in SPELLINGS if m.used(shown) and not any(m.used(s) and m.named(s) for s in sentences)]


def _everything(library: Library, catalog: Catalog) -> list[LoadedLesson]:
    forms = [form for check in load_checks(PROJECT_ROOT / "checks", catalog) for form in check.forms.values()]
    return [*library.lessons, *forms]


def test_the_lessons_spell_the_names_right_in_their_own_voice(library: Library, catalog: Catalog) -> None:
    strings = [s for lesson in _everything(library, catalog) for s in voice(lesson)] + _glossary_voice()
    found = misspelt_in_voice(strings)
    assert not found, f"{len(found)} misspelt names in the lessons' own voice:\n" + "\n".join(found)


def test_a_lesson_points_out_the_texts_misspelling(library: Library, catalog: Catalog) -> None:
    found = [m for lesson in _everything(library, catalog) for m in not_pointed_out(lesson)]
    assert not found, "\n".join(found)


def test_every_misspelling_in_the_table_is_in_a_document(catalog: Catalog) -> None:
    """The table stays true: a row whose misspelling no document carries any more is stale."""
    texts = " ".join(p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "seeds").glob("*.txt")))
    assert [m.wrong for m in SPELLINGS if not m.used(texts)] == []


def test_the_check_reads_the_voice_and_leaves_quotes_alone(library: Library) -> None:
    lesson = library.lessons[0]
    question = lesson.lesson.questions[0]
    said = question.model_copy(update={"prompt": "What did Stuart Levy say?"})
    quoted = question.model_copy(update={"prompt": "The post writes “Stuart Levy”. Who is he?"})
    pointed = question.model_copy(update={"prompt": "The post writes “Stuart Levy”; his name is Stuart Levey."})

    def with_first(q: Any) -> LoadedLesson:
        questions = [q, *lesson.lesson.questions[1:]]
        return replace(lesson, lesson=lesson.lesson.model_copy(update={"questions": questions}))

    def prompt_only(q: Any) -> list[tuple[str, str]]:
        return [(where, text) for where, text in voice(with_first(q)) if where.endswith("questions[0].prompt")]

    assert misspelt_in_voice(prompt_only(said))
    assert not misspelt_in_voice(prompt_only(quoted))
    assert not misspelt_in_voice(prompt_only(pointed))
    assert not SPELLINGS[0].used("Stuart Levey") and SPELLINGS[3].used("Ghaith Abdel Ahad, in the Post")
    sentences = [s for _, text in voice(with_first(pointed)) for s in _SENTENCE.split(text)]
    assert any(SPELLINGS[0].used(s) and SPELLINGS[0].named(s) for s in sentences)
