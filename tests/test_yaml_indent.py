"""A key indented less than the keys beside it: say so, with the counts, instead of PyYAML's "did not find
expected '-' indicator", which invites a dash; PyYAML's own words stay for every other syntax error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import load_lesson
from sourcecheck.lessons.problems import LessonProblems, format_problem

MINIMAL = Path(__file__).parent / "fixtures" / "good" / "minimal.yaml"

# (the line as written in minimal.yaml, the same line broken, the whole message)
CASES = {
    "a question's key after a nested list": (
        "    explanation: The officials are not named.\n", "", """\
draft.yaml:26:4: YAML syntax error: 'explanation:' is indented 3 spaces, its siblings 4: indent it like the lines above
       explanation: The officials are not named.
       ^"""),
    "a question's key two spaces short": (
        "    prompt: Who gave the information?\n", "  prompt: Who gave the information?\n", """\
draft.yaml:21:3: YAML syntax error: 'prompt:' is indented 2 spaces, its siblings 4: indent it like the lines above
      prompt: Who gave the information?
      ^"""),
    "an annotation's key": (
        "        label: unnamed-source\n", "       label: unnamed-source\n", """\
draft.yaml:14:8: YAML syntax error: 'label:' is indented 7 spaces, its siblings 8: indent it like the lines above
           label: unnamed-source
           ^"""),
    "a list item's dash, not a key: PyYAML's words": (
        "      - text: The President\n", "     - text: The President\n", """\
draft.yaml:26:6: YAML syntax error: did not find expected key while parsing a block mapping; check the indentation and quoting on this line
         - text: The President
         ^"""),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_key_indented_too_little_says_so(catalog: Catalog, tmp_path: Path, case: str) -> None:
    old, new, message = CASES[case]
    text = MINIMAL.read_text(encoding="utf-8")
    assert old in text
    text = text.replace(old, new)
    if case.startswith("a question's key after"):  # moved below the options, one space short
        text += "   explanation: The officials are not named.\n"
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    [error] = caught.value.errors
    assert format_problem(replace(error, path="draft.yaml")) == message
