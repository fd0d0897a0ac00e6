"""Checks: a short assessment in parallel forms (A, B, …), each form a lesson the quiz engine plays unchanged.

A check measures whether students transfer what the lessons teach to passages they have not seen, and whether
they tell strong sourcing from weak ("discernment"). It is a YAML file in `checks/`, written like a lesson
(docs/checks.md), with `forms:` holding each form's excerpts and questions. Parallel forms are matched item
by item (same skill, same question type, same sourcing tag), so a class can take form A one week and form B
weeks later and the two scores compare.

A **judgement item** (`type: judgement`) shows a passage and asks "Could you rely on this as it is sourced?"
with two fixed answers and a confidence rating. Its truth is the passage's `sourcing:` tag (`strong` or
`weak`), judged by the library's rules in docs/lesson-format.md, so the key is never typed twice. It is not a
new question type: the loader writes it out as a `single` question with the fixed prompt, the two fixed
options in a fixed order, `confidence: true`, and the option matching the tag marked correct. Scoring, the
store, the results pages and every export therefore treat it as the single question it is, and no
question-type dispatch changes. A new type would have had to be taught to every dispatch (views, grading,
exports, analytics) only to draw two radio buttons the app already draws.

The API the course pages use::

    load_checks(folder: Path, catalog: Catalog | None = None) -> list[Check]

returns the valid checks in `folder` (a check with any problem is left out; `read_checks` gives the problems
too, and `python -m sourcecheck validate` prints them at their line and column). A `Check` has `id`, `title`,
`summary`, `minutes`, `skills`, `path`, `forms` (form letter -> the `LoadedLesson` to play, whose id is
"<check-id>.<letter>", e.g. "sourcing-check-1.A": a dot never appears in a lesson id, so a form can never be
mistaken for a lesson in the store) and `judgements` (for each judgement item its form, question id, excerpt
id and truth, `strong` or `weak`); `check.truth(form, question_id)` looks one up.

What the validator adds to the lesson rules (each reported at its line, every problem at once): at least two
forms, named by capital letters; forms of equal length whose items match one by one; in each form at least
MIN_JUDGEMENTS judgement items, half on strong passages and half on weak; no passage shared by two forms;
and no passage that any lesson in lessons/ quotes (a check tests transfer, not recall of a lesson).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from sourcecheck.lessons.catalog import Catalog, load_catalog
from sourcecheck.lessons.checks import place_lesson
from sourcecheck.lessons.loaded import LoadedLesson, Origin, PlacedExcerpt
from sourcecheck.lessons.loader import display_path, lesson_files, load_library
from sourcecheck.lessons.models import Lesson
from sourcecheck.lessons.paths import checks_dir, lessons_dir, seeds_dir
from sourcecheck.lessons.problems import LessonError, LessonProblems, Loc, Problem
from sourcecheck.lessons.rules import too_big
from sourcecheck.lessons.schema_errors import translate
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.lessons.yaml_reader import SourceError, YamlSource, parse_yaml

__all__ = [
    "JUDGEMENT_NO", "JUDGEMENT_PROMPT", "JUDGEMENT_YES", "MIN_JUDGEMENTS", "Check", "CheckLibrary", "Judgement",
    "Truth", "is_check_file", "load_checks", "load_form_bytes", "read_check", "read_check_bytes", "read_checks",
    "split_form_id",
]

Truth = Literal["strong", "weak"]

JUDGEMENT_PROMPT = "Could you rely on this as it is sourced?"
JUDGEMENT_YES = "Yes, its sourcing is strong enough"
JUDGEMENT_NO = "No, its sourcing is too weak"
MIN_JUDGEMENTS = 6  # per form: fewer, and one lucky guess moves a student's discernment score too far

_TOP_KEYS = ("format_version", "id", "title", "summary", "content_note", "level", "minutes", "skills", "shuffle",
             "forms")
_FORM_KEYS = ("document", "excerpts", "questions")
_JUDGEMENT_KEYS = ("id", "type", "excerpt", "skill", "explanation", "points")
_LETTER = re.compile(r"[A-Z]")
_STAND_IN_HEAD = {"id": "check", "title": "Check", "summary": "Check", "level": "core", "minutes": 1,
                  "skills": list(SKILLS)}
_FORMS_KEY = re.compile(r"^forms\s*:", re.MULTILINE)


@dataclass(frozen=True)
class Judgement:
    form: str
    question_id: str
    excerpt_id: str
    truth: Truth


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    summary: str
    minutes: int
    skills: tuple[str, ...]
    path: Path
    forms: dict[str, LoadedLesson]  # form letter -> the lesson to play; its id is "<check id>.<letter>"
    judgements: tuple[Judgement, ...]

    def truth(self, form: str, question_id: str) -> Truth | None:
        """`strong` or `weak` for a judgement item, None for a skill item."""
        return next((j.truth for j in self.judgements if j.form == form and j.question_id == question_id), None)


@dataclass
class CheckLibrary:
    checks: list[Check] = field(default_factory=list)
    problems: list[LessonError] = field(default_factory=list)

    @property
    def broken_files(self) -> list[str]:
        return sorted({p.path for p in self.problems})


def is_check_file(path: Path) -> bool:
    """A YAML file with a top-level `forms:` key is a check; a lesson may not have that key."""
    try:
        return _FORMS_KEY.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


def load_checks(folder: Path | None = None, catalog: Catalog | None = None) -> list[Check]:
    """The valid checks in `folder` (default checks/), held against the lessons in lessons/."""
    catalog = catalog or load_catalog(seeds_dir())
    return read_checks(lesson_files([folder or checks_dir()]), catalog).checks


def read_checks(paths: Iterable[Path], catalog: Catalog, lessons: Sequence[LoadedLesson] | None = None) -> CheckLibrary:
    """Every check file's check or problems; `lessons` (default: those in lessons/) are what a check must not
    quote. Two checks may not share an id."""
    if lessons is None:
        lessons = load_library([lessons_dir()], catalog).lessons if lessons_dir().is_dir() else []
    quoted = _lesson_passages(lessons)
    library = CheckLibrary()
    first: dict[str, Check] = {}
    for path in paths:
        try:
            check = read_check(path, catalog, quoted)
        except LessonProblems as e:
            library.problems += e.errors
            continue
        if check.id in first:
            line, column, text = _id_position(path)
            library.problems.append(LessonError(display_path(path), line, column, f"check id '{check.id}' is "
                                                f"already used by {display_path(first[check.id].path)}; give "
                                                "this check its own id", text))
            continue
        first[check.id] = check
        library.checks.append(check)
    return library


def read_check(path: Path, catalog: Catalog, quoted: Sequence[tuple[str, int, int, str]] = ()) -> Check:
    """One check file, or LessonProblems with every problem in it. `quoted`: (document id, start, end, where)
    of every lesson passage, which the check may not use."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise LessonProblems([LessonError(name, 0, 0, f"cannot read file: {e.strerror}")]) from e
    return read_check_bytes(raw, catalog, name=name, path=path, quoted=quoted)


def split_form_id(lesson_id: str) -> tuple[str, str] | None:
    """A form's lesson id "<check id>.<letter>" as (check id, letter); None for a library lesson's id (which never
    holds a dot)."""
    check_id, dot, letter = lesson_id.rpartition(".")
    return (check_id, letter) if dot and check_id and _LETTER.fullmatch(letter) else None


def load_form_bytes(raw: bytes, catalog: Catalog, *, form_id: str) -> LoadedLesson:
    """The form `form_id` ("<check id>.<letter>") of the check whose file text is `raw`: how a class that played a
    form reloads it from the text stored when it started (sessions/classes.start_class stores the whole check file,
    the file a form's `path` names). The rule that no lesson quotes a passage is the library's, checked when the
    check is read from checks/; a stored class plays on whatever its text says. LessonProblems when the text does
    not load or has no such form."""
    parts = split_form_id(form_id)
    name = f"{form_id}.yaml"
    check = read_check_bytes(raw, catalog, name=name, path=Path(name))
    if parts is None or parts[0] != check.id or parts[1] not in check.forms:
        raise LessonProblems([LessonError(name, 0, 0, f"the stored check {check.id} has no form {form_id}")])
    form = check.forms[parts[1]]
    return replace(form, origin=replace(form.origin, sha256=hashlib.sha256(raw).hexdigest()))


def read_check_bytes(raw: bytes, catalog: Catalog, *, name: str, path: Path,
                     quoted: Sequence[tuple[str, int, int, str]] = ()) -> Check:
    """read_check on a check file's text (`name` and `path` say where it came from, for problems)."""
    if (message := too_big(len(raw))) is not None:
        raise LessonProblems([LessonError(name, 0, 0, message)])
    try:
        source = parse_yaml(raw)
    except SourceError as e:
        raise LessonProblems([LessonError(name, e.line, e.column, e.message)]) from e
    problems = _Located(name, source)
    data = source.data
    if not isinstance(data, dict):
        problems.add((), "a check file must be a mapping of keys, starting with 'id:', 'title:' and so on")
        raise LessonProblems(problems.errors)
    _unknown_keys(data, (), _TOP_KEYS, problems)
    forms = _forms(data, problems)
    head = {k: v for k, v in data.items() if k in _TOP_KEYS and k != "forms"}
    built: dict[str, _Form] = {}
    for letter, form in forms.items():
        made = _build_form(letter, form, head, path, catalog, problems)
        if made is not None:
            built[letter] = made
    if len(built) == len(forms) and len(forms) >= 2:
        _parallel(built, problems)
        _no_shared_passages(built, quoted, problems)
    if problems.errors:
        raise LessonProblems(problems.errors)
    check_id = str(data["id"])
    judgements = tuple(Judgement(letter, qid, excerpt, truth) for letter, form in built.items()
                       for qid, (excerpt, truth) in form.judgements.items())
    first = next(iter(built.values())).loaded.lesson
    line, column = source.position(("id",))
    origin = Origin(line, column, source.line_text(line))
    return Check(check_id, first.title, first.summary, first.minutes, tuple(first.skills), path,
                 {letter: _with_origin(form.loaded, origin) for letter, form in built.items()}, judgements)


# ------------------------------------------------------------------------------------------------ building forms


@dataclass(frozen=True)
class _Form:
    loaded: LoadedLesson
    judgements: dict[str, tuple[str, Truth]]  # question id -> (excerpt id, truth)


class _Located:
    """Problems at their line and column in the check file; one message at one place is said once (a problem
    with a shared key such as `title:` is found once per form)."""

    def __init__(self, name: str, source: YamlSource) -> None:
        self.name, self.source = name, source
        self.errors: list[LessonError] = []

    def add(self, loc: Loc, message: str, *, at_key: bool = False) -> None:
        line, column = self.source.position(loc, at_key=at_key)
        error = LessonError(self.name, line, column, message, self.source.line_text(line))
        if error not in self.errors:
            self.errors.append(error)

    def add_all(self, items: Iterable[Problem], prefix: Loc) -> None:
        for item in items:
            self.add(_in_form(item.loc, prefix), item.message, at_key=item.at_key)


def _in_form(loc: Loc, prefix: Loc) -> Loc:
    """A lesson's loc in the check file: the form's own keys sit under `forms: X:`, the shared ones on top."""
    return prefix + loc if loc and loc[0] in _FORM_KEYS else loc


def _unknown_keys(data: Mapping[object, object], loc: Loc, known: Sequence[str], problems: _Located) -> None:
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; a check knows: {', '.join(known)}"
            problems.add((*loc, str(key)), f"unknown key '{key}'{hint}", at_key=True)


def _forms(data: Mapping[object, object], problems: _Located) -> dict[str, Mapping[object, object]]:
    raw = data.get("forms")
    if not isinstance(raw, dict) or len(raw) < 2:
        problems.add(("forms",) if "forms" in data else (), "a check needs 'forms:' with at least two forms, "
                     "'A:' and 'B:', each with its own 'excerpts:' and 'questions:'")
        return {}
    forms: dict[str, Mapping[object, object]] = {}
    for key, value in raw.items():
        letter = str(key)
        if not _LETTER.fullmatch(letter):
            problems.add(("forms", letter), f"form '{key}' must be named by one capital letter: A, B, C…", at_key=True)
        elif not isinstance(value, dict):
            problems.add(("forms", letter), f"form {letter} must be a mapping with 'excerpts:' and 'questions:'")
        else:
            _unknown_keys(value, ("forms", letter), _FORM_KEYS, problems)
            forms[letter] = value
    expected = [chr(ord("A") + i) for i in range(len(raw))]
    if set(forms) == {str(k) for k in raw} and sorted(forms) != expected:
        problems.add(("forms",), f"forms are lettered in order from A: expected {', '.join(expected)}", at_key=True)
    return forms


def _build_form(letter: str, form: Mapping[object, object], head: Mapping[object, object], path: Path,
                catalog: Catalog, problems: _Located) -> _Form | None:
    """The form as a lesson dict (judgement items written out as single questions), validated and placed by the
    lesson rules; their problems are reported at the check file's lines."""
    prefix: Loc = ("forms", letter)
    excerpts = form.get("excerpts")
    questions = form.get("questions")
    tags = {str(e.get("id")): e.get("sourcing") for e in excerpts if isinstance(e, dict)} \
        if isinstance(excerpts, list) else {}
    judgements: dict[str, tuple[str, Truth]] = {}
    written: list[object] = []
    for i, item in enumerate(questions if isinstance(questions, list) else []):
        if isinstance(item, dict) and item.get("type") == "judgement":
            expanded = _judgement(item, (*prefix, "questions", i), tags, problems)
            if expanded is not None:
                judgements[str(item.get("id"))] = expanded[1]
            written.append(expanded[0] if expanded is not None else item)
        else:
            written.append(item)
    document = form.get("document")
    if document is None and isinstance(excerpts, list):
        document = next((e.get("document") for e in excerpts if isinstance(e, dict) and e.get("document")), None)
    if document is None:
        problems.add(prefix, f"form {letter} names no document: add 'document:' to the form or to its excerpts")
        return None
    body = {"document": document, "excerpts": excerpts,
            "questions": written if isinstance(questions, list) else questions}
    try:
        lesson = Lesson.model_validate({**head, **body})
    except ValidationError as e:
        found = translate(e)
        problems.add_all(found, prefix)
        if any(p.loc and p.loc[0] in _FORM_KEYS for p in found):
            return None
        # Only the shared keys are wrong: check the form's own excerpts and questions anyway, under a stand-in
        # head, so that a teacher sees every problem in one run.
        try:
            lesson = Lesson.model_validate({**_STAND_IN_HEAD, **body})
        except ValidationError as again:
            problems.add_all(translate(again), prefix)
            return None
        problems.add_all(place_lesson(lesson, catalog, path)[1], prefix)
        return None
    lesson = lesson.model_copy(update={"id": f"{lesson.id}.{letter}"})
    loaded, placing = place_lesson(lesson, catalog, path)
    if loaded is None:
        problems.add_all(placing, prefix)
        return None
    return _Form(loaded, judgements)


def _judgement(item: Mapping[object, object], loc: Loc, tags: Mapping[str, object],
               problems: _Located) -> tuple[dict[str, object], tuple[str, Truth]] | None:
    """A judgement item as the single question it is, and its (excerpt, truth); None if it cannot be one."""
    _unknown_keys(item, loc, _JUDGEMENT_KEYS, problems)
    excerpt = item.get("excerpt")
    if not isinstance(excerpt, str):
        problems.add((*loc, "excerpt"), "a judgement item is about one passage: give one excerpt id")
        return None
    tag = tags.get(excerpt)
    if excerpt not in tags:
        return None  # the lesson rules report the unknown excerpt id
    if tag not in ("strong", "weak"):
        problems.add((*loc, "excerpt"), f"excerpt '{excerpt}' is {f'tagged {tag!r}' if tag else 'not tagged'}: a "
                     "judgement item's passage must be tagged 'sourcing: strong' or 'sourcing: weak', which is its "
                     "answer")
        return None
    truth: Truth = "strong" if tag == "strong" else "weak"
    question = {k: v for k, v in item.items() if k in _JUDGEMENT_KEYS}
    question.update(type="single", prompt=JUDGEMENT_PROMPT, confidence=True, shuffle=False, options=[
        {"text": JUDGEMENT_YES, "correct": truth == "strong"}, {"text": JUDGEMENT_NO, "correct": truth == "weak"}])
    return {str(k): v for k, v in question.items()}, (excerpt, truth)


def _with_origin(loaded: LoadedLesson, origin: Origin) -> LoadedLesson:
    return LoadedLesson(loaded.lesson, loaded.path, loaded.excerpts, loaded.candidates, origin, loaded.warnings)


# ------------------------------------------------------------------------------------------------ the check's rules


def _kind(form: _Form, index: int) -> str:
    question = form.loaded.lesson.questions[index]
    return "judgement" if question.id in form.judgements else question.type


def _tags(form: _Form, index: int) -> str:
    question = form.loaded.lesson.questions[index]
    return " and ".join(form.loaded.excerpts[x].excerpt.sourcing or "untagged" for x in question.excerpt_ids)


def _parallel(forms: Mapping[str, _Form], problems: _Located) -> None:
    """Forms of one length, matched item by item; enough judgement items in each, half strong, half weak."""
    letters = list(forms)
    first = letters[0]
    base = forms[first]
    size = len(base.loaded.lesson.questions)
    for letter in letters:
        form = forms[letter]
        truths = [truth for _, truth in form.judgements.values()]
        if len(truths) < MIN_JUDGEMENTS or truths.count("strong") != truths.count("weak"):
            problems.add(("forms", letter, "questions"), f"form {letter} has {len(truths)} judgement item(s), "
                         f"{truths.count('strong')} on strong passages and {truths.count('weak')} on weak ones; "
                         f"a form needs at least {MIN_JUDGEMENTS}, half strong and half weak", at_key=True)
        if letter == first:
            continue
        count = len(form.loaded.lesson.questions)
        if count != size:
            problems.add(("forms", letter, "questions"), f"form {letter} has {count} items and form {first} has "
                         f"{size}; parallel forms have the same number of items, matched one by one", at_key=True)
        for i in range(min(size, count)):
            a, b = base.loaded.lesson.questions[i], form.loaded.lesson.questions[i]
            loc: Loc = ("forms", letter, "questions", i)
            if _kind(base, i) != _kind(form, i):
                problems.add((*loc, "type"), f"item {i + 1} of form {letter} is a {_kind(form, i)} item and item "
                             f"{i + 1} of form {first} ('{a.id}') a {_kind(base, i)} item; matched items have the "
                             "same type")
            if a.skill != b.skill:
                problems.add((*loc, "skill"), f"item {i + 1} of form {letter} practises '{b.skill}' and item "
                             f"{i + 1} of form {first} ('{a.id}') '{a.skill}'; matched items practise the same skill")
            if _tags(base, i) != _tags(form, i):
                problems.add((*loc, "excerpt"), f"item {i + 1} of form {letter} is on a passage tagged "
                             f"{_tags(form, i)} and item {i + 1} of form {first} ('{a.id}') on one tagged "
                             f"{_tags(base, i)}; matched items are on passages with the same sourcing tag")


def _lesson_passages(lessons: Iterable[LoadedLesson]) -> list[tuple[str, int, int, str]]:
    return [(e.document.info.id, e.start, e.end, f"lesson {lesson.id} (excerpt '{e.excerpt.id}')")
            for lesson in lessons for e in lesson.excerpts.values()]


def _no_shared_passages(forms: Mapping[str, _Form], quoted: Sequence[tuple[str, int, int, str]],
                        problems: _Located) -> None:
    """A passage is new to students: no lesson quotes any of its words, and no other form of the check does."""
    seen: list[tuple[str, int, int, str]] = list(quoted)
    for letter, form in forms.items():
        mine: list[tuple[str, int, int, str]] = []
        for i, excerpt in enumerate(form.loaded.lesson.excerpts):
            placed = form.loaded.excerpts[excerpt.id]
            for doc_id, start, end, where in seen:
                if doc_id == placed.document.info.id and _overlap(placed, start, end):
                    problems.add(("forms", letter, "excerpts", i, "quote"), f"this passage shares words with "
                                 f"{where}; a check quotes only passages students have not met in a lesson or in "
                                 "another form")
                    break
            mine.append((placed.document.info.id, placed.start, placed.end, f"form {letter} (excerpt "
                         f"'{excerpt.id}')"))
        seen += mine


def _overlap(placed: PlacedExcerpt, start: int, end: int) -> bool:
    return max(placed.start, start) < min(placed.end, end)


def _id_position(path: Path) -> tuple[int, int, str | None]:
    try:
        source = parse_yaml(path.read_bytes())
    except (OSError, SourceError):
        return 0, 0, None
    line, column = source.position(("id",))
    return line, column, source.line_text(line)
