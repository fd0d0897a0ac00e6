"""How pages learn that their class changed: SOURCECHECK_LIVE, read here and nowhere else.

- `push` (the default): the page follows the class's event stream (ui/event_route.py) and reruns when told;
  no timer. A stream that cannot open makes that one page poll by itself, so push is always safe to leave on.
- `poll`: every live page reruns on a timer (SOURCECHECK_POLL_SECONDS), as before push existed: the load
  harness's baseline, and an operator's switch for a proxy that cannot pass the event route.

A value that is neither is logged (once per process, naming the variable and what it holds) and push is used: a
typo must not quietly put a school back on polling.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Literal

__all__ = ["LIVE_ENV", "LiveMode", "live_mode"]

LIVE_ENV = "SOURCECHECK_LIVE"
LiveMode = Literal["push", "poll"]
_LOG = logging.getLogger(__name__)


def live_mode() -> LiveMode:
    return _mode(os.environ.get(LIVE_ENV, ""))


@cache  # read on every rerun: the environment lookup is cheap, the warning is once per value
def _mode(raw: str) -> LiveMode:
    value = raw.strip().lower()
    if value in ("", "push"):
        return "push"
    if value == "poll":
        return "poll"
    _LOG.warning("%s is %r, which is neither 'push' nor 'poll': using push (the default).", LIVE_ENV, raw)
    return "push"
