"""Property: whatever bytes a lesson file holds, the loader either loads it or raises LessonProblems whose every
problem is a one-line FILE:LINE:COL message; never another exception (a crash would be a traceback for the
teacher and, in the app, a broken page).

LOADER_EXAMPLES=4000 runs more examples than the default 300 per property (4,000 each passed, in 45 s).
"""

from __future__ import annotations

import os
import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import load_lesson_bytes
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.problems import LessonProblems

LESSON = (PROJECT_ROOT / "lessons" / "raqqa-who-says.yaml").read_bytes()
KEYS = ["id", "title", "summary", "level", "minutes", "skills", "document", "excerpts", "questions", "quote",
        "annotations", "text", "label", "note", "type", "excerpt", "prompt", "options", "correct", "answer"]
# The pieces YAML's grammar is made of, so random text reaches deep into the scanner and parser.
TOKENS = ["\n", "  ", "- ", ": ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!!python/object:os.system ",
          "!x ", "'", '"', "|\n", ">-\n", "# c\n", "---\n", "...\n", "%YAML 1.1\n", "\t", "\\", "\x00", "\ufeff",
          "id", "title", "true", "~", "1e3", "0x1F", "é", "😀", "<script>", "../", "/etc/passwd"]
LINE = re.compile(r"^[^\n]+:\d+:\d+: [^\n]+$")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(KEYS))
documents = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), inner,
                                                 max_size=6)), max_leaves=40)


def check(raw: bytes, catalog: Catalog) -> None:
    try:
        load_lesson_bytes(raw, catalog, name="random.yaml")
    except LessonProblems as refused:
        assert refused.errors
        for error in refused.errors:
            assert LINE.match(error.headline()), error.headline()
            assert error.path == "random.yaml" and error.line >= 0 and error.column >= 0


SETTINGS = settings(max_examples=int(os.environ.get("LOADER_EXAMPLES", "300")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(data=documents)
def test_any_yaml_document(data: object, catalog: Catalog) -> None:
    check(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"), catalog)


@SETTINGS
@given(pieces=st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=60))
def test_any_text_made_of_yaml_syntax(pieces: list[str], catalog: Catalog) -> None:
    check("".join(pieces).encode("utf-8", "surrogatepass"), catalog)


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_any_bytes(raw: bytes, catalog: Catalog) -> None:
    check(raw, catalog)


@SETTINGS
@given(at=st.integers(0, len(LESSON)), cut=st.integers(0, 40), insert=st.sampled_from(TOKENS) | st.binary(max_size=3))
def test_a_real_lesson_with_a_random_edit(at: int, cut: int, insert: str | bytes, catalog: Catalog) -> None:
    """Mistakes a teacher could make in a real file: a few characters deleted, something typed in their place."""
    piece = insert.encode("utf-8", "surrogatepass") if isinstance(insert, str) else insert
    check(LESSON[:at] + piece + LESSON[at + cut:], catalog)
