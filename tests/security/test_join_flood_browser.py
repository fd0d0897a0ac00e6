"""Issue 17, finding 1, walked in Chromium against a real server: while an attacker floods the join page with wrong
codes from two websockets (a new `s=` token for every code, a new connection whenever a tab is refused), real
students join in the browser with the code on the board, and a joined student presses F5. Every one gets in.

The attacker speaks Streamlit's protocol (bench/load/client.py), as a script would: faster than any browser tab.
All of them come from loopback, one address, as a school behind one NAT address would: the students are slowed,
never refused. Figures go to test-artifacts/security/join-flood.txt and the screenshots beside it.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, settle

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.db.codes import new_code
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class

for folder in (PROJECT_ROOT / "bench", PROJECT_ROOT / "bench" / "load"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from client import Dropped, Tab  # noqa: E402
from protocol import WidgetState, trigger  # noqa: E402

LESSON = "raqqa-who-says"
OUT = ARTIFACTS / "security"


@dataclass
class Flood:
    """Two attacking websockets, in a thread of their own, until `stop` is set."""

    port: int
    code: str
    stop: threading.Event = field(default_factory=threading.Event)
    wrong: int = 0  # answered "no open class with that code"
    refused: int = 0  # answered "too many wrong class codes"
    connections: int = 0
    joined: int = 0  # the right code found: must stay 0
    errors: list[str] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0

    def run(self) -> None:
        self.started = time.monotonic()
        asyncio.run(self._flood())
        self.ended = time.monotonic()

    async def _flood(self) -> None:
        await asyncio.gather(self._attacker(), self._attacker())

    async def _attacker(self) -> None:
        while not self.stop.is_set():
            tab = Tab(self.port, "join", f"s={secrets.token_urlsafe(16)}", timeout=60)
            try:
                await tab.open()
                self.connections += 1
                page, _ = await tab.rerun()
                while not self.stop.is_set():
                    inputs = {e.text_input.label: e.text_input.id for e in page.elements
                              if e.WhichOneof("type") == "text_input"}
                    submit = next(e for e in page.elements
                                  if e.WhichOneof("type") == "button" and e.button.is_form_submitter)
                    guess = new_code()
                    tab.reader.query = f"s={secrets.token_urlsafe(16)}"  # a new token for every code
                    page, _ = await tab.rerun([WidgetState(id=inputs["Class code"], string_value=guess),
                                               WidgetState(id=inputs["Your name"], string_value="Mallory"),
                                               trigger(submit)])
                    text = page.text()
                    if "Too many wrong class codes" in text:
                        self.refused += 1
                        break  # this tab is done: open another, as a script would
                    if "no open class with that code" in text:
                        self.wrong += 1
                    elif guess == self.code:
                        self.joined += 1
                        break
                    else:
                        self.errors.append(text[:200])
                        break
            except (Dropped, StopIteration, KeyError) as e:
                self.errors.append(f"{type(e).__name__}: {e}")
            finally:
                await tab.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    database = f"sqlite:///{tmp_path / 'flood.db'}"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    running = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"],
                     env={"DATABASE_URL": database, "SOURCECHECK_STATE": str(tmp_path / "state")},
                     base_env=base, log_dir=tmp_path).start().wait_ready(60)
    yield running, database
    running.stop()


def test_real_students_get_in_while_two_websockets_flood_wrong_codes(browser: object,
                                                                     server: tuple[Server, str]) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    app, database = server
    db = open_store(database)
    lesson = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert isinstance(lesson, LoadedLesson)
    code = start_class(db, lesson, pacing="teacher").code
    db.engine.dispose()

    flood = Flood(app.port, code)
    attacker = threading.Thread(target=flood.run, daemon=True)
    attacker.start()
    OUT.mkdir(parents=True, exist_ok=True)
    joins: list[float] = []
    try:
        deadline = time.monotonic() + 60
        while flood.wrong < 40 and time.monotonic() < deadline:  # past the address's 30 free wrong codes
            flood.stop.wait(0.5)
        assert flood.wrong >= 40, (flood.wrong, flood.refused, flood.errors)
        context = browser.new_context()
        pages = []
        for n, name in enumerate(["Ana", "Ben", "Cleo"]):
            page = context.new_page() if n else browser.new_context().new_page()
            started = time.monotonic()
            page.goto(f"{app.url}/join?code={code}")
            settle(page)
            if n == 2:  # Ben's browser: it has a seat in this class, so the page welcomes Ben back first
                page.get_by_role("button", name="Not Ben? Join with your own name").click()
            page.get_by_label("Your name").fill(name)
            page.get_by_role("button", name="Join").click()
            expect(page.get_by_text("You are in")).to_be_visible(timeout=60_000)
            joins.append(time.monotonic() - started)
            pages.append(page)
        pages[0].screenshot(path=str(OUT / "join-flood-student-in.png"))
        started = time.monotonic()
        pages[0].reload()  # F5: a new session, the class link in the URL
        expect(pages[0].get_by_text("You are in")).to_be_visible(timeout=60_000)
        reload_seconds = time.monotonic() - started
        pages[0].screenshot(path=str(OUT / "join-flood-after-f5.png"))
        guesser = browser.new_context().new_page()  # a student who typos the code, in the flood
        guesser.goto(f"{app.url}/join?code={new_code()}")
        settle(guesser)
        guesser.get_by_label("Your name").fill("Dee")
        guesser.get_by_role("button", name="Join").click()
        expect(guesser.get_by_text("There is no open class with that code")).to_be_visible(timeout=60_000)
        guesser.screenshot(path=str(OUT / "join-flood-typo.png"))
    finally:
        flood.stop.set()
        attacker.join(90)
    minutes = (flood.ended - flood.started) / 60
    report = (f"flood of {minutes * 60:.0f} s from 2 websockets on loopback: {flood.wrong} wrong codes answered "
              f"({flood.wrong / minutes:.0f} a minute), {flood.refused} tabs refused after 10, "
              f"{flood.connections} connections; joins took {', '.join(f'{s:.1f} s' for s in joins)}; "
              f"F5 took {reload_seconds:.1f} s\n")
    (OUT / "join-flood.txt").write_text(report, encoding="utf-8")
    print(report)
    assert flood.joined == 0 and not flood.errors, flood.errors
    assert len(joins) == 3
