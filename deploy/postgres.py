"""A throwaway PostgreSQL cluster from Debian's binaries, on a free loopback port, owned by an unprivileged user.

For `make cluster`, the load harness and the tests (tests/pg_server.py wraps it): never a school's real
database, which docs/deploy.md sets up with the distribution's own service. Standard library only.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.server import free_port

__all__ = ["PostgresServer", "find_binaries", "start"]


def find_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    as_user: list[str]
    durable: bool = False  # fsync and synchronous commit on, as a school's server runs: for published figures

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def create_database(self, name: str) -> str:
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)

    def start(self) -> None:
        """Start (or restart, after `pause`) the server on its port."""
        fast = "" if self.durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {fast}"
                   "-c max_connections=300")
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                 "-w", "-t", "60", "start")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start in 30 s")

    def pause(self) -> None:
        """Stop the server (fast shutdown: connections are cut) and keep its data, for an outage test."""
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "stop", "-m", "fast", "-w")

    def stop(self) -> None:
        try:
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "stop", "-m", "immediate", "-w")
        except subprocess.CalledProcessError:
            pass  # already stopped
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start(binaries: Path | None = None, *, durable: bool = False) -> PostgresServer:
    """initdb and start a cluster owned by an unprivileged user (PostgreSQL refuses to run as root). Tests run it
    with fsync off (fast, and nothing to keep); `durable=True` keeps PostgreSQL's defaults, for figures to publish."""
    binaries = binaries or find_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed: `make postgres` installs Debian's postgresql")
    folder = Path(tempfile.mkdtemp(prefix="sourcecheck-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(binaries, folder, free_port(), as_user, durable)
    server.run(str(binaries / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
               "--no-sync", "--no-instructions")
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    return server
