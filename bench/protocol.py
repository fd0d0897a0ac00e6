"""A Streamlit client at the protocol level: one websocket session, reruns sent as the browser sends them.

A browser per session would cost more CPU than the server under test on a 2-core machine, so
the page benchmark speaks Streamlit's own protobuf messages over /_stcore/stream instead, and
waits for `script_finished` after every rerun, as a user waits for the page to settle.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

__all__ = ["Run", "Server", "Session", "WidgetState", "cpu_seconds", "free_port", "trigger"]

_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of every thread of `pid` (or of one thread), from /proc, in clock ticks (10 ms)."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    with open(path, encoding="ascii") as f:
        stat = f.read()
    fields = stat[stat.rfind(")") + 2:].split()  # the command name may hold spaces; skip past it
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """`streamlit run SCRIPT` on a free loopback port, in `workdir` (which holds the .streamlit/ config)."""

    script: Path
    workdir: Path
    flags: list[str] = field(default_factory=list)
    port: int = 0
    launcher: list[str] = field(default_factory=lambda: ["-m", "streamlit"])  # or a wrapper script
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self) -> Server:
        self.port = free_port()
        cmd = [sys.executable, *self.launcher, "run", str(self.script),
               "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={self.port}",
               "--browser.gatherUsageStats=false", *self.flags]
        self.log = self.workdir / f"server-{self.port}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=self.workdir, stdout=log, stderr=subprocess.STDOUT,
                                         env=os.environ | self.env)
        return self

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.script.name} server exited:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.script.name} server not healthy after {timeout:.0f} s:\n{self.log_tail()}")

    def cpu(self) -> float:
        assert self.proc is not None
        return cpu_seconds(self.proc.pid)

    def cpu_main_thread(self) -> float:
        """The event loop's thread (websocket, message queue); script runs happen in other threads."""
        assert self.proc is not None
        return cpu_seconds(self.proc.pid, self.proc.pid)

    def log_tail(self, lines: int = 30) -> str:
        if self.log is None or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Run:
    """What one rerun drew: every element in order (widgets included), and the messages' count."""

    elements: list[Element]
    messages: int
    deltas: int  # elements and blocks (containers, forms, columns): each is one message for Streamlit
    exceptions: list[str]

    def widgets(self, kind: str) -> list[Element]:
        return [e for e in self.elements if e.WhichOneof("type") == kind]

    def widget(self, kind: str, *, key: str | None = None, label: str | None = None) -> Element:
        """The first widget of this kind whose id ends with `-key` or whose label contains `label`."""
        for element in self.widgets(kind):
            proto = getattr(element, kind)
            if key is not None and proto.id.endswith(f"-{key}"):
                return element
            if label is not None and label.lower() in getattr(proto, "label", "").lower():
                return element
            if key is None and label is None:
                return element
        found = [(getattr(e, kind).id, getattr(getattr(e, kind), "label", "")) for e in self.widgets(kind)]
        raise LookupError(f"no {kind} with key={key!r} label={label!r}; page has {found}")

    def text(self) -> str:
        parts = []
        for e in self.elements:
            kind = e.WhichOneof("type")
            if kind == "markdown":
                parts.append(e.markdown.body)
            elif kind == "heading":
                parts.append(e.heading.body)
            elif kind == "text":
                parts.append(e.text.body)
            elif kind == "alert":
                parts.append(e.alert.body)
        return "\n".join(parts)


class Session:
    """One browser tab: the URL path picks the st.navigation page, the query string travels with each rerun."""

    def __init__(self, port: int, *, path: str = "", query: str = "", timeout: float = 30.0) -> None:
        self.page_name, self.query, self.timeout = path.strip("/"), query, timeout
        self.page_script_hash = ""
        self.ws: ClientConnection = connect(f"ws://127.0.0.1:{port}/_stcore/stream",
                                            subprotocols=[Subprotocol("streamlit")],
                                            max_size=None, open_timeout=timeout, legacy=True)
        self._cache: dict[str, ForwardMsg] = {}

    def rerun(self, widgets: list[WidgetState] | None = None) -> Run:
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.page_name = "" if self.page_script_hash else self.page_name
        state.widget_states.widgets.extend(widgets or [])
        self.ws.send(back.SerializeToString())
        return self._until_finished()

    def _until_finished(self) -> Run:
        elements: list[Element] = []
        exceptions: list[str] = []
        count = deltas = 0
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(self.ws.recv(timeout=self.timeout))
            count += 1
            if msg.HasField("ref_hash"):
                msg = self._cache[msg.ref_hash]
            elif msg.hash and msg.metadata.cacheable:
                self._cache[msg.hash] = msg
            kind = msg.WhichOneof("type")
            if kind == "navigation":  # st.navigation names the page that actually ran
                self.page_script_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "page_not_found":
                raise LookupError(f"page not found: {self.page_name!r}")
            elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
                deltas += 1
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                deltas += 1
                element = msg.delta.new_element
                if element.WhichOneof("type") == "exception":
                    exceptions.append(f"{element.exception.type}: {element.exception.message}")
                elements.append(element)
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("script failed to compile")
                if msg.script_finished in _DONE:
                    return Run(elements, count, deltas, exceptions)

    def close(self) -> None:
        self.ws.close()


def trigger(element: Element) -> WidgetState:
    """A button click."""
    return WidgetState(id=getattr(element, element.WhichOneof("type")).id, trigger_value=True)
