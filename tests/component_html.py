"""A component's static HTML read as a browser's accessibility checks would see it before any JavaScript runs:
each element's tag and attributes, and the text inside each element that has an id (for aria-labelledby).
Shared by the marking and scoring component tests."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

__all__ = ["Elements", "parsed"]


class Elements(HTMLParser):
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


def parsed(path: Path) -> Elements:
    reader = Elements()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader
