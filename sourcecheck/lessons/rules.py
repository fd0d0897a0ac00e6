"""The rules that several places check (the schema, the catalog, the workshop, the CLI), written once.

A teacher should get the same answer about an id or a file size wherever they meet the rule.
"""

from __future__ import annotations

import re

__all__ = [
    "DOC_ID_PATTERN", "MAX_BYTES", "SLUG_MAX", "SLUG_PATTERN", "is_document_id", "is_slug", "too_big",
]

SLUG_MAX = 64
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"  # lesson, excerpt and question ids: they appear in URLs and keys
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"  # a seeds/ file name without .txt: never a path
MAX_BYTES = 1_000_000  # a lesson file; the longest bundled lesson is about 40 kB

_SLUG = re.compile(SLUG_PATTERN)
_DOC_ID = re.compile(DOC_ID_PATTERN)


def is_slug(text: str) -> bool:
    """fullmatch, not match: Python's `$` also matches before a final newline, so 'abc\n' would pass."""
    return len(text) <= SLUG_MAX and _SLUG.fullmatch(text) is not None


def is_document_id(text: str) -> bool:
    return _DOC_ID.fullmatch(text) is not None and ".." not in text


def too_big(size: int, what: str = "file") -> str | None:
    """The message for a lesson of `size` bytes, or None when it is within the limit."""
    if size <= MAX_BYTES:
        return None
    return f"{what} is {size:,} bytes; lesson files may be at most {MAX_BYTES:,} bytes"
