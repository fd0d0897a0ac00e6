"""The soft timer's count down, on the projector and on the phones (sessions/timer.py says what it is for).

The server hands the component the seconds left when the page was drawn; the browser counts down from there by
itself (an st.components.v2 component, inline, no build step, no network). A per-second count down drawn by the
server would cost a rerun per second per phone; this costs none. The page is redrawn anyway when the teacher acts
(a move, +30 s, another choice: the class's state version changes), and that redraw hands over a fresh figure.
`stamp` (when the time runs out, as the store has it) tells a redraw of the same timer from a new one.
Nothing happens at zero but the words: "Time is up".
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

__all__ = ["countdown"]

_HTML = '<div class="tm" role="timer" aria-label="Time left"><span class="tm-value"></span> ' \
        '<span class="tm-word"></span></div>'
_CSS = """
.tm{display:inline-flex;align-items:baseline;gap:.4em;font-family:"Source Sans Pro",system-ui,sans-serif;color:#000;
  font-variant-numeric:tabular-nums;line-height:1.1;padding:.1em .5em;border:3px solid #000;border-radius:.4em;
  background:#fff}
.tm-value{font-weight:800}
.tm.tm-small{font-size:1.15rem;border-width:2px}
.tm.tm-big{font-size:2.4rem}
.tm.tm-up{background:#fff3bf}
"""
_JS = """
const TIMERS = new Map(); // component key -> {stamp, end}: a redraw of the same timer keeps counting from its end

export default function mount(component) {
  const { data, key, parentElement } = component;
  const root = parentElement.querySelector(".tm");
  if (!root || !data) return;
  const left = Math.max(0, Number(data.left) || 0);
  const stamp = String(data.stamp || "");
  let held = TIMERS.get(key);
  if (!held || held.stamp !== stamp) {
    held = { stamp, end: Date.now() + left * 1000 };
    TIMERS.set(key, held);
  }
  root.classList.toggle("tm-big", data.size === "big");
  root.classList.toggle("tm-small", data.size !== "big");
  const value = root.querySelector(".tm-value");
  const word = root.querySelector(".tm-word");
  const up = String(data.up || "Time is up");
  function draw() {
    const s = Math.max(0, Math.ceil((held.end - Date.now()) / 1000));
    value.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    word.textContent = s > 0 ? "left" : up;
    root.classList.toggle("tm-up", s === 0);
    root.dataset.left = String(s);
  }
  draw();
  const timer = setInterval(draw, 250);
  return () => clearInterval(timer);
}
"""

_mount = st.components.v2.component("sourcecheck_timer", html=_HTML, css=_CSS, js=_JS)


def countdown(left: int, ends_at: datetime, *, big: bool, key: str, up: str = "Time is up") -> None:
    """`left` seconds, counted down in the browser; `up` is what it says at zero (nothing else happens)."""
    _mount(key=key, data={"left": left, "stamp": ends_at.isoformat(), "size": "big" if big else "small", "up": up})
