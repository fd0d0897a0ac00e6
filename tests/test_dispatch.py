"""Every question-type dispatch is a `match` ending in `case _: assert_never(...)`, so that a new question type
that one dispatch forgets fails mypy (and so `make test`) at that dispatch, not in a student's browser.

Two tests hold the promise. The first checks the form, cheaply, over the source: no isinstance chain on the
question type, and no question-type match without the assert_never default. The second is the proof itself: it
adds an eighth question type to a copy of the package and runs mypy on the copy, which must point at every
dispatch. The form check alone would miss a dispatch mypy cannot see through (a cast, an Any); the mypy run alone
would miss an isinstance chain whose last branch is a quiet `return None`.
"""

from __future__ import annotations

import ast
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODELS = "sourcecheck.lessons.models"
ASSERT_NEVER_ERROR = re.compile(
    r'^(?P<path>[^:\n]+):(?P<line>\d+): error: Argument 1 to "assert_never" has incompatible type "EighthQuestion"',
    re.MULTILINE)


def question_classes(tree: ast.Module) -> set[str]:
    """The names this module binds to question classes: imported from the models module, ending in "Question".

    Going by the import, not by the name alone, keeps text2qti's Question (imported as Text2qtiQuestion) out."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == MODELS
            for alias in node.names if alias.name.endswith("Question")}


def _isinstance_subject(test: ast.expr, classes: set[str]) -> str | None:
    """The subject (as a dump) of `isinstance(x, C)` or `isinstance(x, (C, D))` naming a question class, also under
    `not`; None for anything else, such as `isinstance(x, C) and ...`, which filters instead of dispatching."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
            and len(test.args) == 2):
        return None
    kinds = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
    if any(isinstance(k, ast.Name) and k.id in classes for k in kinds):
        return ast.dump(test.args[0])
    return None


def _chains(tree: ast.Module) -> Iterator[list[ast.If]]:
    """Each if/elif chain, and each run of consecutive `if` statements in one block (the `if ...: return` form of
    a chain), as the list of its `if` nodes, elifs included."""
    elifs = {id(node.orelse[0]) for node in ast.walk(tree)
             if isinstance(node, ast.If) and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If)}
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if not isinstance(block, list):
                continue
            run: list[ast.If] = []
            for stmt in [*block, None]:
                if isinstance(stmt, ast.If) and id(stmt) not in elifs:
                    link: ast.If | None = stmt
                    while link is not None:
                        run.append(link)
                        nxt = link.orelse
                        link = nxt[0] if len(nxt) == 1 and isinstance(nxt[0], ast.If) else None
                    continue
                if run:
                    yield run
                run = []


def _names_question_class(match: ast.Match, classes: set[str]) -> bool:
    return any(isinstance(p, ast.MatchClass) and isinstance(p.cls, ast.Name) and p.cls.id in classes
               for case in match.cases for p in ast.walk(case.pattern))


def _ends_in_assert_never(match: ast.Match) -> bool:
    last = match.cases[-1]
    wildcard = isinstance(last.pattern, ast.MatchAs) and last.pattern.pattern is None and last.pattern.name is None
    calls = [n for stmt in last.body for n in ast.walk(stmt) if isinstance(n, ast.Call)]
    return wildcard and last.guard is None and any(
        (isinstance(c.func, ast.Name) and c.func.id == "assert_never")
        or (isinstance(c.func, ast.Attribute) and c.func.attr == "assert_never") for c in calls)


def violations(path: str, source: str) -> list[str]:
    """`path:line: message` for each isinstance chain on the question type and each question-type match that
    does not end in `case _: assert_never(...)`."""
    tree = ast.parse(source)
    classes = question_classes(tree)
    found: list[str] = []
    for chain in _chains(tree):
        subjects = [_isinstance_subject(link.test, classes) for link in chain]
        for subject in {s for s in subjects if s is not None}:
            tests = [link for link, s in zip(chain, subjects, strict=True) if s == subject]
            if len(tests) >= 2:
                found.append(f"{path}:{tests[0].lineno}: an if chain with {len(tests)} isinstance tests on the "
                             "question type; make it a match ending in `case _: assert_never(...)`")
    for node in ast.walk(tree):
        if isinstance(node, ast.Match) and _names_question_class(node, classes) and not _ends_in_assert_never(node):
            found.append(f"{path}:{node.lineno}: a match on the question type that does not end in "
                         "`case _: assert_never(...)`")
    return sorted(found, key=lambda v: int(v.split(":")[1]))


@dataclass(frozen=True)
class Dispatch:
    path: str
    function: ast.FunctionDef | ast.AsyncFunctionDef
    match: ast.Match

    @property
    def whole_union(self) -> bool:
        """False for a match over a declared part of the union (common.choices_for takes a ChoiceQuestion): a new
        type reaches it only once someone adds the type to that annotation, and then it fails mypy the same way."""
        subject = self.match.subject
        if not isinstance(subject, ast.Name):
            return True
        args = self.function.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.arg == subject.id and arg.annotation is not None:
                return ast.unparse(arg.annotation) == "Question"
        return True  # a local such as `question = bound.question`


def dispatches(root: Path) -> list[Dispatch]:
    """Every question-type match under root/sourcecheck, with the innermost function around it."""
    found = []
    for file in sorted((root / "sourcecheck").rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        classes = question_classes(tree)
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        for node in ast.walk(tree):
            if isinstance(node, ast.Match) and _names_question_class(node, classes):
                around = [f for f in functions if f.lineno <= node.lineno <= (f.end_lineno or f.lineno)]
                assert around, f"{file}:{node.lineno}: a question-type match outside any function"
                innermost = max(around, key=lambda f: f.lineno)
                found.append(Dispatch(file.relative_to(root).as_posix(), innermost, node))
    return found


def test_every_question_type_dispatch_is_a_match_ending_in_assert_never() -> None:
    found = [v for file in sorted((ROOT / "sourcecheck").rglob("*.py"))
             for v in violations(file.relative_to(ROOT).as_posix(), file.read_text(encoding="utf-8"))]
    assert not found, "\n".join(found)
    # The walk must see the dispatches it vouches for; an import moved away from MODELS would hide them all.
    assert "sourcecheck/grading/scoring.py" in {d.path for d in dispatches(ROOT)}


FORGETFUL = '''\
from typing import assert_never
from sourcecheck.lessons.models import MultiQuestion as Multi, Question, ShortQuestion, SingleQuestion
from text2qti.quiz import Question as Text2qtiQuestion

def elif_chain(question: Question) -> int:
    if isinstance(question, SingleQuestion):
        return 1
    elif isinstance(question, (Multi, ShortQuestion)):
        return 2
    return 0

def return_chain(question: Question) -> int:
    if isinstance(question, SingleQuestion):
        return 1
    if not isinstance(question, Multi):
        return 2
    return 0

def quiet_default(question: Question) -> int:
    match question:
        case SingleQuestion():
            return 1
        case _:
            return 0

def well_formed(question: Question, kind: str, x: object) -> int:
    if isinstance(question, SingleQuestion) and kind == "a":
        return 1
    if isinstance(question, Multi) and kind == "b":
        return 2
    if isinstance(x, Text2qtiQuestion):
        return 3
    match kind:
        case "a":
            return 4
    match question:
        case SingleQuestion() | Multi():
            return 5
        case _:
            assert_never(question)
'''


def test_the_checker_reports_a_forgotten_type() -> None:
    assert [v.split(": ", 1)[0] for v in violations("forgetful.py", FORGETFUL)] == [
        "forgetful.py:6", "forgetful.py:13", "forgetful.py:20"]


def _add_eighth_type(models: Path) -> None:
    """Declare `EighthQuestion` in the copy's models.py and add it to the `Question` union."""
    source = models.read_bytes()
    tree = ast.parse(source)
    assign = next(node for node in tree.body if isinstance(node, ast.Assign)
                  and [ast.unparse(t) for t in node.targets] == ["Question"])
    assert isinstance(assign.value, ast.Subscript) and isinstance(assign.value.slice, ast.Tuple)
    union = assign.value.slice.elts[0]  # Annotated[A | B | ..., Field(discriminator="type")]
    lines = source.splitlines(keepends=True)
    last = (union.end_lineno or union.lineno) - 1
    col = union.end_col_offset or 0  # ast offsets count UTF-8 bytes, hence bytes throughout
    lines[last] = lines[last][:col] + b" | EighthQuestion" + lines[last][col:]
    lines.insert(assign.lineno - 1, b'class EighthQuestion(_Question):\n    type: Literal["eighth"]\n\n\n')
    models.write_bytes(b"".join(lines))
    changed = ast.parse(models.read_bytes())
    assert "EighthQuestion" in {n.name for n in changed.body if isinstance(n, ast.ClassDef)}
    assert "| EighthQuestion" in next(ast.unparse(n.value) for n in changed.body if isinstance(n, ast.Assign)
                                     and [ast.unparse(t) for t in n.targets] == ["Question"])


def _mypy(cache: Path, *, seed: Path | None) -> tuple[str, str, int]:
    """mypy, in this process, on the project in the current directory with its own settings.

    A cold run takes about 15 s and as long again for this process to free mypy's trees at exit. Seeded with the
    checkout's cache (left by `make test`'s mypy run), it rechecks only what the new type changes, which is every
    module that imports `Question`, in a few seconds. mypy rechecks any cached module whose source hash differs,
    so a stale seed costs time, not errors (on this change a seeded and a cold run reported the same 34 errors)."""
    from mypy import api

    if seed is not None and seed.is_dir():
        shutil.copytree(seed, cache)
    return api.run(["--config-file", "pyproject.toml", "--cache-dir", str(cache)])


def test_an_eighth_question_type_that_a_dispatch_forgets_fails_mypy(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "sourcecheck", copy / "sourcecheck", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "app.py"):  # mypy's settings, and `files` names app.py
        shutil.copy2(ROOT / name, copy / name)
    _add_eighth_type(copy / "sourcecheck" / "lessons" / "models.py")
    monkeypatch.chdir(copy)  # `files` in pyproject.toml is relative to where mypy runs, as under `make test`
    started = time.monotonic()
    out, err, status = _mypy(tmp_path / "mypy-cache", seed=ROOT / ".mypy_cache")
    if status != 1:  # a seed copied while another mypy wrote it can be torn: the answer comes from a cold run
        out, err, status = _mypy(tmp_path / "mypy-cold-cache", seed=None)
    print(f"mypy on the copy: {time.monotonic() - started:.1f} s")
    assert status == 1, f"mypy should fail with type errors (exit 1), not {status}:\n{out}{err}"
    flagged: dict[str, set[int]] = {}
    for m in ASSERT_NEVER_ERROR.finditer(out):
        flagged.setdefault(Path(m["path"]).as_posix(), set()).add(int(m["line"]))
    expected = [d for d in dispatches(copy) if d.whole_union]
    assert len({d.path for d in expected}) >= 10, "the AST walk found too few dispatching files to prove anything"
    # Per function, which is finer than per file: the first match's `case _: assert_never` narrows the subject for
    # a later match in the same function (qti._question has two), so mypy flags only the first.
    missed = sorted({f"{d.path}:{d.match.lineno}: {d.function.name}() accepts EighthQuestion: mypy reports no "
                     "assert_never error in it" for d in expected
                     if not any(d.function.lineno <= line <= (d.function.end_lineno or d.function.lineno)
                                for line in flagged.get(d.path, ()))})
    assert not missed, "\n".join(missed) + "\n\nmypy said:\n" + out
