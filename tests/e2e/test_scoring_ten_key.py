"""Review 19 L2 in real Chromium, on SQLite and PostgreSQL: a rubric level worth 10 is reached from the keyboard
desk with T (no single digit reaches it), and the desk's help line says so; the role is picked first (no default)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from browser_support import StartServer, settle, sign_in
from pg_server import PostgresServer
from playwright.sync_api import Browser, expect
from test_scoring_browser import pick_first_scorer_by_keyboard, tab_to_desk
from written_seed import QUESTION, class_with_answers

from sourcecheck.db import open_store

pytestmark = pytest.mark.browser

PASSCODE = "issue19-ten-passcode"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ten.db'}"
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database(f"ten_{os.getpid()}_{uuid.uuid4().hex[:12]}")


def test_t_scores_a_level_worth_10(browser: Browser, start_server: StartServer, database: str,
                                   tmp_path: Path) -> None:
    store = open_store(database)
    session_id = class_with_answers(store, ["A named official and two outlets that checked it.", "Proof."],
                                    ten=True)
    store.engine.dispose()
    url = start_server(DATABASE_URL=database, SOURCECHECK_TEACHER_PASSCODE=PASSCODE,
                       SOURCECHECK_STATE=str(tmp_path / "state"))
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, f"{url}/scoring?session={session_id}&question={QUESTION}", PASSCODE)
    name_box = page.get_by_label("Scoring as (your initials or name)")
    name_box.focus()
    page.keyboard.type("A. B.")
    page.keyboard.press("Enter")
    settle(page)
    pick_first_scorer_by_keyboard(page)
    expect(page.locator(".sk-help")).to_contain_text("T scores a level worth 10.")
    name_box.focus()
    tab_to_desk(page)
    page.keyboard.press("t")
    expect(page.locator(".sk-progress")).to_have_text("1 of 2 scored")
    expect(page.locator(".sk-status")).to_contain_text("saved: 10.")
    expect(page.get_by_text("10 of 10 by A. B.")).to_be_visible()
    context.close()
