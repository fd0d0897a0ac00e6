"""Issue 16, defect 3 in a real Chromium: the projector stays signed in. Sign in, open the projector from Classes
(a new tab), reload it, open another tab: no passcode form on the big screen. A fresh browser gets the form; after
Sign out a reload gets it too. On SQLite and on PostgreSQL, and through nginx in front of two processes."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import ARTIFACTS, settle, start_class
from pg_server import PostgresServer
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bench.server import Server
from deploy.cluster import NGINX, Cluster
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSCODE = "projector-cookie-passcode"
LESSON = "raqqa-who-says"
FORM = "Teacher sign-in"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'cookie.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"browser_cookie_{os.getpid()}_{uuid.uuid4().hex[:12]}")


def app_env(database: str, tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": PASSCODE,
            "SOURCECHECK_STATE": str(tmp_path / "state")}


@pytest.fixture
def url(database: str, tmp_path: Path) -> Iterator[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"],
                    env=app_env(database, tmp_path), base_env=base, log_dir=tmp_path).start().wait_ready(60)
    yield server.url
    server.stop()


def lesson_title() -> tuple[str, str]:
    found = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).get(LESSON)
    assert found is not None
    return found.lesson.title, found.lesson.level


def cookies(context: BrowserContext) -> dict[str, dict[str, Any]]:
    return {c["name"]: dict(c) for c in context.cookies()}


def sign_in_for_the_browser(page: Page, address: str) -> None:
    """The passcode in the form; then the page's own request that trades its ticket for the cookie."""
    page.goto(address)
    settle(page)
    page.get_by_label("Teacher passcode").fill(PASSCODE)
    with page.expect_response(lambda r: r.url.endswith("/_sc/teacher/sign-in")) as exchange:
        page.get_by_role("button", name="Sign in").click()
    assert exchange.value.status == 204
    expect(page.get_by_label("Teacher passcode")).to_have_count(0, timeout=15_000)
    settle(page)


def shows_the_projector(page: Page, code: str) -> None:
    settle(page)
    expect(page.get_by_text(code).first).to_be_visible(timeout=15_000)
    expect(page.get_by_text(FORM)).to_have_count(0)
    expect(page.get_by_label("Teacher passcode")).to_have_count(0)


def shows_the_form(page: Page) -> None:
    settle(page)
    expect(page.get_by_role("heading", name=FORM)).to_be_visible(timeout=15_000)


def walk_through(browser: Browser, url: str, shots: str) -> None:
    title, level = lesson_title()
    teacher = browser.new_context(viewport={"width": 1366, "height": 768})
    classes = teacher.new_page()
    sign_in_for_the_browser(classes, f"{url}/classes")

    ARTIFACTS.mkdir(exist_ok=True)
    classes.screenshot(path=str(ARTIFACTS / f"signed-in-{shots}-1366x768.png"))
    held = cookies(teacher)
    assert held["sc_teacher"]["httpOnly"] and held["sc_teacher"]["sameSite"] == "Strict"
    assert 11.9 * 3600 < held["sc_teacher"]["expires"] - time.time() <= 12 * 3600
    assert held["sc_device"]["httpOnly"] and held["sc_device"]["sameSite"] == "Lax"
    assert PASSCODE not in held["sc_teacher"]["value"]

    code = start_class(classes, title, level)
    ARTIFACTS.mkdir(exist_ok=True)
    classes.get_by_role("link", name="Open the projector view").scroll_into_view_if_needed()
    classes.screenshot(path=str(ARTIFACTS / f"classes-projector-link-{shots}-1366x768.png"))
    with teacher.expect_page() as opened:
        classes.get_by_role("link", name="Open the projector view").click()
    projector = opened.value  # a new tab: the Classes page stays where it was
    projector.set_viewport_size({"width": 1920, "height": 1080})
    shows_the_projector(projector, code)
    assert "/projector?session=" in projector.url
    projector.reload()  # F5 on the classroom screen
    shows_the_projector(projector, code)
    projector.screenshot(path=str(ARTIFACTS / f"projector-after-reload-{shots}-1920x1080.png"))

    pasted = teacher.new_page()  # the same address pasted into another tab of the same browser
    pasted.goto(projector.url)
    shows_the_projector(pasted, code)

    stranger = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()  # another browser
    stranger.goto(projector.url)
    shows_the_form(stranger)
    stranger.context.close()

    with classes.expect_response(lambda r: r.url.endswith("/_sc/teacher/sign-out")) as dropped:
        classes.get_by_role("button", name="Sign out").click()
    assert dropped.value.status == 204
    shows_the_form(classes)
    classes.screenshot(path=str(ARTIFACTS / f"signed-out-{shots}-1366x768.png"))
    assert "sc_teacher" not in cookies(teacher)
    assert "sc_device" in cookies(teacher)  # the device id is not the teacher's to drop
    classes.reload()
    shows_the_form(classes)
    projector.reload()
    shows_the_form(projector)
    teacher.close()


def test_the_projector_stays_signed_in_and_sign_out_ends_it(browser: Browser, url: str, database: str) -> None:
    walk_through(browser, url, database.split(":", 1)[0])


def test_the_same_behind_nginx_on_two_processes(browser: Browser, postgres: PostgresServer,
                                                tmp_path: Path) -> None:
    """deploy/nginx.conf passes the cookies to the websocket and the Set-Cookie headers back; both processes
    share the state folder, so either one verifies the cookie."""
    if not NGINX.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{NGINX} is missing")
        pytest.skip(f"{NGINX} is missing")
    database = postgres.create_database(f"browser_cookie_nginx_{os.getpid()}_{uuid.uuid4().hex[:12]}")
    env = app_env(database, tmp_path)
    cluster = Cluster(2, database, env={k: v for k, v in env.items() if k != "DATABASE_URL"})
    try:
        cluster.start()
        walk_through(browser, cluster.url, "nginx")
    finally:
        cluster.stop()
