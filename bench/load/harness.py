"""`make load`: push (SOURCECHECK_LIVE=push) against today's polling (SOURCECHECK_LIVE=poll) and against the
bare page, side by side in one run, on PostgreSQL with fsync on (as a school's server runs it), then a table per
section with the goals of issue 21 as met or missed.

Sections (docs/performance.md, "What the harness does"):
- one process: for each class size N (--students, default 30,200,400) a teacher-paced class of N simulated
  students, on push, on poll and on the bare page (sizes above --compare-up-to, default 200, on push only),
  each on a fresh server and a fresh database, one after the other, never at once;
- an idle class: each of those classes first sits in the lobby (everyone joined, nothing changing) for
  LOBBY_SECONDS, and the server's CPU over those seconds is the idle cost (% of one core);
- two processes behind nginx (--cluster, default 800), on push.
Measured per class: the teacher's click (Reveal, Next) to every student's page showing it (p50/p95), Submit
p50/p95/p99 and its ratio to the bare page's, errors, answers stored against acknowledged and sent, answers
stored twice, the projector's counts against the database, the events websockets that opened and that closed
(a page that falls back to polling), server CPU, memory per session. The answer-key check (answer_key.py)
reads every frame every student receives. `--fast` runs PostgreSQL with fsync off, and every table and
summary line says so. Before anything runs, the database pool of every process (pool + overflow, plus one
listener connection) must fit PostgreSQL's max_connections: it is checked and printed.

Run: `.venv/bin/python bench/load/harness.py [--students 30,200] [--cluster 800] [--fast] [--soak 600]`.
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

from deploy import postgres  # noqa: E402
from sourcecheck.lessons.loaded import LoadedLesson  # noqa: E402

LESSON = "raqqa-who-says"
PASSCODE = "load-test-passcode"
LOBBY_SECONDS = 20.0  # the idle class: everyone in the lobby, nothing changing
OUT = BENCH / "out"
MODES = ("push", "poll", "bare")
FAST = "FAST (fsync off, not durable)"
DURABLE = "durable PostgreSQL (fsync on)"


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


def app_env(database: str, state: Path, live: str = "push") -> dict[str, str]:
    return {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": PASSCODE, "SOURCECHECK_STATE": str(state),
            "SOURCECHECK_LIVE": live}


def clean_env() -> dict[str, str]:
    """This process's environment without a developer's own SourceCheck settings or database; the poll interval
    and the database pool under test (SOURCECHECK_POLL_SECONDS, SOURCECHECK_DB_POOL_SIZE and _MAX_OVERFLOW, if
    set) go to every server alike."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    for name in ("SOURCECHECK_POLL_SECONDS", "SOURCECHECK_DB_POOL_SIZE", "SOURCECHECK_DB_MAX_OVERFLOW"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


@dataclass
class Measured:
    page: str  # "push", "poll" or "bare" (one process); "2p push" behind nginx
    n: int
    stats: ClassStats
    processes: int = 1
    seconds: float = 0.0
    idle_cpu_pct: float = float("nan")  # server CPU over the quiet lobby, % of one core
    cpu_total_s: float = 0.0  # server CPU from the end of the lobby to the end of the class
    rss_base_mb: float = 0.0
    rss_lobby_mb: float = 0.0
    rss_end_mb: float = 0.0
    stored: int = -1  # answers in the database (app only)
    missing: int = 0  # acknowledged on screen but not in the database
    twice: int = 0  # answers stored more than once for the same student and question
    count_mismatches: int = 0  # projector counts the database contradicts (see measure_app)
    client_cpu_s: float = 0.0
    loop_lag_p99_ms: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def mb_per_session(self) -> float:
        return (self.rss_lobby_mb - self.rss_base_mb) / self.n if self.n else float("nan")

    def p(self, kind: str, q: float) -> float:
        return 1000 * percentile(self.stats.latencies.get(kind, []), q)

    def changed(self, q: float, kind: str = "") -> float:
        """Teacher's click to every student's page changed, ms: both kinds of click, or "next" / "reveal"."""
        found = self.stats.changed()
        values = found.get(kind, []) if kind else [v for vs in found.values() for v in vs]
        return 1000 * percentile(values, q)

    @property
    def lost(self) -> bool:
        return self.stored >= 0 and (self.missing > 0 or self.twice > 0 or self.stored != self.stats.acknowledged)

    def summary(self) -> dict[str, object]:
        kinds = {k: {"count": len(v), "p50_ms": round(self.p(k, 50), 1), "p95_ms": round(self.p(k, 95), 1),
                     "p99_ms": round(self.p(k, 99), 1)} for k, v in self.stats.latencies.items()}
        changed = {k: {"count": len(v), "p50_ms": round(1000 * percentile(v, 50), 1),
                       "p95_ms": round(1000 * percentile(v, 95), 1), "max_ms": round(1000 * max(v), 1)}
                   for k, v in self.stats.changed().items()}
        return {"page": self.page, "students": self.n, "processes": self.processes, "seconds": round(self.seconds, 1),
                "latency": kinds, "click_to_page_changed": changed, "never_changed": self.stats.unseen(),
                "errors": len(self.stats.errors), "first_errors": self.stats.errors[:10],
                "sent": self.stats.sent, "acknowledged": self.stats.acknowledged, "late": self.stats.late,
                "resubmits": self.stats.resubmits[:10], "stored": self.stored, "missing": self.missing,
                "stored_twice": self.twice, "finished": self.stats.finished,
                "answer_key_leaks": self.stats.leaks[:10], "frames_checked": self.stats.frames,
                "projector_counts": self.stats.teacher_counts, "count_mismatches": self.count_mismatches,
                "events_opened": self.stats.events_opened, "events_closed": self.stats.events_closed[:20],
                "idle_cpu_pct_of_core": round(self.idle_cpu_pct, 2), "cpu_total_s": round(self.cpu_total_s, 1),
                "rss_base_mb": round(self.rss_base_mb, 1), "rss_lobby_mb": round(self.rss_lobby_mb, 1),
                "rss_end_mb": round(self.rss_end_mb, 1), "mb_per_session": round(self.mb_per_session, 2),
                "client_cpu_s": round(self.client_cpu_s, 1), "client_loop_lag_p99_ms": round(self.loop_lag_p99_ms, 1),
                "notes": self.notes}


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
    pairs, per_question, _ = stored_rows(database, session_id)
    return pairs, per_question


def stored_rows(database: str, session_id: int) -> tuple[set[tuple[str, str]], dict[str, int], int]:
    """`stored_answers`, and how many first attempts are stored more than once for one student and question."""
    from sourcecheck.db import open_store

    store = open_store(database)
    try:
        tokens = {p.id: p.token for p in store.participants(session_id)}
        rows = store.session_answers(session_id)
    finally:
        store.engine.dispose()
    firsts = [(tokens.get(r.answer.participant_id, "?"), r.answer.question_id) for r in rows if r.answer.attempt == 1]
    pairs = set(firsts)
    per_question: dict[str, int] = {}
    for _, question_id in pairs:
        per_question[question_id] = per_question.get(question_id, 0) + 1
    return pairs, per_question, len(firsts) - len(pairs)


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
    """One student joins a class of their own and follows it a few times (polls, or triggers with the version
    drawn): imports, caches and the first page loads are paid before anything is measured."""
    session_id, code = start_class(database)
    stats = ClassStats()
    warm = Student(0, ports, code, Plan(plan.questions, think=plan.think, join_spread=0.0, timeout=plan.timeout),
                   stats, None, random.Random(0))
    try:
        await warm.tab.open()
        await warm._join()
        for _ in range(3):
            if warm.tab.push:
                live = next(iter(warm.tab.events.values()))
                await warm.tab.run_trigger(live, live.live.drawn)
            else:
                await warm._poll()
    finally:
        await warm.tab.close()
    if stats.errors:
        raise RuntimeError(f"warm-up failed: {stats.errors}")


async def measure_app(n: int, plan: Plan, ports: list[int], database: str, *,
                      cpu: Callable[[], float], rss: Callable[[], int], key: AnswerKey | None,
                      page: str = "push", warm: list[int] | None = None, processes: int = 1) -> Measured:
    """`ports`: where the students connect (one server, or nginx); `warm`: each process to warm up directly."""
    for port in warm or ports:
        await _warm_up([port], database, plan)
    await asyncio.sleep(1.0)
    m = Measured(page, n, ClassStats(), processes=processes, rss_base_mb=rss() / 2**20)
    session_id, code = start_class(database)
    rng = random.Random(plan.seed + n)
    students = [Student(i, ports, code, plan, m.stats, key, random.Random(rng.random())) for i in range(n)]
    teacher = Teacher(ports[0], session_id, PASSCODE, plan, m.stats, lambda: n)
    marks: dict[str, float] = {}

    async def lobby() -> None:
        await asyncio.sleep(1.0)  # the last join's reruns settle
        before, started = cpu(), time.monotonic()
        await asyncio.sleep(LOBBY_SECONDS)
        m.idle_cpu_pct = 100 * (cpu() - before) / (time.monotonic() - started)
        m.rss_lobby_mb = rss() / 2**20
        marks["class_cpu"] = cpu()

    started, client = time.monotonic(), time.process_time()
    with Lag() as lag:
        await run_students(students, teacher, plan, lobby)
    m.seconds, m.client_cpu_s = time.monotonic() - started, time.process_time() - client
    m.loop_lag_p99_ms = lag.p99_ms()
    m.cpu_total_s = cpu() - marks["class_cpu"]
    m.rss_end_mb = rss() / 2**20
    pairs, per_question, m.twice = stored_rows(database, session_id)
    m.stored = len(pairs)
    m.missing = len(set(m.stats.acked) - pairs)
    # The projector's count when the teacher revealed: never more than the database holds, and all of it when
    # everyone had answered (an answer may still land between the last count and the Reveal click).
    m.count_mismatches = sum(1 for q, shown, expected in m.stats.teacher_counts
                             if shown > per_question.get(q, 0) or (shown == expected and per_question.get(q) != shown))
    return m


async def measure_bare(n: int, plan: Plan, server: Server) -> Measured:
    warm = ClassStats()
    clock = BareClock(Plan(plan.questions[:1], think=(0.1, 0.2), reveal_pause=0.1, join_spread=0.0), 1)
    await asyncio.gather(bare_student(0, server.port, clock, clock.plan, warm, random.Random(0)), clock.run())
    await asyncio.sleep(1.0)
    m = Measured("bare", n, ClassStats(), rss_base_mb=rss_bytes(_pid(server)) / 2**20)
    clock = BareClock(plan, n, m.stats)
    rng = random.Random(plan.seed + n)
    tasks = [asyncio.create_task(bare_student(i, server.port, clock, plan, m.stats, random.Random(rng.random())))
             for i in range(n)]
    started, client = time.monotonic(), time.process_time()
    with Lag() as lag:
        deadline = time.monotonic() + plan.join_spread + 60
        while clock.joined < n and time.monotonic() < deadline and not all(t.done() for t in tasks):
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)
        before, quiet = server.cpu(), time.monotonic()
        await asyncio.sleep(LOBBY_SECONDS)
        m.idle_cpu_pct = 100 * (server.cpu() - before) / (time.monotonic() - quiet)
        m.rss_lobby_mb = rss_bytes(_pid(server)) / 2**20
        class_cpu = server.cpu()
        await asyncio.gather(clock.run(), *tasks)
    m.seconds, m.client_cpu_s = time.monotonic() - started, time.process_time() - client
    m.loop_lag_p99_ms = lag.p99_ms()
    m.cpu_total_s = server.cpu() - class_cpu
    m.rss_end_mb = rss_bytes(_pid(server)) / 2**20
    return m


def _pid(server: Server) -> int:
    assert server.proc is not None
    return server.proc.pid


def plan_for(lesson_questions: list[str], args: argparse.Namespace) -> Plan:
    return Plan(lesson_questions, think=(args.think_min, args.think_max), join_spread=args.join_spread,
                reveal_pause=args.reveal_pause)


# -- the database: durable by default, its connections counted ----------------------------------------------


@dataclass
class Database:
    """The run's PostgreSQL: durable (fsync on) unless --fast; `label` goes on every table and summary line."""

    pg: postgres.PostgresServer
    fast: bool

    @property
    def label(self) -> str:
        return FAST if self.fast else DURABLE

    def max_connections(self) -> int:
        import psycopg

        with psycopg.connect(self.pg.url(), connect_timeout=10) as conn:
            row = conn.execute("SHOW max_connections").fetchone()
        assert row is not None
        return int(row[0])


def start_postgres(*, fast: bool) -> postgres.PostgresServer:
    """deploy/postgres.start, durable unless `fast`, whichever way the installed deploy/postgres.py spells it
    (`durable=` before issue 21, `fast=` after)."""
    import inspect

    start: Callable[..., postgres.PostgresServer] = postgres.start
    if "fast" in inspect.signature(start).parameters:
        return start(fast=fast)
    return start(durable=not fast)


def connections_needed(processes: int) -> tuple[int, str]:
    """Every process's pool (pool size + overflow, from the environment each server gets) and its one listener
    connection, plus one for the harness's own reads."""
    from sourcecheck.db.engine import pool_settings

    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(clean_env())
        pool, overflow = pool_settings()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    needed = processes * (pool + overflow + 1) + 1
    return needed, f"{processes} x (pool {pool} + overflow {overflow} + 1 listener) + 1 harness = {needed}"


def check_pool(db: Database, processes: int, log: Callable[[str], None]) -> str:
    needed, sum_ = connections_needed(processes)
    most = db.max_connections()
    line = f"connections: {sum_} <= max_connections {most}: {'fits' if needed <= most else 'DOES NOT FIT'}"
    log(f"  {line}")
    if needed > most:
        raise SystemExit(f"{line}: lower SOURCECHECK_DB_POOL_SIZE / SOURCECHECK_DB_MAX_OVERFLOW")
    return line


# -- the sections --------------------------------------------------------------------------------------------


def one_process(n: int, mode: str, plan: Plan, tmp: Path, db: Database, key: AnswerKey,
                log: Callable[[str], None]) -> Measured:
    """One class of `n` on one fresh server: the app on push or poll (a fresh database each), or the bare page."""
    if mode == "bare":
        bare = Server(BENCH / "bare_page.py", workdir(tmp, f"bare-{n}"), base_env=clean_env())
        try:
            bare.start().wait_ready()
            log(f"  N={n} bare ({db.label})...")
            return asyncio.run(measure_bare(n, plan, bare))
        finally:
            bare.stop()
    database = db.pg.create_database(f"load_{n}_{mode}")
    app = Server(ROOT / "app.py", workdir(tmp, f"app-{n}-{mode}"), ["--server.fileWatcherType=none"],
                 env=app_env(database, tmp / "state", mode), base_env=clean_env())
    try:
        app.start().wait_ready()
        log(f"  N={n} {mode} (server pid {_pid(app)}, {db.label})...")
        return asyncio.run(measure_app(n, plan, [app.port], database, cpu=app.cpu, page=mode,
                                       rss=lambda: rss_bytes(_pid(app)), key=key))
    finally:
        app.stop()


def through_nginx(n: int, processes: int, mode: str, plan: Plan, db: Database, key: AnswerKey,
                  log: Callable[[str], None]) -> Measured:
    """A class of `n` through nginx on `processes` app processes sharing the run's PostgreSQL."""
    from deploy.cluster import Cluster

    state = Path(tempfile.mkdtemp(prefix="sourcecheck-load-state-"))
    database = db.pg.create_database(f"load_{n}_{processes}p_{mode}")
    env = {"SOURCECHECK_TEACHER_PASSCODE": PASSCODE, "SOURCECHECK_STATE": str(state), "SOURCECHECK_LIVE": mode}
    env |= {k: v for k, v in clean_env().items() if k.startswith("SOURCECHECK_")}
    cluster = Cluster(processes, database, env=env)
    try:
        cluster.start()
        log(f"  N={n}: {processes} processes behind nginx, {mode} ({db.label})...")
        pids = [_pid(s) for s in cluster.servers]
        m = asyncio.run(measure_app(
            n, plan, [cluster.port], database, key=key, page=mode, processes=processes,
            cpu=lambda: sum(cpu_seconds(pid) for pid in pids), rss=lambda: sum(rss_bytes(pid) for pid in pids),
            warm=[s.port for s in cluster.servers]))
        assert cluster.nginx is not None
        served = cluster.nginx.upstreams()  # nginx's access log: no client is told
        upstreams = [served.get(route, "") for route in m.stats.routes]
        m.notes.append(f"students per process: {sorted(upstreams.count(u) for u in set(upstreams))}")
        return m
    finally:
        cluster.stop()


# -- the tables ----------------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return "-" if value != value else f"{value:.0f}"  # NaN: nothing measured


def table(rows: list[Measured], label: str, title: str) -> str:
    bare = {m.n: m for m in rows if m.page == "bare"}
    head = (f"{'N':>4} {'page':<5} {'procs':>5} {'changed p50/p95 ms':>18} {'next p95':>8} {'reveal p95':>10} "
            f"{'unseen':>6} {'Submit p50/p95/p99 ms':>21} {'x bare':>6} {'errors':>6} {'stored/acked/sent':>17} "
            f"{'twice':>5} {'idle %core':>10} {'class CPU s':>11} {'MB/sess':>7} {'ws open/closed':>14}")
    lines = [f"{title} [{label}]", head]
    for m in rows:
        ratio = m.p("submit", 95) / bare[m.n].p("submit", 95) if m.n in bare and m.page != "bare" else float("nan")
        stored = f"{m.stored}/{m.stats.acknowledged}/{m.stats.sent}" if m.stored >= 0 else f"-/{m.stats.sent}"
        sockets = f"{m.stats.events_opened}/{len(m.stats.events_closed)}" if m.page == "push" else "-"
        lines.append(
            f"{m.n:>4} {m.page:<5} {m.processes:>5} {_ms(m.changed(50)):>8}/{_ms(m.changed(95)):>9} "
            f"{_ms(m.changed(95, 'next')):>8} {_ms(m.changed(95, 'reveal')):>10} {m.stats.unseen():>6} "
            f"{m.p('submit', 50):>5.1f}/{m.p('submit', 95):>6.1f}/{m.p('submit', 99):>7.1f} "
            f"{'-' if ratio != ratio else f'{ratio:.2f}':>6} {len(m.stats.errors):>6} {stored:>17} "
            f"{m.twice if m.stored >= 0 else '-':>5} {m.idle_cpu_pct:>10.1f} {m.cpu_total_s:>11.1f} "
            f"{m.mb_per_session:>7.2f} {sockets:>14}")
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def goals(rows: list[Measured], clustered: list[Measured], label: str) -> list[str]:
    """Issue 21's goals, each met or missed with its figure, from the push runs (poll and bare beside them)."""
    out: list[str] = []
    by = {(m.n, m.page, m.processes): m for m in rows + clustered}
    for n, limit in ((30, 500), (200, 1500)):
        push, poll = by.get((n, "push", 1)), by.get((n, "poll", 1))
        if push is not None:
            was = f" (poll {poll.changed(95):.0f} ms)" if poll is not None else ""
            ok = push.changed(95) <= limit and push.stats.unseen() == 0
            out.append(f"click to every page changed p95 <= {limit} ms at {n}, one process: {push.changed(95):.0f} ms"
                       f"{was}, {push.stats.unseen()} never changed: {_met(ok)}")
    push, poll = by.get((200, "push", 1)), by.get((200, "poll", 1))
    if push is not None:
        was = f" (poll {poll.idle_cpu_pct:.1f} %)" if poll is not None else ""
        out.append(f"idle class of 200 <= 5 % of a core: {push.idle_cpu_pct:.1f} %{was}: "
                   f"{_met(push.idle_cpu_pct <= 5)}")
        bare = by.get((200, "bare", 1))
        p95 = push.p("submit", 95)
        out.append(f"Submit p95 at 200, one process <= 50 ms: {p95:.1f} ms: {_met(p95 <= 50)}")
        if bare is not None:
            ratio = p95 / bare.p("submit", 95)
            out.append(f"Submit p95 at 200 <= 2x bare: {ratio:.2f}x ({bare.p('submit', 95):.1f} ms bare): "
                       f"{_met(ratio <= 2)}")
    for m in [m for m in rows + clustered if m.page == "push" and (m.n >= 400 or m.processes > 1)]:
        where = "one process" if m.processes == 1 else f"{m.processes} processes behind nginx"
        ok = not m.stats.errors and not m.lost and m.stats.finished == m.n
        out.append(f"{m.n} on {where}: {len(m.stats.errors)} errors, {m.stored} stored of {m.stats.acknowledged} "
                   f"acknowledged ({m.missing} missing, {m.twice} twice), {m.stats.finished} of {m.n} finished: "
                   f"{_met(ok)}")
    return [f"  [{label}] goal: {line}" for line in out]


def problems(rows: list[Measured], label: str) -> list[str]:
    out = []
    for m in rows:
        found = []
        if m.stats.errors:
            found.append(f"{len(m.stats.errors)} errors (first: {m.stats.errors[0]})")
        if m.lost:
            found.append(f"answers: {m.stored} stored, {m.stats.acknowledged} acknowledged, {m.missing} missing, "
                         f"{m.twice} stored twice")
        if m.stats.leaks:
            found.append(f"ANSWER KEY LEAKED: {m.stats.leaks[0]}")
        if m.stats.resubmits:
            found.append(f"{len(m.stats.resubmits)} Submits left the form as it was and were made again "
                         f"(first: {m.stats.resubmits[0]})")
        if m.count_mismatches:
            found.append(f"{m.count_mismatches} projector counts differ from the database")
        if m.stats.finished != m.n:
            found.append(f"{m.n - m.stats.finished} students never saw the summary")
        if m.stats.events_closed:
            found.append(f"{len(m.stats.events_closed)} events sockets closed or did not open (first: "
                         f"{m.stats.events_closed[0]})")
        if m.loop_lag_p99_ms > 100:
            found.append(f"the client itself was busy (its event loop woke {m.loop_lag_p99_ms:.0f} ms late at p99): "
                         "part of the latencies is the client's")
        if m.page != "bare":
            found.append(f"answer key: {m.stats.frames} frames checked, {len(m.stats.leaks)} leaks")
        found += m.notes
        out.append(f"  [{label}] N={m.n} {m.page} {m.processes}p: " + "; ".join(found or ["clean"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="30,200,400", help="class sizes on one process, comma-separated")
    parser.add_argument("--compare-up-to", type=int, default=200,
                        help="sizes up to this run push, poll and bare; larger ones push only")
    parser.add_argument("--modes", default=",".join(MODES), help="which of push,poll,bare to compare")
    parser.add_argument("--cluster", default="800", help="class sizes on two processes behind nginx (push)")
    parser.add_argument("--processes", type=int, default=2, help="processes behind nginx")
    parser.add_argument("--fast", action="store_true", help="PostgreSQL with fsync off: quicker, not durable")
    parser.add_argument("--think-min", type=float, default=3.0)
    parser.add_argument("--think-max", type=float, default=9.0)
    parser.add_argument("--join-spread", type=float, default=8.0)
    parser.add_argument("--reveal-pause", type=float, default=2.5)
    parser.add_argument("--soak", type=float, default=0.0, help="also run a soak of this many seconds (SQLite)")
    parser.add_argument("--soak-students", type=int, default=100)
    args = parser.parse_args()
    log = lambda line: print(line, file=sys.stderr, flush=True)
    lesson = load_lesson()
    key = AnswerKey.of(lesson)
    plan = plan_for([q.id for q in lesson.lesson.questions], args)
    modes = [m for m in args.modes.split(",") if m in MODES]
    sizes = [int(x) for x in args.students.split(",") if x.strip()]
    cluster_sizes = [int(x) for x in args.cluster.split(",") if x.strip()]
    begun = time.monotonic()
    results: dict[str, object] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "uptime": _uptime(),
                                  "lesson": LESSON, "fast": args.fast,
                                  "plan": {"think": plan.think, "reveal_pause": plan.reveal_pause,
                                           "join_spread": plan.join_spread, "lobby_seconds": LOBBY_SECONDS}}
    rows: list[Measured] = []
    clustered: list[Measured] = []
    soaked = None
    db = Database(start_postgres(fast=args.fast), args.fast)
    try:
        log(f"PostgreSQL: {db.label}")
        fits = [check_pool(db, processes, log)
                for processes, wanted in ((1, sizes), (args.processes, cluster_sizes)) if wanted]
        results["connections"] = fits
        with tempfile.TemporaryDirectory(prefix="sourcecheck-load-") as tmp_name:
            tmp = Path(tmp_name)
            for n in sizes:
                for mode in modes if n <= args.compare_up_to else ["push"]:
                    rows.append(one_process(n, mode, plan, tmp, db, key, log))
                    log(table(rows[-1:], db.label, "").splitlines()[-1])
            for n in cluster_sizes:
                clustered.append(through_nginx(n, args.processes, "push", plan, db, key, log))
                log(table(clustered[-1:], db.label, "").splitlines()[-1])
            soaked = soak(args.soak, args.soak_students, plan, tmp, log) if args.soak else None
    finally:
        db.pg.stop()
    results["one_process"] = [m.summary() for m in rows]
    results["through_nginx"] = [m.summary() for m in clustered]
    results["soak"] = soaked
    label = db.label
    for line in fits:
        print(f"[{label}] {line}")
    if rows:
        print(table(rows, label, "One process: push, poll and the bare page, one class per row, each on a fresh "
                                 "server"))
    if clustered:
        print(table(clustered, label, f"{args.processes} processes behind nginx (CPU and memory summed)"))
    print("\n".join(problems(rows + clustered, label)))
    print("\n".join(goals(rows, clustered, label)))
    if soaked:
        print(soak_report(soaked))
    minutes = (time.monotonic() - begun) / 60
    print(f"[{label}] {minutes:.1f} minutes; machine load when it started: {results['uptime']}; now: {_uptime()}")
    OUT.mkdir(exist_ok=True)
    (OUT / "load.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"full results: {OUT / 'load.json'}")


def soak(seconds: float, n: int, plan: Plan, tmp: Path, log: Callable[[str], None]) -> dict[str, object]:
    """Classes of `n` students back to back on one process for `seconds`, each with new tabs (the next lesson of
    the day), the server's RSS sampled every 10 s: memory must level off, not climb. On SQLite: it is about
    memory, not the database."""
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
