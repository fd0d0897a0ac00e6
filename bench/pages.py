"""Server CPU per rerun of the app's pages, against a bare Streamlit page under the same settings.

Every click of every student is a rerun on a shared 2-core server, so a page's cost is the server
process's CPU time (user + sys, from /proc) divided by the reruns driven through it. The bare page
(bench/bare_page.py) is the yardstick: whatever the app adds on top of Streamlit is the ratio.
All servers run from a temporary working directory holding a copy of the app's
.streamlit/config.toml, and are driven in interleaved rounds so noise hits each alike.

Run alone: `.venv/bin/python bench/pages.py [--reruns 200] [--profile]`.
"""

from __future__ import annotations

import argparse
import io
import pstats
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from protocol import Run, Server, Session, WidgetState, answers, trigger
from server import workdir

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from a clean clone: sourcecheck is not installed
GOAL_OVER_BARE = 1.5
GOAL_POLL_OVER_BARE_POLL = 1.2
POLL_TOKEN = "bench-student-token-000001"
LESSON = "raqqa-who-says"  # the solo question page's lesson
# An open class pauses solo practice of its lesson (sessions/solo.py), so each class is on a lesson of its own.
CLASS_LESSON = "campaign-post-same-tests"  # the class question page: the same mix of question types as LESSON
POLL_LESSON = "projector-quick-check"  # the waiting class of the live poll


class Driver:
    """One simulated student on one page: which widgets the next rerun carries, like a browser would send."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.session: Session | None = None
        self.last: Run | None = None
        self.reruns = 0

    def open(self) -> Session:
        raise NotImplementedError

    def next_widgets(self, last: Run) -> list[WidgetState] | None:
        """Widgets for the next rerun; None to start a new session (a new student)."""
        return []

    def step(self) -> Run:
        if self.session is None or self.last is None:
            self.session = self.open()
            run = self.session.rerun()
        else:
            widgets = self.next_widgets(self.last)
            if widgets is None:
                self.session.close()
                self.session = self.open()
                run = self.session.rerun()
            else:
                run = self.session.rerun(widgets)
        if run.exceptions:
            raise RuntimeError(f"{type(self).__name__}: the page raised {run.exceptions}")
        self.last, self.reruns = run, self.reruns + 1
        return run

    def close(self) -> None:
        if self.session is not None:
            self.session.close()


class BareDriver(Driver):
    """Clicks the bare page's one button every time; `lines` extra lines make it as long as another page."""

    def __init__(self, port: int, lines: int = 0) -> None:
        super().__init__(port)
        self.lines = lines

    def open(self) -> Session:
        return Session(self.port, query=f"lines={self.lines}" if self.lines else "")

    def next_widgets(self, last: Run) -> list[WidgetState] | None:
        return [trigger(last.widget("button", key="click"))]


class CatalogDriver(Driver):
    """A student looking at the lesson list: reruns of the default page (its only buttons leave the page)."""

    def open(self) -> Session:
        return Session(self.port)

    def next_widgets(self, last: Run) -> list[WidgetState] | None:
        cards = [e for e in last.widgets("bidi_component") if e.bidi_component.component_name == "sourcecheck_catalog"]
        if not cards or '"cards": [{' not in cards[0].bidi_component.json:  # the lesson cards (ui/catalog_view.py)
            raise RuntimeError(f"the catalog page shows no lesson:\n{last.text()[:500]}")
        return []


class QuestionDriver(Driver):
    """A student working through `?lesson=raqqa-who-says`: answer, submit, read the feedback, next question.

    The form's widgets travel with the submit click, as the browser sends them; the answer is always
    the first option shown, so some are right and some wrong. At the results screen a new student
    starts, so every question type keeps its share of the reruns.
    """

    submits = 0
    nexts = 0
    summaries = 0

    def open(self) -> Session:
        return Session(self.port, path="quiz", query=f"lesson={LESSON}")

    def next_widgets(self, last: Run) -> list[WidgetState] | None:
        buttons = last.widgets("button")
        submit = [e for e in buttons if e.button.is_form_submitter]
        if submit:
            self.submits += 1
            return answers(last) + [trigger(submit[0])]
        following = [e for e in buttons if e.button.label in ("Next question", "See my results")]
        if following:
            self.nexts += 1
            return [trigger(following[0])]
        if "Your results" in last.text():
            self.summaries += 1
            return None
        raise RuntimeError(f"question page in an unknown state:\n{last.text()[:800]}")


class ClassQuestionDriver(Driver):
    """A student in a live teacher-paced class (`/class?c=...&s=...`), question after question: the teacher
    moves on (the page reruns, as every student's does at once after a click), the student submits, the teacher
    reveals (the page reruns again, to the feedback). The bench plays the teacher by writing to the database, as
    the remote does; its CPU is the bench's, not the server's. After the last question a new class starts with a
    new student, so no question is ever shown already revealed."""

    submits = 0
    moves = 0
    reveals = 0

    def __init__(self, port: int, database: str) -> None:
        super().__init__(port)
        import yaml

        from sourcecheck.db import open_store

        self.store = open_store(database)
        self.text = (ROOT / "lessons" / f"{CLASS_LESSON}.yaml").read_bytes().decode("utf-8")
        self.questions = [q["id"] for q in yaml.safe_load(self.text)["questions"]]
        self.version = self.store.save_lesson_version(CLASS_LESSON, self.text)
        self.lap = 0
        self.class_id = 0
        self.index = 0
        self.revealed = False

    def open(self) -> Session:
        if self.class_id:
            self.store.close_session(self.class_id)
        self.lap += 1
        token = f"bench-class-token-{self.lap:06d}"
        session = self.store.create_session(CLASS_LESSON, self.version, pacing="teacher")
        self.store.join(session.id, token, f"Student {self.lap}")
        self.class_id, self.index, self.revealed = session.id, 0, False
        self.store.set_position(session.id, 0, self.questions[0])
        return Session(self.port, path="class", query=f"c={session.code}&s={token}")

    def next_widgets(self, last: Run) -> list[WidgetState] | None:
        text = last.text()
        submit = [e for e in last.widgets("button") if e.button.is_form_submitter]
        if submit:
            self.submits += 1
            return answers(last) + [trigger(submit[0])]
        if "Your answer is saved" in text:
            self.reveals += 1
            self.store.reveal(self.class_id)
            self.revealed = True
            return []
        if self.revealed:  # the feedback after the reveal: the teacher moves everyone on
            self.revealed = False
            self.index += 1
            if self.index >= len(self.questions):
                return None
            self.moves += 1
            self.store.set_position(self.class_id, self.index, self.questions[self.index])
            return []
        raise RuntimeError(f"class question page in an unknown state:\n{text[:800]}")

    def close(self) -> None:
        super().close()
        self.store.engine.dispose()


class PollDriver(Driver):
    """A student waiting in a teacher-paced class (`path`, `query`): after the first load, every step is the
    one-second poll the browser's timer sends, a rerun of the fragment alone, with nothing changed."""

    def __init__(self, port: int, path: str = "", query: str = "") -> None:
        super().__init__(port)
        self.path, self.query = path, query

    def step(self) -> Run:
        if self.session is None:
            self.session = Session(self.port, path=self.path, query=self.query)
            run = self.session.rerun()
            if not self.session.fragments:
                raise RuntimeError(f"no run_every fragment on /{self.path}?{self.query}:\n{run.text()[:500]}")
        else:
            run = self.session.run_fragment(self.session.fragments[0])
        if run.exceptions:
            raise RuntimeError(f"the poll raised {run.exceptions}")
        self.last, self.reruns = run, self.reruns + 1
        return run


@dataclass
class Page:
    name: str
    server: str
    driver: Callable[[int], Driver]
    yardstick: str = "bare page"  # the page whose cost this one is divided by
    cpu_s: float = 0.0
    main_thread_s: float = 0.0
    wall_s: float = 0.0
    reruns: int = 0
    deltas: int = 0
    instance: Driver | None = None

    @property
    def ms_per_rerun(self) -> float:
        return 1000 * self.cpu_s / self.reruns if self.reruns else float("nan")

    def per_rerun(self, total: float) -> float:
        return total / self.reruns if self.reruns else float("nan")


@dataclass
class PagesResult:
    pages: list[Page]
    config: str
    notes: list[str] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Page | None:
        return next((p for p in self.pages if p.name == name), None)

    def ratios(self) -> dict[str, float]:
        out = {}
        for page in self.pages:
            yardstick = self.get(page.yardstick)
            if page.server == "app" and yardstick is not None:
                out[page.name] = page.ms_per_rerun / yardstick.ms_per_rerun
        return out

    def goal(self, name: str) -> float:
        page = self.get(name)
        return GOAL_POLL_OVER_BARE_POLL if page is not None and page.yardstick == "bare poll" else GOAL_OVER_BARE

    def gc_effect(self) -> tuple[float | None, float | None]:
        """Bare page ms per rerun with runner.postScriptGC true and false (one of them is the config's own)."""
        bare = self.get("bare page")
        on = self.get("bare page, postScriptGC=true") or (bare if self.gc_in_config else None)
        off = self.get("bare page, postScriptGC=false") or (bare if not self.gc_in_config else None)
        return (on.ms_per_rerun if on else None), (off.ms_per_rerun if off else None)

    @property
    def gc_in_config(self) -> bool:
        return bool(tomllib.loads(self.config).get("runner", {}).get("postScriptGC", True))

    def summary(self) -> dict[str, object]:
        return {
            "config": self.config, "notes": self.notes, "goal_over_bare": GOAL_OVER_BARE,
            "pages": {p.name: {"cpu_ms_per_rerun": round(p.ms_per_rerun, 2), "reruns": p.reruns,
                               "event_loop_thread_ms_per_rerun": round(1000 * p.per_rerun(p.main_thread_s), 2),
                               "wall_ms_per_rerun": round(1000 * p.per_rerun(p.wall_s), 2),
                               "elements_per_rerun": round(p.per_rerun(p.deltas), 1)}
                      for p in self.pages},
            "ratios_over_bare": {k: round(v, 3) for k, v in self.ratios().items()},
        }


def _bare(lines: int = 0) -> Callable[[int], Driver]:
    return lambda port: BareDriver(port, lines)


def run(reruns: int = 200, *, rounds: int = 4, warmup: int = 20, profile: bool = False,
        log: Callable[[str], None] = print) -> PagesResult:
    config = ROOT / ".streamlit" / "config.toml"
    config_text = config.read_text(encoding="utf-8") if config.exists() else ""
    app = ROOT / "app.py"
    pages = [Page("bare page", "bare", _bare())]
    notes = []
    if app.exists():
        pages += [Page("catalog page", "app", CatalogDriver), Page("question page", "app", QuestionDriver)]
        pages += [Page("bare poll", "bare-poll", lambda port: PollDriver(port), yardstick="bare poll")]
    else:
        notes.append("app.py does not exist yet: only the bare pages were measured")
    # The bare page already runs with the config's postScriptGC; one more server runs it with the other value.
    gc_other = not bool(tomllib.loads(config_text).get("runner", {}).get("postScriptGC", True))
    gc_name = f"bare page, postScriptGC={str(gc_other).lower()}"
    pages.append(Page(gc_name, "bare-gc", _bare()))

    with tempfile.TemporaryDirectory(prefix="sourcecheck-pages-") as tmp_name:
        tmp = Path(tmp_name)
        # A command-line flag beats config.toml, so the GC variant differs from the config in that one setting.
        servers = {
            "bare": Server(BENCH / "bare_page.py", workdir(tmp, "bare")),
            "bare-gc": Server(BENCH / "bare_page.py", workdir(tmp, "gc"),
                              [f"--runner.postScriptGC={str(gc_other).lower()}"]),
        }
        if app.exists():
            database = f"sqlite:///{tmp / 'bench.db'}"
            code = _waiting_class(database)
            servers["app"] = Server(app, workdir(tmp, "app"), env={"DATABASE_URL": database})
            servers["bare-poll"] = Server(BENCH / "bare_poll.py", workdir(tmp, "bare-poll"))
            # A pushed page has no timer: what a poll costs matters only with SOURCECHECK_LIVE=poll (or while a
            # page's event stream cannot be opened), so the poll is measured on a server in that mode.
            servers["app-poll"] = Server(app, workdir(tmp, "app-poll"),
                                         env={"DATABASE_URL": database, "SOURCECHECK_LIVE": "poll"})
            poll = Page("live poll (SOURCECHECK_LIVE=poll), nothing changed", "app-poll",
                        lambda port: PollDriver(port, "class", f"c={code}&s={POLL_TOKEN}"), yardstick="bare poll")
            pages.insert(pages.index(next(p for p in pages if p.name == "bare poll")) + 1, poll)
            pages.insert(pages.index(next(p for p in pages if p.name == "question page")) + 1,
                         Page("class question page", "app", lambda port: ClassQuestionDriver(port, database)))
        try:
            for server in servers.values():
                server.start()
            for server in servers.values():
                server.wait_ready()
            log(f"  {len(servers)} servers up; warming up")
            for page in list(pages):
                page.instance = page.driver(servers[page.server].port)
                elements = [page.instance.step().deltas for _ in range(warmup)]  # imports, caches, first load
                if page.server == "app" and page.yardstick == "bare page":  # as long as this page: Streamlit's share
                    lines = max(round(sum(elements) / len(elements)) - 3, 0)
                    twin = Page(f"bare page, {lines + 3} elements", "bare", _bare(lines))
                    twin.instance = twin.driver(servers["bare"].port)
                    for _ in range(warmup):
                        twin.instance.step()
                    pages.insert(pages.index(page) + 1, twin)
            per_round = [reruns // rounds + (1 if i < reruns % rounds else 0) for i in range(rounds)]
            for i, count in enumerate(per_round):
                log(f"  page round {i + 1}/{rounds}: {count} reruns per page")
                for page in pages:
                    _measure(page, servers[page.server], count)
            for page in pages:
                assert page.instance is not None
                page.instance.close()
            question = next((p.instance for p in pages if isinstance(p.instance, QuestionDriver)), None)
            if question is not None:
                notes.append(f"question page path: {question.submits} submits, {question.nexts} next clicks, "
                             f"{question.summaries} results screens (each followed by a new student)")
            live = next((p.instance for p in pages if isinstance(p.instance, ClassQuestionDriver)), None)
            if live is not None:
                notes.append(f"class question page path ({CLASS_LESSON}): {live.moves} moves on and "
                             f"{live.reveals} reveals by the teacher, {live.submits} submits, {live.lap} classes")
            result = PagesResult(pages, config_text, notes)
            for page in pages:
                if page.server == "app" and (profile or result.ratios()[page.name] > result.goal(page.name)):
                    log(f"  profiling the {page.name}")
                    result.profiles[page.name] = profile_page(tmp, page.name, page.driver, min(reruns, 100),
                                                              env=servers["app"].env)
            return result
        finally:
            for server in servers.values():
                server.stop()


def _waiting_class(database: str) -> str:
    """A teacher-paced class on POLL_LESSON, still in its lobby, with one student joined: the poll's page."""
    from sourcecheck.db import open_store

    store = open_store(database)
    text = (ROOT / "lessons" / f"{POLL_LESSON}.yaml").read_bytes().decode("utf-8")
    session = store.create_session(POLL_LESSON, store.save_lesson_version(POLL_LESSON, text), pacing="teacher")
    store.join(session.id, POLL_TOKEN, "Bench student")
    store.engine.dispose()
    return session.code


def _measure(page: Page, server: Server, count: int) -> None:
    assert page.instance is not None
    cpu, main, wall = server.cpu(), server.cpu_main_thread(), time.perf_counter()
    deltas = sum(page.instance.step().deltas for _ in range(count))
    page.cpu_s += server.cpu() - cpu
    page.main_thread_s += server.cpu_main_thread() - main
    page.wall_s += time.perf_counter() - wall
    page.reruns += count
    page.deltas += deltas


def profile_page(tmp: Path, name: str, driver: Callable[[int], Driver], reruns: int, warmup: int = 20,
                 env: dict[str, str] | None = None) -> str:
    """cProfile of the script runs of an app server while one page is driven (warm-up runs left out)."""
    slug = name.replace(" ", "-")
    out = tmp / f"{slug}.pstats"
    server = Server(ROOT / "app.py", workdir(tmp, f"profiled-{slug}"), launcher=[str(BENCH / "profiled_server.py")],
                    env={"BENCH_PROFILE_OUT": str(out), "BENCH_PROFILE_SKIP": str(warmup)} | (env or {}))
    server.start()
    try:
        server.wait_ready()
        student = driver(server.port)
        for _ in range(warmup + reruns):
            student.step()
        student.close()
    finally:
        server.stop()
    stats = pstats.Stats(str(out), stream=io.StringIO())
    return _by_origin(stats) + "\n" + _queries(stats, reruns) + "\n" + _app_calls(stats, reruns)


def _queries(stats: pstats.Stats, reruns: int) -> str:
    """SQL statements sent per rerun: each is a round trip (and on PostgreSQL a wait) that every student pays."""
    sent = sum(calls for (filename, _, func), (_, calls, _, _, _) in stats.stats.items()  # type: ignore[attr-defined]
               if filename.endswith("sqlalchemy/engine/base.py") and func == "_execute_context")
    return f"  SQL statements per rerun: {sent / reruns:.2f} ({sent} in {reruns} reruns)"


# Streamlit functions worth naming next to the app's own: the element queue and the navigation set-up.
_STREAMLIT_CALLS = {("delta_generator.py", "_enqueue"), ("navigation/page.py", "__init__"),
                    ("commands/navigation.py", "_navigation"), ("script_runner.py", "_run_script_thread")}


def _app_calls(stats: pstats.Stats, reruns: int, floor_ms: float = 0.05) -> str:
    """CPU per rerun (cumulative, so including the Streamlit calls each makes) of the app's functions."""
    rows = []
    for (filename, line, func), (_, calls, _, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        ours = filename.startswith(str(ROOT)) and "/.venv/" not in filename
        if ours or any(filename.endswith(f) and func == name for f, name in _STREAMLIT_CALLS):
            where = Path(filename).relative_to(ROOT) if ours else "streamlit/" + filename.split("/streamlit/")[-1]
            ms = 1000 * cumtime / reruns
            if ms >= floor_ms:
                rows.append((ms, f"    {ms:7.2f} ms {calls:>6} calls  {where}:{line}({func})"))
    rows.sort(key=lambda row: -row[0])
    head = f"  CPU per rerun under cProfile (inflated by it; compare within the list), {reruns} reruns:"
    return "\n".join([head] + [text for _, text in rows[:30]])


def _by_origin(stats: pstats.Stats) -> str:
    """Own time summed by where the code lives: is the page's cost ours or Streamlit's?"""
    totals: dict[str, float] = {}
    for (filename, _, func), (_, _, tottime, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if filename.startswith(str(ROOT / "sourcecheck")) or filename == str(ROOT / "app.py"):
            origin = "SourceCheck (app.py, sourcecheck/)"
        elif "site-packages/streamlit/" in filename:
            origin = "streamlit"
        elif "site-packages/google/protobuf" in filename:
            origin = "protobuf"
        elif "site-packages/" in filename:
            origin = "other libraries"
        elif filename == "~" and "socket" in func:
            origin = "socket send (waking the event loop, once per message)"
        elif filename == "~":
            origin = "built-ins (called from any of the above)"
        else:
            origin = "standard library"
        totals[origin] = totals.get(origin, 0.0) + tottime
    total = sum(totals.values())
    rows = [f"  own time by origin (total {total:.2f} s under cProfile):"]
    rows += [f"    {origin:<56}{t:>7.2f} s {100 * t / total:>5.1f} %"
             for origin, t in sorted(totals.items(), key=lambda kv: -kv[1])]
    return "\n".join(rows)


def report(result: PagesResult) -> str:
    bare = result.get("bare page")
    assert bare is not None
    lines = ["Page cost: server CPU per rerun (user+sys of the streamlit process), same config.toml for all",
             f"  {'page':<32}{'reruns':>7}{'elements':>9}{'CPU ms/rerun':>14}{'(event loop)':>14}"
             f"{'wall ms':>9}{'x bare':>8}"]
    for p in result.pages:
        lines.append(f"  {p.name:<32}{p.reruns:>7}{p.per_rerun(p.deltas):>9.1f}{p.ms_per_rerun:>14.2f}"
                     f"{1000 * p.per_rerun(p.main_thread_s):>14.2f}{1000 * p.per_rerun(p.wall_s):>9.1f}"
                     f"{p.ms_per_rerun / bare.ms_per_rerun:>8.2f}")
    for name, ratio in result.ratios().items():
        goal, yardstick = result.goal(name), result.pages[[p.name for p in result.pages].index(name)].yardstick
        verdict = "met" if ratio <= goal else "MISSED"
        lines.append(f"  goal {name} <= {goal:g}x {yardstick}: {verdict} ({ratio:.2f}x)")
    lines += [f"  note: {n}" for n in result.notes]
    on, off = result.gc_effect()
    if on is not None and off is not None:
        lines.append(f"  runner.postScriptGC: true {on:.2f} ms, false {off:.2f} ms per bare rerun ({on / off:.1f}x); "
                     f"config.toml says {str(result.gc_in_config).lower()}")
    settings = [line for line in result.config.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    lines.append("  config.toml: " + ("; ".join(settings) if settings else "(none: Streamlit defaults)"))
    for name, profile in result.profiles.items():
        lines += ["", f"cProfile of the {name}'s script runs (ScriptRunner threads, by thread CPU, warm):", profile]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=200)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(report(run(args.reruns, profile=args.profile, log=lambda s: print(s, file=sys.stderr, flush=True))))


if __name__ == "__main__":
    main()
