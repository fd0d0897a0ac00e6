"""The throwaway PostgreSQL and `make cluster`'s database: durable unless the fast settings are asked for by name,
and N processes' pools (plus one listener connection each) checked against max_connections before anything starts.

Published figures run on these servers (bench/load, bench/reveal_latency.py), so what the server was started with
is read back from PostgreSQL itself, not only from the command line it was given.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import TEST_MAX_CONNECTIONS, find_binaries, start_postgres

from deploy import postgres
from deploy.cluster import (
    NGINX,
    Cluster,
    DatabaseSettings,
    Refused,
    TooFewConnections,
    check_fits,
    database_lines,
    pool_of,
    read_settings,
)
from sourcecheck.lessons.paths import PROJECT_ROOT

FAST_OFF = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


def settings(max_connections: int, reserved: int = 3, *, durable: bool = True) -> DatabaseSettings:
    return DatabaseSettings(max_connections, reserved, fsync=durable, synchronous_commit=durable,
                            full_page_writes=durable)


def test_max_connections_needed_counts_pools_listeners_the_operator_and_the_superuser_reserve() -> None:
    # N x (pool + overflow + 1 listener) + 5 for the operator + 3 reserved for superusers
    assert postgres.connections_needed(2, 10, 20) == 2 * 31 + 5 + 3 == 70
    assert postgres.connections_needed(4, 10, 20) == 132
    assert postgres.connections_needed(4, 5, 15) == 92


def test_pools_that_fit_exactly_are_accepted_and_the_sum_is_shown() -> None:
    said = check_fits(4, 5, 15, settings(92))  # 4 x 21 + 5 = 89 = 92 - 3
    assert "4 x (SOURCECHECK_DB_POOL_SIZE=5 + SOURCECHECK_DB_MAX_OVERFLOW=15 + 1 listener) = 84" in said
    assert "= 89" in said


def test_pools_one_connection_too_many_are_refused_naming_the_variables() -> None:
    with pytest.raises(TooFewConnections) as refused:
        check_fits(4, 10, 20, settings(100))  # PostgreSQL's default: 97 for the app, 4 x 31 + 5 = 129 needed
    message = str(refused.value)
    for name in ("SOURCECHECK_DB_POOL_SIZE", "SOURCECHECK_DB_MAX_OVERFLOW", "max_connections"):
        assert name in message
    assert "allows 97" in message and "= 129" in message and "at least 132" in message
    with pytest.raises(TooFewConnections):
        check_fits(4, 5, 15, settings(91))
    with pytest.raises(TooFewConnections):  # reserved_connections (PostgreSQL 16) counts against the app too
        check_fits(4, 5, 15, settings(92, reserved=4))


def test_the_pool_is_read_from_the_processes_environment() -> None:
    assert pool_of({}) == (10, 20)  # sourcecheck/db/engine.py's defaults
    assert pool_of({"SOURCECHECK_DB_POOL_SIZE": "5", "SOURCECHECK_DB_MAX_OVERFLOW": "0"}) == (5, 0)
    for name, value in (("SOURCECHECK_DB_POOL_SIZE", "0"), ("SOURCECHECK_DB_POOL_SIZE", "ten"),
                        ("SOURCECHECK_DB_MAX_OVERFLOW", "-1")):
        with pytest.raises(TooFewConnections, match=name):
            pool_of({name: value})


def test_durable_is_the_default_on_the_pg_ctl_command_line() -> None:
    server = postgres.PostgresServer(Path("/usr/lib/postgresql/15/bin"), Path("/tmp/x"), 5555, [],
                                     max_connections=70)
    options = server.options()
    assert not any(off in options for off in FAST_OFF)
    assert "-c max_connections=70" in options and "-p 5555" in options
    fast = postgres.PostgresServer(server.bin, server.folder, 5555, [], max_connections=70, fast=True).options()
    assert all(f"-c {off}" in fast for off in FAST_OFF)
    unsized = postgres.PostgresServer(server.bin, server.folder, 5555, []).options()
    assert "max_connections" not in unsized  # PostgreSQL's own default, 100, as on a new school server


@pytest.fixture(scope="module")
def durable_server() -> Iterator[postgres.PostgresServer]:
    if find_binaries() is None:
        start_postgres()  # skips, or fails in CI, saying how to install PostgreSQL
    server = postgres.start(max_connections=30)
    try:
        yield server
    finally:
        server.stop()


def test_a_server_started_by_default_keeps_commits_and_has_the_limit_asked_for(
        durable_server: postgres.PostgresServer) -> None:
    got = read_settings(durable_server.url())
    assert got.durable and got.fsync and got.synchronous_commit and got.full_page_writes
    assert got.max_connections == 30
    assert "durable" in got.describe() and "FAST" not in got.describe()


def test_the_tests_server_runs_fast_by_name_and_every_cluster_line_says_so() -> None:
    server = start_postgres()
    try:
        got = read_settings(server.url())
        assert not got.fsync and not got.synchronous_commit and not got.full_page_writes
        assert got.max_connections == TEST_MAX_CONNECTIONS
        cluster = Cluster(2, server.url(), fast=True, pg=server, settings=got,
                          sizing=check_fits(2, 10, 20, got))
        lines = database_lines(cluster)
        assert lines and all("FAST: fsync off, not durable" in line for line in lines), lines
    finally:
        server.stop()


def test_a_cluster_whose_pools_do_not_fit_refuses_before_any_process_starts(
        durable_server: postgres.PostgresServer) -> None:
    database = durable_server.create_database("too_small")
    cluster = Cluster(2, database, env={"SOURCECHECK_DB_POOL_SIZE": "10", "SOURCECHECK_DB_MAX_OVERFLOW": "20"})
    with pytest.raises(TooFewConnections, match="SOURCECHECK_DB_MAX_OVERFLOW"):
        cluster.start()  # 2 x 31 + 5 = 67 > 30 - 3
    assert cluster.servers == [] and cluster.nginx is None
    with pytest.raises(Refused, match="FAST applies to the throwaway PostgreSQL only"):
        Cluster(2, database, fast=True).start()


def _make_cluster(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
    return subprocess.Popen([sys.executable, str(PROJECT_ROOT / "deploy" / "cluster.py"), *args], cwd=PROJECT_ROOT,
                            env=base | env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_make_cluster_refuses_pools_too_big_for_database_url_with_the_variables_named(
        durable_server: postgres.PostgresServer) -> None:
    run = _make_cluster("--processes", "2", env={"DATABASE_URL": durable_server.url()})
    out, err = run.communicate(timeout=60)
    assert run.returncode == 2, (out, err)
    assert "SOURCECHECK_DB_POOL_SIZE" in err and "SOURCECHECK_DB_MAX_OVERFLOW" in err and "Traceback" not in err


def test_make_cluster_fast_says_fast_on_every_database_line() -> None:
    if not NGINX.exists() or find_binaries() is None:
        pytest.skip("needs Debian's nginx and PostgreSQL (`make test` installs them)")
    run = _make_cluster("--processes", "1", "--fast", env={})
    assert run.stdout is not None
    lines: list[str] = []
    try:
        for line in run.stdout:  # the address line comes last, once everything answers
            lines.append(line.rstrip())
            if line.startswith("SourceCheck: "):
                break
    finally:
        run.send_signal(signal.SIGTERM)  # as soon as the address is printed: it stops everything it started
        _, err = run.communicate(timeout=60)
    assert run.returncode == 0, err
    address = lines[-1].split()[1]
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{address}/_stcore/health", timeout=5)
    about_database = [line for line in lines if line.startswith("Database")]
    assert len(about_database) == 2, lines
    assert all("FAST: fsync off, not durable" in line for line in about_database), lines
    assert "max_connections 39," in about_database[1], lines  # 1 x (10 + 20 + 1) + 5 + 3, as sized
