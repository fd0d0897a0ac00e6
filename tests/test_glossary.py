"""The library glossary: which terms an excerpt shows, escaped markup, and the messages a teacher gets for a
broken seeds/glossary.yaml (the ones docs/lesson-format.md prints, reproduced here)."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.glossary import Glossary, GlossaryEntry
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.problems import LessonProblems, format_problem
from sourcecheck.render.glossary import glossary_html

SEEDS = PROJECT_ROOT / "seeds"
FORMAT = PROJECT_ROOT / "docs" / "lesson-format.md"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the real seeds folder, to break its glossary."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def problems_for(seeds: Path, glossary: str) -> list[str]:
    (seeds / "glossary.yaml").write_text(glossary, encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_catalog(seeds)
    return [format_problem(e, caret=False).split(": ", 1)[1] for e in caught.value.errors]


def test_terms_are_whole_words_in_any_case_in_reading_order() -> None:
    glossary = Glossary((GlossaryEntry("SVR", "s"), GlossaryEntry("CIS", "c"), GlossaryEntry("Wikileaks", "w"),
                         GlossaryEntry("ISIS-K", "k")))
    text = "A decision (SVR RF) by ISIS-K, said a wikileaks cable; the CIS."
    assert [e.term for e in glossary.in_text(text)] == ["SVR", "ISIS-K", "Wikileaks", "CIS"]
    assert glossary.in_text("A decision on the ISIS Kurds") == ()  # 'CIS' inside a word, 'ISIS K' is not 'ISIS-K'


def test_an_excerpt_shows_only_the_terms_it_contains(library: Library) -> None:
    lesson = library.get("who-is-behind-the-source")
    assert lesson is not None
    svr = lesson.excerpts["svr"]
    terms = [e.term for e in svr.document.terms_in(svr.start, svr.end)]
    assert terms == ["SVR", "Daesh", "CIS"]
    assert "HTS" in [e.term for e in svr.document.glossary]  # elsewhere in the same document, so not shown here
    box = glossary_html(svr)
    assert "Words to know" in box and "Russia&#x27;s foreign intelligence service" in box and "HTS" not in box
    assert glossary_html(lesson.excerpts["duran-footer"]) == ""  # no term in it: no box at all


def test_definitions_are_escaped(seeds: Path, library: Library) -> None:
    text = (seeds / "glossary.yaml").read_text(encoding="utf-8").replace(
        "definition: Russia's foreign intelligence service.", 'definition: <img src=x onerror="alert(1)"> service.')
    (seeds / "glossary.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(seeds)
    placed = library.get("who-is-behind-the-source").excerpts["svr"]  # type: ignore[union-attr]
    document = catalog.get(placed.document.info.id)
    box = glossary_html(replace(placed, document=document))
    assert "<img" not in box and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in box


def test_the_library_glossary_loads_and_every_term_is_in_a_document(catalog: Catalog) -> None:
    assert len(catalog.glossary.entries) >= 15
    texts = [catalog.get(d).text for d in catalog.entries]
    for entry in catalog.glossary.entries:
        assert any(Glossary((entry,)).in_text(t) for t in texts), entry.term
        assert len(entry.definition) <= 200


def test_no_glossary_file_means_no_box(tmp_path: Path) -> None:
    seeds = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    (seeds / "glossary.yaml").unlink()
    catalog = load_catalog(seeds)
    assert catalog.glossary.entries == ()
    assert catalog.get("004_37a98c5e477193c4").glossary == ()


def test_the_messages_in_the_docs_are_the_ones_printed(seeds: Path) -> None:
    """docs/lesson-format.md shows two glossary messages; make those two mistakes and compare, caret lines aside."""
    lines = (seeds / "glossary.yaml").read_text(encoding="utf-8").splitlines()
    assert lines[6] == "  - term: HTS" and lines[9].startswith("    definition: Russia's")
    lines[6] = "  - term: HST"
    lines[9] = lines[9].replace("definition:", "defintion:")
    (seeds / "glossary.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(PROJECT_ROOT / "lessons" / "raqqa-who-says.yaml"),
                                       "--seeds", str(seeds)])
    assert result.exit_code == 1
    printed = [line.replace(str(seeds), "seeds") for line in result.output.splitlines() if "glossary.yaml:" in line]
    documented = re.findall(r"^seeds/glossary\.yaml:\d+:\d+: .*$", FORMAT.read_text(encoding="utf-8"), re.M)
    assert printed == documented


@pytest.mark.parametrize(("glossary", "expected"), [
    ("glossary:\n  - term: HTS\n    definition: One.\n  - term: HTS\n    definition: Two.\n",
     ["glossary term 'HTS' is listed twice (first on line 2); keep one"]),
    ("glossary:\n  - term: HTS\n    definition: ''\n", ["definition must not be empty"]),
    ("glossary:\n  - term: HTS\n    definition: " + "x" * 201 + "\n",
     ["definition is too long (201 characters; at most 200): keep it to what a student needs beside the passage"]),
    ("glossary:\n  - HTS\n", ["each glossary entry is a mapping: '- term: HTS' and, under it, 'definition: ...'"]),
    ("glossary:\n  - term: [HTS]\n    definition: One.\n", ["term must be text, not list"]),
    ("terms:\n  - term: HTS\n", ["the glossary needs a 'glossary:' list of entries, each with 'term:' and "
                                "'definition:'"]),
    ("glossary:\n  - term: HTS\n    meaning: One.\n",
     ["unknown key 'meaning'; an entry has only term and definition",
      "missing required key 'definition': add 'definition:' here"]),
    ("glossary:\n  - term: Al Nusra Front\n    definition: One.\n",
     ["glossary term 'Al Nusra Front' appears in no document in the catalog (did you mean 'Al-Nusra Front'?); a "
      "term is shown beside an excerpt only where its words appear, as whole words"]),
])
def test_each_mistake_gets_one_message(seeds: Path, glossary: str, expected: list[str]) -> None:
    assert problems_for(seeds, glossary) == expected


def test_problems_point_at_the_line_and_column(seeds: Path) -> None:
    (seeds / "glossary.yaml").write_text("# names\nglossary:\n  - term: HTS\n    defintion: x\n", encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_catalog(seeds)
    [error] = caught.value.errors
    assert format_problem(error).splitlines()[1:] == ["        defintion: x", "        ^"]
    assert (error.line, error.column) == (4, 5)
