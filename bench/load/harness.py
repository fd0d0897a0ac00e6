"""`make load`: one teacher-paced class of N simulated students on one `streamlit run` process, for each N,
against the same load on a bare Streamlit page, then a table.

For each N the app and the bare page each get a fresh server (from a temp folder holding a copy of
.streamlit/config.toml, so both run under the same settings), one after the other, never at once.
Measured per run:
- latency from the moment a student acts to `script_finished`, by kind: Submit, the join click (a
  write, the switch to the class page and its first run), a poll (the run_every fragment, nothing
  changed), a poll that found the teacher's change and reran the page ("page changed"); p50/p95/p99;
- errors (exceptions on a page, lost connections, timeouts) and, from the database, answers stored
  against answers acknowledged on screen; the projector's live count against the expected count;
- server CPU per poll, from 10 quiet seconds of the lobby (every student joined, nothing changing: the
  polls are the only traffic), and per interaction: the class's CPU less its polls, divided by its
  clicks and page reruns;
- resident memory per student session: the server's RSS with everyone in the lobby, less its RSS
  after a warm-up student, divided by N.
The answer-key check (answer_key.py) reads every frame every student receives.

Run: `.venv/bin/python bench/load/harness.py [--students 25,50] [--soak 600] [--profile 200]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
for folder in (HERE, BENCH, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from answer_key import AnswerKey  # noqa: E402
from classroom import BareClock, ClassStats, Plan, Student, Teacher, bare_student, run_students  # noqa: E402
from protocol import Server, cpu_seconds  # noqa: E402
from server import workdir  # noqa: E402

from sourcecheck.lessons.loaded import LoadedLesson  # noqa: E402

LESSON = "raqqa-who-says"
PASSCODE = "load-test-passcode"
LOBBY_SECONDS = 10.0
OUT = BENCH / "out"


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def app_env(database: str, state: Path) -> dict[str, str]:
    return {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": PASSCODE, "SOURCECHECK_STATE": str(state)}


def clean_env() -> dict[str, str]:
    """This process's environment without a developer's own SourceCheck settings or database; the poll interval
    under test (SOURCECHECK_POLL_SECONDS, if set) goes to the app and to the bare page alike."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    if os.environ.get("SOURCECHECK_POLL_SECONDS"):
        env["SOURCECHECK_POLL_SECONDS"] = os.environ["SOURCECHECK_POLL_SECONDS"]
    return env


@dataclass
class Measured:
    page: str  # "app" or "bare"
    n: int
    stats: ClassStats
    seconds: float = 0.0
    cpu_poll_ms: float = float("nan")
    cpu_interaction_ms: float = float("nan")
    cpu_total_s: float = 0.0
    rss_base_mb: float = 0.0
    rss_lobby_mb: float = 0.0
    rss_end_mb: float = 0.0
    stored: int = -1  # answers in the database (app only)
    missing: int = 0  # acknowledged on screen but not in the database
    count_mismatches: int = 0  # projector counts the database contradicts (see measure_app)
    client_cpu_s: float = 0.0
    loop_lag_p99_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def mb_per_session(self) -> float:
        return (self.rss_lobby_mb - self.rss_base_mb) / self.n if self.n else float("nan")

    def p(self, kind: str, q: float) -> float:
        return 1000 * percentile(self.stats.latencies.get(kind, []), q)

    def summary(self) -> dict[str, object]:
        kinds = {k: {"count": len(v), "p50_ms": round(self.p(k, 50), 1), "p95_ms": round(self.p(k, 95), 1),
                     "p99_ms": round(self.p(k, 99), 1)} for k, v in self.stats.latencies.items()}
        return {"page": self.page, "students": self.n, "seconds": round(self.seconds, 1), "latency": kinds,
                "errors": len(self.stats.errors), "first_errors": self.stats.errors[:10],
                "sent": self.stats.sent, "acknowledged": self.stats.acknowledged, "late": self.stats.late,
                "resubmits": self.stats.resubmits[:10],
                "stored": self.stored, "missing": self.missing, "finished": self.stats.finished,
                "answer_key_leaks": self.stats.leaks[:10], "frames_checked": self.stats.frames,
                "projector_counts": self.stats.teacher_counts, "count_mismatches": self.count_mismatches,
                "cpu_ms_per_poll": round(self.cpu_poll_ms, 2),
                "cpu_ms_per_interaction": round(self.cpu_interaction_ms, 2),
                "cpu_total_s": round(self.cpu_total_s, 1), "rss_base_mb": round(self.rss_base_mb, 1),
                "rss_lobby_mb": round(self.rss_lobby_mb, 1), "rss_end_mb": round(self.rss_end_mb, 1),
                "mb_per_session": round(self.mb_per_session, 2), "client_cpu_s": round(self.client_cpu_s, 1),
                "client_loop_lag_p99_ms": round(self.loop_lag_p99_ms, 1), "notes": self.notes}


class Lag:
    """How late this client's event loop wakes up: if it is busy, its latencies are the client's, not the server's."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self.task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.05)
            self.samples.append(time.perf_counter() - started - 0.05)

    def __enter__(self) -> Lag:
        self.task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_: object) -> None:
        if self.task is not None:
            self.task.cancel()

    def p99_ms(self) -> float:
        return 1000 * percentile(self.samples, 99)


def load_lesson() -> LoadedLesson:
    from sourcecheck.lessons.catalog import load_catalog
    from sourcecheck.lessons.loader import load_library

    lesson = load_library([ROOT / "lessons"], load_catalog(ROOT / "seeds")).get(LESSON)
    assert lesson is not None, f"lesson {LESSON} not found"
    return lesson


def start_class(database: str) -> tuple[int, str]:
    """A teacher-paced class on the lesson, created through the store the way the Classes page does it."""
    from sourcecheck.db import open_store
    from sourcecheck.sessions.classes import MOST_STUDENTS
    from sourcecheck.sessions.classes import start_class as start

    store = open_store(database)
    try:
        session = start(store, load_lesson(), pacing="teacher", max_students=MOST_STUDENTS)
        return session.id, session.code
    finally:
        store.engine.dispose()


def stored_answers(database: str, session_id: int) -> tuple[set[tuple[str, str]], dict[str, int]]:
    """(token, question id) of every answer the database holds for the class, and the count per question."""
    from sourcecheck.db import open_store

    store = open_store(database)
    try:
        tokens = {p.id: p.token for p in store.participants(session_id)}
        rows = store.session_answers(session_id)
    finally:
        store.engine.dispose()
    pairs = {(tokens.get(r.answer.participant_id, "?"), r.answer.question_id) for r in rows if r.answer.attempt == 1}
    per_question: dict[str, int] = {}
    for _, question_id in pairs:
        per_question[question_id] = per_question.get(question_id, 0) + 1
    return pairs, per_question


async def class_run(ports: list[int], database: str, n: int, plan: Plan, key: AnswerKey | None = None, *,
                    chaos: Callable[[ClassStats], Awaitable[None]] | None = None,
                    routes: list[str] | None = None) -> tuple[ClassStats, int]:
    """One class of `n` students spread over `ports` (the teacher on the first), with `chaos` (a fault, say)
    running beside it; `routes`, behind nginx, the students' route cookies. Returns what the tabs measured
    and the class's id. For the tests."""
    session_id, code = start_class(database)
    stats = ClassStats()
    rng = random.Random(plan.seed)
    students = [Student(i, ports, code, plan, stats, key, random.Random(rng.random()),
                        routes[i] if routes else "") for i in range(n)]
    teacher = Teacher(ports[0], session_id, PASSCODE, plan, stats, lambda: n)
    jobs: list[Awaitable[object]] = [run_students(students, teacher, plan)]
    if chaos is not None:
        jobs.append(chaos(stats))
    await asyncio.gather(*jobs)
    return stats, session_id


async def _warm_up(ports: list[int], database: str, plan: Plan) -> None:
    """One student joins a class of their own and polls a few times: imports, caches and the first page loads
    are paid before anything is measured."""
    session_id, code = start_class(database)
    stats = ClassStats()
    warm = Student(0, ports, code, Plan(plan.questions, think=plan.think, join_spread=0.0, timeout=plan.timeout),
                   stats, None, random.Random(0))
    await warm.tab.open()
    await warm._join()
    for _ in range(3):
        await warm._poll()
    await warm.tab.close()
    if stats.errors:
        raise RuntimeError(f"warm-up failed: {stats.errors}")


async def measure_app(n: int, plan: Plan, ports: list[int], database: str, *,
                      cpu: Callable[[], float], rss: Callable[[], int], key: AnswerKey | None,
                      page: str = "app", warm: list[int] | None = None) -> Measured:
    """`ports`: where the students connect (one server, or nginx); `warm`: each process to warm up directly."""
    for port in warm or ports:
        await _warm_up([port], database, plan)
    await asyncio.sleep(1.0)
    m = Measured(page, n, ClassStats(), rss_base_mb=rss() / 2**20)
    session_id, code = start_class(database)
    rng = random.Random(plan.seed + n)
    students = [Student(i, ports, code, plan, m.stats, key, random.Random(rng.random())) for i in range(n)]
    teacher = Teacher(ports[0], session_id, PASSCODE, plan, m.stats, lambda: n)
    marks: dict[str, float] = {}

    async def lobby() -> None:
        polls = m.stats.count("poll") + m.stats.count("projector poll")
        before = cpu()
        await asyncio.sleep(LOBBY_SECONDS)
        polled = m.stats.count("poll") + m.stats.count("projector poll") - polls
        m.cpu_poll_ms = 1000 * (cpu() - before) / polled if polled else float("nan")
        m.rss_lobby_mb = rss() / 2**20
        marks["class_cpu"], marks["polls"] = cpu(), float(m.stats.count("poll") + m.stats.count("projector poll"))
        marks["interactions"] = float(_interactions(m.stats))

    started, client = time.monotonic(), time.process_time()
    with Lag() as lag:
        await run_students(students, teacher, plan, lobby)
    m.seconds, m.client_cpu_s = time.monotonic() - started, time.process_time() - client
    m.loop_lag_p99_ms = lag.p99_ms()
    m.cpu_total_s = cpu() - marks["class_cpu"]
    polls = m.stats.count("poll") + m.stats.count("projector poll") - marks["polls"]
    interactions = _interactions(m.stats) - marks["interactions"]
    if interactions > 0:
        m.cpu_interaction_ms = 1000 * (m.cpu_total_s - polls * m.cpu_poll_ms / 1000) / interactions
    m.rss_end_mb = rss() / 2**20
    pairs, per_question = stored_answers(database, session_id)
    m.stored = len(pairs)
    m.missing = len(set(m.stats.acked) - pairs)
    # The projector's count when the teacher revealed: never more than the database holds, and all of it when
    # everyone had answered (an answer may still land between the last count and the Reveal click).
    m.count_mismatches = sum(1 for q, shown, expected in m.stats.teacher_counts
                             if shown > per_question.get(q, 0) or (shown == expected and per_question.get(q) != shown))
    return m


def _interactions(stats: ClassStats) -> int:
    return sum(stats.count(kind) for kind in ("submit", "join", "poll, page changed", "teacher click"))


async def measure_bare(n: int, plan: Plan, server: Server) -> Measured:
    warm = ClassStats()
    clock = BareClock(Plan(plan.questions[:1], think=(0.1, 0.2), reveal_pause=0.1, join_spread=0.0), 1)
    await asyncio.gather(bare_student(0, server.port, clock, clock.plan, warm, random.Random(0)), clock.run())
    await asyncio.sleep(1.0)
    m = Measured("bare", n, ClassStats(), rss_base_mb=rss_bytes(_pid(server)) / 2**20)
    clock = BareClock(plan, n)
    rng = random.Random(plan.seed + n)
    tasks = [asyncio.create_task(bare_student(i, server.port, clock, plan, m.stats, random.Random(rng.random())))
             for i in range(n)]
    started, client = time.monotonic(), time.process_time()
    with Lag() as lag:
        deadline = time.monotonic() + plan.join_spread + 60
        while clock.joined < n and time.monotonic() < deadline and not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
        polls, before = m.stats.count("poll"), server.cpu()
        await asyncio.sleep(LOBBY_SECONDS)
        polled = m.stats.count("poll") - polls
        m.cpu_poll_ms = 1000 * (server.cpu() - before) / polled if polled else float("nan")
        m.rss_lobby_mb = rss_bytes(_pid(server)) / 2**20
        class_cpu, polls, interactions = server.cpu(), m.stats.count("poll"), _interactions(m.stats)
        await asyncio.gather(clock.run(), *tasks)
    m.seconds, m.client_cpu_s = time.monotonic() - started, time.process_time() - client
    m.loop_lag_p99_ms = lag.p99_ms()
    m.cpu_total_s = server.cpu() - class_cpu
    done = _interactions(m.stats) - interactions
    if done:
        m.cpu_interaction_ms = 1000 * (m.cpu_total_s - (m.stats.count("poll") - polls) * m.cpu_poll_ms / 1000) / done
    m.rss_end_mb = rss_bytes(_pid(server)) / 2**20
    return m


def _pid(server: Server) -> int:
    assert server.proc is not None
    return server.proc.pid


def plan_for(lesson_questions: list[str], args: argparse.Namespace) -> Plan:
    return Plan(lesson_questions, think=(args.think_min, args.think_max), join_spread=args.join_spread,
                reveal_pause=args.reveal_pause)


def one_process(n: int, plan: Plan, tmp: Path, key: AnswerKey, log: Callable[[str], None], *,
                with_bare: bool = True) -> tuple[Measured, Measured]:
    database = f"sqlite:///{tmp / f'load-{n}.db'}"
    app = Server(ROOT / "app.py", workdir(tmp, f"app-{n}"), env=app_env(database, tmp / "state"),
                 base_env=clean_env())
    bare = Server(BENCH / "bare_poll.py", workdir(tmp, f"bare-{n}"), base_env=clean_env())
    try:
        app.start().wait_ready()
        log(f"  N={n}: app class (server pid {app.proc.pid if app.proc else '?'})...")
        measured_app = asyncio.run(measure_app(n, plan, [app.port], database, cpu=app.cpu,
                                               rss=lambda: rss_bytes(_pid(app)), key=key))
    finally:
        app.stop()
    if not with_bare:  # a profiling run: the app alone
        return measured_app, measured_app
    try:
        bare.start().wait_ready()
        log(f"  N={n}: bare class...")
        measured_bare = asyncio.run(measure_bare(n, plan, bare))
    finally:
        bare.stop()
    return measured_app, measured_bare


def through_nginx(ns: list[int], plan: Plan, key: AnswerKey, log: Callable[[str], None]) -> list[Measured]:
    """The same class through nginx on one PostgreSQL, with one app process and with two (one per core here)."""
    from deploy.cluster import Cluster
    from deploy.postgres import start as start_postgres

    out: list[Measured] = []
    pg = start_postgres()
    state = Path(tempfile.mkdtemp(prefix="sourcecheck-load-state-"))
    try:
        for n in ns:
            for processes in (1, 2):
                database = pg.create_database(f"load_{n}_{processes}")
                cluster = Cluster(processes, database, env={"SOURCECHECK_TEACHER_PASSCODE": PASSCODE,
                                                            "SOURCECHECK_STATE": str(state)}
                                  | ({"SOURCECHECK_POLL_SECONDS": os.environ["SOURCECHECK_POLL_SECONDS"]}
                                     if os.environ.get("SOURCECHECK_POLL_SECONDS") else {}))
                try:
                    cluster.start()
                    log(f"  N={n}: {processes} process{'es' if processes > 1 else ''} behind nginx...")
                    pids = [_pid(s) for s in cluster.servers]
                    m = asyncio.run(measure_app(
                        n, plan, [cluster.port], database, key=key, page=f"{processes}p",
                        cpu=lambda pids=pids: sum(cpu_seconds(pid) for pid in pids),  # type: ignore[misc]
                        rss=lambda pids=pids: sum(rss_bytes(pid) for pid in pids),  # type: ignore[misc]
                        warm=[s.port for s in cluster.servers]))
                    assert cluster.nginx is not None
                    served = cluster.nginx.upstreams()  # nginx's access log: no client is told
                    upstreams = [served.get(route, "") for route in m.stats.routes]
                    spread = {u: upstreams.count(u) for u in sorted(set(upstreams))}
                    m.notes.append(f"students per process: {spread}")
                    out.append(m)
                finally:
                    cluster.stop()
    finally:
        pg.stop()
    return out


def cluster_table(rows: list[Measured]) -> str:
    lines = ["The same class through nginx on one PostgreSQL: one app process, then two (CPU and memory summed)",
             f"{'N':>4} {'procs':<5} {'Submit p50/p95/p99 ms':>22} {'page changed p50/p95':>21} {'errors':>6} "
             f"{'stored/acked/sent':>17} {'CPU ms/poll':>11} {'CPU ms/interact':>15} {'MB/session':>10}  "
             "students per process"]
    for m in rows:
        lines.append(
            f"{m.n:>4} {m.page:<5} {m.p('submit', 50):>6.1f}/{m.p('submit', 95):>6.1f}/{m.p('submit', 99):>7.1f} "
            f"{m.p('poll, page changed', 50):>9.1f}/{m.p('poll, page changed', 95):>10.1f} {len(m.stats.errors):>6} "
            f"{f'{m.stored}/{m.stats.acknowledged}/{m.stats.sent}':>17} {m.cpu_poll_ms:>11.2f} "
            f"{m.cpu_interaction_ms:>15.2f} {m.mb_per_session:>10.2f}  {m.notes[-1].split(': ', 1)[-1]}")
    for one, two in zip(rows[::2], rows[1::2], strict=False):
        lines.append(f"  N={one.n}: Submit p95 {one.p('submit', 95):.0f} -> {two.p('submit', 95):.0f} ms "
                     f"({one.p('submit', 95) / two.p('submit', 95):.1f}x better with 2 processes); page-changed p95 "
                     f"{one.p('poll, page changed', 95):.0f} -> {two.p('poll, page changed', 95):.0f} ms; errors "
                     f"{len(one.stats.errors)} / {len(two.stats.errors)}; lost {one.missing} / {two.missing}")
    return "\n".join(lines)


def table(rows: list[tuple[Measured, Measured]]) -> str:
    head = (f"{'N':>4} {'page':<5} {'Submit p50/p95/p99 ms':>22} {'poll p50/p95/p99 ms':>21} {'join p95':>8} "
            f"{'page changed p95':>16} {'errors':>6} {'stored/acked/sent':>17} {'CPU ms/poll':>11} "
            f"{'CPU ms/interact':>15} {'MB/session':>10} {'x bare p95':>10}")
    lines = ["One teacher-paced class per N on one streamlit process; the bare page under the same load", head]
    for app, bare in rows:
        for m in (app, bare):
            ratio = app.p("submit", 95) / bare.p("submit", 95) if m is app else 1.0
            stored = f"{m.stored}/{m.stats.acknowledged}/{m.stats.sent}" if m.stored >= 0 else f"-/{m.stats.sent}"
            lines.append(
                f"{m.n:>4} {m.page:<5} {m.p('submit', 50):>6.1f}/{m.p('submit', 95):>6.1f}/{m.p('submit', 99):>7.1f} "
                f"{m.p('poll', 50):>5.1f}/{m.p('poll', 95):>6.1f}/{m.p('poll', 99):>7.1f} {m.p('join', 95):>8.0f} "
                f"{m.p('poll, page changed', 95):>16.1f} {len(m.stats.errors):>6} {stored:>17} "
                f"{m.cpu_poll_ms:>11.2f} {m.cpu_interaction_ms:>15.2f} {m.mb_per_session:>10.2f} {ratio:>10.2f}")
    return "\n".join(lines)


def verdicts(rows: list[tuple[Measured, Measured]]) -> list[str]:
    out = []
    for app, bare in rows:
        problems = []
        if app.stats.errors or bare.stats.errors:
            problems.append(f"{len(app.stats.errors)} app / {len(bare.stats.errors)} bare errors "
                            f"(first: {(app.stats.errors or bare.stats.errors)[0]})")
        if app.missing or app.stored != app.stats.acknowledged:
            problems.append(f"answers: {app.stored} stored, {app.stats.acknowledged} acknowledged, "
                            f"{app.missing} acknowledged but missing")
        if app.stats.leaks:
            problems.append(f"ANSWER KEY LEAKED: {app.stats.leaks[0]}")
        if app.stats.resubmits:
            problems.append(f"{len(app.stats.resubmits)} Submits left the form as it was and were made again "
                            f"(first: {app.stats.resubmits[0]})")
        if app.count_mismatches:
            problems.append(f"{app.count_mismatches} projector counts differ from the database")
        if app.stats.finished != app.n:
            problems.append(f"{app.n - app.stats.finished} students never saw the summary")
        ratio = app.p("submit", 95) / bare.p("submit", 95)
        goals = []
        if app.n == 200:
            goals.append(f"p95 {app.p('submit', 95):.1f} ms ≤ 50: {'met' if app.p('submit', 95) <= 50 else 'MISSED'}")
            goals.append(f"{ratio:.2f}x bare ≤ 2: {'met' if ratio <= 2 else 'MISSED'}")
        if app.n == 400:
            ok = not app.stats.errors and app.missing == 0 and app.stored == app.stats.acknowledged
            goals.append(f"no errors, nothing lost: {'met' if ok else 'MISSED'}")
        goals.append(f"{app.mb_per_session:.2f} MB/session < 5: {'met' if app.mb_per_session < 5 else 'MISSED'}")
        keys = f"answer key: {app.stats.frames} frames checked, {len(app.stats.leaks)} leaks"
        out.append(f"  N={app.n}: " + "; ".join(goals + [keys] + problems))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="25,50,100,200,400", help="class sizes, comma-separated")
    parser.add_argument("--think-min", type=float, default=4.0)
    parser.add_argument("--think-max", type=float, default=12.0)
    parser.add_argument("--join-spread", type=float, default=8.0)
    parser.add_argument("--reveal-pause", type=float, default=2.5)
    parser.add_argument("--no-bare", action="store_true", help="the app alone (to profile it: py-spy record -p PID)")
    parser.add_argument("--cluster", default="", help="class sizes to run through nginx on 1 and 2 processes")
    parser.add_argument("--soak", type=float, default=0.0, help="also run a soak of this many seconds")
    parser.add_argument("--soak-students", type=int, default=100)
    args = parser.parse_args()
    log = lambda line: print(line, file=sys.stderr, flush=True)
    lesson = load_lesson()
    key = AnswerKey.of(lesson)
    plan = plan_for([q.id for q in lesson.lesson.questions], args)
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "uptime": _uptime(),
                                  "lesson": LESSON, "plan": {"think": plan.think, "reveal_pause": plan.reveal_pause,
                                                             "join_spread": plan.join_spread}}
    rows = []
    with tempfile.TemporaryDirectory(prefix="sourcecheck-load-") as tmp_name:
        tmp = Path(tmp_name)
        for n in [int(x) for x in args.students.split(",") if x.strip()]:
            rows.append(one_process(n, plan, tmp, key, log, with_bare=not args.no_bare))
            log(table(rows[-1:]).splitlines()[-2])
            log(table(rows[-1:]).splitlines()[-1])
        results["one_process"] = [[a.summary(), b.summary()] for a, b in rows]
        clustered = through_nginx([int(x) for x in args.cluster.split(",") if x.strip()], plan, key, log)
        results["through_nginx"] = [m.summary() for m in clustered]
        soaked = soak(args.soak, args.soak_students, plan, tmp, log) if args.soak else None
        results["soak"] = soaked
    if rows:
        print(table(rows))
        print("\n".join(verdicts(rows)))
    if clustered:
        print(cluster_table(clustered))
    if soaked:
        print(soak_report(soaked))
    print(f"machine load when it started: {results['uptime']}; now: {_uptime()}")
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"full results: {OUT / 'load.json'}")


def soak(seconds: float, n: int, plan: Plan, tmp: Path, log: Callable[[str], None]) -> dict[str, object]:
    """Classes of `n` students back to back on one process for `seconds`, each with new tabs (the next lesson of
    the day), the server's RSS sampled every 10 s: memory must level off, not climb."""
    database = f"sqlite:///{tmp / 'soak.db'}"
    server = Server(ROOT / "app.py", workdir(tmp, "soak"), env=app_env(database, tmp / "state"), base_env=clean_env())
    samples: list[tuple[float, float]] = []
    totals = {"classes": 0, "errors": 0, "sent": 0, "acknowledged": 0, "stored": 0, "missing": 0}

    async def run() -> None:
        await _warm_up([server.port], database, plan)
        started = time.monotonic()

        async def sample() -> None:
            while True:
                samples.append((round(time.monotonic() - started, 1), round(rss_bytes(_pid(server)) / 2**20, 1)))
                await asyncio.sleep(10.0)

        sampler = asyncio.create_task(sample())
        while time.monotonic() - started < seconds:
            this = replace(plan, seed=plan.seed + totals["classes"])
            stats, session_id = await class_run([server.port], database, n, this)
            pairs, _ = stored_answers(database, session_id)
            totals["classes"] += 1
            totals["errors"] += len(stats.errors)
            totals["sent"] += stats.sent
            totals["acknowledged"] += stats.acknowledged
            totals["stored"] += len(pairs)
            totals["missing"] += len(set(stats.acked) - pairs)
            log(f"  soak: class {totals['classes']} done at {time.monotonic() - started:.0f} s, "
                f"RSS {samples[-1][1] if samples else 0} MB")
        sampler.cancel()

    try:
        server.start().wait_ready()
        log(f"  soak: {n} students a class, {seconds:.0f} s...")
        asyncio.run(run())
    finally:
        server.stop()
    half = [mb for t, mb in samples if t >= seconds / 2]
    first = [mb for t, mb in samples if t < seconds / 2]
    return {"seconds": seconds, "students": n, "rss_mb": samples, **totals,
            "rss_first_half_max_mb": max(first, default=0.0), "rss_second_half_max_mb": max(half, default=0.0)}


def soak_report(s: dict[str, object]) -> str:
    samples = s["rss_mb"]
    assert isinstance(samples, list)
    series = ", ".join(f"{t:.0f}s {mb:.0f}" for t, mb in samples[:: max(1, len(samples) // 12)])
    return (f"Soak: {s['classes']} classes of {s['students']} students over {s['seconds']} s on one process; "
            f"errors {s['errors']}; answers stored/acknowledged/sent {s['stored']}/{s['acknowledged']}/{s['sent']}, "
            f"{s['missing']} missing\n  RSS MB: {series}\n  max RSS first half {s['rss_first_half_max_mb']} MB, "
            f"second half {s['rss_second_half_max_mb']} MB")


def _uptime() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return "load average " + " ".join(f.read().split()[:3])



if __name__ == "__main__":
    main()
