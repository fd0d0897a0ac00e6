"""The student token: random, URL-safe, and anything else from a URL is refused."""

from __future__ import annotations

import pytest

from sourcecheck.sessions.identity import is_student_token, new_student_token


def test_new_tokens_are_valid_and_distinct() -> None:
    tokens = {new_student_token() for _ in range(1000)}
    assert len(tokens) == 1000 and all(is_student_token(t) for t in tokens)


@pytest.mark.parametrize("text", [None, "", "short", "x" * 65, "<script>alert(1)</script>xxxx", "a b c d e f g h i j",
                                  "../../../etc/passwd", 12345678901234567])
def test_anything_else_is_not_a_token(text: object) -> None:
    assert not is_student_token(text)
