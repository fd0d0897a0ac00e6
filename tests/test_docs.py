"""The teacher docs cannot drift: their YAML is real, valid lessons, and every command is documented.

Every ```yaml block in docs/*.md must be a verbatim run of lines of some file in
docs/examples/, and every lesson there must validate against the real seeds plus the
walkthrough's document, added the way the walkthrough says (its add-document command).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from test_layers import LAYERS

from sourcecheck.cli import authoring as authoring_cli
from sourcecheck.cli import main
from sourcecheck.cli.validate import schema_document
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.models import QUESTION_TYPES
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.skills import SKILLS

DOCS = PROJECT_ROOT / "docs"
EXAMPLES = DOCS / "examples"
AUTHORING = DOCS / "authoring.md"
FORMAT = DOCS / "lesson-format.md"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


def _blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def _commands(path: Path) -> list[list[str]]:
    """The `python -m sourcecheck ...` commands of the console blocks, continuation lines joined."""
    out = []
    for block in _blocks(path, "console"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("$ python -m sourcecheck "):
                out.append(shlex.split(line.removeprefix("$ python -m sourcecheck ")))
    return out


@pytest.fixture(scope="module")
def docs_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real seeds plus the walkthrough's document, added by the walkthrough's own command."""
    seeds = tmp_path_factory.mktemp("docs") / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", seeds)
    add = next(c for c in _commands(AUTHORING) if c[0] == "add-document")
    args = [str(PROJECT_ROOT / a) if a.endswith(".txt") else a for a in add]
    result = CliRunner().invoke(main, [*args, "--seeds", str(seeds)])
    assert result.exit_code == 0, result.output
    return seeds


def test_there_are_examples_for_every_question_type() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    for kind in QUESTION_TYPES:
        assert f"type-{kind}.yaml" in names


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_lesson_validates(example: Path, docs_seeds: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(example), "--seeds", str(docs_seeds)])
    assert result.exit_code == 0, result.output
    assert "1 lesson file valid" in result.output
    assert "warning" not in result.output  # an example shows a lesson as it should be written


@pytest.mark.parametrize("doc", [AUTHORING, FORMAT], ids=lambda p: p.name)
def test_every_yaml_block_in_the_docs_is_part_of_an_example_file(doc: Path) -> None:
    """Lesson YAML comes from the examples; the glossary's from the library's own glossary, which the catalog
    checks whenever it loads."""
    sources = [p.read_text(encoding="utf-8") for p in EXAMPLE_FILES]
    sources.append((PROJECT_ROOT / "seeds" / "glossary.yaml").read_text(encoding="utf-8"))
    blocks = _blocks(doc, "yaml")
    assert blocks, f"{doc.name} has no YAML examples"
    for block in blocks:
        assert any(block in source for source in sources), f"not in docs/examples/:\n{block}"


def test_every_example_file_is_shown_or_linked_in_the_docs() -> None:
    text = AUTHORING.read_text(encoding="utf-8") + FORMAT.read_text(encoding="utf-8")
    for example in EXAMPLE_FILES:
        assert f"examples/{example.name}" in text


def test_every_command_is_documented_in_authoring_md() -> None:
    text = AUTHORING.read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"python -m sourcecheck {name}" not in text]
    assert not missing, f"commands not documented in docs/authoring.md: {missing}"


def test_walkthrough_commands_exist_and_parse() -> None:
    """Every command the walkthrough shows is a real command whose options click accepts."""
    for command in _commands(AUTHORING):
        assert command[0] in main.commands, command
        ctx = main.commands[command[0]].make_context(command[0], command[1:], resilient_parsing=True)
        assert ctx.params is not None


def _sessions(path: Path) -> list[tuple[list[str], list[str]]]:
    """Each `$ python -m sourcecheck ...` command of the console blocks with the output lines shown under it."""
    out: list[tuple[list[str], list[str]]] = []
    for block in _blocks(path, "console"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("$ python -m sourcecheck "):
                out.append((shlex.split(line.removeprefix("$ python -m sourcecheck ")), []))
            elif line.startswith("$ "):
                out.append(([], []))  # another program (activating the venv): not ours to run
            elif out and line.strip():
                out[-1][1].append(line)
    return [s for s in out if s[0]]


def test_the_walkthrough_runs_as_written_from_the_project_folder(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Copied literally, in order, in a fresh copy of the project: every command works and prints what is shown."""
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(EXAMPLES / "school-board.txt", tmp_path / "docs" / "examples")
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "lessons").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCECHECK_SEEDS", str(tmp_path / "seeds"))
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(tmp_path / "lessons"))
    monkeypatch.setattr(authoring_cli, "run_child", lambda *args: 0)  # preview: not a real server here
    ran = 0
    for command, shown in _sessions(AUTHORING):
        if "--watch" in command:
            continue  # runs until Ctrl-C; test_cli_validate covers it
        result = CliRunner().invoke(main, command)
        expected_failure = any(line.startswith("Error: ") for line in shown)
        assert result.exit_code == (1 if expected_failure else 0), (command, result.output)
        assert [line for line in result.output.splitlines() if line][:len(shown)] == shown, command
        ran += 1
    assert ran >= 10


def test_walkthrough_quote_outputs_are_what_the_command_prints(docs_seeds: Path) -> None:
    shown = re.findall(r"\$ python -m sourcecheck (quote .*)\n(.*)\n", AUTHORING.read_text(encoding="utf-8"))
    assert len(shown) >= 3
    for command, output in shown:
        result = CliRunner().invoke(main, [*shlex.split(command), "--seeds", str(docs_seeds)])
        assert result.output.strip() == output, command


def test_label_and_skill_tables_match_the_code() -> None:
    text = FORMAT.read_text(encoding="utf-8")
    assert _between(text, "labels") == label_table()
    assert _between(text, "skills") == skill_table()


def test_committed_schema_is_in_sync_with_the_models() -> None:
    committed = json.loads((DOCS / "lesson.schema.json").read_text(encoding="utf-8"))
    assert committed == schema_document(), "run: python -m sourcecheck schema > docs/lesson.schema.json"


def test_schema_command_prints_the_committed_file() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.output == (DOCS / "lesson.schema.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_the_schema_accepts_every_example_so_editors_show_no_false_errors(example: Path) -> None:
    errors = list(Draft202012Validator(schema_document()).iter_errors(yaml.safe_load(example.read_text("utf-8"))))
    assert errors == []


def test_the_schema_flags_a_misspelt_key_as_an_editor_would() -> None:
    lesson = yaml.safe_load((EXAMPLES / "type-single.yaml").read_text("utf-8"))
    lesson["questions"][0]["optoins"] = lesson["questions"][0].pop("options")
    assert list(Draft202012Validator(schema_document()).iter_errors(lesson))


def test_example_lessons_point_editors_at_the_schema() -> None:
    for example in EXAMPLE_FILES:
        first = example.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../lesson.schema.json"
        assert (example.parent / "../lesson.schema.json").resolve() == DOCS / "lesson.schema.json"


def label_table() -> str:
    rows = ["| label | name | what it marks |", "| --- | --- | --- |"]
    rows += [f"| `{name}` | {info.title} | {info.definition.replace('|', '&#124;')} |" for name, info in LABELS.items()]
    return "\n".join(rows)


def skill_table() -> str:
    rows = ["| skill | what students practise |", "| --- | --- |"]
    rows += [f"| `{name}` | {text} |" for name, text in SKILLS.items()]
    return "\n".join(rows)


def _between(text: str, marker: str) -> str:
    match = re.search(rf"<!-- {marker}:start -->\n(.*?)\n<!-- {marker}:end -->", text, flags=re.S)
    assert match is not None, f"markers for {marker} missing"
    return match.group(1)


def _layout_rows() -> list[str]:
    """The layer names of the README's layout table, in its order: the `sourcecheck/NAME/` rows."""
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `sourcecheck/(\w+)/` \|", table, flags=re.M)


def test_the_readme_layout_lists_every_layer_in_the_order_of_layers() -> None:
    """One row per subpackage on disk, each layer of LAYERS (tests/test_layers.py) has one, in that order: the
    README's 'each imports only the layers above it in this table' stays true."""
    rows = _layout_rows()
    on_disk = sorted(p.parent.name for p in (PROJECT_ROOT / "sourcecheck").glob("*/__init__.py"))
    assert len(rows) == len(set(rows)), f"a layer with two rows: {rows}"
    assert sorted(rows) == on_disk, f"rows {sorted(rows)}, subpackages {on_disk}"
    assert set(rows) == set(LAYERS), f"rows {sorted(rows)}, LAYERS {sorted(LAYERS)}"
    assert rows == list(LAYERS), "the README's layout rows are not in the order of LAYERS"
