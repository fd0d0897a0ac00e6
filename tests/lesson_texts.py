"""A one-question lesson as YAML text, for command-line tests that need a small file to work on."""

from __future__ import annotations

__all__ = ["one_question_lesson"]


def one_question_lesson(*, id: str, title: str, summary: str,
                        quote_line: str = "quote: The New York Times now confirms") -> str:
    """A valid lesson on document 000 (given plain values); tests break it on purpose with str.replace."""
    return f"""\
id: {id}
title: {title}
summary: {summary}
level: intro
minutes: 2
skills: [named-unnamed]
document: 000_7512caa2dcf887b1
excerpts:
  - id: nyt
    {quote_line}
questions:
  - id: who
    type: true-false
    excerpt: nyt
    skill: named-unnamed
    prompt: The passage names an outlet.
    answer: true
    explanation: It names the New York Times.
"""
