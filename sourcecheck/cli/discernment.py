"""`discernment`: d′, criterion and AUC per student from a CSV of judgements, as CSV.

The file is read whole and checked whole before anything is printed: every bad row is reported as
FILE:LINE: message on standard error and nothing goes to standard output, so a half-computed table can never
be mistaken for the class's. A student without strong or without weak items gets empty d_prime, criterion and
auc cells (and an empty hit_rate or false_alarm_rate for the kind they lacked): see analytics/discernment.py.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sourcecheck.analytics.discernment import Judgement, check_judgements, parse_judgement, per_student
from sourcecheck.cli.common import read_csv
from sourcecheck.cli.errors import CommandFailed

if TYPE_CHECKING:
    from _csv import Reader

__all__ = ["HEADER", "OUTPUT_HEADER", "discernment", "read_judgements"]

HEADER = ("student", "item", "truth", "answer", "confidence")
OUTPUT_HEADER = ("student", "n_strong", "n_weak", "hit_rate", "false_alarm_rate", "d_prime", "criterion", "auc")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # as analytics/csv.py: a spreadsheet would run such a cell


@click.command("discernment")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def discernment(file: Path) -> None:
    """Print, per student, how well they tell strong sourcing from weak (d′, AUC) and how ready they are to
    call a passage strong (criterion), as CSV.

    FILE is a CSV with the header student,item,truth,answer,confidence: truth and answer are strong or weak,
    confidence is empty or a number from 0 to 100. Rates are raw; d_prime and criterion use the log-linear
    correction; empty cells mean the student had no strong or no weak items.

    \b
    Example:
      python -m sourcecheck discernment week3.csv > week3-discernment.csv
    """
    judgements = read_judgements(file)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_HEADER)
    for s in per_student(judgements):
        writer.writerow([_defuse(s.student), s.n_strong, s.n_weak, *(_number(v) for v in (
            s.hit_rate, s.false_alarm_rate, s.d_prime, s.criterion, s.auc))])
    click.echo(out.getvalue(), nl=False)


def read_judgements(file: Path) -> list[Judgement]:
    """Every judgement in the file, or CommandFailed after printing every bad row as FILE:LINE: message."""
    rows, problems = read_csv(file, HEADER, lambda reader: _rows(file, reader))
    judgements = [j for _, j in rows]
    lines = [line for line, _ in rows]
    problems += [(lines[p.index], p.message) for p in check_judgements(judgements, [f"line {n}" for n in lines])
                 if p.index >= 0]
    if not rows and not problems:
        raise CommandFailed(f"{file}: no judgements after the header")
    if problems:
        for line, message in sorted(problems, key=lambda p: p[0]):
            click.echo(f"{file}:{line}: {message}", err=True)
        raise CommandFailed(f"{len(problems)} problem(s) in {file}; nothing was computed")
    return judgements


def _rows(file: Path, reader: Reader) -> tuple[list[tuple[int, Judgement]], list[tuple[int, str]]]:
    """(line, judgement) for each good row, (line, message) for each problem; blank lines are skipped."""
    rows: list[tuple[int, Judgement]] = []
    problems: list[tuple[int, str]] = []
    line = reader.line_num
    for fields in reader:
        start, line = line + 1, reader.line_num  # a quoted cell may span lines: report where the row starts
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(HEADER):
            problems.append((start, f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(fields)}"))
            continue
        judgement, messages = parse_judgement(*fields)
        problems += [(start, m) for m in messages]
        if judgement is not None:
            rows.append((start, judgement))
    return rows, problems


def _number(value: float | None) -> str:
    """Four decimals; empty for None; never "-0.0000" (a criterion of exactly 0 can come out as -0.0)."""
    if value is None:
        return ""
    shown = f"{value:.4f}"
    return "0.0000" if shown == "-0.0000" else shown


def _defuse(name: str) -> str:
    return f"'{name}" if name.startswith(_FORMULA_START) else name
