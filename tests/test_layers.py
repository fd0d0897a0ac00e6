"""The core's layers import only downwards, and Streamlit and SQLAlchemy stay in their one package each.

Read from the source with `ast` (nothing is imported), so a violation names the file and line.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sourcecheck"

# Lowest first. A package may import itself and any package before it, never one after it.
LAYERS = ("lessons", "render", "grading", "sessions", "authoring", "db", "analytics", "classroom", "export", "cli",
          "ui")
# Third-party packages that only one layer may import.
ONLY_IN = {"streamlit": "ui", "sqlalchemy": "db", "alembic": "db"}
# Third-party packages a layer may not import: the views draw what classroom/ hands them, frames included.
NEVER_IN = {"ui": ("pandas", "numpy")}
# Being moved out in a parallel change (issue 15); delete the entry when that change is merged.
@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def layer_of(path: Path) -> str | None:
    """The layer a file belongs to: the first folder under sourcecheck/; None for sourcecheck/*.py itself."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else None


def imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, node.lineno))
    return found


def violations(path: Path, source: str) -> list[Violation]:
    """What `source` (the text of `path`) imports that its layer may not."""
    layer = layer_of(path)
    rel = str(path.relative_to(ROOT))
    out = []
    for module, line in imported_modules(ast.parse(source)):
        top, _, rest = module.partition(".")
        if top in ONLY_IN and layer != ONLY_IN[top]:
            out.append(Violation(rel, line, f"imports {module}: only sourcecheck/{ONLY_IN[top]}/ may import {top}"))
        if layer in NEVER_IN and top in NEVER_IN[layer]:
            out.append(Violation(rel, line, f"imports {module}: sourcecheck/{layer}/ draws what classroom/ hands "
                                            f"it and imports no {top}"))
        if top != "sourcecheck" or layer is None:
            continue
        target = rest.partition(".")[0]
        if target not in LAYERS:
            out.append(Violation(rel, line, f"imports {module}: not in a layer ({', '.join(LAYERS)})"))
        elif layer not in LAYERS:
            out.append(Violation(rel, line, f"sourcecheck/{layer}/ is not in LAYERS; add it in its place"))
        elif LAYERS.index(target) > LAYERS.index(layer):
            out.append(Violation(rel, line, f"imports {module}: {layer} may not import {target}, a layer above it"))
    return out


def core_files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_package_is_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages <= set(LAYERS), f"packages outside LAYERS: {sorted(packages - set(LAYERS))}"


def test_imports_point_down() -> None:
    found = [v for path in core_files() for v in violations(path, path.read_text(encoding="utf-8"))]
    assert not found, "\n".join(map(str, found))


def test_app_py_only_calls_the_ui() -> None:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    bad = [m for m, _ in imported_modules(tree) if m.startswith("sourcecheck") and not m.startswith("sourcecheck.ui")]
    assert not bad, f"app.py sets up the page and navigation only; it imports {bad}"


@pytest.mark.parametrize(("file", "source", "expected"), [
    ("lessons/models.py", "from sourcecheck.grading.scoring import Score\n",
     "sourcecheck/lessons/models.py:1: imports sourcecheck.grading.scoring: lessons may not import grading, "
     "a layer above it"),
    ("grading/scoring.py", "import json\nimport streamlit as st\n",
     "sourcecheck/grading/scoring.py:2: imports streamlit: only sourcecheck/ui/ may import streamlit"),
    ("sessions/progress.py", "from sqlalchemy import select\n",
     "sourcecheck/sessions/progress.py:1: imports sqlalchemy: only sourcecheck/db/ may import sqlalchemy"),
    ("ui/dashboard_view.py", "import pandas as pd\n",
     "sourcecheck/ui/dashboard_view.py:1: imports pandas: sourcecheck/ui/ draws what classroom/ hands it and "
     "imports no pandas"),
    ("ui/projector_view.py", "from sourcecheck.classroom.projector import reveal\nfrom pandas import DataFrame\n",
     "sourcecheck/ui/projector_view.py:2: imports pandas: sourcecheck/ui/ draws what classroom/ hands it and "
     "imports no pandas"),
    ("analytics/frames.py", "from sourcecheck.classroom.tables import Table\n",
     "sourcecheck/analytics/frames.py:1: imports sourcecheck.classroom.tables: analytics may not import classroom, "
     "a layer above it"),
    ("render/highlight.py", "from sourcecheck.placed import LoadedLesson\n",
     "sourcecheck/render/highlight.py:1: imports sourcecheck.placed: not in a layer "
     "(lessons, render, grading, sessions, authoring, db, analytics, classroom, export, cli, ui)"),
])
def test_the_check_catches_an_upward_import(file: str, source: str, expected: str) -> None:
    assert [str(v) for v in violations(PACKAGE / file, source)] == [expected]


def test_the_check_allows_the_same_and_lower_layers() -> None:
    source = "from sourcecheck.lessons.loaded import LoadedLesson\nfrom sourcecheck.grading.responses import Response\n"
    assert violations(PACKAGE / "grading/scoring.py", source) == []


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def import_graph() -> dict[str, set[str]]:
    """Which sourcecheck modules each one imports, anywhere in the file: an import inside a function counts too, so
    importing late cannot hide a cycle."""
    names = {module_name(p) for p in core_files()}
    graph: dict[str, set[str]] = {}
    for path in core_files():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                deps |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[module_name(path)] = (deps & names) - {module_name(path)}
    return graph


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path of imports from `start` back to itself, if there is one."""
    paths = [[start, dep] for dep in sorted(graph[start])]
    seen: set[str] = set()
    while paths:
        path = paths.pop()
        if path[-1] == start:
            return path
        if path[-1] in seen:
            continue
        seen.add(path[-1])
        paths += [[*path, dep] for dep in sorted(graph.get(path[-1], ()))]
    return None


def test_no_import_cycles() -> None:
    graph = import_graph()
    cycles = [" -> ".join(c) for module in sorted(graph) if (c := cycle_through(graph, module))]
    assert not cycles, "\n".join(cycles)


def test_the_cycle_check_finds_a_late_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycle_through(graph, "a") == ["a", "b", "c", "a"]
    assert cycle_through(graph, "d") is None
