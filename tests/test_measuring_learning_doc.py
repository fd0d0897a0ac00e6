"""docs/measuring-learning.md stays true: its command prints what the page shows, and its worked example's
figures are what analytics/discernment.py and analytics/gains.py compute from the example files."""

from __future__ import annotations

import csv
import re
import shlex

import pytest
from click.testing import CliRunner

from sourcecheck.analytics.discernment import FLAG_SCEPTICAL, Judgement, class_discernment, compare_checks
from sourcecheck.analytics.gains import Scores, class_gains
from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "measuring-learning.md"
TEXT = DOC.read_text(encoding="utf-8")


def _check(name: str) -> list[Judgement]:
    with (PROJECT_ROOT / "docs" / "examples" / f"check-{name}.csv").open(encoding="utf-8", newline="") as f:
        return [Judgement(r["student"], r["item"], r["truth"], r["answer"],  # type: ignore[arg-type]
                          float(r["confidence"]) if r["confidence"] else None) for r in csv.DictReader(f)]


def test_the_command_prints_what_the_page_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    [block] = re.findall(r"```console\n(.*?)```", TEXT, flags=re.S)
    command, *shown = block.splitlines()
    result = CliRunner().invoke(main, shlex.split(command.removeprefix("$ python -m sourcecheck ")))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == shown


def test_the_worked_example_is_what_the_code_computes() -> None:
    before, after, later = (class_discernment(_check(n), seed=0) for n in ("before", "after", "later"))
    rows = {s.student: s for s in after.students}
    assert (round(rows["Ana"].d_prime or 0, 4), round(rows["Ana"].criterion or 0, 4)) == (1.3160, 0.1336)
    for student in after.students:  # the table of d′ and c after the lesson
        assert f"| {student.student} |" in TEXT and f"{student.d_prime:.4f}" in TEXT
    shift = compare_checks(before.students, after.students, seed=0)
    assert shift.flag == FLAG_SCEPTICAL
    assert f"change −0.02 with interval {shift.d_prime_change.interval.low:.2f} to +" \
           f"{shift.d_prime_change.interval.high:.2f}".replace("-", "−") in TEXT
    assert f"c moved by +{shift.criterion_change.value:.2f}" in TEXT

    def score(check: list[Judgement], student: str) -> float:
        own = [j for j in check if j.student == student]
        return sum(j.truth == j.answer for j in own) / len(own)

    checks = [_check(n) for n in ("before", "after", "later")]
    names = [s.student for s in before.students]
    gains = class_gains([Scores(n, *(score(c, n) for c in checks)) for n in names], seed=0)
    assert gains.retained_gain is not None and gains.retention is not None
    assert gains.gain.value == pytest.approx(0.10)
    assert gains.retained_gain.value == pytest.approx(0.075)
    assert (gains.retained_gain.interval.low, gains.retained_gain.interval.high) == pytest.approx((0.025, 0.10))
    assert gains.retention.value == pytest.approx(0.75)
    assert (gains.retention.interval.low, gains.retention.interval.high) == pytest.approx((0.25, 1.0))
    assert "retained gain (0 + 0.1 + 0.1 + 0.1) ÷ 4 = 0.075 (interval 0.025 to 0.10)" in TEXT
    assert "0.075 ÷ 0.10 = 0.75\n(interval 0.25 to 1.0)" in TEXT
