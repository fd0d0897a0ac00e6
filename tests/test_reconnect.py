"""The database away mid-class: the store retries each call, tells the page it is reconnecting, and gives up with
StoreUnavailable after its window; a page whose database stays away says so instead of a traceback.
(tests/load/test_faults.py stops a real PostgreSQL under a class of simulated students.)"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest
from ui_helpers import APP, TIMEOUT, alerts

from sourcecheck.db import SqlStore, open_store
from sourcecheck.db.store import retrying as _retrying
from sourcecheck.sessions.store import StoreUnavailable
from sourcecheck.ui import nav
from sourcecheck.ui.reconnect import MESSAGE


def _down() -> OperationalError:
    return OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


def test_a_call_is_retried_until_the_database_answers(tmp_path: object) -> None:
    store = open_store(f"sqlite:///{tmp_path}/r.db")
    store.retry_seconds = 5.0
    told: list[int] = []
    store.on_retry = told.append
    tries: list[int] = []

    def flaky(db: SqlStore) -> str:
        tries.append(1)
        if len(tries) < 3:
            raise _down()
        return "answered"

    assert _retrying(flaky)(store) == "answered"
    assert told == [1, 2]  # the page was told before each retry


def test_a_call_gives_up_after_its_window(tmp_path: object) -> None:
    store = open_store(f"sqlite:///{tmp_path}/r.db")
    store.retry_seconds = 0.3

    def down(db: SqlStore) -> None:
        raise _down()

    with pytest.raises(StoreUnavailable):
        _retrying(down)(store)


def test_every_public_store_call_retries() -> None:
    assert SqlStore.record_answer.__wrapped__ is not None  # type: ignore[attr-defined]
    assert SqlStore.live_state.__wrapped__ is not None  # type: ignore[attr-defined]


def test_a_page_whose_database_stays_away_says_it_is_reconnecting(monkeypatch: pytest.MonkeyPatch) -> None:
    def away(self: SqlStore, code: str) -> None:
        raise StoreUnavailable("the database did not answer for 10 s")

    monkeypatch.setattr(SqlStore, "session_by_code", away)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.query_params["c"] = "K7M2QX"
    at.switch_page(nav.CLASS)
    at.run()
    assert not at.exception
    assert MESSAGE in alerts(at)
