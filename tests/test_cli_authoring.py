"""add-document, new, quote and preview, driven through click's runner as a teacher would type them.

Every test works on a temporary copy of seeds/ (the --seeds option), never the real one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lesson_texts import one_question_lesson

from sourcecheck.cli import authoring as authoring_cli
from sourcecheck.cli import main
from sourcecheck.cli.authoring import preview_command
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_lesson
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.textmatch import normalise

RAQQA = "000_7512caa2dcf887b1"
REAL_IDS = sorted(load_catalog(PROJECT_ROOT / "seeds").entries)
NEWS = ("Council approves new library\n\nThe town council voted on Monday to build a new library, "
        "the mayor said. Some residents said the cost is too high.\n")


MINIMAL = one_question_lesson(id="pasted", title="Pasted", summary="A quote pasted from the quote command.",
                              quote_line="QUOTE")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", folder)
    return folder


def run(*args: str) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def add(seeds: Path, text: bytes | str, *args: str, name: str = "article.txt") -> object:
    source = seeds.parent / name
    source.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return run("add-document", source, "--seeds", seeds, *args)


# --- add-document ---------------------------------------------------------------------------

def test_add_document_copies_the_file_and_appends_to_the_catalog_keeping_its_comments(seeds: Path) -> None:
    before = (seeds / "catalog.yaml").read_text(encoding="utf-8")
    result = add(seeds, NEWS, "--title", "Council approves new library", "--outlet", "Town Crier",
                 "--date", "2024-05-01", "--kind", "news report")
    assert result.exit_code == 0, result.output
    assert "as document 'council-approves-new-library'" in result.stdout
    after = (seeds / "catalog.yaml").read_text(encoding="utf-8")
    assert after.startswith(before) and "# The document catalog" in after
    assert (seeds / "council-approves-new-library.txt").read_text(encoding="utf-8") == NEWS
    info = load_catalog(seeds).entries["council-approves-new-library"]
    assert (info.title, info.outlet, info.date, info.kind, info.author) == (
        "Council approves new library", "Town Crier", "2024-05-01", "news report", None)


def test_add_document_keeps_awkward_metadata_exactly(seeds: Path) -> None:
    title = 'He said: "no" # maybe {yes} & \'quoted\''
    result = add(seeds, NEWS, "--title", title, "--author", "null", "--id", "awkward")
    assert result.exit_code == 0, result.output
    info = load_catalog(seeds).entries["awkward"]
    assert (info.title, info.author) == (title, "null")


def test_add_document_strips_a_byte_order_mark(seeds: Path) -> None:
    assert add(seeds, b"\xef\xbb\xbf" + NEWS.encode(), "--title", "With BOM").exit_code == 0
    assert (seeds / "with-bom.txt").read_bytes() == NEWS.encode()


def test_add_document_cuts_a_long_title_to_a_typable_id(seeds: Path) -> None:
    result = add(seeds, NEWS, "--title", "School board votes to start classes later next year")
    assert "as document 'school-board-votes-to-start-classes'" in result.stdout


HOSTILE_FILES = [
    (b"x" * 2_000_001, "article.txt is 2,000,001 bytes; documents may be at most 2,000,000 bytes"),
    (b"PK\x03\x04\x00\x00binary", "article.txt looks like a binary file (it contains NUL bytes)"),
    ("café au lait".encode("latin-1"), "article.txt is not UTF-8 text (byte 3); save it as UTF-8 plain text"),
    (b"  \n\n \t", "article.txt has no text in it"),
]


@pytest.mark.parametrize(("content", "message"), HOSTILE_FILES, ids=["oversized", "binary", "latin-1", "empty"])
def test_add_document_refuses_bad_files_and_changes_nothing(seeds: Path, content: bytes, message: str) -> None:
    before = sorted(p.name for p in seeds.iterdir()), (seeds / "catalog.yaml").read_bytes()
    result = add(seeds, content, "--title", "Bad file")
    assert result.exit_code == 1
    assert message in result.stderr
    assert (sorted(p.name for p in seeds.iterdir()), (seeds / "catalog.yaml").read_bytes()) == before


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "..", "a/b", "/tmp/x", ".hidden", "x" * 129])
def test_add_document_refuses_ids_that_are_not_plain_names(seeds: Path, doc_id: str) -> None:
    result = add(seeds, NEWS, "--title", "Fine", "--id", doc_id)
    assert result.exit_code == 1
    assert "cannot be a document id" in result.stderr
    assert not (seeds / "fine.txt").exists()
    assert sorted(p.name for p in seeds.parent.iterdir()) == ["article.txt", "seeds"]


def test_a_path_in_the_title_becomes_a_safe_name_inside_seeds(seeds: Path) -> None:
    result = add(seeds, NEWS, "--title", "../../etc/passwd")
    assert result.exit_code == 0
    assert (seeds / "etc-passwd.txt").is_file()


def test_add_document_refuses_an_id_already_in_the_catalog(seeds: Path) -> None:
    assert add(seeds, NEWS, "--title", "Council").exit_code == 0
    again = add(seeds, NEWS, "--title", "Council")
    assert again.exit_code == 1
    assert "a document with id 'council' is already in the catalog" in again.stderr
    clash = add(seeds, NEWS, "--title", "x", "--id", RAQQA)
    assert clash.exit_code == 1
    assert (seeds / f"{RAQQA}.txt").read_bytes() == (PROJECT_ROOT / "seeds" / f"{RAQQA}.txt").read_bytes()


def test_add_document_never_overwrites_a_file_that_is_not_in_the_catalog(seeds: Path) -> None:
    (seeds / "orphan.txt").write_text("keep me", encoding="utf-8")
    result = add(seeds, NEWS, "--title", "Orphan")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert (seeds / "orphan.txt").read_text(encoding="utf-8") == "keep me"


def test_add_document_undoes_everything_when_the_catalog_does_not_take_the_entry(seeds: Path) -> None:
    catalog = seeds / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "notes: documents must come last\n", encoding="utf-8")
    before = catalog.read_bytes()
    result = add(seeds, NEWS, "--title", "Council")
    assert result.exit_code == 1
    assert catalog.read_bytes() == before
    assert not (seeds / "council.txt").exists()


def test_add_document_usage_errors_exit_2(seeds: Path) -> None:
    assert add(seeds, NEWS).exit_code == 2  # no --title
    assert run("add-document", seeds / "missing.txt", "--title", "x", "--seeds", seeds).exit_code == 2


# --- new ------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc_id", REAL_IDS)
def test_new_scaffold_is_valid_for_every_document(seeds: Path, tmp_path: Path, doc_id: str) -> None:
    out = tmp_path / "drafts" / "my-lesson.yaml"
    result = run("new", "--document", doc_id, "--id", "my-lesson", "--out", out, "--seeds", seeds)
    assert result.exit_code == 0, result.output
    lesson = load_lesson(out, load_catalog(seeds))
    assert {q.type for q in lesson.lesson.questions} == {"single", "multi", "true-false", "spans", "mark", "match",
                                                            "short"}
    assert lesson.lesson.document == doc_id
    text = out.read_text(encoding="utf-8")
    for label in ("named-source", "rhetorical-question", "no-source"):
        assert f"#   {label}" in text
    assert "#   tracing" in text


AWKWARD_DOCUMENTS = {
    "punctuation": 'Title: "quoted" # not a comment\n\n- He said: "yes, {maybe} & *perhaps*" to the board, loudly.\n'
                   "'Single quotes' open this sentence, which has more than eight words in it.\n",
    "one-line": "Only one short line",
    "tabs-and-spaces": "Lots\tof   spacing\t\there,   officials   said   on   Monday   evening   again.\n",
    "control-char": "A bell \x07 rings in this sentence with enough words to be picked here.\n",
    "unicode": "Der Bürgermeister sagte: „Wir prüfen das.“ Die Zeitung berichtete es am Montag ausführlich.\n",
    "repeats": "the the the the the the the the the the.\n",
}


@pytest.mark.parametrize("name", list(AWKWARD_DOCUMENTS))
def test_new_scaffold_is_valid_for_awkward_documents(seeds: Path, tmp_path: Path, name: str) -> None:
    assert add(seeds, AWKWARD_DOCUMENTS[name], "--title", name, "--id", name).exit_code == 0
    out = tmp_path / f"{name}.yaml"
    result = run("new", "--document", name, "--id", "draft", "--out", out, "--seeds", seeds)
    assert result.exit_code == 0, result.output
    load_lesson(out, load_catalog(seeds))


def test_new_refuses_a_document_too_short_to_quote(seeds: Path, tmp_path: Path) -> None:
    assert add(seeds, "Hello", "--title", "tiny").exit_code == 0
    result = run("new", "--document", "tiny", "--id", "draft", "--out", tmp_path / "d.yaml", "--seeds", seeds)
    assert result.exit_code == 1
    assert "has no sentence of two words or more" in result.stderr


def test_new_points_the_editor_at_the_schema_from_wherever_the_file_is(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "lesson.yaml"
    run("new", "--document", RAQQA, "--id", "x", "--out", out, "--seeds", seeds)
    first = out.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (out.parent / first.removeprefix(prefix)).resolve() == PROJECT_ROOT / "docs" / "lesson.schema.json"


def test_new_writes_into_the_lessons_folder_by_default(seeds: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_LESSONS", str(tmp_path / "lessons"))
    result = run("new", "--document", RAQQA, "--id", "mole", "--seeds", seeds)
    assert result.exit_code == 0
    assert (tmp_path / "lessons" / "mole.yaml").is_file()
    assert "next: python -m sourcecheck validate" in result.stdout


def test_new_refuses_an_existing_file(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("my work", encoding="utf-8")
    result = run("new", "--document", RAQQA, "--id", "x", "--out", out, "--seeds", seeds)
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "my work"


def test_new_refuses_an_unknown_document_and_lists_the_known_ones(seeds: Path, tmp_path: Path) -> None:
    result = run("new", "--document", "nope", "--id", "x", "--out", tmp_path / "x.yaml", "--seeds", seeds)
    assert result.exit_code == 1
    assert "no document 'nope' in the catalog; known documents: " + ", ".join(REAL_IDS) in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_new_refuses_a_bad_lesson_id_as_a_usage_error(seeds: Path, tmp_path: Path) -> None:
    result = run("new", "--document", RAQQA, "--id", "My Lesson", "--out", tmp_path / "x.yaml", "--seeds", seeds)
    assert result.exit_code == 2
    assert "for example 'my-lesson'" in result.stderr


# --- quote ----------------------------------------------------------------------------------

def test_quote_finds_a_sentence_ignoring_case_spacing_and_quote_marks(seeds: Path) -> None:
    result = run("quote", "--document", RAQQA, '"most   ALARMINGLY, officials said', "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("quote: “Most alarmingly, officials said, Trump revealed the city in the Islamic "
                             "State’s territory where the U.S. intelligence partner detected the threat”.\n")


def test_quote_output_pastes_into_a_lesson_that_validates(seeds: Path, tmp_path: Path) -> None:
    pasted = run("quote", "--document", RAQQA, "new york times now", "--seeds", seeds).stdout
    quote = yaml.safe_load(pasted)["quote"]
    path = tmp_path / "pasted.yaml"
    path.write_text(MINIMAL.replace("QUOTE", pasted.strip()), encoding="utf-8")
    placed = load_lesson(path, load_catalog(seeds)).excerpts["nyt"]
    assert normalise(placed.text).text == quote == "The New York Times now confirms that the source is Israel."


def test_quote_from_first_to_last_words(seeds: Path) -> None:
    result = run("quote", "--document", RAQQA, "there has been much … far reaching speculation", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout)["quote"] == (
        "There has been much speculation about Israeli-ISIS cooperation, but little concrete facts. But if one "
        "considers the hysteria surrounding the alleged leak and takes at face value every statement in the "
        "newspaper of record, far reaching speculation becomes possible.")
    backwards = run("quote", "--document", RAQQA, "far reaching speculation ... there has been much", "--seeds", seeds)
    assert backwards.exit_code == 1


def test_quote_lists_every_match_with_its_line(seeds: Path) -> None:
    result = run("quote", "--document", RAQQA, "officials said", "--seeds", seeds)
    assert result.exit_code == 0
    assert "2 passages of 000_7512caa2dcf887b1 contain these words:" in result.stderr
    lines = (PROJECT_ROOT / "seeds" / f"{RAQQA}.txt").read_text(encoding="utf-8").splitlines()
    found = result.stdout.strip().split("\n")
    assert len(found) == 4
    for marker, pasted in zip(found[::2], found[1::2], strict=True):
        line = int(marker.removeprefix("# line "))
        words = yaml.safe_load(pasted)["quote"].split()[:4]
        assert normalise(" ".join(words)).text in normalise(lines[line - 1]).text


def test_quote_without_a_match_exits_1_and_shows_the_closest_passage(seeds: Path) -> None:
    result = run("quote", "--document", RAQQA, "mole in rakka", "--seeds", seeds)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == ("Error: no passage of 000_7512caa2dcf887b1 contains “mole in rakka”; the closest passage "
                             "(line 3) is: “mole in Raqqa?”\n")


def test_quote_output_is_yaml_safe_for_awkward_sentences(seeds: Path) -> None:
    add(seeds, AWKWARD_DOCUMENTS["punctuation"], "--title", "p", "--id", "punct")
    for words in ("he said", "single quotes", "title"):
        pasted = run("quote", "--document", "punct", words, "--seeds", seeds).stdout
        quote = yaml.safe_load(pasted)["quote"]
        assert words in quote.lower()


def test_quote_refuses_an_unknown_document(seeds: Path) -> None:
    result = run("quote", "--document", "nope", "x", "--seeds", seeds)
    assert result.exit_code == 1
    assert "known documents:" in result.stderr


# --- preview --------------------------------------------------------------------------------

def test_preview_command_opens_the_app_on_one_file(tmp_path: Path) -> None:
    lesson = tmp_path / "draft.yaml"
    argv, env = preview_command(lesson, port=8600, seeds=tmp_path / "s", base_env={"PATH": "/bin"})
    assert argv[1:4] == ["-m", "streamlit", "run"]
    assert Path(argv[4]) == PROJECT_ROOT / "app.py"
    assert argv[argv.index("--server.port") + 1] == "8600"
    assert env["SOURCECHECK_LESSONS"] == str(lesson.resolve())
    assert env["SOURCECHECK_SEEDS"] == str((tmp_path / "s").resolve())
    assert env["PATH"] == "/bin"


def test_preview_validates_first_and_does_not_start_the_app_for_a_broken_file(
        seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authoring_cli, "run_child", lambda *a, **k: pytest.fail("the app must not start"))
    broken = seeds.parent / "broken.yaml"
    broken.write_text(MINIMAL.replace("QUOTE", "quote: The New York Times").replace("answer:", "answr:"))
    result = run("preview", broken, "--seeds", seeds)
    assert result.exit_code == 1
    assert "unknown key 'answr' (did you mean 'answer'?)" in result.stderr


def test_preview_starts_streamlit_with_the_file_and_prints_the_url(
        seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    monkeypatch.setattr(authoring_cli, "run_child", lambda argv, env, cwd: calls.append((argv, env)) or 0)
    draft = tmp_path / "elsewhere" / "draft.yaml"
    draft.parent.mkdir()
    draft.write_text(MINIMAL.replace("QUOTE", "quote: The New York Times now confirms"), encoding="utf-8")
    result = run("preview", draft, "--port", "8611", "--seeds", seeds)
    assert result.exit_code == 0, result.output
    assert "at http://localhost:8611" in result.stdout
    assert calls and calls[0][1]["SOURCECHECK_LESSONS"] == str(draft.resolve())


def test_a_scaffold_phrase_with_a_comma_stays_one_phrase(seeds: Path, tmp_path: Path) -> None:
    """`answers: [rushed, report finds]` would be two phrases: the scaffold quotes phrases inside [...]."""
    text = "Rushed, report finds, as the board votes on the plan tonight.\nA second sentence follows it here.\n"
    assert add(seeds, text, "--title", "comma", "--id", "comma").exit_code == 0
    out = tmp_path / "comma.yaml"
    assert run("new", "--document", "comma", "--id", "draft", "--out", out, "--seeds", seeds).exit_code == 0
    spans = next(q for q in load_lesson(out, load_catalog(seeds)).lesson.questions if q.type == "spans")
    assert spans.answers == ["Rushed, report finds,"]  # type: ignore[union-attr]
