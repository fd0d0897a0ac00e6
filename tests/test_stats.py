"""`python -m sourcecheck stats` reports the library's coverage in tables a reviewer can read."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import load_checks
from sourcecheck.lessons.skills import SKILLS

FIXTURES = Path(__file__).parent / "fixtures"


def test_stats_prints_every_section_for_one_lesson() -> None:
    result = CliRunner().invoke(main, ["stats", str(FIXTURES / "good")])
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in ("Lessons (1), in catalog order", "Questions by type (1 in all)", "Questions by skill",
                    "Questions by document (first excerpt)", "Labels used (annotations)",
                    "Questions with no per-option feedback (1)", "Questions whose right option is the longest (1)"):
        assert heading in out
    # the fixture's single question has no feedback on either option and its right option is the longer one
    rows = [line.split() for line in out.splitlines()]
    assert ["minimal", "who", "2"] in rows          # no feedback on either option
    assert ["minimal", "who", "single"] in rows     # "Unnamed officials" is longer than "The President"
    assert ["unnamed-source", "1"] in rows and ["hedge", "0"] in rows


def test_stats_exits_1_and_names_broken_files() -> None:
    result = CliRunner().invoke(main, ["stats", str(FIXTURES / "bad" / "wrong-type.yaml"), str(FIXTURES / "good")])
    assert result.exit_code == 1
    assert "wrong-type.yaml:6:10: minutes must be a whole number" in result.output


def test_stats_of_the_library_show_every_skill_and_text_invented_ones_marked(catalog: Catalog) -> None:
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()]
    for name, text in SKILLS.items():
        row = next(r for r in rows if r[:1] == [f"{name}:"])
        assert " ".join(row[1:-1]) == text and int(row[-1]) >= 3, row
    texts = {r[0]: r for r in rows if len(r) >= 5 and r[0] in catalog.entries}  # the texts table
    # every text the lessons quote; the checks' own texts (no lesson may quote them: transfer) are not the library's
    checks_only = {e.document for check in load_checks() for form in check.forms.values() for e in form.lesson.excerpts}
    assert checks_only and set(texts) == set(catalog.entries) - checks_only
    for doc_id, info in catalog.entries.items():
        if doc_id in checks_only:
            continue
        assert texts[doc_id][-3] == ("yes" if info.invented else "no"), texts[doc_id]
    assert any(info.invented for info in catalog.entries.values())
