"""A real `streamlit run app.py` server and a real Chromium, for tests/e2e/ and tests/security/.

In CI (CI=true) a missing browser fails the run: a skipped browser test there would hide a broken app.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.server import Server
from sourcecheck.lessons.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{CHROMIUM} is missing: browser tests must run in CI")
    pytest.skip(f"{CHROMIUM} is missing")


StartServer = Callable[..., str]


@pytest.fixture(scope="module")
def start_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> StartServer:
    """Start `streamlit run app.py` with the given environment overrides; each stops when the module ends."""

    def start(**env: str) -> str:
        """Only the overrides given here reach the app: a teacher's own SOURCECHECK_* settings never leak in."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
        server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"], env=env,
                        base_env=base, log_dir=tmp_path_factory.mktemp("server"))
        request.addfinalizer(server.stop)
        return server.start().wait_ready(60).url

    return start


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import expect, sync_playwright

    # What a user waits for on a busy machine (two cores, a test server, Chromium and PostgreSQL at once): 15 s
    # before an expected screen counts as missing, not Playwright's 5 s. A wait for an event, never a sleep.
    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def each_database(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> str:
    """For a fixture parametrized over ["sqlite", "postgresql"]: a fresh database of that kind, one per test (a
    PostgreSQL database named for the test module and the process, so parallel runs never share one)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / f'{name}.db'}"
    server = request.getfixturevalue("postgres")
    return str(server.create_database(f"browser_{name}_{os.getpid()}_{uuid.uuid4().hex[:12]}"))


def app_server(database: str, tmp_path: Path, passcode: str) -> Server:
    """`streamlit run app.py` on `database` with this teacher passcode and a state folder of its own; only these
    settings reach it (a developer's own SOURCECHECK_* or DATABASE_URL never do). Not started yet."""
    env = {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": passcode,
           "SOURCECHECK_STATE": str(tmp_path / "state")}
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    return Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"], env=env,
                  base_env=base, log_dir=tmp_path)


def settle(page: Any) -> None:
    """Wait until the app has finished its run and is connected: what a user waits for before reading."""
    page.wait_for_selector(IDLE, timeout=30_000)


def sign_in(page: Any, address: str, passcode: str) -> None:
    """Open a teacher URL, which shows the passcode form, and sign in: the same URL then shows its page. A browser
    that signed in before (the teacher cookie, for 12 hours) shows the page at once: nothing to type."""
    from playwright.sync_api import expect

    page.goto(address)
    form, menu = page.get_by_label("Teacher passcode"), page.get_by_role("button", name="Sign out")
    projector = page.locator("[class*='st-key-pj-']")  # the projector's own controls: it has no teacher menu
    expect(form.or_(menu).or_(projector).first).to_be_visible(timeout=30_000)  # settle() can pass before the run
    if not form.count():
        return
    form.fill(passcode)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Teacher passcode")).to_have_count(0, timeout=15_000)
    settle(page)


def start_class(page: Any, lesson_title: str, level: str) -> str:
    """On the signed-in Classes page: choose the lesson, start a class, and read the join code it shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    lesson = page.get_by_role("combobox", name="Lesson")
    option = page.get_by_role("option", name=f"{lesson_title} ({level})")
    for _ in range(5):  # a rerun can shut the "Start a class" expander or the open list before the click lands
        settle(page)
        if not lesson.is_visible():  # the expander is shut once a class exists
            page.get_by_text("Start a class").click()
        try:
            lesson.click(timeout=5_000)
            option.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    expect(lesson).to_have_value(f"{lesson_title} ({level})")
    page.get_by_role("button", name="Start the class").click()
    code_line = page.locator('[data-testid="stMarkdown"]', has_text="Join code")
    expect(code_line).to_be_visible()
    return str(code_line.locator("code").inner_text())



HANDLERS = """() => {
    const found = [];
    const walk = (root) => {
        for (const el of root.querySelectorAll('*')) {
            for (const a of el.attributes) {
                if (a.name.startsWith('on')) found.push(`${el.tagName} ${a.name}=${a.value.slice(0, 60)}`);
            }
            if (el.shadowRoot) walk(el.shadowRoot);
        }
    };
    walk(document);
    return found;
}"""


def event_handlers(page: Any) -> list[str]:
    """Every inline event handler (`onerror=`, `onload=`, ...) in the page, open shadow roots included. Streamlit
    makes none, so one found came from content. With none there, no element can open a dialog later: a test
    that asserts no dialog opened checks this first instead of waiting a while for one."""
    return list(page.evaluate(HANDLERS))


# Another process holding SQLite's write lock, as a stuck writer would: the app's writes then fail until it lets go.
_SQLITE_LOCK = """import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
c.execute("COMMIT")
"""


def lock_sqlite(path: Path) -> subprocess.Popen[str]:
    """Start a process that holds an exclusive lock on the SQLite file at `path`; returns once it holds it."""
    held = subprocess.Popen([sys.executable, "-c", _SQLITE_LOCK, str(path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert held.stdout is not None and held.stdout.readline().strip() == "locked"
    return held


def unlock_sqlite(held: subprocess.Popen[str]) -> None:
    if held.poll() is not None:
        return
    assert held.stdin is not None
    held.stdin.write("\n")
    held.stdin.flush()
    held.wait(30)

