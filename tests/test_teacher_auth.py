"""The teacher sign-in token (sessions/teacher_auth.py): signed, expiring, tied to the passcode, one purpose each."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

import pytest

from sourcecheck.sessions import teacher_auth
from sourcecheck.sessions.teacher_auth import (
    SESSION_SECONDS,
    TICKET_SECONDS,
    Tickets,
    current_key,
    issue,
    server_secret,
    signing_key,
    verify,
)

NOW = 1_800_000_000.0
KEY = signing_key(b"server-secret", "pass-1234")


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("SOURCECHECK_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("SOURCECHECK_TEACHER_PASSCODE", "pass-1234")
    monkeypatch.delenv(teacher_auth.SECRET_ENV, raising=False)
    return tmp_path / "state"


def test_a_token_verifies_until_it_expires() -> None:
    token = issue(KEY, "session", SESSION_SECONDS, NOW)
    assert verify(token, KEY, "session", NOW) is not None
    assert verify(token, KEY, "session", NOW + SESSION_SECONDS - 1) is not None
    assert verify(token, KEY, "session", NOW + SESSION_SECONDS) is None
    assert verify(token, KEY, "session", NOW + 10 * SESSION_SECONDS) is None


def test_a_changed_passcode_or_secret_refuses_every_token() -> None:
    token = issue(KEY, "session", SESSION_SECONDS, NOW)
    assert verify(token, signing_key(b"server-secret", "pass-1235"), "session", NOW) is None
    assert verify(token, signing_key(b"other-secret", "pass-1234"), "session", NOW) is None


def test_a_ticket_is_no_cookie_and_a_cookie_no_ticket() -> None:
    assert verify(issue(KEY, "ticket", TICKET_SECONDS, NOW), KEY, "session", NOW) is None
    assert verify(issue(KEY, "session", SESSION_SECONDS, NOW), KEY, "ticket", NOW) is None


@pytest.mark.parametrize("part", [0, 1, 2, 3])
def test_a_token_changed_anywhere_is_refused(part: int) -> None:
    token = issue(KEY, "session", SESSION_SECONDS, NOW)
    pieces = token.split(".")
    replacement = {0: "ticket", 1: str(int(pieces[1]) + 3600), 2: pieces[2][::-1], 3: pieces[3][::-1]}
    pieces[part] = replacement[part]
    assert verify(".".join(pieces), KEY, "session", NOW) is None


@pytest.mark.parametrize("value", [None, "", "session", "x" * 5000, "session.1.2.3", "session.99999999999.a.b"])
def test_garbage_is_refused(value: str | None) -> None:
    assert verify(value, KEY, "session", NOW) is None


def test_two_tokens_differ() -> None:
    assert issue(KEY, "session", SESSION_SECONDS, NOW) != issue(KEY, "session", SESSION_SECONDS, NOW)


def test_a_ticket_is_exchanged_once_and_only_while_fresh() -> None:
    tickets = Tickets()
    ticket = issue(KEY, "ticket", TICKET_SECONDS, NOW)
    assert tickets.redeem(ticket, KEY, NOW + 1)
    assert not tickets.redeem(ticket, KEY, NOW + 2)
    late = issue(KEY, "ticket", TICKET_SECONDS, NOW)
    assert not tickets.redeem(late, KEY, NOW + TICKET_SECONDS)
    assert not tickets.redeem(issue(KEY, "session", SESSION_SECONDS, NOW), KEY, NOW)


def test_the_generated_secret_is_private_stable_and_one_for_all(state: Path) -> None:
    found: list[bytes] = []
    threads = [threading.Thread(target=lambda: found.append(server_secret())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(found)) == 1 and len(found[0]) >= 43  # every process starting at once reads the same one
    path = state / "teacher-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in state.iterdir() if p.name.startswith(".")] == []  # no half-written file left
    assert server_secret() == found[0]


def test_the_configured_secret_wins(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(teacher_auth.SECRET_ENV, "from-the-environment")
    assert server_secret() == b"from-the-environment"
    assert not (state / "teacher-secret").exists()


def test_a_new_passcode_signs_everyone_out(state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = issue(current_key(), "session", SESSION_SECONDS, NOW)
    assert verify(token, current_key(), "session", NOW) is not None
    monkeypatch.setenv("SOURCECHECK_TEACHER_PASSCODE", "a-new-one")
    assert verify(token, current_key(), "session", NOW) is None
