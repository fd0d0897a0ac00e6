"""A teacher-paced class of simulated students, over Streamlit's own protocol, against one or more servers.

Each student is a browser tab (`client.Tab`): it opens /join?code=..., types the code and a name,
lands on the class page, and from then on does what the browser does there: the page's run_every
fragment (class_state.follow) runs on its own timer, and when the teacher opens a question the
student answers it after a think time. The teacher drives the class from the projector page, as a
teacher does: signs in, clicks Start, waits until the projector's live count says everyone has
answered (or a time limit), clicks Reveal, leaves the answers up for a few seconds, clicks Next,
and at the end Finish. So the teacher's screen shows the counts that the test compares with the
database, and every student action goes through the app the way a browser's would.

The bare class is the yardstick: the same students, timers, think times and clicks against
bench/bare_poll.py (a title, a button, a line and an empty run_every fragment). Its "teacher" is a
clock in this process; where the app's poll finds a change and reruns the page, the bare student
reruns its page too, so both servers get the same number of whole-page runs at the same moments.

Everything is bounded: a student gives up after `deadline`, the teacher after `answer_wait` per
question, and every request after `timeout` seconds. Loopback only.
"""

from __future__ import annotations

import asyncio
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

    def add(self, kind: str, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)

    def count(self, kind: str) -> int:
        return len(self.latencies.get(kind, []))

    def error(self, who: str, what: str) -> None:
        if len(self.errors) < 200:
            self.errors.append(f"{who}: {what}")


def _html(run: Run) -> str:
    return "\n".join(e.html.body for e in run.elements if e.WhichOneof("type") == "html")


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
                    await self._click("pj-next")
                    continue
                number = int(found.group(1))
                question_id = self.plan.questions[number - 1]
                if not page.widget("button", key="pj-reveal").button.disabled:
                    expected = self.students()
                    shown = await self._wait_count(expected, self.plan.answer_wait)
                    if shown is None:  # reconnected after a restart: look at the projector again
                        continue
                    self.stats.teacher_counts.append((question_id, shown, expected))
                    await self._click("pj-reveal")
                else:
                    await asyncio.sleep(self.plan.reveal_pause)
                    await self._click("pj-next")  # Next, or Finish after the last question
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

    async def _click(self, key: str) -> None:
        page = self.tab.last
        assert page is not None
        button = page.widget("button", key=key)
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


# -- the bare page: the same plan against bench/bare_poll.py ----------------------------------------------


class BareClock:
    """The bare class's teacher: a version number students compare on each poll, as the app's poll does."""

    def __init__(self, plan: Plan, students: int) -> None:
        self.plan, self.students = plan, students
        self.version = 0
        self.phase: tuple[str, int] = ("lobby", 0)  # ("question", n), ("revealed", n), ("finished", 0)
        self.answers = 0
        self.joined = 0

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

    def _set(self, phase: tuple[str, int]) -> None:
        self.phase, self.version = phase, self.version + 1


async def bare_student(n: int, port: int, clock: BareClock, plan: Plan, stats: ClassStats,
                       rng: random.Random) -> None:
    """The app student's timings on the bare page: a click to join, the poll, a rerun when the clock moved,
    and a click per question after the same think time."""
    tab = Tab(port, timeout=plan.timeout)
    try:
        await asyncio.sleep(rng.uniform(0, plan.join_spread))
        await tab.open()
        page, seconds = await tab.rerun()
        stats.add("page load", seconds)
        page, seconds = await tab.rerun([trigger(page.widget("button", key="click"))])
        stats.add("join", seconds)
        clock.joined += 1
        interval = tab.reader.intervals.get(tab.reader.fragments[0], plan.poll)
        seen, answered, answer_at = clock.version, 0, None
        next_poll = time.monotonic() + rng.uniform(0.05, 1.0) * interval
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
                    next_poll = time.monotonic() + interval
                continue
            if now >= next_poll:
                run, seconds = await tab.run_fragment(tab.reader.fragments[0])
                if clock.version != seen:  # the app's poll would rerun the page here: so does this one
                    seen = clock.version
                    page, more = await tab.rerun()
                    stats.add("poll, page changed", seconds + more)
                    if clock.phase[0] == "finished":
                        stats.finished += 1
                        return
                    if clock.phase == ("question", answered + 1):
                        answer_at = time.monotonic() + rng.uniform(*plan.think)
                    next_poll = time.monotonic() + interval
                else:
                    stats.add("poll", seconds)
                    next_poll += interval
                continue
            await asyncio.sleep(max(0.0, min(next_poll, answer_at or next_poll) - now))
    except Dropped as e:
        stats.error(f"bare student {n + 1}", f"connection lost: {e}")
    except Exception as e:  # noqa: BLE001
        stats.error(f"bare student {n + 1}", f"{type(e).__name__}: {e}")
    finally:
        await tab.close()
