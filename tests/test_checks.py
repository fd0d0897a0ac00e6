"""Checks (docs/checks.md): the real check loads and plays through the lesson machinery, and each rule of the check
format, broken on purpose, is reported at its line with its own message, every problem at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_library import _judgements
from test_library_leaks import within_lesson_leaks
from testwise import JUDGEMENT_CUES, JUDGEMENT_MARGIN, judgement_cues, plays, run_strategies

from sourcecheck.cli import main
from sourcecheck.grading.raw import PickedOne
from sourcecheck.grading.responses import read_response
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import (
    JUDGEMENT_NO,
    JUDGEMENT_PROMPT,
    JUDGEMENT_YES,
    MIN_JUDGEMENTS,
    Check,
    load_checks,
    read_checks,
)
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.skills import SKILLS

REAL = PROJECT_ROOT / "checks" / "sourcing-check-1.yaml"
TEXT = REAL.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def check(catalog: Catalog) -> Check:
    checks = load_checks(PROJECT_ROOT / "checks", catalog)
    assert [c.id for c in checks] == ["sourcing-check-1"]
    return checks[0]


# ------------------------------------------------------------------------------------------------ the real check


def test_the_real_check_has_three_matched_forms_of_at_least_12_items(check: Check) -> None:
    """Three forms: a class sits the check before, after and weeks after a unit, and no one sees a form twice."""
    assert list(check.forms) == ["A", "B", "C"]
    assert [form.id for form in check.forms.values()] == ["sourcing-check-1.A", "sourcing-check-1.B",
                                                          "sourcing-check-1.C"]
    for letter, form in check.forms.items():
        assert len(form.lesson.questions) >= 12
        truths = [j.truth for j in check.judgements if j.form == letter]
        assert len(truths) >= MIN_JUDGEMENTS and truths.count("strong") == truths.count("weak")
    a, b, c = (form.lesson.questions for form in check.forms.values())
    assert [q.skill for q in a] == [q.skill for q in b] == [q.skill for q in c]
    assert {q.skill for q in a} == set(SKILLS), "the check covers every skill of the progression"


def test_a_judgement_item_is_a_single_question_with_fixed_options_and_a_confidence_rating(check: Check) -> None:
    for judgement in check.judgements:
        form = check.forms[judgement.form]
        question = form.question(judgement.question_id)
        assert isinstance(question, SingleQuestion)
        assert question.prompt == JUDGEMENT_PROMPT and question.confidence and question.shuffle is False
        assert [o.text for o in question.options] == [JUDGEMENT_YES, JUDGEMENT_NO]
        assert [o.correct for o in question.options] == [judgement.truth == "strong", judgement.truth == "weak"]
        assert form.excerpts[judgement.excerpt_id].excerpt.sourcing == judgement.truth
        assert check.truth(judgement.form, judgement.question_id) == judgement.truth
    assert check.truth("A", "who-says-older") is None


def test_each_form_plays_a_judgement_right_and_wrong_through_the_grading(check: Check) -> None:
    for judgement in check.judgements:
        bound = check.forms[judgement.form].bound(judgement.question_id)
        right = 0 if judgement.truth == "strong" else 1
        assert score_question(bound, read_response(bound, PickedOne(right))).verdict == "correct"
        assert score_question(bound, read_response(bound, PickedOne(1 - right))).verdict == "incorrect"


def test_every_question_of_every_form_can_be_scored(check: Check) -> None:
    for form in check.forms.values():
        assert len(plays([form])) == len(form.lesson.questions)


def test_the_real_check_quotes_no_lesson_passage_and_each_role_is_on_both_sides(check: Check, catalog: Catalog,
                                                                               library: Library) -> None:
    """Transfer: no lesson quotes a word of a check's passage (the validator's rule, held here against the real
    library). Neutrality: in each form, strong and weak passages each come from texts on both sides of the
    dispute (the catalog description says which side a text takes)."""
    for letter, form in check.forms.items():
        for excerpt in form.excerpts.values():
            assert catalog.entries[excerpt.document.info.id].invented
            for lesson in library.lessons:
                for other in lesson.excerpts.values():
                    if other.document.info.id == excerpt.document.info.id:
                        assert min(other.end, excerpt.end) <= max(other.start, excerpt.start)
        for truth in ("strong", "weak"):
            kinds = {form.excerpts[j.excerpt_id].document.info.description.split(",")[0]  # type: ignore[union-attr]
                     for j in check.judgements if j.form == letter and j.truth == truth}
            assert any("supports" in k for k in kinds) and any("opposes" in k for k in kinds), (letter, truth, kinds)


def test_the_real_check_judges_no_claim_and_no_outlet(check: Check) -> None:
    assert _judgements(check.forms.values()) == []


def test_the_real_check_gives_no_answer_away(check: Check) -> None:
    """The library's own reviews, run on the forms: no test-wise strategy beats chance over all the forms, and no
    question is answered by what an earlier one showed."""
    results = run_strategies(plays(check.forms.values()))
    assert not [r for r in results if r.fails], "\n".join(r.line() for r in results if r.fails)
    assert [m for form in check.forms.values() for m in within_lesson_leaks(form)] == []


def test_no_passage_cue_answers_the_judgement_items(check: Check) -> None:
    """A test-wise student who answers "strong" (or "weak") by how a passage looks, not by what it credits
    (any digits; a title in quotation marks or a date; longer than the form's median passage; quotation marks
    at all), gets no more than half the judgement items right plus one, in every form: 4 of 6. A weak passage
    with an exact number or a date and no source, and a strong one that names a person with a role and has no
    number, keep these rules from working."""
    scores = judgement_cues(plays(check.forms.values()))
    assert {s.lesson for s in scores} == {form.id for form in check.forms.values()}
    assert len(scores) == len(JUDGEMENT_CUES) * len(check.forms)
    assert all(s.questions >= MIN_JUDGEMENTS for s in scores)
    print("\n" + "\n".join(s.line() for s in scores))
    failing = [s for s in scores if s.fails]
    assert not failing, (f"passage cues right on more than half + {JUDGEMENT_MARGIN} of a form's judgement items:\n"
                         + "\n".join(s.line() for s in failing))


def test_the_passage_cues_catch_the_cues_they_name(tmp_path: Path, catalog: Catalog) -> None:
    """The harness sees what it claims to: with form A's item 11 judged on the council paper's sentence again (a
    title and a date) and item 5 cut to its first sentence (no date), 'strong if it has a quoted title or a date'
    gets all 6 of form A's judgement items right, and fails."""
    berg = ("Councillor Hana Berg, who chairs the planning committee, said the trial would show what really\n"
            "          happens, instead of guessing.")
    officer = ("It is understood that some shop owners plan to ask for the trial to be dropped. A council officer,"
               " who\n          asked not to be named, said on 12 March that the closure could cost the town"
               " \"a lot of parking money\".")
    paper = ("The plan is set out in a council paper, \"Market Street Saturday Trial\" (report TR-14,\n"
             "          published 7 March 2025), which is on the council's website.")
    assert TEXT.count(berg) == TEXT.count(officer) == 1
    text = TEXT.replace(berg, paper).replace(
        officer, "It is understood that some shop owners plan to ask for the trial to be dropped.")
    found = read_checks([_write(tmp_path, text)], catalog, [])
    assert found.problems == [] and len(found.checks) == 1
    scores = {(s.strategy, s.lesson): s for s in judgement_cues(plays(found.checks[0].forms.values()))}
    cue = scores[("judgement: strong if it has a quoted title or a date", "sourcing-check-1.A")]
    assert (cue.right, cue.questions, cue.fails) == (6, 6, True)


def test_every_yaml_block_in_the_checks_doc_is_part_of_the_bundled_check() -> None:
    doc = (PROJECT_ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) == 2
    for block in blocks:
        assert block in TEXT, block


def test_validate_covers_checks() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(PROJECT_ROOT / "checks")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "1 check file valid, 3 forms, 39 questions"
    everything = runner.invoke(main, ["validate"])
    assert everything.exit_code == 0, everything.output
    assert "lesson files valid" in everything.output and "1 check file valid" in everything.output


# ------------------------------------------------------------------------------------------------ each rule, broken


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sourcing-check-1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _problems(tmp_path: Path, text: str, catalog: Catalog, library: Library | None = None) -> list[tuple[int, str]]:
    found = read_checks([_write(tmp_path, text)], catalog, library.lessons if library else [])
    assert found.checks == []
    return [(p.line, p.message) for p in found.problems]


def _line(text: str, marker: str, after: str = "") -> int:
    """The 1-based line of the first `marker` after the first `after`."""
    start = text.index(after) if after else 0
    return text[:text.index(marker, start)].count("\n") + 1


def _block(text: str, question_id: str) -> str:
    """A question's whole block, from its `- id:` line to the next item or form."""
    match = re.search(rf"^      - id: {question_id}\n.*?(?=^      - id: |^  [A-Z]:|\Z)", text,
                      re.DOTALL | re.MULTILINE)
    assert match, question_id
    return match.group(0)


def test_forms_of_different_lengths(tmp_path: Path, catalog: Catalog) -> None:
    text = TEXT.replace(_block(TEXT, "who-wind-action"), "")
    assert _problems(tmp_path, text, catalog) == [
        (_line(text, "questions:", after="  B:"),
         "form B has 12 items and form A has 13; parallel forms have the same number of items, matched one by one")]


def test_matched_items_of_different_skills(tmp_path: Path, catalog: Catalog) -> None:
    block = _block(TEXT, "who-says-rent")
    text = TEXT.replace(block, block.replace("skill: claim-and-source", "skill: named-unnamed"))
    line = _line(text, "skill: named-unnamed", after="id: who-says-rent")
    assert _problems(tmp_path, text, catalog) == [
        (line, "item 2 of form B practises 'named-unnamed' and item 2 of form A ('who-says-older') "
               "'claim-and-source'; matched items practise the same skill")]


def test_matched_items_of_different_types_and_too_few_judgements(tmp_path: Path, catalog: Catalog) -> None:
    block = _block(TEXT, "judge-shaw")
    text = TEXT.replace(block, block.replace("type: judgement", "type: true-false\n        prompt: \"True or "
                                             "false: the height is given.\"\n        answer: true"))
    assert _problems(tmp_path, text, catalog) == [
        (_line(text, "questions:", after="  B:"), "form B has 5 judgement item(s), 2 on strong passages and 3 on "
                                                  "weak ones; a form needs at least 6, half strong and half weak"),
        (_line(text, "type: true-false", after="id: judge-shaw"),
         "item 11 of form B is a true-false item and item 11 of form A ('judge-berg') a judgement item; "
         "matched items have the same type")]


def test_matched_items_on_passages_with_different_tags(tmp_path: Path, catalog: Catalog) -> None:
    text = TEXT.replace("id: house-prices\n        document: 010_d45f11cd5478bcf7\n        sourcing: mixed",
                        "id: house-prices\n        document: 010_d45f11cd5478bcf7\n        sourcing: weak")
    assert text != TEXT
    assert _problems(tmp_path, text, catalog) == [
        (_line(text, "excerpt: house-prices"), "item 4 of form B is on a passage tagged weak and item 4 of form A "
                                               "('hedges-mill-road') on one tagged mixed; matched items are on "
                                               "passages with the same sourcing tag")]


def test_a_judgement_needs_a_strong_or_weak_passage(tmp_path: Path, catalog: Catalog) -> None:
    block = _block(TEXT, "judge-fellside")
    text = TEXT.replace(block, block.replace("excerpt: fellside-survey", "excerpt: house-prices"))
    problems = _problems(tmp_path, text, catalog)
    assert problems[0] == (_line(text, "excerpt: house-prices"), "excerpt 'house-prices' is tagged 'mixed': a "
                           "judgement item's passage must be tagged 'sourcing: strong' or 'sourcing: weak', which "
                           "is its answer")


def test_a_judgement_item_takes_no_options_of_its_own(tmp_path: Path, catalog: Catalog) -> None:
    block = _block(TEXT, "judge-fellside")
    text = TEXT.replace(block, block.replace("type: judgement", "type: judgement\n        optoins: [Yes, No]"))
    assert (_line(text, "optoins"), "unknown key 'optoins' (did you mean 'points'?)") in _problems(
        tmp_path, text, catalog)


def test_a_passage_in_two_forms(tmp_path: Path, catalog: Catalog) -> None:
    a = 'according to Harwick Borough Council\'s report "High\n          Street Trial: Final Figures"'
    text = TEXT.replace(
        "id: fellside-survey\n        document: 011_e70cc85a1652b0db",
        "id: fellside-survey\n        document: 008_e34d989151e8919f").replace(
        "The \"Fellside Moor Visitor Survey 2024\", published by the Fellside Moor Trail Trust (pages 4 and 5),\n"
        "          counted 21,400 walkers in 2024, against 20,900 in 2018, before the turbines were built.", a)
    assert text.count(a) == 2
    assert _problems(tmp_path, text, catalog) == [
        (_line(text, a, after="  B:") - 1, "this passage shares words with form A (excerpt 'harwick-report'); a "
                                          "check quotes only passages students have not met in a lesson or in "
                                          "another form")]


def test_a_passage_a_lesson_quotes(tmp_path: Path, catalog: Catalog, library: Library) -> None:
    """Transfer: the bus report's councillor is quoted by a lesson, so a check may not use her."""
    text = TEXT.replace(
        "id: berg\n        document: 007_0c02a229afab2a57",
        "id: berg\n        document: 005_bf63a2f7e57d997c")
    start = text.index("Councillor Hana Berg, who chairs")
    end = text.index("instead of guessing.", start) + len("instead of guessing.")
    text = text[:start] + ("Councillor Ruth Okoye, who chairs the council's transport committee, said the money "
                           "saved would pay for a new evening bus to the hospital.") + text[end:]
    problems = _problems(tmp_path, text, catalog, library)
    assert len(problems) == 1
    line, message = problems[0]
    assert line == _line(text, "Councillor Ruth Okoye") - 1
    assert message.startswith("this passage shares words with lesson following-a-citation (excerpt 'okoye')")


def test_a_quote_that_is_not_verbatim_is_found_by_the_lesson_rules(tmp_path: Path, catalog: Catalog) -> None:
    text = TEXT.replace("counted 21,400 walkers", "counted 21,500 walkers")
    problems = _problems(tmp_path, text, catalog)
    assert problems[0][0] == _line(text, "id: fellside-survey") + 3
    assert problems[0][1].startswith("quote not found in 011_e70cc85a1652b0db: '21,500' here, '21,400' in the "
                                     "document; the closest passage is")


def test_two_forms_at_least_named_by_letters(tmp_path: Path, catalog: Catalog) -> None:
    only_a = TEXT[:TEXT.index("\n  B:\n") + 1]
    assert _problems(tmp_path, only_a, catalog) == [
        (_line(only_a, "forms:") + 1, "a check needs 'forms:' with at least two forms, 'A:' and 'B:', each with "
                                      "its own 'excerpts:' and 'questions:'")]
    lower = TEXT.replace("\n  B:\n", "\n  b:\n")
    assert _problems(tmp_path, lower, catalog) == [
        (_line(lower, "  b:"), "form 'b' must be named by one capital letter: A, B, C…")]


def test_every_problem_at_once_with_a_caret(tmp_path: Path, catalog: Catalog) -> None:
    text = TEXT.replace("minutes: 20", "minuts: 20").replace("counted 21,400 walkers", "counted 21,500 walkers")
    path = _write(tmp_path, text)
    found = read_checks([path], catalog, [])
    lines = [p.line for p in found.problems]
    assert _line(text, "minuts") in lines and _line(text, "id: fellside-survey") + 3 in lines
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "unknown key 'minuts' (did you mean 'minutes'?)" in result.output
    assert "\n    minuts: 20\n    ^\n" in result.output
    assert result.output.strip().endswith(f"1 of 1 check file invalid, {len(found.problems)} problems")


def test_two_checks_with_one_id(tmp_path: Path, catalog: Catalog) -> None:
    first = tmp_path / "a.yaml"
    first.write_text(TEXT, encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text(TEXT, encoding="utf-8")
    found = read_checks([first, second], catalog, [])
    assert [c.path for c in found.checks] == [first]
    assert [(p.line, p.message.split(";")[0]) for p in found.problems] == [
        (_line(TEXT, "id: sourcing-check-1"), f"check id 'sourcing-check-1' is already used by "
                                              f"{found.problems[0].message.split('used by ')[1].split(';')[0]}")]
