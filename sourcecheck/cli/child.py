"""Run a child process (the app, for `preview`) so that it never outlives the command.

`subprocess.call` leaves the child running when the command itself is stopped by a signal
(a closed terminal, `kill`, an editor stopping its task): the server keeps the port and the
next preview fails. Here SIGTERM and SIGHUP stop the child too, and so does Ctrl-C.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

__all__ = ["run_child"]

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 5.0


class _Stopped(Exception):
    pass


def run_child(argv: Sequence[str], env: dict[str, str], cwd: Path) -> int:
    """The child's exit code; 130 when stopped by Ctrl-C, 128 + N when stopped by signal N."""
    previous = {sig: signal.getsignal(sig) for sig in _STOP_SIGNALS}
    child = subprocess.Popen(list(argv), env=env, cwd=cwd)
    stopped_by = 0

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopped_by
        stopped_by = signum
        raise _Stopped

    for sig in _STOP_SIGNALS:
        signal.signal(sig, stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        return 130
    except _Stopped:
        return 128 + stopped_by
    finally:
        _end(child)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _end(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
