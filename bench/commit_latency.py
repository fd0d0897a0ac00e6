"""What durability costs one commit: `python -m bench.commit_latency`.

Starts two throwaway PostgreSQL servers side by side (deploy/postgres.py), one durable (its default: fsync,
synchronous_commit and full_page_writes on) and one with the fast settings the tests use, and times one-row
autocommit INSERTs over loopback, rounds interleaved so that both see the same machine. The ratio says how much
of a write is the wait for the disk here; docs/performance.md ("The database under each figure") quotes it.
PostgreSQL's own `pg_test_fsync` measures the disk alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from deploy import postgres  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--commits", type=int, default=200, help="commits per server per round")
    args = parser.parse_args()
    servers = {"durable": postgres.start(max_connections=20), "fast": postgres.start(max_connections=20, fast=True)}
    try:
        connections = {name: psycopg.connect(server.url(), autocommit=True) for name, server in servers.items()}
        for connection in connections.values():
            connection.execute("CREATE TABLE answers (id serial PRIMARY KEY, body text)")
        seconds: dict[str, list[float]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, connection in connections.items():
                for i in range(args.commits):
                    started = time.perf_counter()
                    connection.execute("INSERT INTO answers (body) VALUES (%s)", (f"answer {i}",))
                    seconds[name].append(time.perf_counter() - started)
        for connection in connections.values():
            connection.close()
    finally:
        for server in servers.values():
            server.stop()
    print(f"PostgreSQL {postgres.find_binaries()}; {os.cpu_count()} cores; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, times in seconds.items():
        print(f"{name}: {len(times)} commits, median / p95 / p99 "
              f"{percentile(times, 50) * 1000:.2f} / {percentile(times, 95) * 1000:.2f} / "
              f"{percentile(times, 99) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
