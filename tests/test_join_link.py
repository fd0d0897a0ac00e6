"""The join address on the Classes page: its text and its href are both the address students use (issue 16,
defect 4: it read `http://HOST\\:PORT/join?...` and its href held %5C)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from teacher_helpers import signed_in, use_passcode

from sourcecheck.sessions.public_url import ENV, join_url, public_url
from sourcecheck.ui import teacher_nav
from sourcecheck.ui.text import md_link

LESSON = "raqqa-who-says"


class Links(HTMLParser):
    """Every <a>: its href and its visible text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href, self._text = dict(attrs).get("href") or "", []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.found.append(("".join(self._text), self._href))
            self._href = None


def links(source: str) -> list[tuple[str, str]]:
    """The links a Markdown text renders to (Python-Markdown: a second renderer beside the browser's)."""
    return Links(markdown.markdown(source)).found


def start_class() -> tuple[AppTest, str]:
    at = signed_in(teacher_nav.CLASSES)
    at.selectbox(key="cls-lesson").set_value(LESSON)
    at.button(key="cls-start").click().run()
    assert not at.exception
    code = next(m.value for m in at.markdown if m.value.startswith("### Join code")).split("`")[1]
    return at, code


@pytest.mark.parametrize("base", ["http://10.20.30.40:8501", "https://sourcecheck.school.example",
                                  "http://[2001:db8::5]:8501"])
def test_the_join_link_reads_and_goes_to_the_join_address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          base: str) -> None:
    use_passcode(monkeypatch, tmp_path)
    monkeypatch.setenv(ENV, base)
    at, code = start_class()
    line = next(m.value for m in at.markdown if m.value.startswith("Students open"))
    address = f"{base}/join?code={code}"
    assert links(line) == [(address, address)]
    assert "\\" not in line and "%5C" not in line


def test_the_machines_own_address_too(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without SOURCECHECK_PUBLIC_URL: the network address and port the app finds (the case the defect was seen
    in), or localhost when there is none."""
    use_passcode(monkeypatch, tmp_path)
    monkeypatch.delenv(ENV, raising=False)
    at, code = start_class()
    line = next(m.value for m in at.markdown if m.value.startswith("Students open"))
    address = join_url(public_url(int(st.get_option("server.port"))).base, code)
    assert links(line) == [(address, address)]
    assert "\\" not in line and "%5C" not in line


@pytest.mark.parametrize(("url", "text"), [
    ("http://h:1/join?code=A", "http://h:1/join?code=A"),
    ("https://x.example/a b(c)`<>\\/join?code=A", "https://x.example/a%20b%28c%29%60%3C%3E%5C/join?code=A"),
])
def test_md_link_keeps_text_and_href_equal(url: str, text: str) -> None:
    assert links(md_link(url)) == [(text, text)]
