"""Markdown escaping for lesson strings: what can start Markdown is escaped, ordinary prose is left alone."""

from __future__ import annotations

import pytest

from sourcecheck.ui.text import md, points


@pytest.mark.parametrize(("text", "escaped"), [
    *[(prose, prose) for prose in ["Who says so? (Not the Post.) It's 'reportedly' - maybe.", "10 % of 3: 30."]],
    ("*stars* and _under_", "\\*stars\\* and \\_under\\_"),
    ("[link](javascript:alert(1))", "\\[link\\](javascript\\:alert(1))"),
    (":red[colour] and :smile:", "\\:red\\[colour\\] and \\:smile:"),
    ("costs $5 to $10", "costs \\$5 to \\$10"),
    ("<b>bold</b> & &lt;", "\\<b>bold\\</b> & \\&lt;"),
    ("# heading\n- item\n1. first\n> quote", "\\# heading\n\\- item\n1\\. first\n\\> quote"),
    ("a \\ backslash and `code`", "a \\\\ backslash and \\`code\\`"),
    ("a | b ~~c~~", "a \\| b \\~\\~c\\~\\~"),
])
def test_md(text: str, escaped: str) -> None:
    assert md(text) == escaped


def test_points() -> None:
    assert [points(x) for x in (1.0, 0.5, 2 / 3, 0.0, 10.0)] == ["1", "0.5", "0.67", "0", "10"]
