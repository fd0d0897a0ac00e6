"""A teacher-paced class of simulated students, over Streamlit's own protocol, against one or more servers.

Each student is a browser tab (`client.Tab`): it opens /join?code=..., types the code and a name,
lands on the class page, and from then on does what the browser does there: on a push page
(SOURCECHECK_LIVE=push) the subscriber's events websocket says when the class changed and its trigger
reruns the fragment; on a polling page (SOURCECHECK_LIVE=poll) the run_every fragment
(class_state.follow) runs on its own timer. When the teacher opens a question the student answers it
after a think time. Every whole page a student sees is stamped with the phase it shows (question k,
revealed or not, the end), and every teacher click with the phase it moves to, so "click to page
changed" is the time from the teacher's click to each student's first page showing it.

The teacher drives the class from the projector page, as a
teacher does: signs in, clicks Start, waits until the projector's live count says everyone has
answered (or a time limit), clicks Reveal, leaves the answers up for a few seconds, clicks Next,
and at the end Finish. So the teacher's screen shows the counts that the test compares with the
database, and every student action goes through the app the way a browser's would.

The bare class is the yardstick: the same students, timers, think times and clicks against
bench/bare_page.py (a title, a button and a line: the floor, with no timer). Its "teacher" is a clock
in this process that tells its students at once (as a push would, at no cost to the server), and each
bare student reruns its page then, so both servers get the same number of whole-page runs at the
same moments.

Everything is bounded: a student gives up after `deadline`, the teacher after `answer_wait` per
question, and every request after `timeout` seconds. Loopback only.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from answer_key import AnswerKey, KeyWatch
from client import Dropped, Tab
from protocol import Run, WidgetState, answers, trigger

__all__ = ["BareClock", "ClassStats", "Plan", "Student", "Teacher", "bare_student", "run_students"]

_QUESTION = re.compile(r"Question (\d+) of (\d+)")
_FEEDBACK = re.compile(r"^(Correct|Partly correct|Incorrect): |^Not scored: ", re.MULTILINE)
_COUNT = re.compile(r"(\d+) (?:of (\d+) answered|joined)")
_SAVED = "Your answer is saved"
END = (10**6, 0)  # the phase of the end of the lesson: after every question

Phase = tuple[int, int]  # (question number, 1 if its answers are shown); (0, 0) the lobby; END the summary


@dataclass
class Plan:
    """How the simulated class behaves: the same plan drives the app and the bare page."""

    questions: list[str]  # question ids in lesson order
    think: tuple[float, float] = (2.0, 6.0)  # seconds from seeing a question to clicking Submit
    poll: float = 1.0  # the run_every interval, as the page announces it (the app's is read from the page)
    reveal_pause: float = 2.5  # seconds the teacher leaves the answers up before Next
    answer_wait: float = 20.0  # the teacher moves on after this even if some have not answered
    join_spread: float = 5.0  # students arrive over this many seconds
    timeout: float = 60.0  # one request
    deadline: float = 900.0  # one student, start to summary
    seed: int = 12
    reconnect: float = 0.0  # seconds a tab keeps trying to reconnect after a dropped connection (0: it gives up)


@dataclass
class ClassStats:
    """What every simulated tab measured, in seconds, by kind of request."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    sent: int = 0  # Submit clicks
    acknowledged: int = 0  # submits whose page then said the answer is saved
    late: int = 0  # submits the app refused because the teacher had moved on (by design, not lost)
    finished: int = 0  # students who reached the summary
    leaks: list[str] = field(default_factory=list)
    frames: int = 0  # ForwardMsg frames the answer-key check read
    teacher_counts: list[tuple[str, int, int]] = field(default_factory=list)  # (question, shown, expected)
    acked: list[tuple[str, str]] = field(default_factory=list)  # (student token, question id) acknowledged
    reconnects: int = 0
    resumed: list[tuple[str, int | None, int | None]] = field(default_factory=list)  # (token, before, after)
    toasts: list[str] = field(default_factory=list)  # what the app said in a toast (e.g. "Reconnecting...")
    routes: list[str] = field(default_factory=list)  # behind nginx: each joined student's route cookie
    resubmits: list[str] = field(default_factory=list)  # a Submit that left the form as it was (see _submit)
    resubmitted: dict[str, set[str]] = field(default_factory=dict)
    clicks: list[tuple[float, str, Phase]] = field(default_factory=list)  # (monotonic, "next"/"reveal", target)
    seen: dict[str, list[tuple[float, Phase]]] = field(default_factory=dict)  # student -> pages shown, in order
    events_opened: int = 0  # events websockets opened (push pages), reconnections included
    events_closed: list[str] = field(default_factory=list)  # why one closed or did not open (fallback to polling)

    def changed(self) -> dict[str, list[float]]:
        """Teacher's click to each student's first page showing its outcome (or a later phase), in seconds, by
        click ("next", "reveal"); a student who never showed it adds nothing here and counts in `unseen`."""
        out: dict[str, list[float]] = {}
        for at, kind, target in self.clicks:
            for pages in self.seen.values():
                if not pages or pages[0][0] > at:
                    continue  # not yet joined when the teacher clicked
                shown = next((t for t, phase in pages if t >= at and phase >= target), None)
                if shown is not None:
                    out.setdefault(kind, []).append(shown - at)
        return out

    def unseen(self) -> int:
        """(click, student) pairs where the student's page never showed the click's outcome."""
        missing = 0
        for at, _, target in self.clicks:
            for pages in self.seen.values():
                if pages and pages[0][0] <= at and not any(t >= at and phase >= target for t, phase in pages):
                    missing += 1
        return missing

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def count(self, kind: str) -> int:
        return len(self.latencies.get(kind, []))

    def error(self, who: str, what: str) -> None:
        if len(self.errors) < 200:
            self.errors.append(f"{who}: {what}")


def _html(run: Run) -> str:
    return "\n".join(e.html.body for e in run.elements if e.WhichOneof("type") == "html")


def phase_of(run: Run) -> Phase:
    """What a student's page shows: the lobby, question k (its answers shown or not), or the end."""
    text = run.text()
    if any(words in text for words in _FINISHED):
        return END
    number, form = _shown(run)
    if number is None:
        return (0, 0)
    # class_view: the form (not answered), "saved" (answered, not revealed), else its feedback or the notice
    # that the answers have been shown: whichever the question's type draws, no form and no "saved" is revealed
    return (number, 0 if form or _SAVED in text else 1)


def _shown(run: Run) -> tuple[int | None, bool]:
    """The question number on the page (1-based) and whether its form is there to answer."""
    number = None
    for e in run.elements:
        if e.WhichOneof("type") == "progress":
            found = _QUESTION.search(e.progress.text)
            if found:
                number = int(found.group(1))
    form = any(e.WhichOneof("type") == "button" and e.button.is_form_submitter for e in run.elements)
    return number, form


class Student:
    """One student in the app's teacher-paced class (see the module docstring)."""

    def __init__(self, n: int, ports: list[int], code: str, plan: Plan, stats: ClassStats, key: AnswerKey | None,
                 rng: random.Random, route: str = "") -> None:
        self.n, self.code, self.plan, self.stats, self.rng = n, code, plan, stats, rng
        self.port = ports[n % len(ports)]
        self.name = f"Student {n + 1}"
        self.watch = KeyWatch(key) if key is not None else None
        self.tab = Tab(self.port, "join", f"code={code}", timeout=plan.timeout, watch=self.watch,
                       cookie=route or f"student-{plan.seed}-{n}-{code}")
        self.token = ""
        self.answered: set[str] = set()
        self.acked_questions: set[str] = set()
        self.answer_at: float | None = None
        self.done = False
        self.timer_start = 0.0

    @property
    def who(self) -> str:
        return self.name

    async def run(self) -> None:
        try:
            await asyncio.sleep(self.rng.uniform(0, self.plan.join_spread))
            await self._join()
            await self._follow()
        except Dropped as e:
            self.stats.error(self.who, f"connection lost: {e}")
        except Exception as e:  # noqa: BLE001 - every failure is counted, none stops the class
            self.stats.error(self.who, f"{type(e).__name__}: {e}")
        finally:
            self.events_report()
            if self.watch is not None:
                self.watch.check()
                self.stats.leaks += self.watch.leaks
                self.stats.frames += self.watch.frames
            await self.tab.close()

    async def _join(self) -> None:
        await self.tab.open()
        page, seconds = await self.tab.rerun()
        self.stats.add("page load", seconds)
        self._look(page)
        inputs = {e.text_input.label: e.text_input.id for e in page.elements if e.WhichOneof("type") == "text_input"}
        submit = next(e for e in page.elements if e.WhichOneof("type") == "button" and e.button.is_form_submitter)
        widgets = [WidgetState(id=inputs["Class code"], string_value=self.code),
                   WidgetState(id=inputs["Your name"], string_value=self.name), trigger(submit)]
        run, seconds = await self.tab.rerun(widgets)
        self.stats.add("join", seconds)  # a write, the switch to the class page and its first run
        self._look(run)
        if "s=" not in self.tab.reader.query:
            raise RuntimeError(f"the join did not reach the class page: {run.text()[:300]!r}")
        self.stats.routes.append(self.tab.cookie)
        self.token = dict(p.split("=", 1) for p in self.tab.reader.query.split("&") if "=" in p).get("s", "")
        self.timer_start = time.monotonic()

    async def _follow(self) -> None:
        """The browser's timer and the student's own clicks, until the summary shows (or the deadline)."""
        if self.tab.push:
            await self._follow_push()
            return
        deadline = time.monotonic() + self.plan.deadline
        next_poll = self.timer_start + self.rng.uniform(0.05, 1.0) * self._interval()
        while not self.done:
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError(f"no summary after {self.plan.deadline:.0f} s")
            try:
                if self.answer_at is not None and now >= self.answer_at:
                    await self._submit()
                    next_poll = time.monotonic() + self._interval()  # a whole-page run restarts the timer
                    continue
                if now >= next_poll:
                    whole = await self._poll()
                    next_poll = (time.monotonic() if whole else next_poll) + self._interval()
                    continue
            except Dropped:
                if not self.plan.reconnect:
                    raise
                await self._reconnect()
                next_poll = time.monotonic() + self._interval()
                continue
            wake = min(next_poll, self.answer_at or next_poll)
            await asyncio.sleep(max(0.0, wake - now))

    async def _follow_push(self) -> None:
        """The push page: the subscriber's trigger when a frame says the class moved, and the student's clicks."""
        deadline = time.monotonic() + self.plan.deadline
        while not self.done:
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError(f"no summary after {self.plan.deadline:.0f} s")
            try:
                if self.answer_at is not None and now >= self.answer_at:
                    await self._submit()
                    continue
                due = self.tab.pending()
                if due:
                    events, version = due[0]
                    run, seconds = await self.tab.run_trigger(events, version)
                    self.stats.add("push, page changed" if run.whole_page else "push rerun", seconds)
                    if run.exceptions:
                        self.stats.error(self.who, f"the page raised {run.exceptions}")
                    if run.whole_page:
                        self._look(run)
                    else:
                        self.stats.toasts += [e.toast.body for e in run.elements if e.WhichOneof("type") == "toast"]
                        if self.watch is not None:
                            self.watch.check()
                    continue
            except Dropped:
                if not self.plan.reconnect:
                    raise
                await self._reconnect()
                continue
            await self.tab.wait_change(min(deadline, self.answer_at or deadline))

    def events_report(self) -> None:
        for events in self.tab.events.values():
            self.stats.events_opened += events.opened
            self.stats.events_closed += [f"{self.who}: {why}" for why in events.closes]

    async def _reconnect(self) -> None:
        """What the browser does when the server went away: reconnect and rerun the same URL (page, class code,
        student token), which must land on the question the class is on, with the answers already given."""
        before = _shown(self.tab.last)[0] if self.tab.last is not None else None
        deadline = time.monotonic() + self.plan.reconnect
        self.stats.reconnects += 1
        while True:
            try:
                await self.tab.close()
                self.tab.reader.go("class", self.tab.reader.query)
                await self.tab.open()
                run, seconds = await self.tab.rerun()
                break
            except (Dropped, OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
        self.stats.add("reconnect", seconds)
        if f"s={self.token}" not in self.tab.reader.query:
            self.stats.error(self.who, f"resumed with another token: {self.tab.reader.query!r}")
        self.answer_at = None
        self.answered &= self.acked_questions  # an answer sent but never confirmed is answered again
        self._look(run)
        self.stats.resumed.append((self.token, before, _shown(run)[0]))

    def _interval(self) -> float:
        reader = self.tab.reader
        return reader.intervals.get(reader.fragments[0], self.plan.poll) if reader.fragments else self.plan.poll

    async def _poll(self) -> bool:
        if not self.tab.reader.fragments:
            raise RuntimeError("the class page has no run_every fragment")
        run, seconds = await self.tab.run_fragment(self.tab.reader.fragments[0])
        self.stats.add("poll, page changed" if run.whole_page else "poll", seconds)
        if not run.whole_page:
            self.stats.toasts += [e.toast.body for e in run.elements if e.WhichOneof("type") == "toast"]
        if run.exceptions:
            self.stats.error(self.who, f"the page raised {run.exceptions}")
        if run.whole_page:
            self._look(run)
        elif self.watch is not None:
            self.watch.check()
        return run.whole_page

    async def _submit(self) -> None:
        page = self.tab.last
        assert page is not None
        number, form = _shown(page)
        self.answer_at = None
        if number is None or not form:
            return
        question_id = self.plan.questions[number - 1]
        if self.watch is not None:
            self.watch.check()
            self.watch.submitted(question_id)
        submit = next(e for e in page.elements if e.WhichOneof("type") == "button" and e.button.is_form_submitter)
        self.stats.sent += 1
        self.answered.add(question_id)
        run, seconds = await self.tab.rerun(answers(page) + [trigger(submit)])
        self.stats.add("submit", seconds)
        text = run.text()
        # "saved", or already its feedback: the teacher revealed while this Submit waited its turn, after it counted
        if "Your answer is saved" in text or _FEEDBACK.search(text):
            self.stats.acknowledged += 1
            self.stats.acked.append((self.token, question_id))
            self.acked_questions.add(question_id)
        elif "already moved on" in text or "this question is closed" in text:
            self.stats.late += 1
        elif _shown(run) == (number, True) and question_id not in self.stats.resubmitted.get(self.who, set()):
            # The same form is back with no word said and nothing stored: seen in about 1 of 100 Submits on
            # question 1 in the small test classes on a loaded machine, cause not yet found (docs/performance.md).
            # A person clicks Submit again; so does this student, once, and it is counted, never hidden.
            self.stats.resubmitted.setdefault(self.who, set()).add(question_id)
            self.stats.resubmits.append(f"{self.who}: {question_id}")
            self.answered.discard(question_id)
            if self.watch is not None:
                self.watch.closed.discard(question_id)
        else:
            self.stats.error(self.who, f"after Submit on {question_id}: {text[:200]!r}")
        self._look(run)

    def _look(self, run: Run) -> None:
        """Read what the student now sees: a question to answer (think, then submit), or the summary."""
        if run.exceptions:
            self.stats.error(self.who, f"the page raised {run.exceptions}")
        self.stats.seen.setdefault(self.who, []).append((time.monotonic(), phase_of(run)))
        self.stats.toasts += [e.toast.body for e in run.elements if e.WhichOneof("type") == "toast"]
        number, form = _shown(run)
        question_id = self.plan.questions[number - 1] if number is not None else None
        # The end of the lesson: a teacher-paced class holds the summary ("That was the last question.") until the
        # teacher closes it; a self-paced one shows "Your results".
        finished = any(words in run.text() for words in _FINISHED)
        if self.watch is not None:
            if finished:
                self.watch.finished()
            else:
                self.watch.on_screen(question_id, form=form)
            self.watch.check()
        if finished:
            self.done = True
            self.stats.finished += 1
            return
        if form and question_id is not None and question_id not in self.answered and self.answer_at is None:
            self.answer_at = time.monotonic() + self.rng.uniform(*self.plan.think)


_FINISHED = ("Your results", "That was the last question")


class Teacher:
    """The teacher at the projector page: sign in, Start, wait for the answers, Reveal, Next, ..., Finish."""

    def __init__(self, port: int, session_id: int, passcode: str, plan: Plan, stats: ClassStats,
                 students: Callable[[], int]) -> None:
        self.plan, self.stats, self.students = plan, stats, students
        self.session_id, self.passcode = session_id, passcode
        self.tab = Tab(port, "teacher", timeout=plan.timeout, cookie=f"teacher-{session_id}")
        self.count_fragment = ""  # the projector's timer that draws "N of M answered"

    async def sign_in(self) -> None:
        await self.tab.open()
        page, _ = await self.tab.rerun()
        field_id = next(e.text_input.id for e in page.elements if e.WhichOneof("type") == "text_input")
        submit = next(e for e in page.elements if e.WhichOneof("type") == "button" and e.button.is_form_submitter)
        await self.tab.rerun([WidgetState(id=field_id, string_value=self.passcode), trigger(submit)])
        self.tab.reader.go("projector", f"session={self.session_id}")
        page, _ = await self.tab.rerun()
        if not any(e.WhichOneof("type") == "button" and e.button.id.endswith("-pj-next") for e in page.elements):
            raise RuntimeError(f"the projector did not open: {page.text()[:300]!r}")

    async def wait_joined(self, expected: int, limit: float) -> int | None:
        return await self._wait_count(expected, limit)

    async def run(self) -> None:
        """Driven by what the projector shows, so a click lost to a restart is simply made again."""
        try:
            while True:
                page = self.tab.last
                assert page is not None
                html = _html(page)
                found = _QUESTION.search(html)
                if "The lesson is over" in html or "This class is closed" in html:
                    return
                if found is None:  # the lobby
                    await self._click("pj-next", (1, 0))
                    continue
                number = int(found.group(1))
                question_id = self.plan.questions[number - 1]
                if not page.widget("button", key="pj-reveal").button.disabled:
                    expected = self.students()
                    shown = await self._wait_count(expected, self.plan.answer_wait)
                    if shown is None:  # reconnected after a restart: look at the projector again
                        continue
                    self.stats.teacher_counts.append((question_id, shown, expected))
                    await self._click("pj-reveal", (number, 1))
                else:
                    await asyncio.sleep(self.plan.reveal_pause)
                    # Next, or Finish after the last question
                    await self._click("pj-next", END if number >= len(self.plan.questions) else (number + 1, 0))
        finally:
            await self.tab.close()

    async def _reconnect(self) -> None:
        deadline = time.monotonic() + self.plan.reconnect
        while True:
            try:
                await self.tab.close()
                self.tab = Tab(self.tab.port, "teacher", timeout=self.plan.timeout, cookie=self.tab.cookie)
                await self.sign_in()
                return
            except (Dropped, OSError, TimeoutError, RuntimeError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def _click(self, key: str, target: Phase) -> None:
        page = self.tab.last
        assert page is not None
        button = page.widget("button", key=key)
        self.stats.clicks.append((time.monotonic(), "reveal" if key == "pj-reveal" else "next", target))
        try:
            run, seconds = await self.tab.rerun([trigger(button)])
        except Dropped:
            if not self.plan.reconnect:
                raise
            await self._reconnect()
            return
        self.stats.add("teacher click", seconds)
        if run.exceptions:
            self.stats.error("teacher", f"the projector raised {run.exceptions}")

    async def _wait_count(self, expected: int, limit: float) -> int | None:
        """Poll the projector's live count (its run_every fragment) until it reaches `expected`."""
        deadline = time.monotonic() + limit
        if self.tab.push:
            return await self._wait_count_push(expected, deadline)
        shown = -1
        while True:
            reader = self.tab.reader
            if not reader.fragments:
                raise RuntimeError("the projector has no live count")
            # The page has more than one timer (the count, and the poll that follows the class): run the one that
            # drew a count last time first, as the browser runs each on its own timer.
            found = None
            for fragment in sorted(reader.fragments, key=lambda f: f != self.count_fragment):
                try:
                    run, seconds = await self.tab.run_fragment(fragment)
                except Dropped:
                    if not self.plan.reconnect:
                        raise
                    await self._reconnect()
                    return None  # the projector may have changed: the caller looks again
                self.stats.add("projector poll", seconds)
                found = _COUNT.search(_html(run))
                if found:
                    self.count_fragment = fragment
                    break
            shown = int(found.group(1)) if found else shown
            if shown >= expected or time.monotonic() > deadline:
                return shown
            await asyncio.sleep(reader.intervals.get(fragment, self.plan.poll))

    async def _wait_count_push(self, expected: int, deadline: float) -> int | None:
        """The push projector: its counts rerun when a frame of the class's "room" topic says something changed."""
        assert self.tab.last is not None
        found = _COUNT.search(_html(self.tab.last))
        shown = int(found.group(1)) if found else -1
        while shown < expected and time.monotonic() <= deadline:
            due = self.tab.pending()
            if not due:
                await self.tab.wait_change(deadline)
                continue
            for events, version in due:
                try:
                    run, seconds = await self.tab.run_trigger(events, version)
                except Dropped:
                    if not self.plan.reconnect:
                        raise
                    await self._reconnect()
                    return None
                self.stats.add("projector push rerun", seconds)
                if run.exceptions:
                    self.stats.error("teacher", f"the projector raised {run.exceptions}")
                found = _COUNT.search(_html(run))
                shown = int(found.group(1)) if found else shown
        return shown


async def run_students(students: list[Student], teacher: Teacher | None, plan: Plan,
                       on_lobby: Callable[[], object] | None = None) -> None:
    """Everyone joins; `on_lobby` runs once all have (the measurements of a quiet class); then the lesson."""
    tasks = [asyncio.create_task(s.run()) for s in students]
    if teacher is not None:
        await teacher.sign_in()
        await teacher.wait_joined(len(students), plan.join_spread + 60)
    if on_lobby is not None:
        result = on_lobby()
        if asyncio.iscoroutine(result):
            await result
    if teacher is not None:
        await teacher.run()
    await asyncio.gather(*tasks)


# -- the bare page: the same plan against bench/bare_page.py ----------------------------------------------


class BareClock:
    """The bare class's teacher: a version number its students are told of at once (a push that costs the server
    nothing), with the phase each move goes to, stamped like the app teacher's clicks."""

    def __init__(self, plan: Plan, students: int, stats: ClassStats | None = None) -> None:
        self.plan, self.students, self.stats = plan, students, stats
        self.version = 0
        self.phase: tuple[str, int] = ("lobby", 0)  # ("question", n), ("revealed", n), ("finished", 0)
        self.answers = 0
        self.joined = 0
        self._moved = asyncio.Event()

    async def run(self) -> None:
        for number in range(1, len(self.plan.questions) + 1):
            self._set(("question", number))
            self.answers = 0
            deadline = time.monotonic() + self.plan.answer_wait
            while self.answers < self.students and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            self._set(("revealed", number))
            await asyncio.sleep(self.plan.reveal_pause)
        self._set(("finished", 0))

    async def moved(self, seen: int, until: float) -> None:
        """Until the clock has moved past `seen`, or `until` (monotonic)."""
        if self.version != seen:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._moved.wait(), max(0.0, until - time.monotonic()))

    def _set(self, phase: tuple[str, int]) -> None:
        kind, number = phase
        target = END if kind == "finished" else (number, 1 if kind == "revealed" else 0)
        if self.stats is not None:
            self.stats.clicks.append((time.monotonic(), "reveal" if kind == "revealed" else "next", target))
        self.phase, self.version = phase, self.version + 1
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()


def _bare_phase(phase: tuple[str, int]) -> Phase:
    kind, number = phase
    return END if kind == "finished" else (0, 0) if kind == "lobby" else (number, 1 if kind == "revealed" else 0)


async def bare_student(n: int, port: int, clock: BareClock, plan: Plan, stats: ClassStats,
                       rng: random.Random) -> None:
    """The app student's timings on the bare page: a click to join, a rerun of the page when the clock moved
    (where the app's page changes), and a click per question after the same think time."""
    who = f"bare student {n + 1}"
    tab = Tab(port, timeout=plan.timeout)
    try:
        await asyncio.sleep(rng.uniform(0, plan.join_spread))
        await tab.open()
        page, seconds = await tab.rerun()
        stats.add("page load", seconds)
        stats.seen.setdefault(who, []).append((time.monotonic(), (0, 0)))
        page, seconds = await tab.rerun([trigger(page.widget("button", key="click"))])
        stats.add("join", seconds)
        clock.joined += 1
        seen, answered, answer_at = clock.version, 0, None
        deadline = time.monotonic() + plan.deadline
        while True:
            now = time.monotonic()
            if now > deadline:
                raise TimeoutError("the bare class did not finish")
            if answer_at is not None and now >= answer_at:
                answer_at = None
                if clock.phase == ("question", answered + 1):
                    stats.sent += 1
                    page, seconds = await tab.rerun([trigger(page.widget("button", key="click"))])
                    stats.add("submit", seconds)
                    stats.acknowledged += 1
                    answered += 1
                    clock.answers += 1
                continue
            if clock.version != seen:  # the app's page changes here: so does this one
                seen, phase = clock.version, clock.phase
                page, seconds = await tab.rerun()
                stats.add("push, page changed", seconds)
                stats.seen[who].append((time.monotonic(), _bare_phase(phase)))
                if phase[0] == "finished":
                    stats.finished += 1
                    return
                if phase == ("question", answered + 1):
                    answer_at = time.monotonic() + rng.uniform(*plan.think)
                continue
            await clock.moved(seen, min(deadline, answer_at or deadline))
    except Dropped as e:
        stats.error(who, f"connection lost: {e}")
    except Exception as e:  # noqa: BLE001
        stats.error(who, f"{type(e).__name__}: {e}")
    finally:
        await tab.close()
