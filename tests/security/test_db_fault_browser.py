"""Issue 17, finding 2, walked in Chromium against a real server: Submit while the database is away (PostgreSQL
stopped 20 s; the SQLite file locked by another process holding BEGIN EXCLUSIVE). The student reads that the
answer is not saved yet, the page tries again by itself (no click), the answer is stored once when the database
is back and only then is the feedback shown; no traceback or SQL is ever on the page, and the server's log
names the cause."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, lock_sqlite, require_chromium, settle, unlock_sqlite
from pg_server import start_postgres
from ui_helpers import assert_no_leak

from bench.server import Server
from sourcecheck.db import open_store
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import SingleQuestion
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.identity import new_student_token
from sourcecheck.ui.db_notice import NOT_SAVED

LESSON = "raqqa-who-says"


@pytest.fixture(scope="module")
def lesson(library: Library) -> LoadedLesson:
    found = library.get(LESSON)
    assert found is not None
    return found


@pytest.fixture
def chromium() -> Iterator[object]:
    require_chromium()
    from browser_support import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _server(database: str, tmp_path: Path) -> Server:
    base = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    base["DATABASE_URL"] = database
    return Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"],
                  env={"DATABASE_URL": database}, base_env=base, log_dir=tmp_path)


def _no_leak(page: object) -> None:
    assert_no_leak(page.content())  # type: ignore[attr-defined]


def _walk(chromium: object, url: str, lesson: LoadedLesson, name: str, *, fault: Callable[[], None],
          mend: Callable[[], None], stored: Callable[[], int]) -> None:
    from playwright.sync_api import expect

    question = lesson.lesson.questions[0]
    assert isinstance(question, SingleQuestion)
    token = new_student_token()
    page = chromium.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(f"{url}/quiz?lesson={LESSON}&s={token}")
    expect(page.get_by_text("Question 1 of")).to_be_visible(timeout=30_000)
    settle(page)
    right = next(o for o in question.options if o.correct)
    page.locator('[data-testid="stRadioOption"]', has=page.get_by_text(right.text, exact=True)).click()
    fault()
    clicked = time.monotonic()
    page.get_by_role("button", name="Submit answer").click()
    expect(page.get_by_text(NOT_SAVED)).to_be_visible(timeout=60_000)
    said = time.monotonic() - clicked
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"db-fault-{name}-not-saved.png"))
    expect(page.get_by_text("Correct:")).to_have_count(0)
    _no_leak(page)
    # the page keeps trying by itself: still not saved a few retries later
    page.wait_for_function("() => document.body.innerText.includes('Not saved yet')")
    mend()
    mended = time.monotonic()
    expect(page.get_by_text("Correct: 1 of 1 point")).to_be_visible(timeout=90_000)  # no click: the page went on
    print(f"{name}: 'not saved yet' {said:.1f} s after Submit; feedback {time.monotonic() - mended:.1f} s after "
          f"the database was back")
    settle(page)
    page.screenshot(path=str(ARTIFACTS / f"db-fault-{name}-stored.png"))
    expect(page.get_by_text(NOT_SAVED)).to_have_count(0)
    _no_leak(page)
    assert stored() == 1, "the answer was not stored exactly once"
    page.close()


def test_submit_with_postgresql_stopped_20_s(chromium: object, lesson: LoadedLesson, tmp_path: Path) -> None:
    pg = start_postgres()
    database = pg.create_database("fault")
    server = _server(database, tmp_path)
    try:
        url = server.start().wait_ready(60).url
        stopped: list[float] = []

        def fault() -> None:
            pg.pause()
            stopped.append(time.monotonic())

        def mend() -> None:  # stopped 20 s in all, whatever the page did meanwhile
            time.sleep(max(0.0, 20.0 - (time.monotonic() - stopped[0])))  # the outage's length, not a wait for state
            pg.start()

        _walk(chromium, url, lesson, "postgres", fault=fault, mend=mend,
              stored=lambda: _count_all(database))
        log = "".join(p.read_text(errors="replace") for p in tmp_path.glob("*"))
        assert "refused or dropped the connection" in log, log[-2000:]
        print(*(line for line in log.splitlines() if "class database" in line), sep="\n")
    finally:
        server.stop()
        pg.stop()


def _count_all(database: str) -> int:
    store = open_store(database)
    try:
        return sum(len(store.answers(p, LESSON)) for p in _solo_ids(store))
    finally:
        store.engine.dispose()


def _solo_ids(store: object) -> list[int]:
    from sqlalchemy import select

    from sourcecheck.db.tables import participants
    with store.engine.connect() as c:  # type: ignore[attr-defined]
        return [r.id for r in c.execute(select(participants.c.id).where(participants.c.session_id.is_(None)))]


def test_submit_with_the_sqlite_file_locked_by_another_process(chromium: object, lesson: LoadedLesson,
                                                                 tmp_path: Path) -> None:
    path = tmp_path / "class.db"
    database = f"sqlite:///{path}"
    open_store(database).engine.dispose()  # migrated before the server starts
    server = _server(database, tmp_path / "log")
    (tmp_path / "log").mkdir()
    holder: list[subprocess.Popen[str]] = []
    locked: list[float] = []
    try:
        url = server.start().wait_ready(60).url

        def fault() -> None:
            holder.append(lock_sqlite(path))
            locked.append(time.monotonic())

        def mend() -> None:  # the lock held 20 s in all, across several of the page's own retries
            time.sleep(max(0.0, 20.0 - (time.monotonic() - locked[0])))  # the fault's length, not a wait for state
            unlock_sqlite(holder[0])

        _walk(chromium, url, lesson, "sqlite-locked", fault=fault, mend=mend, stored=lambda: _count_all(database))
        log = "".join(p.read_text(errors="replace") for p in (tmp_path / "log").glob("*"))
        assert "locked by another process" in log, log[-2000:]
        print(*(line for line in log.splitlines() if "class database" in line), sep="\n")
    finally:
        for p in holder:
            if p.poll() is None:
                p.kill()
        server.stop()
