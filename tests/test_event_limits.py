"""The event route's counts (ui/event_route.py Streams): per address (an IPv6 /64 as one) and in all, given back
when a stream closes; the limits read from the environment, a wrong value logged and the default used."""

from __future__ import annotations

import logging

import pytest

from sourcecheck.ui.event_route import MAX_ENV, MOST, PER_ADDRESS, PER_ADDRESS_ENV, Streams, _limit


def test_per_address_and_in_all() -> None:
    streams = Streams(per_address=2, most=3)
    assert streams.take("10.0.0.1") and streams.take("10.0.0.1")
    assert not streams.take("10.0.0.1")  # the third from one address
    assert streams.take("10.0.0.2")
    assert not streams.take("10.0.0.3")  # the process is full
    streams.give_back("10.0.0.1")
    assert streams.take("10.0.0.3") and streams.open == 3


def test_an_ipv6_client_s_whole_64_is_one_address() -> None:
    streams = Streams(per_address=1, most=10)
    assert streams.take("2001:db8:1:2::1")
    assert not streams.take("2001:db8:1:2::ffff")
    assert streams.take("2001:db8:1:3::1")


def test_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.delenv(PER_ADDRESS_ENV, raising=False)
    assert _limit(PER_ADDRESS_ENV, PER_ADDRESS) == 1000
    monkeypatch.setenv(MAX_ENV, "50")
    assert _limit(MAX_ENV, MOST) == 50
    monkeypatch.setenv(MAX_ENV, "lots")
    with caplog.at_level(logging.WARNING):
        assert _limit(MAX_ENV, MOST) == 3000
    assert "SOURCECHECK_STREAMS_MAX is 'lots'" in caplog.text
