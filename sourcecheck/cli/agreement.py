"""`agreement`: Cohen's κ between two scorers of the same written answers, from a CSV of scores.

The same figure the scoring page shows (analytics/agreement.py), for scores kept elsewhere: a co-teacher's
spreadsheet, or last year's. The file is read whole and checked whole before anything is printed: every bad row
is reported as FILE:LINE: message on standard error and nothing goes to standard output, so a κ computed from
half a file can never be mistaken for the real one. The two scorers are the first two names in the file; the rows
of any later name are left out, and standard error says whose and how many, since a later name is as often a
misspelt scorer ("M. Berg" for "M Berg") as a third one, and leaving rows out silently would change the figure.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sourcecheck.analytics.agreement import Agreement, cohen_kappa
from sourcecheck.cli.common import read_csv
from sourcecheck.cli.errors import CommandFailed

if TYPE_CHECKING:
    from _csv import Reader

__all__ = ["HEADER", "OUTPUT_HEADER", "Scores", "agreement", "read_scores"]

HEADER = ("answer", "scorer", "score")
OUTPUT_HEADER = ("n", "kappa", "weighted_kappa")
_WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Scores:
    """What the file says: the two scorers in the order they first appear, and each one's score per answer."""

    scorers: tuple[str, ...]
    by_scorer: dict[str, dict[str, int]]
    left_out: dict[str, int]  # a later scorer name -> how many of its rows were left out

    def pairs(self) -> tuple[list[int], list[int]]:
        """The first and the second scorer's scores of the answers both scored, in the file's order."""
        first, second = (self.by_scorer[s] for s in self.scorers[:2])
        both = [a for a in first if a in second]
        return [first[a] for a in both], [second[a] for a in both]


@click.command("agreement")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--most", type=click.IntRange(min=1), default=None,
              help="The rubric's most points: weigh over every total from 0 to it, as the scoring page does "
                   "(default: over the totals given).")
def agreement(file: Path, most: int | None) -> None:
    """Print how far two scorers of the same written answers agree: Cohen's kappa and the quadratic-weighted
    kappa, as CSV.

    FILE is a CSV with the header answer,scorer,score: one row per score, score a whole number (a rubric
    total). The two scorers are the first two scorer names in the file; answers only one of them scored are left
    out, and n counts the answers both scored; rows of any later name are left out (standard error says whose).
    The quadratic weights run over the distinct scores given to those answers, in order (as scikit-learn's
    cohen_kappa_score does by default), or with --most N over every total 0..N, as the scoring page weighs them
    (its labels are the rubric's totals), so the two figures are the same.

    \b
    Example:
      python -m sourcecheck agreement question3-scores.csv
    """
    scores = read_scores(file)
    result = kappa_of(file, scores, most)
    for name, rows in scores.left_out.items():
        click.echo(f"{file}: left out {rows} row(s) scored by {name!r}: only the first two scorers, "
                   f"{scores.scorers[0]!r} and {scores.scorers[1]!r}, count", err=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTPUT_HEADER)
    writer.writerow([result.n, _number(result.kappa), _number(result.weighted_kappa)])
    click.echo(out.getvalue(), nl=False)


def kappa_of(file: Path, scores: Scores, most: int | None = None) -> Agreement:
    """κ over the answers both scored, or CommandFailed saying why there is none."""
    if len(scores.scorers) < 2:
        raise CommandFailed(f"{file}: only one scorer ({scores.scorers[0]!r}); agreement needs the scores of two")
    first, second = scores.pairs()
    names = f"{scores.scorers[0]!r} and {scores.scorers[1]!r}"
    if not first:
        raise CommandFailed(f"{file}: no answer was scored by both {names}")
    if most is not None and max(first + second) > most:
        raise CommandFailed(f"{file}: a score of {max(first + second)} is above --most {most}")
    result = cohen_kappa(first, second, None if most is None else range(most + 1))
    if result.kappa is None or result.weighted_kappa is None:
        raise CommandFailed(f"{file}: kappa is undefined: {names} gave all {result.n} answer(s) they both scored "
                            f"the same score, {first[0]}, so their agreement cannot be told from chance")
    return result


def read_scores(file: Path) -> Scores:
    """Every score in the file, or CommandFailed after printing every bad row as FILE:LINE: message."""
    scores, problems = read_csv(file, HEADER, _rows)
    if not scores.scorers and not problems:
        raise CommandFailed(f"{file}: no scores after the header")
    if problems:
        for line, message in problems:
            click.echo(f"{file}:{line}: {message}", err=True)
        raise CommandFailed(f"{len(problems)} problem(s) in {file}; nothing was computed")
    return scores


def _rows(reader: Reader) -> tuple[Scores, list[tuple[int, str]]]:
    """The scores of the good rows, and (line, message) for each problem; blank lines are skipped."""
    scorers: list[str] = []
    by_scorer: dict[str, dict[str, int]] = {}
    seen_at: dict[tuple[str, str], int] = {}
    problems: list[tuple[int, str]] = []
    left_out: dict[str, int] = {}
    line = reader.line_num
    for fields in reader:
        start, line = line + 1, reader.line_num  # a quoted cell may span lines: report where the row starts
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(HEADER):
            problems.append((start, f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(fields)}"))
            continue
        answer, scorer, raw = (f.strip() for f in fields)
        messages = []
        if not answer:
            messages.append("the answer is empty")
        if not scorer:
            messages.append("the scorer is empty")
        elif scorer not in by_scorer and len(scorers) == 2:  # not one of the two: left out, and said so
            left_out[scorer] = left_out.get(scorer, 0) + 1
            continue
        elif scorer not in by_scorer:  # the first two names are the scorers, whatever else is wrong in their rows
            scorers.append(scorer)
            by_scorer[scorer] = {}
        if not _WHOLE.fullmatch(raw):
            messages.append(f"the score must be a whole number (0, 1, 2...), not {raw!r}")
        problems += [(start, m) for m in messages]
        if messages:
            continue
        score, earlier = int(raw), by_scorer[scorer].get(answer)
        if earlier is None:
            by_scorer[scorer][answer] = score
            seen_at[scorer, answer] = start
        elif earlier != score:  # the same score twice is a repeated row, harmless
            problems.append((start, f"{scorer!r} scored answer {answer!r} twice: {earlier} at line "
                                    f"{seen_at[scorer, answer]}, {score} here"))
    return Scores(tuple(scorers), by_scorer, left_out), problems


def _number(value: float | None) -> str:
    """Four decimals; never "-0.0000" (a κ of exactly 0 can come out as -0.0)."""
    shown = f"{value:.4f}" if value is not None else ""
    return "0.0000" if shown == "-0.0000" else shown
