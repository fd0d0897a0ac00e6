"""A throwaway PostgreSQL server for the tests: deploy/postgres.py (Debian's binaries, a temporary cluster, a free
loopback port), and what a missing server means here.

`make test` installs Debian's postgresql when it is missing. In CI (CI=true) a missing server fails the
run: a skipped PostgreSQL test there would hide a broken store.
"""

from __future__ import annotations

import os

import pytest

from deploy.postgres import PostgresServer, find_binaries, start

__all__ = ["PostgresServer", "find_binaries", "start_postgres"]


def start_postgres() -> PostgresServer:
    binaries = find_binaries()
    if binaries is None:
        message = "PostgreSQL is not installed: `make test` installs Debian's postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return start(binaries)
