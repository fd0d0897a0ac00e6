"""Reveal/Next to every phone's changed screen, in real browsers: `python -m bench.reveal_latency`.

The teacher clicks on the projector page (Chromium); N phones (Chromium pages, one browser context each, as
N devices) sit on the class page. Each phone records, with the machine's clock, the moment its page first
shows what the click changed ("Question k of n" after Next, the closed-question notice after Reveal); the
figure is that moment minus the moment of the click. One run measures every app folder given with --apps
side by side (the same class sizes, the same lesson, each on its own durable PostgreSQL: fsync and
synchronous commit on), so a change is judged by the ratio in one run, never against an old figure.

Phones do not answer: what is measured is how fast a change reaches a screen, which is the class page's push
(or, with SOURCECHECK_LIVE=poll, its run_every poll) plus one run of the page; answering adds writes that
`bench/load` measures. `--modes push,poll` measures each app folder in both modes side by side (issue 21), on a
server of its own each; `--classes N` runs N classes one after the other for more reveals (a lesson's questions
each reveal once).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load.harness import LESSON, PASSCODE, percentile  # noqa: E402
from bench.server import Server  # noqa: E402
from deploy import postgres  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
REVEALED = "The answers have been shown"

# Each phone notes when a marker first appears in its page's text (textContent: no layout, cheap on 30 pages).
WATCH = """() => {
    window.__scSeen = {};
    window.__scMarker = null;
    const look = () => {
        const m = window.__scMarker;
        if (m && !(m in window.__scSeen) && document.body && document.body.textContent.includes(m)) {
            window.__scSeen[m] = Date.now();
        }
    };
    window.__scLook = look;
    new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
}"""

# Run with the app folder's own code, so each version creates its class with its own store and schema.
START_CLASS = """import sys
from bench.load.harness import start_class
session_id, code = start_class(sys.argv[1])
print(session_id, code)
"""


@dataclass
class Samples:
    next: list[float] = field(default_factory=list)
    reveal: list[float] = field(default_factory=list)


async def settle(page: Any) -> None:
    await page.wait_for_selector(IDLE, timeout=60_000)


async def join(browser: Any, url: str, code: str, n: int) -> Any:
    context = await browser.new_context(viewport={"width": 390, "height": 844})
    page = await context.new_page()
    await page.goto(f"{url}/join?code={code}")
    await settle(page)
    await page.get_by_label("Your name").fill(f"Phone {n + 1}")
    await page.get_by_role("button", name="Join").click()
    await page.wait_for_url("**/class**", timeout=60_000)
    await settle(page)
    await page.evaluate(WATCH)
    return page


async def seen(phones: list[Any], marker: str, clicked_ms: float, limit: float = 60.0) -> list[float]:
    """Seconds from the click to each phone's first sight of `marker`."""
    deadline = time.monotonic() + limit
    times: dict[int, float] = {}
    while len(times) < len(phones):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(phones) - len(times)} phones never showed {marker!r}")
        for i, phone in enumerate(phones):
            if i not in times:
                at = await phone.evaluate("(m) => { window.__scLook(); return window.__scSeen[m] ?? null; }", marker)
                if at is not None:
                    times[i] = (at - clicked_ms) / 1000
        await asyncio.sleep(0.05)  # how often the bench looks, not part of the figure (the page stamps the time)
    return [times[i] for i in range(len(phones))]


async def click(projector: Any, phones: list[Any], button: str, marker: str) -> list[float]:
    for phone in phones:  # each phone done with its last run, and not holding an earlier sighting of the marker
        await settle(phone)
        await phone.evaluate("(m) => { delete window.__scSeen[m]; window.__scMarker = m; window.__scLook(); }",
                             marker)
    clicked_ms = time.time() * 1000
    await projector.get_by_role("button", name=button, exact=True).click()
    result = await seen(phones, marker, clicked_ms)
    await settle(projector)
    return result


async def one_class(url: str, session_id: int, code: str, phones_n: int, questions: int) -> Samples:
    from playwright.async_api import async_playwright

    samples = Samples()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        teacher = await (await browser.new_context(viewport={"width": 1920, "height": 1080})).new_page()
        await teacher.goto(f"{url}/projector?session={session_id}")
        await settle(teacher)
        await teacher.get_by_label("Teacher passcode").fill(PASSCODE)
        await teacher.get_by_role("button", name="Sign in").click()
        await teacher.get_by_role("button", name="Start", exact=True).wait_for(timeout=60_000)
        phones = [await join(browser, url, code, n) for n in range(phones_n)]
        button = "Start"
        for k in range(1, questions + 1):
            samples.next += await click(teacher, phones, button, f"Question {k} of {questions}")
            samples.reveal += await click(teacher, phones, "Reveal the answers", REVEALED)
            button = "Next question"
        await browser.close()
    return samples


def measure(app: Path, phones: int, mode: str = "", classes: int = 1) -> Samples:
    from bench.load.harness import load_lesson

    questions = len(load_lesson().lesson.questions)
    pg = postgres.start(durable=True)
    state = Path(tempfile.mkdtemp(prefix="sourcecheck-latency-"))
    try:
        database = pg.create_database("latency")
        env = {"DATABASE_URL": database, "SOURCECHECK_TEACHER_PASSCODE": PASSCODE, "SOURCECHECK_STATE": str(state)}
        if mode:
            env["SOURCECHECK_LIVE"] = mode
        base = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCECHECK_", "DATABASE_URL"))}
        server = Server(app / "app.py", app, ["--server.fileWatcherType=none"], env=env, base_env=base,
                        log_dir=state)
        server.start().wait_ready(90)
        try:
            samples = Samples()
            for _ in range(classes):
                made = subprocess.run([sys.executable, "-c", START_CLASS, database], cwd=app, capture_output=True,
                                      text=True, check=True, env=base | {"PYTHONPATH": str(app)})
                session_id, code = made.stdout.split()
                got = asyncio.run(one_class(server.url, int(session_id), code, phones, questions))
                samples.next += got.next
                samples.reveal += got.reveal
            return samples
        finally:
            server.stop()
    finally:
        pg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", default="4,30", help="phones per class, comma-separated")
    parser.add_argument("--apps", default=str(ROOT), help="app folders to compare (a checkout each), comma-separated")
    parser.add_argument("--modes", default="", help="SOURCECHECK_LIVE values to compare, e.g. push,poll "
                        "(default: the app's own default)")
    parser.add_argument("--classes", type=int, default=1, help="classes run one after another per measurement")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()] or [""]
    apps = [Path(a).resolve() for a in args.apps.split(",")]
    print(f"lesson {LESSON}; PostgreSQL {postgres.find_binaries()} with fsync on; {os.cpu_count()} cores")
    print("app,mode,phones,event,samples,median_s,p95_s,max_s")
    for phones in [int(n) for n in args.students.split(",")]:
        for app in apps:
            for mode in modes:
                got = measure(app, phones, mode, args.classes)
                for event, values in (("next", got.next), ("reveal", got.reveal)):
                    print(f"{app.name},{mode or 'default'},{phones},{event},{len(values)},{percentile(values, 50):.2f},"
                          f"{percentile(values, 95):.2f},{max(values):.2f}", flush=True)


if __name__ == "__main__":
    main()
