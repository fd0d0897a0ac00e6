"""GIFT export, read back with a parser written from Moodle's own import rules.

pygiftparser (the GIFT parser on PyPI) dates from 2017, pins Markdown 3.0 against
text2qti's >= 3.10 and does not follow Moodle's escaping, so the parser below follows
qformat_gift::readquestion instead: blocks split by blank lines, `//` comment lines
dropped, escapes replaced before parsing, the answer part between the first `{` and
`}`, general feedback after the last `####`, the question type read from the answers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from test_export_common import EVIL, load_every_type, real_lessons

from sourcecheck.export.common import Choice, ExportError
from sourcecheck.export.gift import gift_escape, to_gift, weights
from sourcecheck.grading.scoring import score_question
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.models import ShortQuestion

# Moodle's grade list (question_bank::fraction_options_full), in percent: written out here, not read from gift.py.
MOODLE_GRADES = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571,
                 12.5, 11.11111, 10, 5, 0]
_ESCAPES = {"\\:": "\x01058", "\\#": "\x01035", "\\=": "\x01061", "\\{": "\x01123", "\\}": "\x01125",
            "\\~": "\x01126", "\\n": "\x01010"}
_BACK = {"\x01058": ":", "\x01035": "#", "\x01061": "=", "\x01123": "{", "\x01125": "}", "\x01126": "~",
         "\x01010": "\n"}
_WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")


@dataclass
class Parsed:
    name: str
    qtype: str
    text: str
    general: str
    category: str
    answers: list[str] = field(default_factory=list)
    fractions: list[float] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    correct: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""


def parse_gift(text: str) -> list[Parsed]:
    out: list[Parsed] = []
    category = "$course$"
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
        body = "\n".join(lines).strip()
        if not body:
            continue
        body = body.replace("\\\\", "\x02")
        for escaped, placeholder in _ESCAPES.items():
            body = body.replace(escaped, placeholder)
        body = body.replace("\x02", "\\")
        if body.startswith("$CATEGORY:"):
            category = body[len("$CATEGORY:"):].strip()
            continue
        out.append(_question(body, category))
    return out


def _question(body: str, category: str) -> Parsed:
    name = ""
    if body.startswith("::"):
        name, body = body[2:].split("::", 1)
    start, end = body.index("{"), body.index("}")
    question, answers = body[:start].strip(), body[start + 1:end].strip()
    general = ""
    if "####" in answers:
        answers, general = answers[:answers.rindex("####")].strip(), answers[answers.rindex("####") + 4:]
    fmt, question = _format(question)
    parsed = Parsed(_post(name), "", _text(question, fmt), _text(general, fmt), category)
    if answers == "":
        parsed.qtype = "essay"
    elif "~" in answers:
        _multichoice(parsed, answers, fmt)
    elif "=" in answers and "->" in answers:
        parsed.qtype = "match"
        for pair in [a for a in answers.split("=") if a.strip()]:
            left, right = pair.split("->", 1)
            parsed.pairs.append((_text(left.strip(), fmt), _post(right.strip())))
    else:
        parsed.qtype = "truefalse"
        answer, *fb = [a.strip() for a in answers.split("#", 2)] + ["", ""]
        parsed.correct = answer in ("T", "TRUE")
        wrong, right = _text(fb[0], fmt), _text(fb[1], fmt)
        parsed.feedback_true, parsed.feedback_false = (right, wrong) if parsed.correct else (wrong, right)
    return parsed


def _multichoice(parsed: Parsed, answers: str, fmt: str) -> None:
    parsed.qtype = "multichoice-single" if "=" in answers else "multichoice-multi"
    for answer in [a.strip() for a in answers.replace("=", "~=").split("~") if a.strip()]:
        if answer.startswith("="):
            weight, answer = 1.0, answer[1:]
        elif match := _WEIGHT.match(answer):
            weight, answer = float(match.group(1)) / 100, answer[match.end():]
        else:
            weight = 0.0
        text, _, feedback = answer.partition("#")
        parsed.answers.append(_text(text.strip(), fmt))
        parsed.feedback.append(_text(feedback.strip(), fmt))
        parsed.fractions.append(weight)


def _format(text: str) -> tuple[str, str]:
    match = re.match(r"\[(html|moodle|plain|markdown)\]", text)
    return (match.group(1), text[match.end():]) if match else ("moodle", text)


def _post(text: str) -> str:
    for placeholder, char in _BACK.items():
        text = text.replace(placeholder, char)
    return text.strip()


def _text(text: str, fmt: str) -> str:
    """What a student reads: in [html] the markup is dropped and entities decoded."""
    text = _post(text)
    if text.startswith("[") and _format(text)[0] != "moodle":
        raise AssertionError(f"answer text would switch Moodle's format: {text!r}")
    if fmt == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- the tests ------------------------------------------------------------------------------

@pytest.fixture
def every_type(tmp_path: Path) -> LoadedLesson:
    return load_every_type(tmp_path)


def test_every_question_type_round_trips(every_type: LoadedLesson) -> None:
    parsed = {p.name.split("/")[1]: p for p in parse_gift(to_gift([every_type]).data)}
    assert list(parsed) == [q.id for q in every_type.lesson.questions]
    assert {p.category for p in parsed.values()} == {"$course$/SourceCheck/every-type"}
    for question in every_type.lesson.questions:
        p = parsed[question.id]
        assert _flat(question.prompt) in p.text
        for excerpt in every_type.excerpts_for(question):
            assert _flat(excerpt.text) in p.text
        if question.explanation:
            assert _flat(question.explanation) in p.general


def _options(question: Any) -> dict[str, Any]:
    return {"answers": [o.text for o in question.options], "feedback": [o.feedback or "" for o in question.options]}


# Each question type's GIFT form: the question id in every-type.yaml, Moodle's type, and what the parsed
# question must hold. Multi weights give partial credit and sum to zero, so ticking everything earns 0.
GIFT_FORMS: list[tuple[str, str, Callable[[Any], dict[str, Any]]]] = [
    ("pick-one", "multichoice-single", lambda q: {**_options(q), "fractions": [1.0, 0.0, 0.0]}),
    ("pick-all", "multichoice-multi",
     lambda q: {**_options(q), "fractions": pytest.approx([0.5, 0.5, -0.3333333, -0.3333333, -0.3333333])}),
    ("yes-no", "truefalse",
     lambda q: {"correct": False, "feedback_true": q.feedback_true, "feedback_false": q.feedback_false}),
    ("hedges", "multichoice-multi",  # spans: multiple answers over the candidate phrases
     lambda q: {"answers": ["“much speculation”", "“but little concrete facts”"], "fractions": [-1.0, 1.0]}),
    ("mark-them", "multichoice-multi",  # mark: multiple answers, one per annotated phrase and category
     lambda q: {"answers": ["“The New York Times now confirms”: outlet",
                            "“The New York Times now confirms”: unnamed source",
                            "“Israeli sources”: outlet", "“Israeli sources”: unnamed source"],
                "fractions": [0.5, -0.5, -0.5, 0.5]}),
    ("sort", "match", lambda q: {"pairs": [(i.text, i.category) for i in q.items] + [("", "never used")]}),
    ("reflect", "essay", lambda q: {"general": f"Model answer: {q.model_answer}"}),  # the model answer as feedback
]

# What GIFT cannot carry is said once, in a note for the teacher.
GIFT_NOTES = [
    ("hedges", "every-type/hedges: spans question exported as multiple choice (several answers)"),
    ("mark-them", "every-type/mark-them: mark question exported as multiple choice (several answers) over 4 "
                  "choices made from its passage's annotated phrases"),
    ("sort", "every-type/sort: GIFT matching has no feedback per item; the item feedback is added to the general "
             "feedback"),
    ("pick-all", "every-type/pick-all: GIFT cannot carry points; set its mark (2) in Moodle after importing"),
]


@pytest.mark.parametrize(("question_id", "qtype", "expected"), GIFT_FORMS, ids=[f[0] for f in GIFT_FORMS])
def test_each_question_type_has_its_gift_form(every_type: LoadedLesson, question_id: str, qtype: str,
                                              expected: Callable[[Any], dict[str, Any]]) -> None:
    p = next(p for p in parse_gift(to_gift([every_type]).data) if p.name.endswith(f"/{question_id}"))
    assert p.qtype == qtype
    for name, value in expected(every_type.question(question_id)).items():
        assert getattr(p, name) == value, name


@pytest.mark.parametrize(("question_id", "note"), GIFT_NOTES, ids=[n[0] for n in GIFT_NOTES])
def test_what_gift_cannot_carry_is_noted_once(every_type: LoadedLesson, question_id: str, note: str) -> None:
    notes = to_gift([every_type]).notes
    assert sum(n.startswith(note) for n in notes) == 1, notes


def test_hostile_text_stays_text(every_type: LoadedLesson) -> None:
    data = to_gift([every_type]).data
    comments = [line for line in data.splitlines() if line.startswith("//")
                and not line.startswith("// Mark in SourceCheck: ")]
    assert comments == [f"// SourceCheck lesson every-type: Title {EVIL}"]  # Moodle skips comment lines
    # Matching answers are plain text in Moodle (it escapes them in the drop-down), so they are
    # written as they are; the part before '->' and every other text is [html], escaped by us.
    data = "\n".join(line.split(" -> ")[0] for line in data.splitlines() if not line.startswith("//"))
    assert "<script" not in data and "<img" not in data
    assert "<p>Prompt &lt;script&gt;alert(\"x\")&lt;/script&gt; &lt;img src\\=x" in data
    match = next(p for p in parse_gift(to_gift([every_type]).data) if p.name.endswith("/sort"))
    assert f"Item {EVIL}" in match.general


# --- weights and marks, checked independently of export/gift.py: Decimal arithmetic on the file's text ------------

_TOLERANCE = Decimal("0.001")  # Moodle's match_grade_options: |fraction - grade| < 0.00001, i.e. 0.001 %
_WEIGHTS = re.compile(r"^\t~%(-?[0-9]+(?:\.[0-9]+)?)%", re.MULTILINE)


def weight_problems(gift: str) -> list[str]:
    """Every multiple-answer question whose weights a strict GIFT reader or Moodle refuses: a weight not within
    Moodle's tolerance of a grade on its list, right weights that do not add up to exactly 100 %, or wrong ones
    that let a student who ticks everything score above 0."""
    grades = [Decimal(str(g)) for g in MOODLE_GRADES]
    problems = []
    for block in gift.split("\n\n"):
        found = [Decimal(w) for w in _WEIGHTS.findall(block)]
        if not found:
            continue
        name = block[block.index("::") + 2:].split("::")[0]
        off = [w for w in found if not any(abs(abs(w) - g) < _TOLERANCE for g in grades)]
        if off:
            problems.append(f"{name}: {off} not in Moodle's grades")
        right = sum((w for w in found if w > 0), Decimal(0))
        if right != 100:
            problems.append(f"{name}: right weights add up to {right} %")
        if sum(found, Decimal(0)) > 0 and any(w < 0 for w in found):
            problems.append(f"{name}: ticking everything scores {sum(found, Decimal(0))} %")
    return problems


def moodle_total(gift: str) -> Decimal:
    """What the quiz totals in Moodle once the teacher has set the marks the file asks for: every question is worth
    Moodle's default mark (1) unless a "// Mark in SourceCheck: N" line above it says otherwise."""
    total = Decimal(0)
    for block in gift.split("\n\n"):
        lines = block.split("\n")
        if not any(line.startswith("::") for line in lines):
            continue
        marks = [line.split(":", 2)[1].split(";")[0].strip() for line in lines
                 if line.startswith("// Mark in SourceCheck:")]
        total += Decimal(marks[0]) if marks else 1
    return total


def app_total(lessons: list[LoadedLesson]) -> Decimal:
    """What the lessons are worth in the app once every answer is scored: a short answer with a rubric is stored
    unscored and then scored by a teacher out of each criterion's highest level."""
    scored = sum(score_question(x.bound(q.id), None).possible for x in lessons for q in x.lesson.questions)
    by_rubric = sum(max(level.points for level in c.levels) for x in lessons for q in x.lesson.questions
                    if isinstance(q, ShortQuestion) for c in q.rubric or ())
    return Decimal(scored + by_rubric)


@pytest.mark.parametrize(("right", "wrong"), [(r, w) for r in [*range(1, 11), 20] for w in range(0, 41)])
def test_multi_weights_are_grades_moodle_accepts_and_add_up_exactly(right: int, wrong: int) -> None:
    choices = [Choice("r", True)] * right + [Choice("w", False)] * wrong
    written = weights(choices)
    values = [Decimal(w) for w in written]
    grades = [Decimal(str(g)) for g in MOODLE_GRADES]
    for value in values:
        assert any(abs(abs(value) - grade) < _TOLERANCE for grade in grades), value
        assert value == value.quantize(Decimal("0.00001")), value  # at most five decimals
    assert sum(v for v in values if v > 0) == 100
    assert wrong == 0 or sum(values) <= 0  # ticking everything earns nothing
    if 0 < wrong <= 10 or wrong == 20:
        assert sum(v for v in values if v < 0) == -100  # an equal share on the list: exactly -100 %
    assert max(v for v in values if v > 0) - min(v for v in values if v > 0) <= Decimal("0.00001")  # fair


@pytest.mark.parametrize("right", [11, 12, 19, 21])
def test_right_answers_moodle_cannot_share_are_refused(right: int) -> None:
    with pytest.raises(ExportError, match=f"among {right} right answers"):
        weights([Choice("r", True)] * right + [Choice("w", False)])


def test_the_independent_check_catches_the_old_weights() -> None:
    old = "::l/q::[html]x{\n" + "\t~%16.66667%a\n" * 6 + "\t~%-3.0303%b\n" * 33 + "}"
    problems = weight_problems(old)
    assert problems[0].endswith("not in Moodle's grades")
    assert problems[1:] == ["l/q: right weights add up to 100.00002 %", "l/q: ticking everything scores 0.00012 %"]


def test_every_real_lesson_has_weights_moodle_accepts_adding_up_to_100() -> None:
    assert weight_problems(to_gift(real_lessons()).data) == []


def test_the_quiz_is_worth_in_moodle_what_the_app_says(every_type: LoadedLesson) -> None:
    """A short answer is never scored: marked 0, not Moodle's default 1; other marks than 1 are asked for too."""
    result = to_gift([every_type])
    assert moodle_total(result.data) == app_total([every_type]) == 7
    assert "every-type/reflect: GIFT cannot carry points; set its mark (0) (a short answer is never scored in " \
           "SourceCheck) in Moodle after importing" in result.notes
    assert result.notes[-1].startswith("quiz total: 7 points, as in SourceCheck")


@pytest.mark.parametrize("lesson", real_lessons(), ids=lambda x: x.id)
def test_every_bundled_lesson_keeps_its_total_in_moodle(lesson: LoadedLesson) -> None:
    assert moodle_total(to_gift([lesson]).data) == app_total([lesson])


def test_gift_escape_covers_every_special_character() -> None:
    assert gift_escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_every_real_lesson_exports_and_parses(tmp_path: Path) -> None:
    lessons = real_lessons()
    parsed = parse_gift(to_gift(lessons).data)
    assert len(parsed) == sum(len(x.lesson.questions) for x in lessons)
    assert all(p.qtype for p in parsed)
