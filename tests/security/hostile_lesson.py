"""A valid lesson, document and catalog entry with markup and script in every free-text field, for the stored-XSS
tests. Each payload is marked: any element made from one has class `xss`, any script that ran pushes onto
`window.__xss`, some call alert() (a dialog), and a Markdown link or `javascript:` URL would become an <a>. The
text a student should see instead is the payload itself, character for character.
"""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = ["LESSON_ID", "NAMES", "SHORT_ANSWER", "payload", "write_hostile"]

LESSON_ID = "hostile-everywhere"


def payload(field: str) -> str:
    """HTML, script, an event handler, a dialog, Markdown and Streamlit's own markup, all at once."""
    return (f"<b class=xss>{field}</b><img class=xss src=x onerror=\"window.__xss.push('{field}')\">"
            f"<script class=xss>window.__xss.push('{field}')</script><svg class=xss onload=alert('{field}')></svg>"
            f" *{field}* [{field}](javascript:alert('{field}')) :red[{field}] $x$")


# Display names are at most 40 characters; each still carries a tag or a formula.
NAMES = ["<img class=xss src=x onerror=alert(1)>", "<b class=xss>Bo</b>", "=HYPERLINK(\"http://x\")"]
SHORT_ANSWER = payload("short answer")

_QUOTE_ONE = f"The mayor said {payload('doc one')} nothing at all, and nobody asked."
_QUOTE_TWO = f"Officials said {payload('doc two')} it was fine."
DOCUMENT = f"{_QUOTE_ONE}\n\n{_QUOTE_TWO}\n"

CATALOG = {"documents": [{"id": "hostile-doc", "title": payload("doc title"), "outlet": payload("doc outlet"),
                          "author": payload("doc author"), "kind": "test", "description": payload("doc kind")}]}


def _lesson() -> dict[str, object]:
    mark = payload("doc one")
    return {
        "id": LESSON_ID, "title": payload("title"), "summary": payload("summary"), "level": "intro", "minutes": 5,
        "skills": ["claim-and-source", "named-unnamed"], "document": "hostile-doc", "shuffle": False,
        "excerpts": [
            {"id": "one", "quote": _QUOTE_ONE, "annotations": [
                {"text": mark, "label": "claim", "note": payload("note one")},
                {"text": "nobody asked", "label": "vague-attribution", "note": payload("note two")}]},
            {"id": "two", "quote": _QUOTE_TWO, "annotations": [
                {"text": "Officials said", "label": "unnamed-source", "note": payload("note three")}]},
        ],
        "questions": [
            {"id": "single", "type": "single", "excerpt": "one", "skill": "claim-and-source",
             "prompt": payload("prompt single"), "explanation": payload("explanation single"), "options": [
                 {"text": payload("option right"), "correct": True, "feedback": payload("feedback right")},
                 {"text": payload("option wrong"), "feedback": payload("feedback wrong")}]},
            {"id": "multi", "type": "multi", "excerpt": ["one", "two"], "skill": "named-unnamed",
             "prompt": payload("prompt multi"), "explanation": payload("explanation multi"), "options": [
                 {"text": payload("multi right"), "correct": True, "feedback": payload("multi feedback")},
                 {"text": payload("multi wrong")}]},
            {"id": "truth", "type": "true-false", "excerpt": "two", "skill": "named-unnamed",
             "prompt": payload("prompt truth"), "explanation": payload("explanation truth"), "answer": True,
             "feedback_true": payload("feedback true"), "feedback_false": payload("feedback false")},
            {"id": "phrases", "type": "spans", "excerpt": "one", "skill": "claim-and-source",
             "prompt": payload("prompt spans"), "explanation": payload("explanation spans"),
             "answers": [mark], "distractors": ["nobody asked"]},
            {"id": "sort", "type": "match", "excerpt": ["one", "two"], "skill": "claim-and-source",
             "prompt": payload("prompt match"), "explanation": payload("explanation match"),
             "categories": [payload("category a"), payload("category b")], "items": [
                 {"text": payload("item one"), "category": payload("category a"), "feedback": payload("item fb")},
                 {"text": payload("item two"), "category": payload("category b")}]},
            {"id": "say", "type": "short", "excerpt": "two", "skill": "named-unnamed",
             "prompt": payload("prompt short"), "explanation": payload("explanation short"),
             "model_answer": payload("model answer")},
        ],
    }


LESSON = _lesson()


def write_hostile(root: Path) -> tuple[Path, Path]:
    """seeds/ and lessons/ folders under root holding the hostile document, catalog and lesson."""
    seeds, lessons = root / "seeds", root / "lessons"
    seeds.mkdir()
    lessons.mkdir()
    (seeds / "hostile-doc.txt").write_text(DOCUMENT, encoding="utf-8")
    (seeds / "catalog.yaml").write_text(yaml.safe_dump(CATALOG, allow_unicode=True, width=10_000), encoding="utf-8")
    (lessons / f"{LESSON_ID}.yaml").write_text(yaml.safe_dump(LESSON, allow_unicode=True, sort_keys=False,
                                                               width=10_000), encoding="utf-8")
    return seeds, lessons
