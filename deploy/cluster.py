"""`make cluster N=2`: N `streamlit run app.py` processes behind nginx on one PostgreSQL, on this machine.

The scale-out path of docs/deploy.md in one command: a throwaway PostgreSQL cluster (or DATABASE_URL,
when set), N app processes on free loopback ports sharing it and one cookie secret, and nginx with
deploy/nginx.conf in front (sticky sessions by cookie, websocket upgrade). It prints the address and
runs until Ctrl-C. The load harness and the tests use `Cluster` the same way.
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
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.server import Server, free_port  # noqa: E402
from deploy import postgres  # noqa: E402

__all__ = ["NGINX", "Cluster", "Nginx", "render_config"]

NGINX = Path("/usr/sbin/nginx")
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"


def render_config(run: Path, listen: str, ports: list[int]) -> str:
    upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=0;" for port in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    return text.replace("{{RUN}}", str(run)).replace("{{LISTEN}}", listen).replace("{{UPSTREAMS}}", upstreams)


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
    """N app processes on one database behind one nginx. `database`: a URL, or None for a throwaway PostgreSQL."""

    processes: int = 2
    database: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path = ROOT
    pg: postgres.PostgresServer | None = None
    servers: list[Server] = field(default_factory=list)
    nginx: Nginx | None = None

    @property
    def url(self) -> str:
        assert self.nginx is not None
        return self.nginx.url

    @property
    def port(self) -> int:
        assert self.nginx is not None
        return self.nginx.port

    def start(self) -> Cluster:
        try:
            if self.database is None:
                self.pg = postgres.start()
                self.database = self.pg.create_database("sourcecheck")
            # One cookie secret for all: a cookie signed by one process (XSRF) is valid on the others.
            shared = {"DATABASE_URL": self.database, "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(16)}
            base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
            base |= {k: v for k, v in os.environ.items() if k.startswith("SOURCECHECK_")}
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
        except Exception:
            self.stop()
            raise

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for server in self.servers:
            server.stop()
        if self.pg is not None:
            self.pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--processes", type=int, default=2)
    args = parser.parse_args()
    cluster = Cluster(args.processes, os.environ.get("DATABASE_URL") or None)
    cluster.start()
    try:
        ports = ", ".join(str(s.port) for s in cluster.servers)
        database = "a throwaway PostgreSQL" if cluster.pg else "DATABASE_URL"
        print(f"SourceCheck: {cluster.url}  ({args.processes} processes on ports {ports}, nginx in front, "
              f"{database}). Ctrl-C stops it.", flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
