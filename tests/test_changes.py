"""The process's hub of class versions (sessions/changes.py): publish from any thread, watchers on an asyncio loop
told the current value and then only rises, coalesced, and forgotten when they go away."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time

from sourcecheck.sessions.changes import Changes, Topic

STATE = Topic("state", 7)
ROOM = Topic("room", 7)
WAIT = 5.0  # seconds before a missing value counts as never arriving: a wait for an event, not a sleep


async def _next(versions: object) -> int:
    return await asyncio.wait_for(versions.__anext__(), WAIT)  # type: ignore[attr-defined]


def test_publish_keeps_the_largest() -> None:
    hub = Changes()
    assert hub.current(STATE) is None
    hub.publish(STATE, 3)
    hub.publish(STATE, 2)
    assert hub.current(STATE) == 3
    assert hub.current(Topic("state", 8)) is None


def test_a_watcher_gets_the_current_value_then_rises_only() -> None:
    hub = Changes()

    async def run() -> list[int]:
        hub.publish(STATE, 5)
        seen = []
        async with contextlib.aclosing(hub.watch(STATE)) as versions:
            seen.append(await _next(versions))
            hub.publish(STATE, 4)  # lower: nothing
            hub.publish(STATE, 5)  # the same: nothing
            hub.publish(STATE, 6)
            seen.append(await _next(versions))
        return seen

    assert asyncio.run(run()) == [5, 6]


def test_a_watcher_of_a_topic_without_a_value_waits_for_the_first() -> None:
    hub = Changes()

    async def run() -> int:
        async with contextlib.aclosing(hub.watch(STATE)) as versions:
            pending = asyncio.ensure_future(_next(versions))
            await asyncio.sleep(0)  # let the watcher register (one loop turn, not a timed wait)
            hub.publish(STATE, 1)
            return await pending

    assert asyncio.run(run()) == 1


def test_publish_from_other_threads_wakes_the_loop() -> None:
    hub = Changes()

    async def run() -> list[int]:
        seen: list[int] = []
        async with contextlib.aclosing(hub.watch(STATE)) as versions:
            threads = [threading.Thread(target=hub.publish, args=(STATE, n)) for n in range(1, 51)]
            for t in threads:
                t.start()
            while not seen or seen[-1] < 50:
                seen.append(await _next(versions))
            for t in threads:
                t.join()
        return seen

    seen = asyncio.run(run())
    assert seen[-1] == 50
    assert seen == sorted(set(seen))  # strictly rising: never a number twice, never a lower one


def test_a_slow_watcher_gets_the_latest_not_a_backlog() -> None:
    hub = Changes()

    async def run() -> list[int]:
        hub.publish(STATE, 1)
        async with contextlib.aclosing(hub.watch(STATE)) as versions:
            first = await _next(versions)
            for n in range(2, 1001):  # a thousand rises while the watcher is busy elsewhere
                hub.publish(STATE, n)
            return [first, await _next(versions)]

    assert asyncio.run(run()) == [1, 1000]


def test_many_watchers_on_many_topics() -> None:
    hub = Changes()
    topics = [Topic("state", n) for n in range(20)]

    async def follow(topic: Topic, count: int) -> int:
        async with contextlib.aclosing(hub.watch(topic)) as versions:
            last = 0
            while last < count:
                last = await _next(versions)
            return last

    async def run() -> list[int]:
        tasks = [asyncio.ensure_future(follow(t, 3)) for t in topics for _ in range(25)]
        while hub.watchers() < len(tasks):
            await asyncio.sleep(0)
        assert hub.watchers() == 500
        def publish_all() -> None:
            for v in (1, 2, 3):
                for t in topics:
                    hub.publish(t, v)

        publisher = threading.Thread(target=publish_all)
        publisher.start()
        done = await asyncio.wait_for(asyncio.gather(*tasks), WAIT)
        publisher.join()
        return done

    assert asyncio.run(run()) == [3] * 500
    assert hub.watchers() == 0


def test_a_watcher_that_goes_away_is_forgotten() -> None:
    hub = Changes()

    async def run() -> tuple[int, int, int]:
        hub.publish(STATE, 1)
        async with contextlib.aclosing(hub.watch(STATE)) as versions:
            await _next(versions)
            during = hub.watchers()
        after_close = hub.watchers()
        task = asyncio.ensure_future(_consume(hub))
        while hub.watchers() == 0:
            await asyncio.sleep(0)
        task.cancel()  # the client went away: its task is cancelled
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return during, after_close, hub.watchers()

    assert asyncio.run(run()) == (1, 0, 0)
    hub.publish(STATE, 2)  # nobody left to wake: no error


async def _consume(hub: Changes) -> None:
    async for _ in hub.watch(STATE):
        pass


def test_a_room_rises_on_every_bump_and_starts_from_the_clock() -> None:
    hub = Changes()
    before = time.time_ns() // 1_000_000
    first = hub.bump_room(7)
    second = hub.bump_room(7)
    assert first >= before and second > first
    assert hub.current(ROOM) == second
    assert hub.current(STATE) is None  # a room bump is not a state change


def test_a_closed_loop_does_not_break_publishing() -> None:
    hub = Changes()

    async def register() -> None:
        versions = hub.watch(STATE)
        task = asyncio.ensure_future(versions.__anext__())
        await asyncio.sleep(0)
        assert hub.watchers() == 1
        task.cancel()

    loop = asyncio.new_event_loop()
    loop.run_until_complete(register())
    loop.close()
    hub.publish(STATE, 1)  # its watcher's loop is closed: skipped, not raised


def test_publish_says_whether_the_number_rose() -> None:
    hub = Changes()
    assert hub.publish(STATE, 2) is True
    assert hub.publish(STATE, 2) is False
    assert hub.publish(STATE, 1) is False
    assert hub.publish(STATE, 3) is True


def test_a_watcher_on_a_closed_loop_is_dropped_at_the_next_publish() -> None:
    """A server's loop that closed with a stream still registered (its generator never finalised): the watcher can
    never run again, and must not be counted (the load harness and limits read watchers()) nor kept for ever."""
    hub = Changes()

    async def register() -> asyncio.Future[int]:
        task = asyncio.ensure_future(hub.watch(STATE).__anext__())
        await asyncio.sleep(0)
        return task  # still waiting when the loop closes

    loop = asyncio.new_event_loop()
    pending = loop.run_until_complete(register())
    loop.close()
    assert hub.watchers() == 1
    hub.publish(STATE, 1)
    assert hub.watchers() == 0
    del pending


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_hub_forgets_topics_idle_for_an_hour_and_keeps_watched_ones() -> None:
    """A class closed or deleted an hour ago, with no page following it, is forgotten; a watched one is kept
    however old, and so is one that rose within the hour. The catch-up's every-30-s read of a class that did not
    change keeps nothing alive."""
    clock = FakeClock()
    hub = Changes(forget_seconds=3600, clock=clock)
    closed, deleted, watched, recent = (Topic("state", n) for n in (1, 2, 3, 4))
    hub.publish(closed, 5)
    hub.publish(deleted, 9)
    hub.bump_room(1)

    async def run() -> int:
        hub.publish(watched, 1)
        async with contextlib.aclosing(hub.watch(watched)) as versions:
            await _next(versions)
            clock.now += 3000
            hub.publish(recent, 1)
            hub.publish(closed, 5)  # the periodic catch-up reading the same number again
            clock.now += 601  # an hour and a minute after the others rose
            gone = hub.forget()
            assert hub.current(watched) == 1  # followed: kept
        return gone

    assert asyncio.run(run()) == 3  # closed, deleted and the closed class's room
    assert hub.current(closed) is None and hub.current(deleted) is None and hub.current(Topic("room", 1)) is None
    assert hub.current(recent) == 1
    assert hub.topics() == 2  # the watched one (its page left just now) and the recent one
    clock.now += 3600
    assert hub.forget() == 2 and hub.topics() == 0


def test_the_hub_forgets_by_itself_on_a_publish() -> None:
    clock = FakeClock()
    hub = Changes(forget_seconds=3600, clock=clock)
    for n in range(1, 1001):
        hub.publish(Topic("state", n), 1)
    clock.now += 3600
    hub.publish(STATE, 8)  # no explicit forget(): a publish after the minute sweeps
    assert hub.topics() == 1


def test_a_forgotten_room_comes_back_above_any_number_drawn_from_it() -> None:
    clock = FakeClock()
    hub = Changes(forget_seconds=3600, clock=clock)
    drawn = hub.bump_room(7)
    clock.now += 3600
    hub.forget()
    assert hub.current(ROOM) is None
    assert hub.bump_room(7) > drawn
