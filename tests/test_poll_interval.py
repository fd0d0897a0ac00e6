"""SOURCECHECK_POLL_SECONDS: how often a polling page (SOURCECHECK_LIVE=poll, or push's fallback when the event route
cannot be reached) asks whether the teacher moved on (docs/performance.md)."""

from __future__ import annotations

import pytest

from sourcecheck.ui import live_view


@pytest.mark.parametrize(("setting", "seconds"), [("", 1.0), ("2", 2.0), ("0.75", 0.75), ("0.01", 0.5), ("600", 10.0),
                                                  ("soon", 1.0)])
def test_the_interval_is_read_from_the_environment_within_bounds(monkeypatch: pytest.MonkeyPatch, setting: str,
                                                                 seconds: float) -> None:
    monkeypatch.setenv("SOURCECHECK_POLL_SECONDS", setting)
    assert live_view._poll_seconds() == seconds
