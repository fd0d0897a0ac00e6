"""Every command fails the same way: problems and the message on standard error, exit 1, nothing on stdout.

And `preview` never leaves its app running when it is stopped by a signal.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lesson_texts import one_question_lesson

from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

BROKEN = one_question_lesson(id="broken", title="Broken", summary="A lesson with a misspelt key.").replace(
    "answer:", "answr:")
BROKEN_HEADLINE = "broken.yaml:17:5: unknown key 'answr' (did you mean 'answer'?)"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "exists.yaml").write_text("taken", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    return tmp_path


CASES = [
    (["export", "--format", "gift", "broken.yaml"],
     [BROKEN_HEADLINE, "Error: fix these problems first; nothing was exported"]),
    (["preview", "broken.yaml"], [BROKEN_HEADLINE, "Error: fix these problems first; the app was not started"]),
    (["stats", "broken.yaml"], [BROKEN_HEADLINE, "Error: these lesson files are left out of the tables above"]),
    (["quote", "--document", "000_7512caa2dcf887b1", "zebra crossing"], ["Error: no passage of 000_7512caa2dcf887b1"]),
    (["quote", "--document", "nope", "words"], ["Error: no document 'nope' in the catalog"]),
    (["new", "--document", "000_7512caa2dcf887b1", "--id", "taken", "--out", "exists.yaml"],
     ["Error: exists.yaml already exists"]),
]


@pytest.mark.parametrize(("args", "starts"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_a_failing_command_says_why_on_stderr_and_exits_1(workspace: Path, monkeypatch: pytest.MonkeyPatch,
                                                         args: list[str], starts: list[str]) -> None:
    monkeypatch.chdir(workspace)
    result = CliRunner().invoke(main, [*args, "--seeds", str(workspace / "seeds")])
    assert result.exit_code == 1, result.output
    assert BROKEN_HEADLINE not in result.stdout
    headlines = [line for line in result.stderr.splitlines() if not line.startswith(" ")]
    assert [h[:len(s)] for h, s in zip(headlines, starts, strict=True)] == starts
    assert isinstance(result.exception, SystemExit)  # click's own exit, never a traceback


def test_every_command_is_registered_by_name() -> None:
    assert sorted(main.commands) == ["add-document", "agreement", "discernment", "export", "new", "passcode",
                                     "preview", "quote", "schema", "stats", "validate"]


def test_a_stopped_preview_stops_its_app_too(tmp_path: Path) -> None:
    """SIGTERM to the command (a closed terminal, `kill`) ends the server it started; no orphan keeps the port."""
    server = "import os, time; print(os.getpid(), flush=True); time.sleep(60)"
    command = ("import os, sys; from pathlib import Path; from sourcecheck.cli.child import run_child; "
               f"sys.exit(run_child([sys.executable, '-c', {server!r}], dict(os.environ), Path('.')))")
    parent = subprocess.Popen([sys.executable, "-c", command], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(10) == 128 + signal.SIGTERM
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(child_pid):
        time.sleep(0.05)
    assert not _alive(child_pid), "the app outlived the preview command"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
