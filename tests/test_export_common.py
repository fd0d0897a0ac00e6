"""A lesson with every question type and hostile text in every string field, shared by the export tests.

The hostile text has HTML and script, Markdown (an image that would read a local file),
GIFT's special characters, LaTeX dollars, a percent weight and a format tag, so each
export must carry it over as plain text and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sourcecheck.export.common import choices_for, source_line
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_lesson
from sourcecheck.lessons.models import SpansQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT

EVIL = '<script>alert("x")</script> <img src=x onerror=alert(1)> ![i](/etc/passwd) {=~#}: \\ $x$ -> & *b* `c`'
CATALOG = load_catalog(PROJECT_ROOT / "seeds")

EVERY_TYPE = {
    "id": "every-type",
    "title": f"Title {EVIL}",
    "summary": f"Summary {EVIL}",
    "level": "core",
    "minutes": 10,
    "skills": ["named-unnamed", "hedges", "what-is-cited"],
    "document": "000_7512caa2dcf887b1",
    "excerpts": [
        {"id": "confirms", "sourcing": "weak",
         "quote": "The New York Times now confirms that the source is Israel. Israeli sources speak about a mole "
                  "inside ISIS.",
         "annotations": [
             {"text": "The New York Times now confirms", "label": "outlet", "note": f"Note {EVIL}"},
             {"text": "Israeli sources", "label": "unnamed-source", "note": "A nationality, not a name."}]},
        {"id": "admits",
         "quote": "There has been much speculation about Israeli-ISIS cooperation, but little concrete facts.",
         "annotations": [
             {"text": "much speculation", "label": "vague-attribution", "note": "By whom?"},
             {"text": "but little concrete facts", "label": "hedge", "note": "An admission."}]},
    ],
    "questions": [
        {"id": "pick-one", "type": "single", "excerpt": "confirms", "skill": "named-unnamed",
         "prompt": f"Prompt {EVIL}", "explanation": f"Explanation {EVIL}",
         "options": [{"text": "[markdown] starts with a bracket", "correct": True, "feedback": f"Right {EVIL}"},
                     {"text": "%50% starts like a weight", "feedback": "Wrong."},
                     {"text": f"Option {EVIL}"}]},
        {"id": "pick-all", "type": "multi", "excerpt": "confirms", "skill": "what-is-cited", "points": 2,
         "prompt": "Which does it give?", "explanation": "Names, not links.",
         "options": [{"text": "An outlet", "correct": True, "feedback": "Yes."},
                     {"text": "A nationality", "correct": True},
                     {"text": "A link", "feedback": f"No {EVIL}"},
                     {"text": "A date"},
                     {"text": "A quote"}]},
        {"id": "yes-no", "type": "true-false", "excerpt": "confirms", "skill": "named-unnamed",
         "prompt": "The Israeli sources are named.", "answer": False, "explanation": "Only a nationality.",
         "feedback_true": f"Look again {EVIL}", "feedback_false": "Right."},
        {"id": "hedges", "type": "spans", "excerpt": "admits", "skill": "hedges",
         "prompt": "Select the hedge.", "labels": ["hedge"], "explanation": "One admission."},
        {"id": "mark-them", "type": "mark", "excerpt": "confirms", "skill": "named-unnamed",
         "prompt": "Mark each outlet and each unnamed source.", "labels": ["outlet", "unnamed-source"],
         "explanation": f"Marked {EVIL}"},
        {"id": "sort", "type": "match", "excerpt": ["confirms", "admits"], "skill": "named-unnamed",
         "prompt": "Sort the sources.", "explanation": "Names can be checked.",
         "categories": ["named -> outlet", f"unnamed {EVIL}", "never used"],
         "items": [{"text": "The New York Times", "category": "named -> outlet"},
                   {"text": f"Israeli sources {EVIL}", "category": f"unnamed {EVIL}", "feedback": f"Item {EVIL}"},
                   {"text": "much speculation", "category": f"unnamed {EVIL}"}]},
        {"id": "reflect", "type": "short", "excerpt": "admits", "skill": "hedges",
         "prompt": "What would you check?", "model_answer": f"Model {EVIL}"},
    ],
}


def write_every_type(folder: Path) -> Path:
    path = folder / "every-type.yaml"
    path.write_text(yaml.safe_dump(EVERY_TYPE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_every_type(folder: Path) -> LoadedLesson:
    return load_lesson(write_every_type(folder), CATALOG)


@pytest.fixture
def every_type(tmp_path: Path) -> LoadedLesson:
    return load_every_type(tmp_path)


def real_lessons() -> list[LoadedLesson]:
    folder = PROJECT_ROOT / "lessons"
    return [load_lesson(p, CATALOG) for p in sorted(folder.glob("*.yaml"))]


def test_spans_questions_become_choices_over_their_candidates_in_reading_order(every_type: LoadedLesson) -> None:
    question = every_type.question("hedges")
    assert isinstance(question, SpansQuestion)
    choices = choices_for(every_type, question)
    assert [(c.text, c.correct) for c in choices] == [("“much speculation”", False),
                                                      ("“but little concrete facts”", True)]


def test_source_line_names_title_and_outlet(every_type: LoadedLesson) -> None:
    assert source_line(every_type.excerpts["confirms"].document) == "From “Who is Israel’s mole in Raqqa?”, The Duran"
