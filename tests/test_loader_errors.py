"""Every broken lesson gets one exact message at the exact line and column (the teacher's view)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import LibraryCache, display_path, load_lesson, load_library
from sourcecheck.lessons.problems import LessonProblems, format_problem
from sourcecheck.lessons.rules import MAX_BYTES

BAD = Path(__file__).parent / "fixtures" / "bad"
# Each broken fixture and the whole message a teacher reads for it, caret included (strictyaml's stories).
STORIES = {
    "anchors": """\
anchors.yaml:20:12: YAML anchors and aliases (&name, *name) are not allowed in lessons; write the value out in full
        skill: &s named-unnamed
               ^""",
    "annotation-outside-quote": """\
annotation-outside-quote.yaml:13:15: “sources said” is not inside its quote; copy the words exactly from the quote
          - text: sources said
                  ^""",
    "content-note-misspelt": """\
content-note-misspelt.yaml:5:1: unknown key 'trigger_warning' (did you mean 'content_note'?)
    trigger_warning: The passage mentions a killing.
    ^""",
    "content-note-not-text": """\
content-note-not-text.yaml:5:15: content_note must be text, not a list
    content_note: [violence, death]
                  ^""",
    "duplicate-excerpt-id": """\
duplicate-excerpt-id.yaml:16:9: duplicate excerpt id 'officials' (also used by excerpt 1); give each excerpt its own id
      - id: officials
            ^""",
    "duplicate-key": """\
duplicate-key.yaml:22:5: duplicate key 'prompt' (first given on line 21); keep only one
        prompt: Who spoke?
        ^""",
    "duplicate-question-id": """\
duplicate-question-id.yaml:27:9: duplicate question id 'who' (also used by question 1); give each question its own id
      - id: who
            ^""",
    "empty-file": """\
empty-file.yaml:1:1: the file is empty: a lesson starts with 'id:', 'title:' and the other keys in docs/lesson-format.md (python -m sourcecheck new writes a complete example)
    # An empty lesson file: only this comment.
    ^""",
    "glossary-in-lesson": """\
glossary-in-lesson.yaml:9:1: unknown key 'glossary': the glossary is the library's, not a lesson's: add the term and its definition to seeds/glossary.yaml, and it shows beside every excerpt that contains it
    glossary:
    ^""",
    "indented-key": """\
indented-key.yaml:4:3: YAML syntax error: 'summary:' is indented more than the key above it, so YAML reads it as part of that value; start it in the same column as the other keys at its level
      summary: The smallest lesson that uses a quote, an annotation and a question.
      ^""",
    "match-unknown-category": """\
match-unknown-category.yaml:26:19: category 'unamed' is not in this question's categories (named, unnamed)
            category: unamed
                      ^""",
    "key-indented-too-little": """\
key-indented-too-little.yaml:25:8: YAML syntax error: 'correct:' is indented 7 spaces, its siblings 8: indent it like the lines above
           correct: true
           ^""",
    "mark-label-not-annotated": """\
mark-label-not-annotated.yaml:22:14: no annotation of excerpt 'officials' has the label 'named-source' (did you mean 'unnamed-source'?); its annotations have: unnamed-source
        labels: [named-source]
                 ^""",
    "mark-shared-word": """\
mark-shared-word.yaml:25:5: the 'claim' phrase “officials said, Trump revealed the city” and the 'unnamed-source' phrase “officials said” of excerpt 'officials' share “officials said”: a student gives each word one category, so no marking could earn full points; make the two annotations not overlap, or ask for only one of the two labels
        labels: [unnamed-source, claim]
        ^""",
    "mark-two-excerpts": """\
mark-two-excerpts.yaml:25:14: a 'mark' question has students mark words in one passage; give one excerpt id, not a list of 2
        excerpt: [officials, times]
                 ^""",
    "missing-key": """\
missing-key.yaml:17:5: missing required key 'prompt': add 'prompt:' here
      - id: who
        ^""",
    "path-traversal": """\
path-traversal.yaml:8:11: '../../etc/passwd' is not a document id: use the name of a .txt file in seeds/ without '.txt' (letters, digits, '_', '-' and '.'; no '/' or '..')
    document: ../../etc/passwd
              ^""",
    "quote-not-found": """\
quote-not-found.yaml:11:39: quote not found in 000_7512caa2dcf887b1: 'say' here, 'said' in the document; the closest passage is: “Most alarmingly, officials said, Trump revealed the city”
        quote: Most alarmingly, officials say, Trump revealed the city
                                          ^""",
    "quote-word-changed": """\
quote-word-changed.yaml:14:65: quote not found in 010_d45f11cd5478bcf7: 'stated' here, 'said' in the document; the closest passage is: “The application, made by Ridgeline Energy and published on the district council's planning website as application 25/0418 on 2 May 2025, says each turbine would be 110 metres tall. Imogen Shaw, the council's head of planning, said the council would hold a public consultation before it decides.”
          metres tall. Imogen Shaw, the council’s head of planning, stated the council would hold
                                                                    ^""",
    "single-two-correct": """\
single-two-correct.yaml:23:5: a 'single' question needs exactly one option with 'correct: true'; this one has 2; use type: multi for several right answers
        options:
        ^""",
    "skill-not-in-lesson": """\
skill-not-in-lesson.yaml:20:12: skill 'hedges' is not in the lesson's skills (named-unnamed); add it there or pick one of those
        skill: hedges
               ^""",
    "spans-phrase-not-in-excerpt": """\
spans-phrase-not-in-excerpt.yaml:24:19: “the town” is not in the question's excerpt; copy the words exactly from the quote
        distractors: [the town]
                      ^""",
    "tab-indent": """\
tab-indent.yaml:21:1: YAML syntax error: this line is indented with a tab; YAML needs spaces: replace the tab with spaces
    \tprompt: Who gave the information?
    ^""",
    "unknown-document": """\
unknown-document.yaml:8:11: document '009_missing' is not in seeds/catalog.yaml; known documents: 000_7512caa2dcf887b1, 001_e8317e33cb15e172, 002_a512e606a65f4a3d, 003_f888a4dcb2dea73e, 004_37a98c5e477193c4, 005_bf63a2f7e57d997c, 006_f63b5c2ae4504653, 007_0c02a229afab2a57, 008_e34d989151e8919f, 009_32fd091f2882b85e, 010_d45f11cd5478bcf7, 011_e70cc85a1652b0db, 012_3b63d46c8e33707f, 013_dd903c2c3718846a, 014_17ee025382907d54, 015_6f6b2ae6b80c4b3c, 016_20b4b4937ece8210, 017_ffb95d63ba547164, 018_cf772e9c338d96ec
    document: 009_missing
              ^""",
    "unknown-excerpt": """\
unknown-excerpt.yaml:19:14: no excerpt with id 'oficials'; excerpts in this lesson: officials
        excerpt: oficials
                 ^""",
    "unknown-key": """\
unknown-key.yaml:23:5: unknown key 'optoins' (did you mean 'options'?)
        optoins:
        ^""",
    "unknown-label": """\
unknown-label.yaml:14:16: unknown label 'anonymous-source' (did you mean 'unnamed-source'?); labels are: claim, named-source, unnamed-source, vague-attribution, outlet, document, hedge, booster, speculation, loaded-language, unverified, corroboration, rhetorical-question, no-source
            label: anonymous-source
                   ^""",
    "unknown-question-type": """\
unknown-question-type.yaml:18:11: unknown question type 'choice'; use one of: single, multi, true-false, spans, mark, match, short
        type: choice
              ^""",
    "wrong-type": """\
wrong-type.yaml:6:10: minutes must be a whole number, not the text 'ten'
    minutes: ten
             ^""",
    "yaml-syntax": """\
yaml-syntax.yaml:21:21: YAML syntax error: a value contains ': ' — put the whole value in quotes, or use '>-' and write it on the next lines
        prompt: Who said: the officials?
                        ^""",
}


WARN = Path(__file__).parent / "fixtures" / "warn"
# Valid lessons that are probably not what the teacher meant: the lesson loads, and the warning says which
# words it took and how to pick others.
WARNINGS = {
    "excerpt-unused": """\
excerpt-unused.yaml:16:9: no question uses excerpt 'spare', so students never see it; name it in a question's 'excerpt:', or delete it
      - id: spare
            ^""",
    "quote-repeated": """\
quote-repeated.yaml:11:12: this quote is in 000_7512caa2dcf887b1 2 times: line 15 (paragraph 8) and line 23 (paragraph 12); the lesson uses the first, and shows the paragraphs around it; quote more words (a few before or after it) so that it matches only the place you mean
        quote: Israeli agent
               ^""",
    "annotation-repeated": """\
annotation-repeated.yaml:16:15: “speculation” appears 2 times in its quote and no 'occurrence:' is given, so this annotation takes the first; to mark another, add 'occurrence: 2'; to keep the first, add 'occurrence: 1'
          - text: speculation
                  ^""",
    "phrase-repeated": """\
phrase-repeated.yaml:21:15: “speculation” appears 2 times in the question's excerpt and no 'occurrence:' is given, so this phrase is the first; to pick another, write it as {text: speculation, occurrence: 2}; to keep the first, as {text: speculation, occurrence: 1}
        answers: [speculation]
                  ^""",
}


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_a_probable_slip_gets_one_warning_with_its_caret(catalog: Catalog, name: str) -> None:
    loaded = load_lesson(WARN / f"{name}.yaml", catalog)
    [warning] = loaded.warnings
    assert format_problem(replace(warning, path=f"{name}.yaml")) == WARNINGS[name]


def test_every_warning_fixture_is_in_the_case_table() -> None:
    assert sorted(p.stem for p in WARN.glob("*.yaml")) == sorted(WARNINGS)


@pytest.mark.parametrize(("name", "old", "new"), [
    ("annotation-repeated", "label: speculation\n", "label: speculation\n        occurrence: 1\n"),
    ("phrase-repeated", "answers: [speculation]", "answers: [{text: speculation, occurrence: 2}]"),
])
def test_saying_which_occurrence_silences_the_warning(catalog: Catalog, tmp_path: Path, name: str, old: str,
                                                      new: str) -> None:
    text = (WARN / f"{name}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    assert load_lesson(path, catalog).warnings == ()


def test_a_repeated_phrase_is_marked_where_the_teacher_said(catalog: Catalog, tmp_path: Path) -> None:
    """The warning says the first is taken: an annotation with no occurrence is the first one, and the second
    is reachable with 'occurrence: 2'."""
    text = (WARN / "annotation-repeated.yaml").read_text(encoding="utf-8")
    first = load_lesson(WARN / "annotation-repeated.yaml", catalog).excerpts["admits"]
    path = tmp_path / "second.yaml"
    path.write_text(text.replace("label: speculation\n", "label: speculation\n        occurrence: 2\n"),
                    encoding="utf-8")
    second = load_lesson(path, catalog).excerpts["admits"]
    [a], [b] = first.annotations, second.annotations
    assert first.text[:a.start].count("speculation") == 0 and second.text[:b.start].count("speculation") == 1


def test_two_mark_categories_that_share_only_a_label_are_fine(catalog: Catalog, tmp_path: Path) -> None:
    """Overlapping phrases of the same category, or of a category the question does not ask for, are allowed."""
    text = (BAD / "mark-shared-word.yaml").read_text(encoding="utf-8")
    path = tmp_path / "ok.yaml"
    path.write_text(text.replace("labels: [unnamed-source, claim]", "labels: [unnamed-source]"), encoding="utf-8")
    assert load_lesson(path, catalog).lesson.questions[0].labels == ["unnamed-source"]


def test_the_bundled_lessons_have_no_warnings(library) -> None:
    assert [w.headline() for w in library.warnings] == []


@pytest.mark.parametrize("name", sorted(STORIES))
def test_bad_lesson_reports_the_whole_message_with_its_caret(catalog: Catalog, name: str) -> None:
    with pytest.raises(LessonProblems) as caught:
        load_lesson(BAD / f"{name}.yaml", catalog)
    [error] = caught.value.errors
    assert format_problem(replace(error, path=f"{name}.yaml")) == STORIES[name]


def test_every_bad_fixture_is_in_the_case_table() -> None:
    assert sorted(p.stem for p in BAD.glob("*.yaml")) == sorted(STORIES)


def test_caret_points_at_the_offending_key(catalog: Catalog) -> None:
    with pytest.raises(LessonProblems) as caught:
        load_lesson(BAD / "unknown-key.yaml", catalog)
    lines = format_problem(caught.value.errors[0]).splitlines()
    assert lines[1:] == ["        optoins:", "        ^"]


def test_every_problem_in_a_file_is_reported_at_once(catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    broken = (minimal_text.replace("minutes: 2", "minutes: ten").replace("level: intro", "level: easy")
              .replace("    options:", "    optoins:"))
    path = tmp_path / "many.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert [(e.line, e.message.split(" ")[0]) for e in caught.value.errors] == [
        (5, "'easy'"), (6, "minutes"), (23, "unknown")]


def test_a_broken_file_does_not_hide_the_good_ones(catalog: Catalog, lesson_dir: Path, minimal_text: str) -> None:
    (lesson_dir / "good.yaml").write_text(minimal_text, encoding="utf-8")
    (lesson_dir / "bad.yaml").write_text(minimal_text.replace("id: minimal", "id: other").replace(
        "label: unnamed-source", "label: nope"), encoding="utf-8")
    library = load_library([lesson_dir], catalog)
    assert [lesson.id for lesson in library.lessons] == ["minimal"]
    assert library.broken_files == [str(lesson_dir / "bad.yaml")] or library.broken_files[0].endswith("bad.yaml")


@pytest.mark.parametrize(("older", "newer"), [("a.yaml", "b.yaml"), ("b.yaml", "a.yaml")])
def test_duplicate_lesson_id_blames_the_newer_file(catalog: Catalog, lesson_dir: Path, minimal_text: str,
                                                    older: str, newer: str) -> None:
    """A teacher copies a lesson to start a new one: the copy is refused and the original keeps playing."""
    (lesson_dir / older).write_text(minimal_text, encoding="utf-8")
    (lesson_dir / newer).write_text(minimal_text.replace("title: ", "title: Copy of "), encoding="utf-8")
    os.utime(lesson_dir / older, ns=(1_000_000_000, 1_000_000_000))
    library = load_library([lesson_dir], catalog)
    assert [lesson.path.name for lesson in library.lessons] == [older]
    [problem] = library.problems
    assert format_problem(replace(problem, path=newer)) == (
        f"{newer}:2:5: lesson id 'minimal' is already used by {display_path(lesson_dir / older)}; "
        "give this lesson its own id\n"
        "    id: minimal\n"
        "        ^")


def test_assembling_a_library_reads_no_file(catalog: Catalog, lesson_dir: Path, minimal_text: str) -> None:
    """The cache assembles under its lock: a file deleted meanwhile must not put an OSError on a page."""
    for name in ("a.yaml", "b.yaml"):
        (lesson_dir / name).write_text(minimal_text, encoding="utf-8")
    cache = LibraryCache(lesson_dir, catalog)
    first = cache.get()
    (lesson_dir / "b.yaml").write_text(minimal_text + "\n", encoding="utf-8")
    (lesson_dir / "a.yaml").unlink()
    second = cache.get()
    assert [lesson.path.name for lesson in first.lessons] == ["a.yaml"]
    assert [lesson.path.name for lesson in second.lessons] == ["b.yaml"] and not second.problems


def test_oversized_file_is_refused_before_parsing(catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(minimal_text + "#" * MAX_BYTES, encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert caught.value.errors[0].message.endswith("lesson files may be at most 1,000,000 bytes")


def test_alias_bomb_is_refused(catalog: Catalog, tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    path = tmp_path / "bomb.yaml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert (caught.value.errors[0].line, caught.value.errors[0].column) == (1, 4)


def test_python_tags_are_never_constructed(catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(minimal_text.replace("title: Minimal lesson", "title: !!python/object/apply:os.system [echo hi]"),
                    encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert caught.value.errors[0].line == 3
    assert caught.value.errors[0].message.startswith("unsupported YAML tag '!!python/object/apply:os.system'")


def test_non_utf8_file(catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(minimal_text.replace("Minimal", "Minimal café").encode("latin-1"))
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert "not UTF-8" in caught.value.errors[0].message


def test_cli_exits_1_with_one_line_per_problem_on_the_bad_fixtures() -> None:
    result = CliRunner().invoke(main, ["validate", str(BAD)])
    assert result.exit_code == 1
    headlines = [line for line in result.output.splitlines() if "fixtures/bad/" in line.split(":")[0]]
    assert len(headlines) == len(STORIES)
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in headlines)
    assert result.output.splitlines()[-1] == f"{len(STORIES)} of {len(STORIES)} lesson files invalid, {len(STORIES)} problems"


def test_cli_exits_0_on_the_bundled_lessons() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output.splitlines()[-1]


def test_cli_usage_error_exits_2() -> None:
    assert CliRunner().invoke(main, ["validate", "no/such/path.yaml"]).exit_code == 2


DEEP = {
    "flow lists": "title: " + "[" * 20_000 + "]" * 20_000,
    "flow mappings": "title: " + "{a: " * 3_000 + "1" + "}" * 3_000,
    "block sequences": "- " * 300_000 + "x",
    "enough to crash libyaml": "title: " + "[" * 499_000 + "]" * 499_000,  # 998 kB: under the size limit
}


@pytest.mark.parametrize("text", DEEP.values(), ids=list(DEEP))
def test_deep_nesting_gets_one_message_fast(catalog: Catalog, tmp_path: Path, text: str) -> None:
    """libyaml's composer recurses in C: unchecked, the last case kills the whole server with a segfault."""
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert time.monotonic() - started < 2
    [error] = caught.value.errors
    assert error.message == "lists and mappings are nested more than 40 levels deep here; a lesson needs about 6"
    assert len(format_problem(error).splitlines()[1]) < 120  # a window around the caret, not a 1 MB line


@pytest.mark.parametrize(("typed", "hint"), [
    ("source", "(did you mean one of: named-source, unnamed-source, outlet, document?)"),  # by meaning
    ("anonymous", "(did you mean 'unnamed-source'?)"),
    ("certainty", "(did you mean 'booster'?)"),  # the certainty-booster label, by meaning
    ("hedges", "(did you mean 'hedge'?)"),  # by spelling
])
def test_an_unknown_label_is_matched_by_meaning_before_spelling(catalog: Catalog, tmp_path: Path, minimal_text: str,
                                                                typed: str, hint: str) -> None:
    path = tmp_path / "label.yaml"
    path.write_text(minimal_text.replace("label: unnamed-source", f"label: {typed}"), encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_lesson(path, catalog)
    assert caught.value.errors[0].message.startswith(f"unknown label '{typed}' {hint}; labels are: ")
