"""A throwaway PostgreSQL server for the tests: deploy/postgres.py (Debian's binaries, a temporary cluster, a free
loopback port), and what a missing server means here.

`make test` installs Debian's postgresql when it is missing. In CI (CI=true) a missing server fails the
run: a skipped PostgreSQL test there would hide a broken store.

The tests ask for the fast settings by name (fsync, synchronous_commit, full_page_writes off): nothing they
write is kept, no figure is published from them, and CI time matters. Every published figure runs on
deploy/postgres.py's durable default instead.
"""

from __future__ import annotations

import os

import pytest

from deploy.postgres import PostgresServer, connections_needed, find_binaries, start

__all__ = ["PostgresServer", "TEST_MAX_CONNECTIONS", "find_binaries", "start_postgres"]

# One server serves a whole test session: the test process's stores (a pool each, some closed only when
# garbage-collected), the app servers of the browser tests and a two-process cluster behind nginx, at once. Room
# for eight app processes with the default pools (256; the suite ran on a fixed 300 before) is an estimate with a
# margin, not a measured peak; unused slots cost the server a little memory, not time.
TEST_MAX_CONNECTIONS = connections_needed(processes=8, pool_size=10, max_overflow=20)


def start_postgres() -> PostgresServer:
    binaries = find_binaries()
    if binaries is None:
        message = "PostgreSQL is not installed: `make test` installs Debian's postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return start(binaries, fast=True, max_connections=TEST_MAX_CONNECTIONS)
