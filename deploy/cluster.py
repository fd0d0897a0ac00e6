"""`make cluster N=2`: N `streamlit run app.py` processes behind nginx on one PostgreSQL, on this machine.

The scale-out path of docs/deploy.md in one command: a throwaway PostgreSQL cluster (or DATABASE_URL,
when set), N app processes on free loopback ports sharing it and one cookie secret, and nginx with
deploy/nginx.conf in front (sticky sessions by cookie, websocket upgrade). It prints the address and
runs until Ctrl-C. The load harness and the tests use `Cluster` the same way.

The throwaway PostgreSQL is durable (fsync and synchronous commit on, as a school's server runs) unless
`make cluster FAST=1` asks for the fast settings, and then every line about the database says so. Before any
app process starts, the database's max_connections is checked against what N processes can open (their pools,
SOURCECHECK_DB_POOL_SIZE + SOURCECHECK_DB_MAX_OVERFLOW, and one listener connection each, plus room for the
operator): a cluster that would run out of connections mid-class refuses to start and says which variable to
change. The throwaway server is sized to fit (deploy/postgres.py); DATABASE_URL's server is read.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import Server, free_port  # noqa: E402
from deploy import postgres  # noqa: E402
from sourcecheck.db.engine import MAX_OVERFLOW, MAX_OVERFLOW_ENV, POOL_SIZE, POOL_SIZE_ENV  # noqa: E402

__all__ = ["NGINX", "Cluster", "DatabaseSettings", "Nginx", "Refused", "TooFewConnections", "check_fits", "pool_of",
           "read_settings", "render_config"]

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"


def render_config(run: Path, listen: str, ports: list[int]) -> str:
    upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("{{RUN}}", str(run)).replace("{{LISTEN}}", listen).replace("{{UPSTREAMS}}", upstreams)


class Refused(RuntimeError):
    """The cluster will not start as asked (before anything started); the message says why and what to change."""


class TooFewConnections(Refused):
    """N processes' pools (and listeners) would not fit the database's max_connections; the message says what
    to change."""


def pool_of(env: Mapping[str, str]) -> tuple[int, int]:
    """(pool size, max overflow) each app process will use, from the environment it is started with (the rules
    of sourcecheck/db/engine.py: unset is the default; a value the app would refuse is refused here first)."""
    def number(name: str, default: int, least: int) -> int:
        raw = env.get(name, "").strip()
        if not raw:
            return default
        if not raw.isdigit() or int(raw) < least:
            raise TooFewConnections(f"{name} must be a whole number of at least {least} (it is {raw!r}); "
                                    f"unset it for the default, {default}.")
        return int(raw)
    return number(POOL_SIZE_ENV, POOL_SIZE, 1), number(MAX_OVERFLOW_ENV, MAX_OVERFLOW, 0)


@dataclass(frozen=True)
class DatabaseSettings:
    """What a PostgreSQL server says about itself (pg_settings): its connection limit and how it keeps commits."""

    max_connections: int
    reserved: int  # superuser_reserved_connections (+ reserved_connections from PostgreSQL 16): not for the app
    fsync: bool
    synchronous_commit: bool
    full_page_writes: bool

    @property
    def durable(self) -> bool:
        return self.fsync and self.synchronous_commit and self.full_page_writes

    def describe(self, *, short: bool = False) -> str:
        """For every line about the database: durable, or FAST and what is off (`short`: the first setting only)."""
        if self.durable:
            return "durable" if short else "durable: fsync, synchronous_commit and full_page_writes on"
        off = [name for name, on in (("fsync", self.fsync), ("synchronous_commit", self.synchronous_commit),
                                     ("full_page_writes", self.full_page_writes)) if not on]
        also = "" if short or not off[1:] else f"; {' and '.join(off[1:])} off too"
        return f"FAST: {off[0]} off, not durable{also}"


def read_settings(url: str) -> DatabaseSettings:
    """Ask the server at `url` for its limit and durability settings (one connection, closed at once)."""
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', "
                "'superuser_reserved_connections', 'reserved_connections', 'fsync', 'synchronous_commit', "
                "'full_page_writes')")).all()
    finally:
        engine.dispose()
    got = {str(name): str(setting) for name, setting in rows}
    return DatabaseSettings(
        max_connections=int(got["max_connections"]),
        reserved=int(got["superuser_reserved_connections"]) + int(got.get("reserved_connections", "0")),
        fsync=got["fsync"] == "on", synchronous_commit=got["synchronous_commit"] != "off",
        full_page_writes=got["full_page_writes"] == "on")


def check_fits(processes: int, pool_size: int, max_overflow: int, settings: DatabaseSettings) -> str:
    """Refuse (TooFewConnections) when `processes` app processes could open more connections than the server
    lets the app have: N x (pool + overflow + 1 listener) + a few for the operator must not exceed
    max_connections less the slots reserved for superusers. Otherwise the sum, in words, for the output."""
    per_process = pool_size + max_overflow + postgres.LISTENERS_PER_PROCESS
    app = processes * per_process
    needed = app + postgres.OPERATOR_CONNECTIONS
    room = settings.max_connections - settings.reserved
    sum_ = (f"{processes} x ({POOL_SIZE_ENV}={pool_size} + {MAX_OVERFLOW_ENV}={max_overflow} + "
            f"{postgres.LISTENERS_PER_PROCESS} listener) = {app}, + {postgres.OPERATOR_CONNECTIONS} for the "
            f"operator = {needed}")
    if needed > room:
        raise TooFewConnections(
            f"The database allows {room} connections (max_connections {settings.max_connections} less "
            f"{settings.reserved} reserved for superusers), but {sum_}: the pools would run out mid-class. "
            f"Lower {POOL_SIZE_ENV} and/or {MAX_OVERFLOW_ENV}, run fewer processes, or raise max_connections to "
            f"at least {needed + settings.reserved} (docs/deploy.md, \"Database connections\").")
    return f"max_connections {settings.max_connections}, less {settings.reserved} reserved for superusers, fits {sum_}"


@dataclass
class Nginx:
    """Debian's nginx in the foreground with a config of its own, files under a temporary folder."""

    ports: list[int]
    port: int = 0
    run: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sourcecheck-nginx-")))
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Nginx:
        if not NGINX.exists():
            raise RuntimeError(f"{NGINX} is missing: `make nginx` installs Debian's nginx")
        self.port = self.port or free_port()
        self.run.chmod(0o755)  # nginx's workers run as an unprivileged user
        config = self.run / "nginx.conf"
        config.write_text(render_config(self.run, f"127.0.0.1:{self.port}", self.ports), encoding="utf-8")
        with open(self.run / "stdout.log", "wb") as log:
            self.proc = subprocess.Popen([str(NGINX), "-p", str(self.run), "-c", str(config)], stdout=log,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.run / 'error.log').read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not answer in 20 s")

    def spread_routes(self, count: int) -> list[str]:
        """`count` route cookies that nginx sends to its processes in turn (found by asking it, since the
        consistent hash is nginx's own): a test that needs a class on every process gets one, every time."""
        per: dict[str, list[str]] = {f"127.0.0.1:{port}": [] for port in self.ports}
        for i in range(64 * count):
            if all(len(routes) * len(per) >= count for routes in per.values()):
                break
            cookie = f"probe-{i}"
            request = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"sc_route={cookie}"})
            with urllib.request.urlopen(request, timeout=10) as r:
                r.read()
            upstream = self.upstreams().get(cookie, "")
            if upstream in per:
                per[upstream].append(cookie)
        lists = list(per.values())
        if not all(lists):
            raise RuntimeError(f"nginx sent every probe to one process: {per}")
        return [lists[i % len(lists)][(i // len(lists)) % len(lists[i % len(lists)])] for i in range(count)]

    def upstreams(self) -> dict[str, str]:
        """Route cookie -> the process that served it, read from nginx's access log (no response header
        tells a client which process answered)."""
        log = self.run / "upstream.log"
        routes: dict[str, str] = {}
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if log.exists() else []:
            route, _, upstream = line.partition(" ")
            if upstream and upstream != "-":
                routes[route] = upstream
        return routes

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish open requests, then exit
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.run, ignore_errors=True)


@dataclass
class Cluster:
    """N app processes on one database behind one nginx. `database`: a URL, or None for a throwaway PostgreSQL,
    durable unless `fast` and sized for the processes' pools."""

    processes: int = 2
    database: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path = ROOT
    fast: bool = False  # the throwaway PostgreSQL with fsync off: never for a figure to publish
    pg: postgres.PostgresServer | None = None
    servers: list[Server] = field(default_factory=list)
    nginx: Nginx | None = None
    settings: DatabaseSettings | None = None  # read from the server before the processes start
    sizing: str = ""  # check_fits's sum, for the output

    @property
    def url(self) -> str:
        assert self.nginx is not None
        return self.nginx.url

    @property
    def port(self) -> int:
        assert self.nginx is not None
        return self.nginx.port

    def start(self) -> Cluster:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
        base |= {k: v for k, v in os.environ.items() if k.startswith("SOURCECHECK_")}
        pool_size, max_overflow = pool_of(base | self.env)
        if self.fast and self.database is not None:
            raise Refused("FAST applies to the throwaway PostgreSQL only: a database given by URL keeps its "
                             "own settings (unset DATABASE_URL, or leave FAST out)")
        try:
            if self.database is None:
                self.pg = postgres.start(fast=self.fast, max_connections=postgres.connections_needed(
                    self.processes, pool_size, max_overflow))
                self.database = self.pg.create_database("sourcecheck")
            if self.database.startswith(("postgresql", "postgres:")):
                self.settings = read_settings(self.database)
                self.sizing = check_fits(self.processes, pool_size, max_overflow, self.settings)
            # One cookie secret for all: a cookie signed by one process (XSRF) is valid on the others.
            shared = {"DATABASE_URL": self.database, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
            logs = Path(tempfile.mkdtemp(prefix="sourcecheck-cluster-"))
            # the first process applies the migrations alone; the others start on an up-to-date schema
            first = Server(ROOT / "app.py", self.workdir, env=shared | self.env, base_env=base, log_dir=logs)
            self.servers = [first.start().wait_ready()]
            self.servers += [Server(ROOT / "app.py", self.workdir, env=shared | self.env, base_env=base, log_dir=logs)
                             .start() for _ in range(self.processes - 1)]
            for server in self.servers[1:]:
                server.wait_ready()
            self.nginx = Nginx([s.port for s in self.servers]).start()
            return self
        except BaseException:  # SystemExit from SIGTERM too: stop what has started
            self.stop()
            raise

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for server in self.servers:
            server.stop()
        if self.pg is not None:
            self.pg.stop()


def database_lines(cluster: Cluster) -> list[str]:
    """What `make cluster` prints about the database: each line names its durability (FAST when it is not)."""
    if cluster.settings is None:
        return [f"Database: {cluster.database} (not PostgreSQL: no pools to size)"]
    where = "a throwaway PostgreSQL" if cluster.pg else "DATABASE_URL"
    kept = cluster.settings.describe()
    return [f"Database: {where}, {kept}.",
            f"Database connections, {cluster.settings.describe(short=True)}: {cluster.sizing}."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--processes", type=int, default=2)
    parser.add_argument("--fast", action="store_true",
                        help="the throwaway PostgreSQL with fsync, synchronous_commit and full_page_writes off: "
                             "quicker, not durable, never for figures to publish")
    args = parser.parse_args()
    cluster = Cluster(args.processes, os.environ.get("DATABASE_URL") or None, fast=args.fast)
    # SIGTERM (and Ctrl-C) at any moment, even while starting, stops what has started: no PostgreSQL, nginx or
    # app process is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        try:
            cluster.start()
        except Refused as e:
            print(f"make cluster: {e}", file=sys.stderr, flush=True)
            sys.exit(2)
        ports = ", ".join(str(s.port) for s in cluster.servers)
        for line in database_lines(cluster):
            print(line, flush=True)
        many = args.processes != 1
        processes = f"{args.processes} process{'es' if many else ''} on port{'s' if many else ''}"
        print(f"SourceCheck: {cluster.url}  ({processes} {ports}, nginx in front). Ctrl-C stops it.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
