"""`make bench`: every benchmark in one run (validation, pages, analytics, course report, grouping), then ratios.

The ratios are measured side by side in the same run (never against numbers from another
day), and are printed, not asserted: a 2-core shared machine is too noisy for a pass/fail line.
Results also go to bench/out/results.json for comparing runs by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import analytics
import course_report
import grouping
import pages
import validation

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["validation", "pages", "analytics", "course", "grouping"],
                        help="run one benchmark")
    parser.add_argument("--lessons", type=int, default=1000, help="lessons in the validation library")
    parser.add_argument("--reruns", type=int, default=200, help="measured reruns per page")
    parser.add_argument("--profile", action="store_true", help="always profile (cold load, question page)")
    args = parser.parse_args()
    log = lambda line: print(line, file=sys.stderr, flush=True)
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M:%S")}
    rows: list[tuple[str, str, str]] = []

    if args.only in (None, "validation"):
        log("validation benchmark...")
        started = time.monotonic()
        v = validation.run(args.lessons, profile=args.profile, log=log)
        print(validation.report(v), end="\n\n", flush=True)
        results["validation"] = v.summary() | {"seconds": round(time.monotonic() - started, 1)}
        goal = f"goal <= {validation.GOAL_COLD_OVER_SAFE_LOAD:g}x"
        rows += [("validation cold / safe_load", f"{v.cold_ratio:.2f}x", goal),
                 ("validation warm / safe_load", f"{v.warm / v.safe_load:.4f}x", "goal near 0"),
                 ("validation after 1 touched file / safe_load", f"{v.touched / v.safe_load:.4f}x", "")]

    if args.only in (None, "pages"):
        log("page benchmark...")
        started = time.monotonic()
        p = pages.run(args.reruns, profile=args.profile, log=log)
        print(pages.report(p), end="\n\n", flush=True)
        results["pages"] = p.summary() | {"seconds": round(time.monotonic() - started, 1)}
        for name, ratio in p.ratios().items():
            yardstick = next(page.yardstick for page in p.pages if page.name == name)
            rows.append((f"{name} / {yardstick}", f"{ratio:.2f}x", f"goal <= {p.goal(name):g}x"))
        gc_on, gc_off = p.gc_effect()
        if gc_on is not None and gc_off is not None:
            rows.append(("bare page postScriptGC true / false", f"{gc_on / gc_off:.1f}x",
                         f"{gc_on:.1f} vs {gc_off:.1f} ms per rerun"))

    if args.only in (None, "analytics"):
        log("analytics benchmark...")
        started = time.monotonic()
        a = analytics.run(profile=args.profile, log=log)
        print(analytics.report(a), end="\n\n", flush=True)
        results["analytics"] = a.summary() | {"seconds": round(time.monotonic() - started, 1)}
        rows.append(("analytics item stats + distractors / SQL GROUP BY", f"{a.ratio:.2f}x",
                     f"goal <= {analytics.GOAL_OVER_SQL:g}x"))

    if args.only in (None, "course"):
        log("course report benchmark...")
        started = time.monotonic()
        c = course_report.run(profile=args.profile, log=log)
        print(course_report.report(c), end="\n\n", flush=True)
        results["course_report"] = c.summary() | {"seconds": round(time.monotonic() - started, 1)}
        rows.append(("course report, 100,000 answers / SQL GROUP BY", f"{c.ratio:.2f}x",
                     f"goal <= {course_report.GOAL_OVER_SQL:g}x"))

    if args.only in (None, "grouping"):
        log("grouping benchmark...")
        started = time.monotonic()
        g = grouping.run(profile=args.profile, log=log)
        print(grouping.report(g), end="\n\n", flush=True)
        results["grouping"] = g.summary() | {"seconds": round(time.monotonic() - started, 1)}
        rows.append(("grouping 1,000 answers / plain TF-IDF", f"{g.ratio:.2f}x",
                     f"goal <= {grouping.GOAL_OVER_TFIDF:g}x and < {grouping.GOAL_SECONDS:g} s "
                     f"({g.seconds * 1000:.0f} ms; CPU {g.cpu_ratio:.2f}x)"))

    width = max(len(r[0]) for r in rows)
    print("Summary (measured side by side in this run; noisy 2-core machine: compare ratios, not raw ms)")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>9}   {note}")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nfull results: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
