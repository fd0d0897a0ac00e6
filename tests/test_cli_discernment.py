"""`python -m sourcecheck discernment FILE.csv`: the output byte for byte, and every way a file can be wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

HEADER = "student,item,truth,answer,confidence\n"
# ana and ben as worked by hand in tests/test_discernment.py, rows interleaved; cai saw only strong passages.
GOOD = HEADER + """\
ana,s1,strong,strong,80
ben,s1,strong,strong,
ana,s2,strong,strong,60
ana,s3,strong,strong,90
ana,s4,strong,weak,30
cai,s1,strong,strong,70
ana,w1,weak,weak,70
ana,w2,weak,weak,50
ana,w3,weak,weak,20
ana,w4,weak,strong,60
ben,s2,strong,strong,
ben,s3,strong,strong,
ben,s4,strong,strong,
ben,w1,weak,weak,
ben,w2,weak,strong,
ben,w3,weak,strong,
ben,w4,weak,strong,

cai,s2,strong,strong,55
"""
EXPECTED = """\
student,n_strong,n_weak,hit_rate,false_alarm_rate,d_prime,criterion,auc
ana,4,4,0.7500,0.2500,1.0488,0.0000,0.8438
ben,4,4,1.0000,0.7500,0.7572,-0.9030,0.6250
cai,2,0,1.0000,,,,
"""


def run(tmp_path: Path, text: str | bytes, name: str = "week.csv") -> tuple[Result, Path]:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(main, ["discernment", str(path)]), path


def test_good_file_prints_the_table_byte_for_byte(tmp_path: Path) -> None:
    result, _ = run(tmp_path, GOOD)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == EXPECTED.encode()
    assert result.stderr == ""


def test_it_runs_as_a_module(tmp_path: Path) -> None:
    path = tmp_path / "week.csv"
    path.write_text(GOOD, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "sourcecheck", "discernment", str(path)], cwd=PROJECT_ROOT,
                          capture_output=True, check=False, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, EXPECTED.encode(), b"")


def test_excel_byte_order_mark_spaces_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = "\ufeffstudent, item ,truth,answer,confidence\r\n" + GOOD.removeprefix(HEADER).replace("\n", "\r\n")
    result, _ = run(tmp_path, text.replace("ana,s1,strong,strong,80", " ana , s1 , strong , strong , 80 "))
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


def test_names_are_quoted_and_never_run_as_formulas(tmp_path: Path) -> None:
    rows = HEADER + '"Lee, Sam",s1,strong,strong,\n"Lee, Sam",w1,weak,weak,\n=HYPERLINK(1),s1,strong,weak,\n'
    result, _ = run(tmp_path, rows)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == ['"Lee, Sam",1,1,1.0000,0.0000,1.3490,0.0000,1.0000',
                                              "'=HYPERLINK(1),1,0,0.0000,,,,"]


def test_every_bad_row_is_reported_and_nothing_is_printed(tmp_path: Path) -> None:
    text = HEADER + """\
ana,s1,strong,strong,80
,s2,Strong,strong,150
ana,s3,strong,maybe,abc
ana,s4
ana,s1,strong,weak,
ana,w1,weak,weak,-5
"""
    result, path = run(tmp_path, text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:3: the student is empty",
        f"{path}:3: truth must be strong or weak, not 'Strong'",
        f"{path}:3: confidence must be empty or a number from 0 to 100, not '150'",
        f"{path}:4: answer must be strong or weak, not 'maybe'",
        f"{path}:4: confidence must be empty or a number from 0 to 100, not 'abc'",
        f"{path}:5: expected 5 fields (student,item,truth,answer,confidence), found 2",
        f"{path}:6: 'ana' judged item 's1' twice (first at line 2)",
        f"{path}:7: confidence must be empty or a number from 0 to 100, not '-5'",
        f"Error: 8 problem(s) in {path}; nothing was computed",
    ]


def test_a_row_is_reported_at_the_line_it_starts_on(tmp_path: Path) -> None:
    text = HEADER + '"two\nline name",s1,strong,strong,\nbo,s1,strong,sure,\n'
    result, path = run(tmp_path, text)
    assert result.stderr.splitlines()[0] == f"{path}:4: answer must be strong or weak, not 'sure'"


@pytest.mark.parametrize(("text", "message"), [
    ("", "{path}: the file is empty; the first line must be student,item,truth,answer,confidence"),
    ("\n\n", "{path}: the file is empty; the first line must be student,item,truth,answer,confidence"),
    ("name,item,truth,answer\nana,s1,strong,strong\n",
     "{path}:1: the first line must be student,item,truth,answer,confidence, not 'name,item,truth,answer'"),
    (HEADER, "{path}: no judgements after the header"),
    (HEADER + "\n\n", "{path}: no judgements after the header"),
    (b"student,item,truth,answer,confidence\nJos\xe9,s1,strong,strong,\n",
     "{path}:2: not UTF-8 text; save it as CSV UTF-8"),
    (HEADER + "ana," + "x" * 200_000 + ",strong,strong,\n",
     "{path}:2: not readable as CSV: field larger than field limit (131072)"),
], ids=["empty", "blank", "wrong header", "header only", "header and blank lines", "not utf-8", "huge field"])
def test_a_file_that_cannot_be_read_says_why(tmp_path: Path, text: str | bytes, message: str) -> None:
    result, path = run(tmp_path, text)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {message.format(path=path)}\n"
    assert isinstance(result.exception, SystemExit)  # click's own exit, never a traceback


def test_a_missing_file_or_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    for target, says in ((tmp_path / "nope.csv", "does not exist"), (tmp_path, "is a directory")):
        result = CliRunner().invoke(main, ["discernment", str(target)])
        assert result.exit_code == 2
        assert result.stdout == ""
        assert says in result.stderr


def test_no_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["discernment"])
    assert result.exit_code == 2
    assert "Missing argument 'FILE'" in result.stderr
