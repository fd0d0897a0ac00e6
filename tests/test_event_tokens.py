"""Event stream tokens (sessions/event_tokens.py): only what this server signed opens a stream, for that topic."""

from __future__ import annotations

from pathlib import Path

import pytest
from teacher_helpers import use_passcode

from sourcecheck.sessions.event_tokens import MAX_TOKEN, Topic, read_token, topic_token


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_passcode(monkeypatch, tmp_path)


@pytest.mark.parametrize("topic", [Topic("state", 1), Topic("room", 1), Topic("state", 987654321)])
def test_round_trip(topic: Topic) -> None:
    token = topic_token(topic)
    assert read_token(token) == topic
    assert len(token) <= MAX_TOKEN
    assert all(c.isalnum() or c in "._-" for c in token)  # urlsafe: no escaping in ?t=


def test_kinds_and_classes_are_kept_apart() -> None:
    assert topic_token(Topic("state", 5)) != topic_token(Topic("room", 5))
    state = topic_token(Topic("state", 5))
    as_room = "room" + state[len("state"):]
    assert read_token(as_room) is None  # a state token's signature does not open the room
    other_class = state.replace(".5.", ".6.")
    assert read_token(other_class) is None


def test_forged_altered_and_overlong_tokens_are_refused() -> None:
    token = topic_token(Topic("state", 42))
    last = token[-1]
    altered = token[:-1] + ("A" if last != "A" else "B")
    for bad in ["", "state.42", "state.42.", altered, token + "x", token + "=", " " + token, "state.042." +
                token.split(".")[2], "state.-1." + token.split(".")[2], "x" * 10_000,
                "room.1." + "A" * (MAX_TOKEN + 1), "state.42." + "A" * 22]:
        assert read_token(bad) is None, bad


def test_another_installation_s_secret_signs_nothing_here(monkeypatch: pytest.MonkeyPatch) -> None:
    token = topic_token(Topic("state", 3))
    monkeypatch.setenv("SOURCECHECK_TEACHER_SECRET", "another-installation")
    assert read_token(token) is None
    assert read_token(topic_token(Topic("state", 3))) == Topic("state", 3)
