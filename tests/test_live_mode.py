"""SOURCECHECK_LIVE (sessions/live_mode.py): push by default, poll when asked, push and a log line for a typo."""

from __future__ import annotations

import logging

import pytest

from sourcecheck.sessions.live_mode import LIVE_ENV, live_mode


@pytest.mark.parametrize(("raw", "mode"), [(None, "push"), ("", "push"), ("push", "push"), ("poll", "poll"),
                                           (" POLL ", "poll")])
def test_the_modes(monkeypatch: pytest.MonkeyPatch, raw: str | None, mode: str) -> None:
    if raw is None:
        monkeypatch.delenv(LIVE_ENV, raising=False)
    else:
        monkeypatch.setenv(LIVE_ENV, raw)
    assert live_mode() == mode


def test_a_wrong_value_is_logged_and_push_is_used(monkeypatch: pytest.MonkeyPatch,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(LIVE_ENV, "pol")
    with caplog.at_level(logging.WARNING, logger="sourcecheck.sessions.live_mode"):
        assert live_mode() == "push"
    assert "SOURCECHECK_LIVE is 'pol'" in caplog.text and "using push" in caplog.text
