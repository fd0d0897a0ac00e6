"""The course report on 100,000 stored answers, next to a SQL GROUP BY that counts the same things (issue 18).

A teacher opening a course page waits for `course_report`. The yardstick is what a database would do for the
same counts, over the same rows: SQLite in memory (rows loaded before timing), one GROUP BY per student and
check (answers, marks earned, marks possible, score), one per student, check and skill (marks earned and
possible, score), one per student and check over the judgement items (strong and weak passages, hits, false
alarms). These are the counts the report itself keeps, and the run checks they are the same numbers: on the
warm-up run, `_agree` compares every row of the three queries with the report's `PhaseScore` (answers,
earned, possible, score), `SkillScore` (earned, possible, score) and `StudentDiscernment` (n_strong, n_weak,
hits, false_alarms), no row missing on either side ("counts agree with the SQL" in the output). The report
does more than the SQL: it checks every answer, takes the AUC from ranks, turns counts into d′ and c, and
bootstraps an interval (2,000 resamples) for every class figure, so the ratio is an upper bound on what the
counting costs. Medians of interleaved rounds (SQL then report, so load on the shared machine hits both
sides), wall time, one process. Printed, never asserted: the machine is shared and noisy.

Run alone: `.venv/bin/python bench/course_report.py [--students 1000] [--rounds 3] [--profile]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from a clean clone: sourcecheck is not installed

import numpy as np  # noqa: E402

from sourcecheck.analytics.course_report import PHASES, CheckAnswer, CourseReport, course_report  # noqa: E402

GOAL_OVER_SQL = 2.0
SKILLS = ("claim-and-source", "who-is-behind", "named-unnamed", "what-is-cited", "hedges", "tracing")
ITEMS = {"pre": 32, "post": 32, "booster": 4, "delayed": 32}  # 100 answers per student; half are judgements


@dataclass
class CourseBenchResult:
    rows: int
    students: int
    build_s: float = 0.0
    report_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    counts_agree: bool = False
    profile: str = ""

    @property
    def ratio(self) -> float:
        return statistics.median(self.report_ms) / statistics.median(self.sql_ms)

    def summary(self) -> dict[str, object]:
        return {"rows": self.rows, "students": self.students, "report_ms": self.report_ms, "sql_ms": self.sql_ms,
                "ratio": round(self.ratio, 3), "counts_agree": self.counts_agree, "goal_over_sql": GOAL_OVER_SQL,
                "goal_met": self.ratio <= GOAL_OVER_SQL}


def synthetic(students: int, seed: int = 18) -> list[CheckAnswer]:
    """A course where each student's ability sets both their marks and how well they tell strong from weak."""
    rng = np.random.default_rng(seed)
    out: list[CheckAnswer] = []
    ability = rng.uniform(0.1, 0.6, students)
    for phase in PHASES:
        n = ITEMS[phase]
        lift = {"pre": 0.0, "post": 0.3, "booster": 0.2, "delayed": 0.2}[phase]
        for s in range(students):
            name = f"student-{s:05d}"
            draws = rng.random(n)
            confidence = rng.integers(50, 101, n).tolist()
            for i in range(n):
                skill = SKILLS[i % len(SKILLS)]
                item = f"{phase}-{i}"
                if i % 2 == 0:
                    truth = "strong" if i % 4 == 0 else "weak"
                    right = draws[i] < 0.5 + (ability[s] + lift) / 2
                    said = truth if right else ("weak" if truth == "strong" else "strong")
                    out.append(CheckAnswer(name, phase, f"{phase}-check", "A", item, skill, float(right), 1,
                                           truth, said, confidence[i]))  # type: ignore[arg-type]
                else:
                    earned = float(draws[i] < 0.3 + ability[s] + lift) * 2
                    out.append(CheckAnswer(name, phase, f"{phase}-check", "A", item, skill, earned, 2))
    return out


def load_sqlite(answers: list[CheckAnswer]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE answers (student TEXT, phase TEXT, check_id TEXT, form TEXT, item_id TEXT,"
               " skill TEXT, earned REAL, possible INTEGER, judgement TEXT, answer TEXT, confidence INTEGER)")
    db.executemany("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", answers)
    db.commit()
    return db


def sql_counts(db: sqlite3.Connection) -> tuple[list[tuple[object, ...]], ...]:
    per_check = db.execute(
        "SELECT student, phase, COUNT(*), SUM(earned), SUM(possible), SUM(earned) * 1.0 / SUM(possible)"
        " FROM answers GROUP BY student, phase").fetchall()
    per_skill = db.execute(
        "SELECT student, phase, skill, SUM(earned), SUM(possible), SUM(earned) * 1.0 / SUM(possible)"
        " FROM answers GROUP BY student, phase, skill").fetchall()
    judged = db.execute(
        "SELECT student, phase, SUM(judgement = 'strong'), SUM(judgement = 'weak'),"
        " SUM(judgement = 'strong' AND answer = 'strong'), SUM(judgement = 'weak' AND answer = 'strong')"
        " FROM answers WHERE judgement IS NOT NULL GROUP BY student, phase").fetchall()
    return per_check, per_skill, judged


def _agree(report: CourseReport, sql: tuple[list[tuple[object, ...]], ...]) -> bool:
    per_check, per_skill, judged = sql
    ours_check = sorted((s.student, p, score.answers, score.earned, score.possible, score.score)
                        for s in report.students for p, score in s.phases.items())
    theirs_check = sorted((str(r[0]), str(r[1]), r[2], r[3], r[4], r[5]) for r in per_check)
    ours_skill = sorted((s.student, p, k.skill, k.earned, k.possible, k.score) for s in report.students
                        for p, score in s.phases.items() for k in score.skills)
    theirs_skill = sorted((str(r[0]), str(r[1]), str(r[2]), r[3], r[4], r[5]) for r in per_skill)
    ours_judged = sorted((s.student, p, d.n_strong, d.n_weak, d.hits, d.false_alarms)
                         for s in report.students for p, d in s.discernment.items())
    theirs_judged = sorted((str(r[0]), str(r[1]), r[2], r[3], r[4], r[5]) for r in judged)
    return ours_check == theirs_check and ours_skill == theirs_skill and ours_judged == theirs_judged


def _ms(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000.0


def run(students: int = 1000, rounds: int = 3, profile: bool = False,
        log: Callable[[str], None] = print) -> CourseBenchResult:
    started = time.perf_counter()
    answers = synthetic(students)
    db = load_sqlite(answers)
    result = CourseBenchResult(len(answers), students, build_s=time.perf_counter() - started)
    log(f"  built {len(answers):,} answers and loaded SQLite in {result.build_s:.1f} s")
    report = course_report(answers)  # warm-up: imports, first-call caches
    result.counts_agree = _agree(report, sql_counts(db))
    for round_ in range(rounds):  # interleaved, so noise on the machine hits both sides
        result.sql_ms.append(_ms(lambda: sql_counts(db)))
        result.report_ms.append(_ms(lambda: course_report(answers)))
        log(f"  round {round_ + 1}: sql {result.sql_ms[-1]:.0f} ms, report {result.report_ms[-1]:.0f} ms")
    if profile or result.ratio > GOAL_OVER_SQL:
        profiler = cProfile.Profile()
        profiler.runcall(course_report, answers)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        result.profile = out.getvalue()
    return result


def report(result: CourseBenchResult) -> str:
    med = statistics.median
    lines = [
        f"Course report: {result.rows:,} answers ({result.students:,} students x pre, post, booster, delayed), "
        f"medians of {len(result.sql_ms)} rounds, wall time",
        f"  {'SQLite GROUP BY (per check, per skill, judgement counts)':<58} {med(result.sql_ms):>9.0f} ms",
        f"  {'course_report (counts, d′, c, AUC, 2,000-resample intervals)':<58} {med(result.report_ms):>9.0f} ms",
        f"  report / SQL: {result.ratio:.2f}x "
        f"(goal <= {GOAL_OVER_SQL:g}x: {'met' if result.ratio <= GOAL_OVER_SQL else 'missed'})",
        f"  counts agree with the SQL: {'yes' if result.counts_agree else 'NO'}",
    ]
    if result.profile:
        lines += ["", "cProfile of course_report:", result.profile]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    log = lambda line: print(line, file=sys.stderr, flush=True)
    print(report(run(args.students, args.rounds, args.profile, log)))


if __name__ == "__main__":
    main()
