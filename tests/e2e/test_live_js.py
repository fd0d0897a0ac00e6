"""live.js on its own in Chromium, with a stand-in WebSocket: what it asks of the page when runs land.

Why on its own: the races it must survive (a rerun request that Streamlit drops, a run that lands having drawn an
older version) cannot be timed through a real server, and one of them left a page stuck on an old question:

- A trigger fired from an element that a full-page run is replacing names a fragment id that run may no longer
  register (the projector's lobby count becomes the answered count on Start), so Streamlit skips the rerun it
  asked for; the full run's own mount clears the "in flight" timer, and its `drawn` is older than the version
  already asked for. Before the fix nothing asked again until the next change in the class (for a student: the
  teacher's next click; for the projector: the next answer, so the last answer's count could stay unshown).
  Now a run that lands behind what was asked for is asked again after a poll's wait.
- A run that lands having drawn what was asked for is not asked again: no loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from sourcecheck.ui import live_view

pytestmark = pytest.mark.browser

LIVE_JS = (Path(live_view.__file__).parent / "live" / "live.js").read_text(encoding="utf-8")

# A WebSocket that connects to nothing: the test delivers frames itself. Each mount's trigger calls are recorded.
HARNESS = """
window.sockets = [];
window.triggers = [];
window.WebSocket = class {
  constructor(url) { this.url = url; window.sockets.push(this); }
  close() { this.closed = true; }
};
window.frame = (text) => { const ws = window.sockets[window.sockets.length - 1]; ws.onmessage({ data: text }); };
window.loadLive = async (source) => {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  window.mountLive = (await import(url)).default;
};
window.run = (drawn, run) => window.mountLive({
  key: "sc-live-state-1",
  data: { url: "/_sc/events?t=state.1.x", drawn, poll_ms: 250, run, poll: false },
  setTriggerValue: (name, value) => window.triggers.push([name, value]),
});
true;  // the script's value: not a function, which Playwright would call
"""


@pytest.fixture
def page(browser: Browser) -> Any:
    context = browser.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><title>live.js</title>")
    page.evaluate(HARNESS)
    page.evaluate("source => window.loadLive(source)", LIVE_JS)
    yield page
    context.close()


def triggers(page: Page) -> list[list[Any]]:
    result: list[list[Any]] = page.evaluate("window.triggers")
    return result


def wait_for_triggers(page: Page, count: int, timeout: float = 3000) -> list[list[Any]]:
    page.wait_for_function(f"window.triggers.length >= {count}", timeout=timeout)
    return triggers(page)


def test_a_run_that_lands_behind_what_was_asked_is_asked_again(page: Page) -> None:
    page.evaluate("window.run(4, 1)")  # the page drew version 4; its socket opens
    page.evaluate("window.frame('4')")  # the current version: nothing to do
    page.evaluate("window.frame('5')")  # the teacher moved on
    assert wait_for_triggers(page, 1) == [["changed", 5]]
    # A full-page run lands, drawn before the move (the fragment rerun asked for was dropped with its id):
    page.evaluate("window.run(4, 2)")
    # Before the fix nothing more ever came: the page stayed on version 4 until the next change in the class.
    assert wait_for_triggers(page, 2)[1] == ["changed", 5]


def test_a_run_that_drew_what_was_asked_is_not_asked_again(page: Page) -> None:
    page.evaluate("window.run(4, 1)")
    page.evaluate("window.frame('5')")
    assert wait_for_triggers(page, 1) == [["changed", 5]]
    page.evaluate("window.run(5, 2)")  # the rerun drew version 5
    page.evaluate("window.frame('6')")  # the next change is the next trigger, with nothing asked in between
    assert wait_for_triggers(page, 2) == [["changed", 5], ["changed", 6]]
    page.evaluate("window.run(6, 3)")
    page.wait_for_timeout(1000)  # four poll intervals: a loop would have asked again by now
    assert triggers(page) == [["changed", 5], ["changed", 6]]
