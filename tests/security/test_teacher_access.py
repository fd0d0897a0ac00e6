"""Nothing of the teacher pages or their data without the passcode: not by URL (every teacher url_path, with
query parameters that name a class or claim a sign-in), not by page name or page hash sent over Streamlit's own
protocol, not as a file the server would hand out. Passcode guessing is slowed: N wrong guesses in a tab take at
least N times the delay.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTIFACTS, IDLE, StartServer
from playwright.sync_api import Browser, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.util import calc_hash
from teacher_helpers import enter_passcode, open_sign_in, use_passcode
from ui_helpers import alerts
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from sourcecheck.db import open_store
from sourcecheck.lessons.catalog import load_catalog
from sourcecheck.lessons.loader import load_library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.classes import start_class
from sourcecheck.sessions.passcode import WRONG_PASSCODE_DELAY
from sourcecheck.ui import teacher_nav

PASSCODE = "access-suite-passcode-9931"
TEACHER_PATHS = teacher_nav._TEACHER_PATHS
# What only a signed-in teacher may see: page headings and controls, and the class made below.
TEACHER_ONLY = ["Lesson workshop", "Start the class", "Your classes", "Join the class", "Download", "Scan to join",
                "Every class on this lesson", "Sign out", PASSCODE]
QUERIES = ["", "session=1", "session=1&signed_in=true", f"passcode={PASSCODE}", "teacher=1&page=workshop",
           "embed=true", "embed_options=show_toolbar"]


@pytest.fixture(scope="module")
def site(start_server: StartServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A server with one class already running (id 1), so a leak of its code would show."""
    root = tmp_path_factory.mktemp("access")
    database = f"sqlite:///{root / 'access.db'}"
    store = open_store(database)
    lesson = load_library([PROJECT_ROOT / "lessons"], load_catalog(PROJECT_ROOT / "seeds")).lessons[0]
    code = start_class(store, lesson, pacing="teacher", show_names=True).code
    store.engine.dispose()
    url = start_server(SOURCECHECK_TEACHER_PASSCODE=PASSCODE, SOURCECHECK_STATE=str(root / "state"),
                       DATABASE_URL=database)
    return url, code


@pytest.mark.browser
@pytest.mark.parametrize("path", TEACHER_PATHS)
def test_every_teacher_url_shows_only_the_sign_in_form(path: str, site: tuple[str, str], browser: Browser) -> None:
    url, code = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for query in QUERIES:
        page.goto(f"{url}/{path}" + (f"?{query}" if query else ""))
        page.wait_for_selector(IDLE, timeout=30_000)
        expect(page.get_by_role("heading", name="Teacher sign-in")).to_be_visible()
        shown = page.locator("body").inner_text()
        assert code not in shown and not [s for s in TEACHER_ONLY if s in shown], (path, query)
        assert code not in page.content()
    context.close()


def protocol_run(port: int, *, page_hash: str = "", page_name: str = "", query: str = "") -> str:
    """One script run as a client asks for it over /_stcore/stream; every string the server sent back."""
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=[Subprotocol("streamlit")],
                 max_size=None, open_timeout=30) as ws:
        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.page_script_hash = page_hash
        back.rerun_script.page_name = page_name
        ws.send(back.SerializeToString())
        seen = []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=30))
            seen.append(str(msg))
            if msg.WhichOneof("type") == "script_finished":
                return "\n".join(seen)


def test_no_page_hash_page_name_or_query_reaches_a_teacher_page(site: tuple[str, str]) -> None:
    """A client can name any page in its rerun request; signed out, each teacher page is the sign-in form."""
    url, code = site
    port = int(url.rsplit(":", 1)[1])
    names = [*TEACHER_PATHS, *(Path(p).stem for p in (teacher_nav.WORKSHOP, teacher_nav.EXPORTS, teacher_nav.CLASSES,
                                                       teacher_nav.PROJECTOR, teacher_nav.REMOTE,
                                                       teacher_nav.DASHBOARD)),
             teacher_nav.WORKSHOP, "../teacher_workshop", "pages/teacher_workshop.py"]
    runs = 0
    for name in names:
        for query in QUERIES[:3]:
            for sent in (protocol_run(port, page_hash=calc_hash(name), query=query),
                         protocol_run(port, page_name=name, query=query)):
                runs += 1
                assert code not in sent, (name, query)
                leaked = [s for s in TEACHER_ONLY if s in sent]
                assert not leaked, (name, query, leaked)
        if name in TEACHER_PATHS:
            assert "Teacher sign-in" in protocol_run(port, page_hash=calc_hash(name))
    assert runs == len(names) * 6


@pytest.mark.parametrize("path", [
    "app.py", ".streamlit/config.toml", "lessons/raqqa-who-says.yaml", "data/sourcecheck.db",
    ".sourcecheck/teacher-passcode", "app/static/app.py", "app/static/../app.py", "media/../app.py",
    "static/../../app.py", "component/../app.py", "component/sourcecheck/ui/state.py", "_stcore/../app.py",
    "%2e%2e/app.py", "..%2fapp.py", "sourcecheck/sessions/passcode.py",
])
def test_the_server_hands_out_no_project_file(path: str, site: tuple[str, str]) -> None:
    url, _ = site
    try:
        with urllib.request.urlopen(f"{url}/{path}", timeout=10) as response:
            body = response.read()
    except urllib.error.HTTPError as e:
        body = e.read()
    for marker in (b"st.navigation(site.pages()", b"postScriptGC", b"SQLite format 3", b"hmac.compare_digest",
                   PASSCODE.encode(), b"who-concludes", b"_library_cache"):
        assert marker not in body, (path, marker)


def test_wrong_passcodes_take_at_least_the_delay_each(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """N wrong guesses in one tab (one session) take at least N x the delay; the right one is not delayed. Several
    tabs guess in parallel (docs/security.md says what bounds that): the figures go to test-artifacts/security/."""
    use_passcode(monkeypatch, tmp_path)
    at = open_sign_in()
    guesses = 4
    started = time.monotonic()
    for n in range(guesses):
        enter_passcode(at, f"guess-{n:04d}")
        assert "That passcode is not right" in alerts(at)
    sequential = time.monotonic() - started
    assert sequential >= guesses * WRONG_PASSCODE_DELAY

    tabs = [open_sign_in() for _ in range(guesses)]
    started = time.monotonic()
    threads = [threading.Thread(target=enter_passcode, args=(tab, f"parallel-{n}")) for n, tab in enumerate(tabs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    parallel = time.monotonic() - started
    assert all("That passcode is not right" in alerts(tab) for tab in tabs)

    right = open_sign_in()
    started = time.monotonic()
    enter_passcode(right, "test-passcode-4821")
    signed_in = time.monotonic() - started
    assert "Sign out" in [b.label for b in right.button]
    out = ARTIFACTS / "security" / "passcode-timing.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"delay_s": WRONG_PASSCODE_DELAY, "wrong_guesses": guesses,
                               "one_tab_s": round(sequential, 2), "parallel_tabs_s": round(parallel, 2),
                               "right_passcode_s": round(signed_in, 2)}, indent=1) + "\n", encoding="utf-8")
