"""`python -m sourcecheck agreement FILE.csv`: the output byte for byte, and every way a file can be wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sklearn.metrics import cohen_kappa_score

from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

HEADER = "answer,scorer,score\n"
# MB scored every answer, JL a sample; a7 only MB and a8 only JL scored (left out); a2's row repeated (harmless).
# Both scored a1-a6: MB 2,1,0,2,1,0 and JL 2,2,0,1,1,1.
GOOD = HEADER + """\
a1,MB,2
a1,JL,2
a2,MB,1
a3,MB,0
a2,JL,2
a3,JL,0
a4,MB,2

a4,JL,1
a5,MB,1
a5,JL,1
a6,MB,0
a6,JL,1
a7,MB,2
a8,JL,0
a2,MB,1
"""
EXPECTED = "n,kappa,weighted_kappa\n6,0.2500,0.5714\n"


def run(tmp_path: Path, text: str | bytes, name: str = "scores.csv") -> tuple[Result, Path]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["agreement", str(path)]), path


def test_good_file_prints_kappa_byte_for_byte(tmp_path: Path) -> None:
    result, _ = run(tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == EXPECTED.encode()
    assert result.stderr == ""


def test_the_figures_are_scikit_learns() -> None:
    mb, jl = [2, 1, 0, 2, 1, 0], [2, 2, 0, 1, 1, 1]
    assert f"{cohen_kappa_score(mb, jl):.4f}" == "0.2500"
    assert f"{cohen_kappa_score(mb, jl, weights='quadratic'):.4f}" == "0.5714"


def test_it_runs_as_a_module(tmp_path: Path) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(GOOD, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sourcecheck", "agreement", str(path)], cwd=PROJECT_ROOT,
                          capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, EXPECTED.encode(), b"")


def test_excel_byte_order_mark_spaces_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\ufeffanswer, scorer ,score\r\n" + GOOD.removeprefix(HEADER).replace("\n", "\r\n")
    result, _ = run(tmp_path, text.replace("a1,MB,2", " a1 , MB , 2 "))
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


def test_weights_run_over_the_scores_seen_in_order(tmp_path: Path) -> None:
    """Rubric totals 0, 1 and 3 (nobody gave a 2): quadratic weights over positions 0, 1, 2 of [0, 1, 3], as
    scikit-learn's default labels; answer ids and scorer names may be any text."""
    rows = HEADER + '"Answer 1",Ms Lee,1\n"Answer 1",Mr Obi,3\n"Answer, 2",Ms Lee,3\n"Answer, 2",Mr Obi,3\n' \
                    "=A3,Ms Lee,3\n=A3,Mr Obi,1\nA4,Ms Lee,0\nA4,Mr Obi,0\n"
    result, _ = run(tmp_path, rows)
    assert result.exit_code == 0, result.output
    assert result.stdout == "n,kappa,weighted_kappa\n4,0.2000,0.6364\n"


def test_a_kappa_below_chance_is_negative_and_never_minus_zero(tmp_path: Path) -> None:
    result, _ = run(tmp_path, HEADER + "a,X,0\na,Y,1\nb,X,1\nb,Y,0\n")
    assert result.stdout == "n,kappa,weighted_kappa\n2,-1.0000,-1.0000\n"
    result, _ = run(tmp_path, HEADER + "a,X,0\na,Y,0\nb,X,0\nb,Y,1\n")  # X always 0: kappa exactly 0
    assert result.stdout == "n,kappa,weighted_kappa\n2,0.0000,0.0000\n"


def test_every_bad_row_is_reported_and_nothing_is_printed(tmp_path: Path) -> None:
    text = HEADER + """\
a1,MB,2
a1,JL,2.5
,MB,1
a3,,0
a4,MB
a5,MB,two
a6,MB,-1
a7,mb,1
a1,MB,1
a2,JL,
a1,MB,2
"""
    result, path = run(tmp_path, text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:3: the score must be a whole number (0, 1, 2...), not '2.5'",
        f"{path}:4: the answer is empty",
        f"{path}:5: the scorer is empty",
        f"{path}:6: expected 3 fields (answer,scorer,score), found 2",
        f"{path}:7: the score must be a whole number (0, 1, 2...), not 'two'",
        f"{path}:8: the score must be a whole number (0, 1, 2...), not '-1'",
        f"{path}:10: 'MB' scored answer 'a1' twice: 2 at line 2, 1 here",
        f"{path}:11: the score must be a whole number (0, 1, 2...), not ''",
        f"Error: 8 problem(s) in {path}; nothing was computed",
    ]


def test_a_row_is_reported_at_the_line_it_starts_on(tmp_path: Path) -> None:
    text = HEADER + '"two\nline answer",MB,1\nb,MB,x\n'
    result, path = run(tmp_path, text)
    assert result.stderr.splitlines()[0] == f"{path}:4: the score must be a whole number (0, 1, 2...), not 'x'"


@pytest.mark.parametrize(("text", "message"), [
    ("", "{path}: the file is empty; the first line must be answer,scorer,score"),
    ("\n\n", "{path}: the file is empty; the first line must be answer,scorer,score"),
    ("answer,teacher,score\na,MB,1\n",
     "{path}:1: the first line must be answer,scorer,score, not 'answer,teacher,score'"),
    ("a1,MB,2\na1,JL,2\n", "{path}:1: the first line must be answer,scorer,score, not 'a1,MB,2'"),
    (HEADER, "{path}: no scores after the header"),
    (HEADER + "\n\n", "{path}: no scores after the header"),
    (HEADER + "a1,MB,2\na2,MB,1\n", "{path}: only one scorer ('MB'); agreement needs the scores of two"),
    (HEADER + "a1,MB,2\na2,JL,1\na3,MB,0\n", "{path}: no answer was scored by both 'MB' and 'JL'"),
    (HEADER + "a1,MB,2\na1,JL,2\na2,MB,2\na2,JL,2\na3,JL,0\n",
     "{path}: kappa is undefined: 'MB' and 'JL' gave all 2 answer(s) they both scored the same score, 2, so their "
     "agreement cannot be told from chance"),
    (b"answer,scorer,score\na1,Jos\xe9,2\n", "{path}:2: not UTF-8 text; save it as CSV UTF-8"),
    (HEADER + "a1," + "x" * 200_000 + ",2\n", "{path}:2: not readable as CSV: field larger than field limit (131072)"),
], ids=["empty", "blank", "wrong header", "no header", "header only", "header and blank lines", "one scorer",
        "none scored by both", "undefined", "not utf-8", "huge field"])
def test_a_file_that_cannot_be_used_says_why(tmp_path: Path, text: str | bytes, message: str) -> None:
    result, path = run(tmp_path, text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {message.format(path=path)}\n"
    assert isinstance(result.exception, SystemExit)  # click's own exit, never a traceback


def test_a_missing_file_or_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    for target, says in ((tmp_path / "nope.csv", "does not exist"), (tmp_path, "is a directory")):
        result = CliRunner().invoke(main, ["agreement", str(target)])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert says in result.stderr


def test_no_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["agreement"])
    assert result.exit_code == 2
    assert "Missing argument 'FILE'" in result.stderr


def test_help_says_what_the_file_holds() -> None:
    result = CliRunner().invoke(main, ["agreement", "--help"])
    assert result.exit_code == 0
    assert "answer,scorer,score" in result.stdout
    assert "python -m sourcecheck agreement" in result.stdout


def test_scores_of_answers_left_out_do_not_change_the_weights(tmp_path: Path) -> None:
    """A 5 that only MB gave (to an answer JL did not score) is not a level between the scores compared."""
    result, _ = run(tmp_path, GOOD + "a9,MB,5\na10,JL,4\n")
    assert result.stdout == EXPECTED


def test_a_later_scorers_rows_are_left_out_and_said(tmp_path: Path) -> None:
    text = HEADER + "a1,MB,2\na1,JL,2\na2,MB,0\na2,JL,1\na3,MB,1\na3,JL,1\na1,mb,0\na2,mb,0\n"
    result, path = run(tmp_path, text)
    assert result.exit_code == 0
    kappa = cohen_kappa_score([2, 0, 1], [2, 1, 1])
    weighted = cohen_kappa_score([2, 0, 1], [2, 1, 1], weights="quadratic")
    assert result.stdout == f"n,kappa,weighted_kappa\n3,{kappa:.4f},{weighted:.4f}\n"
    assert result.stderr == (f"{path}: left out 2 row(s) scored by 'mb': only the first two scorers, 'MB' and 'JL', "
                             "count\n")


def test_most_weighs_over_every_total_as_the_scoring_page_does(tmp_path: Path) -> None:
    first, second = [0, 1, 4, 4, 0, 1], [0, 1, 4, 1, 0, 4]  # no one gave 2 or 3: the labels differ from the seen
    text = HEADER + "".join(f"a{i},MB,{a}\na{i},JL,{b}\n" for i, (a, b) in enumerate(zip(first, second, strict=True)))
    seen, _ = run(tmp_path, text)
    result = CliRunner().invoke(main, ["agreement", "--most", "4", str(tmp_path / "scores.csv")])
    full = cohen_kappa_score(first, second, weights="quadratic", labels=[0, 1, 2, 3, 4])
    assert result.stdout.splitlines()[1].split(",")[2] == f"{full:.4f}"
    assert seen.stdout.splitlines()[1].split(",")[2] == f"{cohen_kappa_score(first, second, weights='quadratic'):.4f}"
    assert f"{full:.4f}" != f"{cohen_kappa_score(first, second, weights='quadratic'):.4f}"
    too_high = CliRunner().invoke(main, ["agreement", "--most", "3", str(tmp_path / "scores.csv")])
    assert too_high.exit_code == 1 and too_high.stdout == ""
