"""Limits on wrong join codes, kept in the database so that every server process sees the same counts.

Join codes are short enough to read off a projector, so guessing must be made slow on the server
(db/codes.py and docs/security.md give the arithmetic). What the limits are keyed on must be something a
client cannot change cheaply, and they must never lock a student out of a class they belong to:

- the browser tab's Streamlit session (an id the server makes; a URL token such as `s=` is the client's own
  choice and is no key): 10 wrong codes in 10 minutes, then that tab is refused, right code or not, so it
  cannot be used as an oracle. Only the guesser's own tab is refused;
- the client's network address (behind a proxy, the address the proxy forwarded): past 30 wrong codes in 10
  minutes every code that address tries waits, longer the more it has guessed, one guess at a time per
  process. It is never refused: a whole school behind one NAT address must still get in, only slower;
- every wrong code on every process: past 60 a minute, the wait grows for every guesser that has a wrong code
  on record, wherever it comes from. A right code from a tab and an address with no wrong code never waits.

A student already in the class never reaches these limits (ui/class_state.py checks that first).
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from ipaddress import IPv6Address, ip_address, ip_network

from sourcecheck.sessions.store import Store

__all__ = ["ANY", "Guesser", "JoinLimits", "address_key", "session_key"]

ANY = "any"  # the key every wrong code is recorded under as well


@dataclass(frozen=True)
class Guesser:
    """Who is trying a code, as the server knows it: not what the client put in its URL."""

    session: str  # the Streamlit session id of the browser tab (made by the server)
    address: str  # the client's network address; "loopback" for this machine, "unknown" when not known


def session_key(session: str) -> str:
    return f"session:{session}"[:128]


def address_key(address: str) -> str:
    """An IPv6 client holds a whole /64 (it can pick any address in it), so the /64 is the key."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return f"address:{address}"[:128]
    if isinstance(parsed, IPv6Address):
        if parsed.ipv4_mapped is not None:
            return f"address:{parsed.ipv4_mapped}"
        return f"address:{ip_network(f'{parsed}/64', strict=False)}"
    return f"address:{parsed}"


@dataclass(frozen=True)
class Verdict:
    refused_for: float = 0.0  # > 0: this tab may not try for this many seconds
    wait: float = 0.0  # seconds to wait before the code is looked up


class JoinLimits:
    """The policy; the counts are the store's `join_guesses` rows. `clock` and `sleep` are the test's to move."""

    def __init__(self, *, per_session: int = 10, session_window: float = 600.0, per_address: int = 30,
                 address_window: float = 600.0, free_per_minute: int = 60, step: float = 0.1,
                 max_wait: float = 3.0, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 sleep: Callable[[float], None] = time.sleep, prune_batch: int = 500) -> None:
        self.per_session, self.session_window = per_session, session_window
        self.per_address, self.address_window = per_address, address_window
        self.free_per_minute, self.step, self.max_wait = free_per_minute, step, max_wait
        self.clock, self.sleep, self.prune_batch = clock, sleep, prune_batch
        # One guess at a time per address in this process: a guesser with many tabs waits in line, so an
        # address gets at most one answer per `wait` from each process. Striped: memory stays bounded.
        self._gates = [threading.Lock() for _ in range(64)]

    @property
    def longest_window(self) -> float:
        return max(self.session_window, self.address_window, 60.0)

    def verdict(self, store: Store, guesser: Guesser) -> Verdict:
        """Whether this tab may try a code now, and how long it must wait first: three counts, one query."""
        now = self.clock()
        session, address = session_key(guesser.session), address_key(guesser.address)
        mine, theirs, everyone = store.guess_counts([
            (session, now - timedelta(seconds=self.session_window)),
            (address, now - timedelta(seconds=self.address_window)),
            (ANY, now - timedelta(seconds=60))])
        if mine >= self.per_session:
            return Verdict(refused_for=self.session_window)  # at most this long: the oldest may go sooner
        if mine == 0 and theirs == 0:
            return Verdict()  # no wrong code on record from this tab or this address: no wait
        excess = max(0, theirs - self.per_address + 1) + max(0, everyone - self.free_per_minute + 1)
        return Verdict(wait=min(self.max_wait, self.step * excess))

    def wait_then(self, guesser: Guesser, wait: float, look_up: Callable[[], bool]) -> bool:
        """Wait, holding this address's gate, then look the code up (True: it was right). The wait comes
        before the code is even read, so a right and a wrong code take the same time: no shortcut in it."""
        if wait <= 0:
            return look_up()
        gate = self._gates[zlib.crc32(address_key(guesser.address).encode()) % len(self._gates)]
        with gate:
            self.sleep(wait)
            return look_up()

    def wrong(self, store: Store, guesser: Guesser) -> None:
        """Record a wrong code under the tab, the address and everyone; then drop a few expired rows."""
        now = self.clock()
        store.record_guesses([session_key(guesser.session), address_key(guesser.address), ANY], now)
        store.prune_guesses(now - timedelta(seconds=self.longest_window), self.prune_batch)
