"""One way to start a real `streamlit run` server for a benchmark or a browser test, and to stop it.

Used by bench/ (as `server`) and by tests/e2e/ (as `bench.server`), so both measure and test the
app under the same flags: loopback only, headless, no usage statistics, a free port.
Standard library only: importing it starts nothing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Server", "free_port", "workdir"]

PROJECT = Path(__file__).resolve().parent.parent


def workdir(tmp: Path, name: str) -> Path:
    """A working directory holding a copy of the app's .streamlit/config.toml (Streamlit reads it from the cwd),
    so that every server of a comparison, the app's and the bare page's, runs under the same settings."""
    folder = tmp / name
    (folder / ".streamlit").mkdir(parents=True, exist_ok=True)
    config = PROJECT / ".streamlit" / "config.toml"
    if config.exists():
        shutil.copy(config, folder / ".streamlit" / "config.toml")
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """`streamlit run SCRIPT` on a free loopback port, from `workdir` (which holds the .streamlit/ config)."""

    script: Path
    workdir: Path
    flags: list[str] = field(default_factory=list)
    port: int = 0
    launcher: list[str] = field(default_factory=lambda: ["-m", "streamlit"])  # or a wrapper script
    env: dict[str, str] = field(default_factory=dict)  # on top of base_env
    base_env: Mapping[str, str] | None = None  # default: this process's environment
    log_dir: Path | None = None  # default: workdir
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.port = self.port or free_port()  # a restart keeps its port: browsers reconnect to it
        cmd = [sys.executable, *self.launcher, "run", str(self.script),
               "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={self.port}",
               "--browser.gatherUsageStats=false", *self.flags]
        self.log = (self.log_dir or self.workdir) / f"server-{self.port}.log"
        environ = dict(os.environ if self.base_env is None else self.base_env) | self.env
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT, env=environ)
        return self

    def wait_ready(self, timeout: float = 90.0) -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.script.name} server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.script.name} server not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
