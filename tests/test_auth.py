"""Teacher pages are guarded by a passcode that is configured or generated, never empty or guessable."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from sourcecheck.sessions.passcode import check_passcode, passcode_file, teacher_passcode


def test_configured_passcode_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCECHECK_STATE", str(tmp_path))
    monkeypatch.setenv("SOURCECHECK_TEACHER_PASSCODE", "river-42")
    assert check_passcode("river-42") and check_passcode(" river-42 ")
    assert not check_passcode("river-43") and not check_passcode("")


def test_generated_passcode_is_kept_private_and_stable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCECHECK_STATE", str(tmp_path))
    monkeypatch.delenv("SOURCECHECK_TEACHER_PASSCODE", raising=False)
    code = teacher_passcode()
    assert len(code) == 14 and code == teacher_passcode()
    assert stat.S_IMODE(passcode_file().stat().st_mode) == 0o600
    assert check_passcode(code) and not check_passcode(code[:-1])


def test_passcode_command_prints_the_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from sourcecheck.cli import main

    monkeypatch.setenv("SOURCECHECK_STATE", str(tmp_path))
    monkeypatch.setenv("SOURCECHECK_TEACHER_PASSCODE", "river-42")
    result = CliRunner().invoke(main, ["passcode"])
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "river-42"
