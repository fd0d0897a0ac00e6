"""A throwaway PostgreSQL cluster from Debian's binaries, on a free loopback port, owned by an unprivileged user.

For `make cluster`, the load harness, the benchmarks and the tests (tests/pg_server.py wraps it): never a school's
real database, which docs/deploy.md sets up with the distribution's own service. Standard library only.

Durable by default: fsync, synchronous_commit and full_page_writes stay at PostgreSQL's defaults (on), as on a
school's server, so a commit waits for the disk and a figure measured on it is one a school would see. The fast
settings (`fast=True`: all three off, and initdb without its final sync) lose committed transactions in a crash;
only the tests ask for them, by name, because nothing they write is kept and CI time matters. Nothing published
may be measured on them.

max_connections is what the caller says its processes need (`connections_needed`; `make cluster` does), or
PostgreSQL's own default (100, as on a freshly installed school server) when the caller does not say: never a
round number picked to be big enough. A server with room for 300 says nothing about whether a school's pools fit
theirs, and pools that do not fit show up as refused connections in the middle of a class.
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

__all__ = ["FAST_SETTINGS", "LISTENERS_PER_PROCESS", "OPERATOR_CONNECTIONS", "PostgresServer",
           "SUPERUSER_RESERVED", "connections_needed", "find_binaries", "start"]

# fsync, synchronous_commit, full_page_writes off: a crash loses committed transactions. Tests only.
FAST_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")
LISTENERS_PER_PROCESS = 1  # each app process holds one LISTEN connection outside its pool (issue 21)
OPERATOR_CONNECTIONS = 5  # a psql session, pg_dump, a monitoring check, a migration run by hand
SUPERUSER_RESERVED = 3  # PostgreSQL's superuser_reserved_connections: slots an ordinary role cannot use


def connections_needed(processes: int, pool_size: int, max_overflow: int) -> int:
    """max_connections for `processes` app processes whose pools may each hold pool_size + max_overflow
    connections, each with its listener connection, plus room for the operator and PostgreSQL's superuser
    reserve: N x (pool + overflow + 1) + 5 + 3 (docs/deploy.md, "Database connections")."""
    return processes * (pool_size + max_overflow + LISTENERS_PER_PROCESS) + OPERATOR_CONNECTIONS + SUPERUSER_RESERVED


def find_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int
    as_user: list[str]
    max_connections: int | None = None  # None: PostgreSQL's default, 100
    fast: bool = False  # FAST_SETTINGS: for tests only, never for a figure to publish

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

    def options(self) -> str:
        """The server's command-line settings (pg_ctl -o): durable unless `fast`."""
        settings = ["listen_addresses=127.0.0.1", *(FAST_SETTINGS if self.fast else ()),
                    *([f"max_connections={self.max_connections}"] if self.max_connections is not None else [])]
        return " ".join([f"-p {self.port}", f"-k {self.folder}", *(f"-c {s}" for s in settings)])

    def start(self) -> None:
        """Start (or restart, after `pause`) the server on its port."""
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", self.options(), "-l",
                 str(self.folder / "log"), "-w", "-t", "60", "start")
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


def start(binaries: Path | None = None, *, max_connections: int | None = None, fast: bool = False) -> PostgresServer:
    """initdb and start a cluster owned by an unprivileged user (PostgreSQL refuses to run as root), durable
    unless `fast` (tests only: see the module's docstring), with room for `max_connections` (see
    `connections_needed`; None keeps PostgreSQL's default, 100)."""
    binaries = binaries or find_binaries()
    if binaries is None:
        raise RuntimeError("PostgreSQL is not installed: `make postgres` installs Debian's postgresql")
    if max_connections is not None and max_connections <= SUPERUSER_RESERVED:
        raise ValueError(f"max_connections must exceed the {SUPERUSER_RESERVED} reserved for superusers "
                         f"(it is {max_connections})")
    folder = Path(tempfile.mkdtemp(prefix="sourcecheck-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    server = PostgresServer(binaries, folder, free_port(), as_user, max_connections, fast)
    server.run(str(binaries / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
               *(["--no-sync"] if fast else []), "--no-instructions")
    try:
        server.start()
    except Exception:
        server.stop()
        raise
    return server
