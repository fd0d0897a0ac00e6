"""Nobody fills the disk or the server's memory without a class code (issue 17, findings 4 and 6).

Opening a lesson stores nothing, the first Submit stores the participant, attempt and answer; one browser session
stores a bounded number of answers; solo practice expires; a deleted class takes its tokens' solo rows with it;
JSON is stored as UTF-8; the server refuses a widget value far bigger than any the app sends. On SQLite and on
PostgreSQL (the `store` fixture), the clock moved by passing `now`, never slept. Figures go to
test-artifacts/security/disk.json.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTIFACTS
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from ui_helpers import alerts, fill, next_question, open_quiz, progress_of, start_app, submit
from websockets.exceptions import ConnectionClosed

from sourcecheck.db import DatabaseUnavailable, SqlStore, open_store
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.sessions.budget import WriteBudget
from sourcecheck.sessions.store import AnswerRow
from sourcecheck.ui import nav, state

LESSON = "raqqa-who-says"
TABLES = ("participants", "attempts", "answers", "moves")
FIGURES: dict[str, Any] = {}


@pytest.fixture(scope="module", autouse=True)
def _figures() -> Iterator[None]:
    yield
    folder = ARTIFACTS / "security"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "disk.json").write_text(json.dumps(FIGURES, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def url_of(db: SqlStore) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def rows(db: SqlStore) -> dict[str, int]:
    with db.engine.connect() as c:
        return {t: int(c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()) for t in TABLES}


def solo_ids(db: SqlStore) -> set[str]:
    with db.engine.connect() as c:
        return {r[0] for r in c.exec_driver_sql("SELECT token FROM participants WHERE session_id IS NULL")}


def stamp(db: SqlStore, when: datetime) -> str:
    """A time as an SQL literal, written as each database stores its times (SQLite: UTC text)."""
    if db.engine.dialect.name == "sqlite":
        return f"'{when.astimezone(UTC):%Y-%m-%d %H:%M:%S}'"
    return f"'{when.isoformat()}'"


def answer(participant: int, question: str = "q1", response: object = 0) -> AnswerRow:
    return AnswerRow(participant_id=participant, lesson_id="lesson", lesson_hash="h" * 64, attempt=1,
                     question_id=question, response=response, earned=1.0, possible=1,  # type: ignore[arg-type]
                     verdict="correct")


@pytest.fixture
def app_store(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> SqlStore:
    """The app, run by AppTest in this process, on the same database as `store` (SQLite or PostgreSQL)."""
    monkeypatch.setenv("DATABASE_URL", url_of(store))
    return store


# -- solo rows at the first answer -----------------------------------------------------------------------------

def test_opening_a_lesson_stores_nothing_and_the_first_submit_stores_one_of_each(app_store: SqlStore,
                                                                                   library: Library) -> None:
    """17 visits a second with new `s=` tokens stored a participant and an attempt each; now a visit stores no
    row, a refresh before answering stores none, and the first Submit stores participant, attempt and answer."""
    for n in range(5):  # five visitors, each with a token of their own
        at = open_quiz(LESSON, token=f"disk-visitor-token-{n:05d}")
        assert not at.exception
    at = open_quiz(LESSON, token="disk-visitor-token-00000")  # a refresh
    assert rows(app_store) == {"participants": 0, "attempts": 0, "answers": 0, "moves": 0}

    lesson = library.get(LESSON)
    assert lesson is not None
    progress = progress_of(at, LESSON)
    question = lesson.question(progress.current() or "")
    fill(at, lesson, progress, question, "right")
    submit(at, progress, question)
    assert rows(app_store) == {"participants": 1, "attempts": 1, "answers": 1, "moves": 0}
    assert question.id in progress.attempt.answers and not at.exception  # the feedback shows
    next_question(at, progress, question)
    assert rows(app_store)["moves"] == 1


def test_the_session_write_budget_says_slow_down_and_keeps_the_answer(app_store: SqlStore,
                                                                      library: Library) -> None:
    """Answers over the session's budget are refused with "Slow down", the answer stays in the form, nothing more
    is stored. (Limits made small here; the real ones, 30 a minute and 1,000 a day, are tested below.)"""
    lesson = library.get(LESSON)
    assert lesson is not None
    at = start_app()
    at.session_state[state.BUDGET] = WriteBudget(per_minute=2)
    at.query_params["lesson"] = LESSON
    at.query_params["s"] = "disk-budget-token-00001"
    at.switch_page(nav.QUIZ)
    at.run()
    progress = progress_of(at, LESSON)
    for _ in range(2):
        question = lesson.question(progress.current() or "")
        fill(at, lesson, progress, question, "wrong")
        submit(at, progress, question)
        next_question(at, progress, question)
    question = lesson.question(progress.current() or "")
    fill(at, lesson, progress, question, "wrong")
    submit(at, progress, question)
    assert "Slow down" in alerts(at) and "Your answer is still here" in alerts(at)
    assert rows(app_store)["answers"] == 2
    assert progress.current() == question.id and question.id not in progress.attempt.answers
    assert not at.exception


def test_the_write_budget_per_minute_and_per_day() -> None:
    """The clock is passed in: 30 answers a minute, then a refusal that names the wait; the minute over, answers
    go again; 1,000 in a day, then none until the oldest is a day old."""
    budget = WriteBudget()
    assert all(budget.take(1000.0 + i) for i in range(30))
    assert not budget.take(1030.0)
    refusal = budget.refusal(1030.0)
    assert refusal is not None and refusal.startswith("Slow down") and "30 s" in refusal
    assert budget.refusal(1100.0) is None  # a minute later the page is clean again
    assert budget.take(1060.5)
    day = WriteBudget()
    assert all(day.take(i * 3.0) for i in range(1000))  # one every 3 s: never the per-minute limit
    assert not day.take(3000.0)
    assert "today" in (day.refusal(3000.0) or "")
    assert day.take(86_400.0 + 1)  # the first answer is a day old
    FIGURES["budget"] = {"answers_per_minute": budget.per_minute, "answers_per_day": budget.per_day}


# -- expiry -----------------------------------------------------------------------------------------------------

def _setup_people(db: SqlStore) -> tuple[int, int, int]:
    """A solo student who answered, one who only has a record, and a class student who answered."""
    answered = db.solo_participant("disk-solo-answered-01")
    db.start_attempt(answered, "lesson", 1, ["q1"])
    assert db.record_answer(answer(answered))
    db.mark_moved_on(answered, "lesson", 1, "q1")
    idle = db.solo_participant("disk-solo-idle-000001")
    session = db.create_session("lesson", db.save_lesson_version("lesson", "title: x"), pacing="self")
    pupil = db.join(session.id, "disk-class-pupil-0001", "Sam").id
    db.start_attempt(pupil, "lesson", 1, ["q1"])
    assert db.record_answer(answer(pupil))
    return answered, idle, pupil


def test_the_purge_deletes_old_solo_data_only(store: SqlStore) -> None:
    _setup_people(store)
    now = datetime.now(UTC)
    assert store.purge_solo(now) == 0  # nothing is 30 days old
    assert store.purge_solo(now + timedelta(days=29)) == 0
    with store.engine.begin() as c:  # the answered student answers again in 20 days' time
        c.exec_driver_sql(f"UPDATE answers SET stored_at = {stamp(store, now + timedelta(days=20))} WHERE "
                          "participant_id IN (SELECT id FROM participants WHERE token = 'disk-solo-answered-01')")
    assert store.purge_solo(now + timedelta(days=31)) == 1  # the idle one: no answer within 30 days
    assert solo_ids(store) == {"disk-solo-answered-01"}
    assert store.purge_solo(now + timedelta(days=51)) == 1  # 31 days after its last answer
    assert solo_ids(store) == set()
    assert rows(store) == {"participants": 1, "attempts": 1, "answers": 1, "moves": 0}  # the class student's own
    assert store.purge_solo(now + timedelta(days=3650)) == 0  # a class's rows never expire here


def test_opening_the_store_purges_expired_solo_data(store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """At start-up (open_store), with the retention from SOURCECHECK_SOLO_RETENTION_DAYS."""
    _setup_people(store)
    with store.engine.begin() as c:  # everything 8 days old
        for table, column in (("participants", "joined_at"), ("answers", "stored_at")):
            c.exec_driver_sql(f"UPDATE {table} SET {column} = {stamp(store, datetime.now(UTC) - timedelta(days=8))}")
    reopened = open_store(url_of(store))  # the default, 30 days: nothing goes
    assert len(solo_ids(reopened)) == 2
    reopened.engine.dispose()
    monkeypatch.setenv("SOURCECHECK_SOLO_RETENTION_DAYS", "7")
    reopened = open_store(url_of(store))
    assert solo_ids(reopened) == set()
    assert rows(reopened)["answers"] == 1  # the class's answer
    assert reopened.purge_solo_if_due() is None  # not again for a day
    reopened.engine.dispose()


def test_a_wrong_retention_setting_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCECHECK_SOLO_RETENTION_DAYS", "0")
    with pytest.raises(DatabaseUnavailable, match="SOURCECHECK_SOLO_RETENTION_DAYS must be a whole number"):
        open_store(f"sqlite:///{tmp_path / 'retention.db'}")


def test_deleting_a_class_deletes_its_tokens_solo_practice(store: SqlStore) -> None:
    session = store.create_session("lesson", store.save_lesson_version("lesson", "title: x"), pacing="self")
    pupil = store.join(session.id, "disk-class-and-solo-01", "Ana").id
    assert store.record_answer(answer(pupil))
    practice = store.solo_participant("disk-class-and-solo-01")  # the same link, practising alone
    store.start_attempt(practice, "lesson", 1, ["q1"])
    assert store.record_answer(answer(practice))
    other = store.solo_participant("disk-only-solo-000001")
    assert store.record_answer(answer(other))
    assert store.delete_session(session.id)
    assert solo_ids(store) == {"disk-only-solo-000001"}
    assert rows(store) == {"participants": 1, "attempts": 0, "answers": 1, "moves": 0}


def test_deleted_rows_leave_the_sqlite_files(tmp_path: Path) -> None:
    """secure_delete zeroes deleted rows and a checkpoint empties the WAL: the answer's text is in neither file."""
    db = open_store(f"sqlite:///{tmp_path / 'scrub.db'}")
    marker = "disk-secret-answer-" + "z" * 40
    session = db.create_session("lesson", db.save_lesson_version("lesson", "title: x"), pacing="self")
    pupil = db.join(session.id, "disk-scrubbed-pupil01", "Kim").id
    assert db.record_answer(answer(pupil, response=marker))
    assert db.delete_session(session.id)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("scrub.db")]
    assert all(marker.encode() not in p.read_bytes() for p in files), [p.name for p in files]
    db.engine.dispose()


def test_deleted_rows_leave_the_postgresql_tables(postgres: Any) -> None:
    """VACUUM after the delete: the answer's text is gone from the table files (base/), not only marked dead. The
    WAL still holds it until PostgreSQL recycles the segment (docs/security.md says so)."""
    db = open_store(postgres.create_database("sourcecheck_scrub"))
    marker = "disk-secret-answer-" + "q" * 40

    def files_with_marker() -> list[str]:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("CHECKPOINT")  # what a checkpoint writes is what the files hold
        return sorted(str(p.relative_to(postgres.data)) for p in (postgres.data / "base").rglob("*")
                      if p.is_file() and marker.encode() in p.read_bytes())

    try:
        session = db.create_session("lesson", db.save_lesson_version("lesson", "title: x"), pacing="self")
        pupil = db.join(session.id, "disk-scrubbed-pupil02", "Kim").id
        assert db.record_answer(answer(pupil, response=marker))
        assert files_with_marker()  # the test can see it there
        assert db.delete_session(session.id)
        assert files_with_marker() == []
    finally:
        db.engine.dispose()


# -- JSON as UTF-8 ----------------------------------------------------------------------------------------------

def test_emoji_are_stored_as_utf8(store: SqlStore) -> None:
    """2,000 emoji (the longest short answer) took 24 KB as ASCII-escaped JSON; as UTF-8 they take 8 KB."""
    pid = store.solo_participant("disk-emoji-token-0001")
    text = "\N{GRINNING FACE}" * 2000
    assert store.record_answer(answer(pid, response=text))
    size = ("SELECT length(CAST(response AS BLOB)) FROM answers" if store.engine.dialect.name == "sqlite"
            else "SELECT octet_length(response::text) FROM answers")
    with store.engine.connect() as c:
        stored = int(c.exec_driver_sql(size).scalar_one())
    FIGURES[f"emoji_answer_bytes_{store.engine.dialect.name}"] = stored
    assert stored == 8002  # 2,000 x 4 bytes and the quotes
    assert store.answers(pid, "lesson")[0].response == text


# -- Streamlit's limits -----------------------------------------------------------------------------------------

def test_config_limits_the_websocket_to_what_the_app_needs() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxMessageSize"] == 3  # MB: a 1,000,000-byte lesson in the workshop's editor fits,
    assert config["server"]["maxWidgetStateSize"] == 3  # and a 2 MB paste gets the workshop's own message


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_20_mb_widget_value_is_refused_and_not_kept(tmp_path: Path) -> None:
    """Sent as the join page's name (a text input), over Streamlit's own protocol: the server closes the socket
    (1009, message too big) and its memory does not grow by it; the page goes on working for the next tab."""
    if str(PROJECT_ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    from protocol import Server, Session

    server = Server(PROJECT_ROOT / "app.py", PROJECT_ROOT, ["--server.fileWatcherType=none"],
                    env={"DATABASE_URL": f"sqlite:///{tmp_path / 'ws.db'}"}, log_dir=tmp_path)
    try:
        server.start().wait_ready(60)
        assert server.proc is not None
        warm = Session(server.port, path="join")
        first = warm.rerun()
        name = first.widget("text_input", key="join-name").text_input.id
        for _ in range(3):
            warm.rerun()
        before = _rss_kb(server.proc.pid)
        tab = Session(server.port, path="join")
        tab.rerun()
        back = BackMsg()
        back.rerun_script.page_name = "join"
        back.rerun_script.widget_states.widgets.append(WidgetState(id=name, string_value="x" * 20_000_000))
        closed: int | None = None
        try:
            tab.ws.send(back.SerializeToString())
            tab._until_finished()  # the server took it and ran the page with it
        except ConnectionClosed as e:
            closed = e.rcvd.code if e.rcvd is not None else -1
        except OSError:
            closed = -1  # the socket went while the frame was still being sent
        assert closed is not None, "the server accepted a 20 MB widget value"
        assert closed in (1009, -1), closed
        after_run = warm.rerun()  # the server still serves the other tab
        assert "Class code" in str(after_run.elements)
        grown = _rss_kb(server.proc.pid) - before
        FIGURES["widget_20mb"] = {"closed_with": closed, "rss_growth_kb": grown}
        assert grown < 10_000, grown  # a 20 MB value kept would show as 20,000 kB and more
        warm.close()
    finally:
        server.stop()


# -- CSV download addresses -------------------------------------------------------------------------------------

def test_download_addresses_are_what_the_docs_say() -> None:
    """docs/security.md said results CSVs are at "long random addresses"; Streamlit names a download by an unkeyed
    hash of its bytes, type and name. The docs now say so, and this pins the installed Streamlit's behaviour: the
    same CSV gets the same address in any session, and one byte more gets another."""
    from streamlit.runtime.media_file_storage import MediaFileKind
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage, _calculate_file_id

    csv = b"question,share correct\nq1,0.5\n"
    first, second = MemoryMediaFileStorage("/media"), MemoryMediaFileStorage("/media")  # two servers, no secret
    a = first.load_and_get_id(csv, "text/csv", MediaFileKind.DOWNLOADABLE, "questions.csv")
    assert a == second.load_and_get_id(csv, "text/csv", MediaFileKind.DOWNLOADABLE, "questions.csv")
    assert a == _calculate_file_id(csv, "text/csv", "questions.csv")
    assert a != second.load_and_get_id(csv + b"\n", "text/csv", MediaFileKind.DOWNLOADABLE, "questions.csv")
    assert first.get_url(a) == f"/media/{a}.csv" and len(a) == 32  # 128 bits
    docs = (PROJECT_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert "long random addresses" not in docs
    assert "hash (BLAKE2b) of the file's bytes, its type and its file name" in docs


@pytest.mark.browser
def test_the_largest_lesson_still_fits_through_the_websocket(browser: Any, start_server: Any,
                                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """The limits are not below what the app needs: a lesson of almost 1,000,000 bytes (the loader's limit) is
    uploaded to the workshop, shown in its editor (one message out), edited there and checked again (the whole
    text back as widget state), in a real Chromium, with no size error."""
    from browser_support import settle, sign_in
    from playwright.sync_api import expect

    passcode = "disk-suite-passcode-5120"
    root = tmp_path_factory.mktemp("disk-workshop")
    url = start_server(SOURCECHECK_TEACHER_PASSCODE=passcode, SOURCECHECK_STATE=str(root / "state"),
                       DATABASE_URL=f"sqlite:///{root / 'ws.db'}")
    minimal = (PROJECT_ROOT / "tests" / "fixtures" / "good" / "minimal.yaml").read_text(encoding="utf-8")
    line = "# " + "x" * 97 + "\n"  # 100 bytes of comment: counted in bytes, not in values
    text = minimal + line * ((999_000 - len(minimal.encode())) // len(line))
    text += "#" + "x" * (1_000_000 - len(text.encode()) - 2) + "\n"  # exactly the loader's limit
    assert len(text.encode()) == 1_000_000
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, f"{url}/workshop", passcode)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        {"name": "big.yaml", "mimeType": "application/x-yaml", "buffer": text.encode()})
    expect(page.get_by_text("No problems: “Minimal lesson”")).to_be_visible(timeout=30_000)
    box = page.get_by_role("textbox", name="Lesson YAML")
    expect(box).to_have_count(1, timeout=30_000)  # mid-run, the old editor can still be on the page beside the new
    # the problems line can be drawn before the editor holds its megabyte: wait for the editor, not a time
    page.wait_for_function("([el, n]) => el.value.length === n", arg=[box.element_handle(), len(text)],
                           timeout=30_000)
    assert len(box.input_value()) == len(text)
    # Playwright's fill types a megabyte too slowly: set the value as a paste does, then commit it as the user would
    box.evaluate("""(el, value) => {
        Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set.call(el, value);
        el.dispatchEvent(new Event('input', {bubbles: true}));
    }""", text.replace("Minimal lesson", "Largest lesson"))
    box.press("Control+Enter")
    expect(page.get_by_text("No problems: “Largest lesson”")).to_be_visible(timeout=30_000)
    settle(page)
    shown = page.locator("body").inner_text()
    assert "exceeds the" not in shown and "size limit" not in shown
    page.screenshot(path=str(ARTIFACTS / "security" / "disk-workshop-1mb.png"))
    FIGURES["workshop_largest_lesson_bytes"] = len(text.encode())
    context.close()
