"""How much lesson validation costs next to plain YAML parsing, on a 1,000-lesson library.

The app revalidates lessons when a teacher edits one, so the numbers that matter are: a cold
load of a big library (start-up), a warm `LibraryCache.get()` (every rerun of every session),
and a reload after one file changed. Plain `yaml.safe_load` of the same files is the yardstick,
measured in the same run so that machine noise hits both. Times are process CPU time (not wall
time): other work on a shared 2-core machine then inflates them far less.

Run alone: `.venv/bin/python bench/validation.py [--count 1000] [--repeats 2] [--profile]`.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from a clean clone: sourcecheck is not installed

import yaml  # noqa: E402

from sourcecheck.lessons.catalog import Catalog, load_catalog  # noqa: E402
from sourcecheck.lessons.loader import LibraryCache, load_lesson, load_library  # noqa: E402
from sourcecheck.lessons.paths import lessons_dir, seeds_dir  # noqa: E402
from sourcecheck.lessons.problems import LessonProblems  # noqa: E402
from sourcecheck.lessons.textmatch import normalise  # noqa: E402

GOAL_COLD_OVER_SAFE_LOAD = 3.0
_ID_LINE = re.compile(r"^id:[ \t]*\S+[ \t]*$", re.MULTILINE)


@dataclass
class ValidationResult:
    count: int
    sources: list[str]
    skipped: list[str]
    safe_load_ms: list[float] = field(default_factory=list)
    c_safe_load_ms: list[float] = field(default_factory=list)
    cold_fresh_ms: list[float] = field(default_factory=list)
    cold_cleared_ms: list[float] = field(default_factory=list)
    cache_first_ms: float = 0.0
    warm_ms: list[float] = field(default_factory=list)
    touched_ms: list[float] = field(default_factory=list)
    profile: str = ""

    @property
    def safe_load(self) -> float:
        return statistics.median(self.safe_load_ms)

    @property
    def cold(self) -> float:
        return statistics.median(self.cold_fresh_ms)

    @property
    def warm(self) -> float:
        return statistics.median(self.warm_ms)

    @property
    def touched(self) -> float:
        return statistics.median(self.touched_ms)

    @property
    def cold_ratio(self) -> float:
        return self.cold / self.safe_load

    def summary(self) -> dict[str, object]:
        med = lambda xs: round(statistics.median(xs), 2) if xs else None
        return {
            "lessons": self.count, "copied_from": self.sources, "skipped_invalid": self.skipped,
            "safe_load_ms": med(self.safe_load_ms), "c_safe_load_ms": med(self.c_safe_load_ms),
            "cold_fresh_process_ms": med(self.cold_fresh_ms), "cold_caches_cleared_ms": med(self.cold_cleared_ms),
            "cache_first_get_ms": round(self.cache_first_ms, 2), "warm_get_ms": med(self.warm_ms),
            "get_after_touch_ms": med(self.touched_ms),
            "cold_over_safe_load": round(self.cold_ratio, 3),
            "warm_over_safe_load": round(self.warm / self.safe_load, 5),
            "goal_cold_over_safe_load": GOAL_COLD_OVER_SAFE_LOAD,
            "goal_met": self.cold_ratio <= GOAL_COLD_OVER_SAFE_LOAD,
            "raw": {"safe_load_ms": self.safe_load_ms, "cold_fresh_process_ms": self.cold_fresh_ms,
                    "cold_caches_cleared_ms": self.cold_cleared_ms, "warm_get_ms": self.warm_ms,
                    "get_after_touch_ms": self.touched_ms},
        }


def valid_bundled_lessons(catalog: Catalog) -> tuple[list[Path], list[str]]:
    """Only lessons that validate are copied: the benchmark measures the full path of a good lesson."""
    good, skipped = [], []
    for path in sorted(lessons_dir().glob("*.yaml")):
        try:
            load_lesson(path, catalog)
        except LessonProblems:
            skipped.append(path.name)
        else:
            good.append(path)
    return good, skipped


def make_library(folder: Path, sources: list[Path], count: int) -> list[Path]:
    texts = [p.read_text(encoding="utf-8") for p in sources]
    paths = []
    for i in range(count):
        text, found = _ID_LINE.subn(f"id: bench-{i:04d}", texts[i % len(texts)], count=1)
        if not found:
            raise SystemExit(f"{sources[i % len(sources)]}: no top-level 'id:' line to rename")
        path = folder / f"bench-{i:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def cpu_ms(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    out = fn()
    return (time.process_time() - start) * 1000, out


def safe_load_all(paths: list[Path], loader: type = yaml.SafeLoader) -> None:
    for path in paths:
        yaml.load(path.read_bytes(), Loader=loader)  # what yaml.safe_load does, with the loader named


def fresh_catalog() -> Catalog:
    """A new Catalog (its document texts unread) and an empty normalise cache: nothing carried over."""
    normalise.cache_clear()
    return load_catalog(seeds_dir())


def cold_cleared(folder: Path, count: int) -> float:
    ms, library = cpu_ms(lambda: load_library([folder], fresh_catalog()))
    _check(library, count)
    return ms


def cold_fresh_process(folder: Path, count: int) -> float:
    """The truest cold load: a new interpreter, timed after imports (start-up imports are not validation)."""
    out = subprocess.run([sys.executable, __file__, "--cold-child", str(folder)],
                         check=True, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["lessons"] != count or result["problems"]:
        raise SystemExit(f"fresh-process load gave {result}")
    return result["cpu_ms"]


def _check(library: object, count: int) -> None:
    lessons, problems = len(library.lessons), library.problems  # type: ignore[attr-defined]
    if lessons != count or problems:
        raise SystemExit(f"expected {count} valid lessons, got {lessons}; problems: {problems[:3]}")


def _bump(path: Path) -> None:
    """A teacher's save: same size, newer modification time."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def measure_cache(folder: Path, paths: list[Path], result: ValidationResult, warm_runs: int = 20) -> None:
    cache = LibraryCache(folder, fresh_catalog())
    result.cache_first_ms, library = cpu_ms(cache.get)
    _check(library, len(paths))
    for _ in range(warm_runs):
        ms, again = cpu_ms(cache.get)
        if again is not library:
            raise SystemExit("LibraryCache.get() rebuilt the library with no file changed")
        result.warm_ms.append(ms)
    for path in paths[:: max(len(paths) // 10, 1)][:10]:
        before = cache.parses
        _bump(path)
        ms, library = cpu_ms(cache.get)
        if cache.parses != before + 1:
            raise SystemExit(f"touching one file re-read {cache.parses - before} files")
        _check(library, len(paths))
        result.touched_ms.append(ms)


def profile_cold(folder: Path, top: int = 18) -> str:
    catalog = fresh_catalog()
    profiler = cProfile.Profile()
    profiler.enable()
    load_library([folder], catalog)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def run(count: int = 1000, repeats: int = 2, profile: bool = False, log: Callable[[str], None] = print
        ) -> ValidationResult:
    sources, skipped = valid_bundled_lessons(fresh_catalog())
    if not sources:
        raise SystemExit("no bundled lesson validates: nothing to copy")
    with tempfile.TemporaryDirectory(prefix="sourcecheck-bench-") as tmp:
        folder = Path(tmp)
        paths = make_library(folder, sources, count)
        result = ValidationResult(count, [p.name for p in sources], skipped)
        for i in range(repeats):  # interleaved, so a noisy spell hits every measure alike
            log(f"  validation round {i + 1}/{repeats}")
            result.safe_load_ms.append(cpu_ms(lambda: safe_load_all(paths))[0])
            result.cold_fresh_ms.append(cold_fresh_process(folder, count))
            result.cold_cleared_ms.append(cold_cleared(folder, count))
            result.c_safe_load_ms.append(cpu_ms(lambda: safe_load_all(paths, yaml.CSafeLoader))[0])
        measure_cache(folder, paths, result)
        if profile or result.cold_ratio > GOAL_COLD_OVER_SAFE_LOAD:
            result.profile = profile_cold(folder)
    return result


def report(result: ValidationResult) -> str:
    s = result.summary()
    rows = [(name, s[key], s[key] / result.safe_load) for name, key in (  # type: ignore[operator]
        ("yaml.safe_load (pure-Python SafeLoader)", "safe_load_ms"),
        ("yaml.load with CSafeLoader (for context)", "c_safe_load_ms"),
        ("load_library cold, fresh process", "cold_fresh_process_ms"),
        ("load_library cold, caches cleared", "cold_caches_cleared_ms"),
        ("LibraryCache.get() first", "cache_first_get_ms"),
        ("LibraryCache.get() warm", "warm_get_ms"),
        ("LibraryCache.get() after touching 1 file", "get_after_touch_ms"),
    )]
    lines = [f"Validation: {result.count} lessons copied from {', '.join(result.sources)}"
             + (f" (skipped, invalid: {', '.join(result.skipped)})" if result.skipped else ""),
             f"  {'measure':<44}{'CPU ms':>10}{'x safe_load':>13}"]
    lines += [f"  {name:<44}{ms:>10.1f}{ratio:>13.3f}" for name, ms, ratio in rows]
    verdict = "met" if s["goal_met"] else "MISSED"
    lines.append(f"  goal cold <= {GOAL_COLD_OVER_SAFE_LOAD:g}x safe_load: {verdict} ({result.cold_ratio:.2f}x); "
                 f"medians of {len(result.safe_load_ms)} interleaved rounds, {len(result.warm_ms)} warm gets, "
                 f"{len(result.touched_ms)} touches")
    if result.profile:
        lines += ["", "cProfile of one cold load_library:", result.profile]
    return "\n".join(lines)


def _cold_child(folder: Path) -> None:
    start, wall = time.process_time(), time.perf_counter()
    library = load_library([folder], load_catalog(seeds_dir()))
    cpu, wall = (time.process_time() - start) * 1000, (time.perf_counter() - wall) * 1000
    print(json.dumps({"cpu_ms": cpu, "wall_ms": wall, "lessons": len(library.lessons),
                      "problems": len(library.problems)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one cold load")
    parser.add_argument("--cold-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        _cold_child(args.cold_child)
        return
    print(report(run(args.count, args.repeats, args.profile)))


if __name__ == "__main__":
    main()
