"""The keyboard scoring desk's static HTML (ui/scoring_keys/keys.html) names its controls and regions before any
JavaScript runs, as the marking component's does: an accessibility scan, or a screen reader, that reads the page in
between must already find every control labelled and the progress announced."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import sourcecheck.ui

KEYS = Path(sourcecheck.ui.__file__).parent / "scoring_keys"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.elements.append((tag, found))
        self._open.append(found.get("id"))
        if found.get("id"):
            self.text_by_id[found["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for element_id in filter(None, self._open):
            self.text_by_id[element_id] += data


def _parsed() -> _Elements:
    parser = _Elements()
    parser.feed((KEYS / "keys.html").read_text(encoding="utf-8"))
    return parser


def test_the_comment_field_has_a_label_and_the_answer_region_a_name() -> None:
    parsed = _parsed()
    labels = {attrs.get("for") for tag, attrs in parsed.elements if tag == "label"}
    fields = [attrs for tag, attrs in parsed.elements if tag in ("textarea", "input", "select")]
    assert fields and all(f.get("id") in labels for f in fields)
    groups = [attrs for _, attrs in parsed.elements if attrs.get("role") == "group"]
    assert len(groups) == 1 and groups[0].get("tabindex") == "0"  # the answer takes the keyboard focus
    assert all(parsed.text_by_id.get(i, "").strip() for i in groups[0]["aria-labelledby"].split())


def test_progress_and_what_happened_are_live_status_regions_and_the_keys_are_told() -> None:
    parsed = _parsed()
    statuses = [attrs for _, attrs in parsed.elements if attrs.get("role") == "status"]
    assert {s.get("class") for s in statuses} == {"sk-progress", "sk-status"}
    help_line = parsed.text_by_id["sk-help"]
    for key in ("Number keys", "arrows", "C ", "Enter", "Esc"):
        assert key in help_line


def test_answer_text_goes_in_as_text_never_as_markup() -> None:
    script = (KEYS / "keys.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "DOMParser" in script  # the highlighted answer is parsed inert and only text and hint marks kept
