"""The library's glossary: names and words students may not know (HTS, SVR, ISIS-K), kept in seeds/glossary.yaml.

One glossary for the whole library, not one per lesson: the names belong to the documents, so every lesson
that quotes a passage naming "HTS" shows the same short definition beside it, and a definition of an armed
group or an agency is written and reviewed once instead of drifting from one lesson file to the next.
A term is shown only beside an excerpt that contains it as a whole word ("Wikileaks" and "wikileaks" alike).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sourcecheck.lessons.problems import LessonError, LessonProblems
from sourcecheck.lessons.textmatch import normalise
from sourcecheck.lessons.yaml_reader import SourceError, YamlSource, parse_yaml

__all__ = ["FILE_NAME", "MAX_DEFINITION", "MAX_TERM", "Glossary", "GlossaryEntry", "load_glossary"]

FILE_NAME = "glossary.yaml"
MAX_TERM = 60
MAX_DEFINITION = 200  # a line or two beside the excerpt, not an encyclopedia entry
_KEYS = ("term", "definition")


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str


@lru_cache(maxsize=512)
def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(normalise(term).text)}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Glossary:
    entries: tuple[GlossaryEntry, ...] = ()

    def in_text(self, text: str) -> tuple[GlossaryEntry, ...]:
        """The entries whose term appears in `text`, in the order they first appear there."""
        plain = normalise(text).text
        found = [(m.start(), e) for e in self.entries if (m := _pattern(e.term).search(plain)) is not None]
        return tuple(e for _, e in sorted(found, key=lambda pair: pair[0]))


def load_glossary(folder: Path, texts: Iterable[str]) -> Glossary:
    """seeds/glossary.yaml, checked against the document texts; no file means an empty glossary.

    Every problem is reported at once, each at its line and column, the way lesson files are checked.
    """
    path = folder / FILE_NAME
    if not path.is_file():
        return Glossary()
    name = str(path)
    try:
        source = parse_yaml(path.read_bytes())
    except SourceError as e:
        raise LessonProblems([LessonError(name, e.line, e.column, e.message)]) from e
    raw = source.data.get("glossary") if isinstance(source.data, dict) else None
    if not isinstance(raw, list):
        raise LessonProblems([LessonError(name, 1, 1, "the glossary needs a 'glossary:' list of entries, each "
                                                      "with 'term:' and 'definition:'", source.line_text(1))])
    checker = _Checker(name, source, list(texts))
    entries = [entry for i, item in enumerate(raw) if (entry := checker.entry(i, item)) is not None]
    if checker.problems:
        raise LessonProblems(checker.problems)
    return Glossary(tuple(entries))


class _Checker:
    def __init__(self, name: str, source: YamlSource, texts: list[str]) -> None:
        self.name, self.source = name, source
        self.texts = [normalise(text).text for text in texts]
        self.problems: list[LessonError] = []
        self.seen: dict[str, int] = {}

    def add(self, loc: tuple[str | int, ...], message: str, *, at_key: bool = False) -> None:
        line, column = self.source.position(("glossary", *loc), at_key=at_key)
        self.problems.append(LessonError(self.name, line, column, message, self.source.line_text(line)))

    def entry(self, i: int, item: object) -> GlossaryEntry | None:
        if not isinstance(item, dict):
            self.add((i,), "each glossary entry is a mapping: '- term: HTS' and, under it, 'definition: ...'")
            return None
        before = len(self.problems)
        misspelt: set[str] = set()
        for key in item:
            if key not in _KEYS:
                close = difflib.get_close_matches(str(key), _KEYS, n=1, cutoff=0.6)
                hint = f" (did you mean '{close[0]}'?)" if close else f"; an entry has only {' and '.join(_KEYS)}"
                self.add((i, str(key)), f"unknown key '{key}'{hint}", at_key=True)
                misspelt.update(close)
        term = self._text(i, item, "term", MAX_TERM, quiet=misspelt)
        definition = self._text(i, item, "definition", MAX_DEFINITION, quiet=misspelt)
        if term is not None:
            self._term_checks(i, term)
        if len(self.problems) > before or term is None or definition is None:
            return None
        return GlossaryEntry(term, definition)

    def _text(self, i: int, item: dict[object, object], key: str, limit: int, *, quiet: set[str]) -> str | None:
        """The key's text, or None with a problem added (none for a key whose misspelling was just reported)."""
        if key not in item:
            if key not in quiet:
                self.add((i,), f"missing required key '{key}': add '{key}:' here")
            return None
        value = item[key]
        if not isinstance(value, str):
            self.add((i, key), f"{key} must be text, not {type(value).__name__ if value is not None else 'nothing'}")
            return None
        value = " ".join(value.split())
        if not value:
            self.add((i, key), f"{key} must not be empty")
            return None
        if len(value) > limit:
            self.add((i, key), f"{key} is too long ({len(value)} characters; at most {limit}): keep it to what a "
                               "student needs beside the passage")
            return None
        return value

    def _term_checks(self, i: int, term: str) -> None:
        line = self.source.position(("glossary", i, "term"))[0]
        if term in self.seen:
            self.add((i, "term"), f"glossary term '{term}' is listed twice (first on line {self.seen[term]}); "
                                  "keep one")
            return
        self.seen[term] = line
        if not any(_pattern(term).search(text) for text in self.texts):
            self.add((i, "term"), f"glossary term '{term}' appears in no document in the catalog"
                                  f"{_spelling_hint(term, self.texts)}; a term is shown beside an excerpt only "
                                  "where its words appear, as whole words")


def _spelling_hint(term: str, texts: list[str]) -> str:
    """`texts` normalised. The documents' own spelling: a run of about as many words as the term has that is
    one slip away from it (a space for a hyphen first, then two letters swapped: 'HST' for 'HTS'), else the
    closest such run."""
    wanted = normalise(term).text
    size = len(wanted.split())
    runs = {run.lower(): run for text in texts for words in [text.split()]
            for n in {max(size - 1, 1), size, size + 1} for j in range(len(words) - n + 1)
            if all(any(c.isalnum() for c in w) for w in words[j:j + n])
            and (run := " ".join(words[j:j + n]).strip(".,;:()\"'?!"))}
    slips = [low for low in sorted(runs) if _one_slip(wanted.lower(), low)]
    slips.sort(key=lambda low: (_letters(low) != _letters(wanted), sorted(low) != sorted(wanted.lower()),
                                runs[low].isupper() != wanted.isupper()))
    close = slips[:1] or difflib.get_close_matches(wanted.lower(), sorted(runs), n=1, cutoff=0.6)
    return f" (did you mean '{runs[close[0]]}'?)" if close else ""


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _one_slip(a: str, b: str) -> bool:
    """One letter wrong, missing, extra, or two neighbours swapped: the slips of a short name such as 'HST'."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))
