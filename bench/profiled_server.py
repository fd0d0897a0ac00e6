"""`streamlit run` with every script run under cProfile, for finding what a page spends its CPU on.

Streamlit runs each rerun in a ScriptRunner thread, which cProfile (one thread per profiler) does
not see from the main thread; so the thread body is wrapped, timed by that thread's CPU clock
(a wall clock would charge GIL waits to whatever call released it), the per-run profiles are kept, and
their sum is written to $BENCH_PROFILE_OUT when the server shuts down. The first
$BENCH_PROFILE_SKIP runs (imports, first library load) are left out: they are start-up, not reruns.
Usage: BENCH_PROFILE_OUT=out.pstats BENCH_PROFILE_SKIP=20 python bench/profiled_server.py run app.py [flags]
"""

from __future__ import annotations

import atexit
import cProfile
import os
import pstats
import signal
import sys
import threading
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli

_profiles: list[cProfile.Profile] = []
_lock = threading.Lock()
_original = script_runner.ScriptRunner._run_script_thread
_skip = [int(os.environ.get("BENCH_PROFILE_SKIP", "0"))]


def _profiled(self: script_runner.ScriptRunner) -> None:
    with _lock:
        _skip[0] -= 1
        skipped = _skip[0] >= 0
    if skipped:
        _original(self)
        return
    profile = cProfile.Profile(time.thread_time)  # CPU of this thread: waiting for the GIL is not cost
    profile.enable()
    try:
        _original(self)
    finally:
        profile.disable()
        with _lock:
            _profiles.append(profile)


def _dump() -> None:
    with _lock:
        if not _profiles:
            return
        stats = pstats.Stats(_profiles[0])
        for profile in _profiles[1:]:
            stats.add(profile)
    stats.dump_stats(os.environ["BENCH_PROFILE_OUT"])


script_runner.ScriptRunner._run_script_thread = _profiled  # type: ignore[method-assign]
atexit.register(_dump)
# An st.App is served by uvicorn, which on SIGTERM shuts down, puts back the handler it found and raises the
# signal again: with the default handler the process dies without running atexit, and no profile is written.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

if __name__ == "__main__":
    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()
