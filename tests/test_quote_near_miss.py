"""A quote with a word changed: the closest passage is the quote's own paragraph(s), word for word as long,
pasting it back validates with no stray word, and the caret and the message name the word that differs."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import load_lesson
from sourcecheck.lessons.problems import LessonProblems, format_problem
from sourcecheck.lessons.textmatch import normalise

FIXTURE = Path(__file__).parent / "fixtures" / "bad" / "quote-word-changed.yaml"
GAZETTE = "010_d45f11cd5478bcf7"
# The last sentence of its paragraph; the next paragraph starts "Sources close to the company".
SHAW = ("Imogen Shaw, the council’s head of planning, said the council would hold\n"
        "      a public consultation before it decides.")


def _lesson(tmp_path: Path, quote: str) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    block = text[text.index("    quote: >-\n"):text.index("questions:")]
    path = tmp_path / "draft.yaml"
    path.write_text(text.replace(block, f"    quote: >-\n      {quote}\n"), encoding="utf-8")
    return path


def _problem(path: Path, catalog: Catalog) -> str:
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    [error] = caught.value.errors
    return format_problem(replace(error, path="draft.yaml"))


# (the changed quote, the whole message a teacher reads)
CASES = {
    "a longer word at the end of the paragraph": (
        SHAW.replace("decides.", "concludes."), """\
draft.yaml:13:39: quote not found in 010_d45f11cd5478bcf7: 'concludes' here, 'decides' in the document; the closest passage is: “Imogen Shaw, the council's head of planning, said the council would hold a public consultation before it decides.”
          a public consultation before it concludes.
                                          ^"""),
    "a word added": (
        SHAW.replace("a public", "a very public"), """\
draft.yaml:13:9: quote not found in 010_d45f11cd5478bcf7: 'very' here is not in the document; the closest passage is: “Imogen Shaw, the council's head of planning, said the council would hold a public consultation before it decides.”
          a very public consultation before it decides.
            ^"""),
    "a word left out": (
        SHAW.replace("a public consultation", "a consultation"), """\
draft.yaml:13:9: quote not found in 010_d45f11cd5478bcf7: the document has 'public' before 'consultation'; the closest passage is: “Imogen Shaw, the council's head of planning, said the council would hold a public consultation before it decides.”
          a consultation before it decides.
            ^"""),
    "a word changed at the start of the paragraph": (
        "Sources near the company say it expects to win easily.", """\
draft.yaml:12:15: quote not found in 010_d45f11cd5478bcf7: 'near' here, 'close to' in the document; the closest passage is: “Sources close to the company say it expects to win easily.”
          Sources near the company say it expects to win easily.
                  ^"""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_changed_word_is_named_and_pointed_at(catalog: Catalog, tmp_path: Path, case: str) -> None:
    quote, message = CASES[case]
    assert _problem(_lesson(tmp_path, quote), catalog) == message


@pytest.mark.parametrize("case", sorted(CASES))
def test_pasting_the_closest_passage_back_validates_with_no_stray_word(catalog: Catalog, tmp_path: Path,
                                                                     case: str) -> None:
    quote, _ = CASES[case]
    message = _problem(_lesson(tmp_path, quote), catalog)
    [passage] = re.findall(r"the closest passage is: “(.*?)”\n", message)
    loaded = load_lesson(_lesson(tmp_path, passage), catalog)
    placed = loaded.excerpts["shaw"]
    assert "\n" not in placed.text  # one paragraph: no word of the next one, nor of the one before
    assert placed.text.split()[0] == quote.split()[0] and placed.text.split()[-1] == quote.split()[-1].replace(
        "concludes.", "decides.")


def test_the_passage_never_runs_into_the_next_paragraph(catalog: Catalog) -> None:
    from sourcecheck.lessons.textmatch import closest_match, line_breaks  # new: imported here so main collects

    doc = catalog.get(GAZETTE).normalised
    near = closest_match(doc.text, normalise(SHAW.replace("decides.", "concludes finally.")).text, line_breaks(doc))
    assert doc.text[near.start:near.end].endswith("before it decides.")


def test_the_quote_command_keeps_to_the_paragraph() -> None:
    result = CliRunner().invoke(main, ["quote", "--document", GAZETTE,
                                       "the council would hold a public consultation before it concludes finally"])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: no passage of {GAZETTE} contains “the council would hold a public "
                             "consultation before it concludes finally”; the closest passage (line 9) is: “the "
                             "council would hold a public consultation before it decides.”\n")
