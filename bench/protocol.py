"""A Streamlit client at the protocol level: one websocket session, reruns sent as the browser sends them.

A browser per session would cost more CPU than the server under test on a 2-core machine, so
the page benchmark speaks Streamlit's own protobuf messages over /_stcore/stream instead, and
waits for `script_finished` after every rerun, as a user waits for the page to settle.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from server import Server as _Server
from server import free_port
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

__all__ = ["Live", "Reader", "Run", "Server", "Session", "WidgetState", "answers", "cpu_seconds", "free_port",
           "trigger"]

# streamlit/runtime/state/session_state.py STREAMLIT_INTERNAL_KEY_PREFIX and components/v2/bidi_component/main.py
# _make_trigger_id: a components.v2 element's triggers travel as one widget, "<prefix>_<element id>__events".
_TRIGGER_ID = "$$STREAMLIT_INTERNAL_KEY_{id}__events"
_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of every thread of `pid` (or of one thread), from /proc, in clock ticks (10 ms)."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    with open(path, encoding="ascii") as f:
        stat = f.read()
    fields = stat[stat.rfind(")") + 2:].split()  # the command name may hold spaces; skip past it
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class Server(_Server):
    """The shared server, plus the CPU readings a benchmark divides by its reruns."""

    def cpu(self) -> float:
        assert self.proc is not None
        return cpu_seconds(self.proc.pid)

    def cpu_main_thread(self) -> float:
        """The event loop's thread (websocket, message queue); script runs happen in other threads."""
        assert self.proc is not None
        return cpu_seconds(self.proc.pid, self.proc.pid)


@dataclass(frozen=True)
class Live:
    """A page's push subscriber (sourcecheck/ui/live_view.follow_changes): a components.v2 element whose data
    names the events websocket (`url`, a path with the topic's token), the version the page drew (`drawn`) and
    the fallback interval (`poll_ms`); `fragment` is the fragment it was drawn in, which its trigger reruns."""

    id: str
    fragment: str
    url: str
    drawn: int
    poll_ms: int
    poll: bool = False  # the page's last run could not read the database: poll until one can

    @staticmethod
    def of(element: Element, fragment: str) -> Live | None:
        if element.WhichOneof("type") != "bidi_component":
            return None
        try:
            data = json.loads(element.bidi_component.json or "{}")
        except ValueError:
            return None
        if not isinstance(data, dict) or "url" not in data or "drawn" not in data:
            return None  # another component (the marking one, say)
        return Live(element.bidi_component.id, fragment, str(data["url"]), int(data["drawn"]),
                    max(250, int(data.get("poll_ms") or 1000)), bool(data.get("poll")))


@dataclass
class Run:
    """What one rerun drew: every element in order (widgets included), and the messages' count."""

    elements: list[Element]
    messages: int
    deltas: int  # elements and blocks (containers, forms, columns): each is one message for Streamlit
    exceptions: list[str]
    finished: int = ForwardMsg.FINISHED_SUCCESSFULLY  # a fragment's own run, or a whole page (st.rerun included)

    @property
    def whole_page(self) -> bool:
        return self.finished == ForwardMsg.FINISHED_SUCCESSFULLY

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


class Reader:
    """What a browser tab keeps between messages: the page it is on, its query string, the messages the server
    may refer back to by hash, and the fragments whose run_every timer it runs. `feed` takes one ForwardMsg
    frame and returns the Run once the script (or fragment) has finished."""

    def __init__(self, page_name: str = "", query: str = "") -> None:
        self.page_name, self.query = page_name.strip("/"), query
        self.page_script_hash = ""
        self._cache: dict[str, ForwardMsg] = {}
        self.fragments: list[str] = []  # fragments with run_every: the browser reruns them on a timer
        self.intervals: dict[str, float] = {}  # fragment id -> run_every seconds
        self.widget_fragment: dict[str, str] = {}  # widget id -> the fragment that drew it
        self.live: dict[str, Live] = {}  # element id -> the push subscribers on the page now
        self.start()

    def start(self) -> None:
        self._elements: list[Element] = []
        self._exceptions: list[str] = []
        self._count = self._deltas = 0
        self._live_seen: dict[str, Live] = {}

    def trigger_msg(self, live: Live, version: int) -> bytes:
        """What the subscriber's setTriggerValue("changed", version) makes the browser send (frontend
        WidgetStateManager.setTriggerValue: the payload list as json_trigger_value of the element's trigger
        widget, the rerun scoped to the fragment that drew the element)."""
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        state.fragment_id = live.fragment
        state.widget_states.widgets.append(WidgetState(
            id=_TRIGGER_ID.format(id=live.id), json_trigger_value=json.dumps([{"event": "changed", "value": version}])))
        return back.SerializeToString()

    def rerun_msg(self, widgets: list[WidgetState] | None = None, *, fragment_id: str = "") -> bytes:
        """The BackMsg a browser sends: a rerun with the widgets' values (a click on a widget drawn inside a
        fragment reruns only that fragment, as in the browser), or one fragment's run_every timer."""
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_script_hash
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        else:
            state.page_name = "" if self.page_script_hash else self.page_name
            state.widget_states.widgets.extend(widgets or [])
            clicked = [self.widget_fragment.get(w.id, "") for w in widgets or [] if w.HasField("trigger_value")]
            if clicked and clicked[0]:
                state.fragment_id = clicked[0]
        return back.SerializeToString()

    def go(self, page_name: str, query: str = "") -> None:
        """Follow a link to another page of the app (the next rerun opens it)."""
        self.page_name, self.query, self.page_script_hash = page_name.strip("/"), query, ""

    def feed(self, data: bytes) -> Run | None:
        msg = ForwardMsg()
        msg.ParseFromString(data)
        self._count += 1
        if msg.HasField("ref_hash"):
            msg = self._cache[msg.ref_hash]
        elif msg.hash and msg.metadata.cacheable:
            self._cache[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "new_session" and not msg.metadata.run.fragment_ids:
            self.fragments.clear()  # a whole-page run: the browser drops its timers; the page sets them anew
        elif kind == "navigation":  # st.navigation names the page that actually ran
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "auto_rerun":
            if msg.auto_rerun.fragment_id not in self.fragments:
                self.fragments.append(msg.auto_rerun.fragment_id)
            self.intervals[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for gone in msg.stop_auto_rerun.fragment_ids:
                if gone in self.fragments:
                    self.fragments.remove(gone)
        elif kind == "page_not_found":
            raise LookupError(f"page not found: {self.page_name!r}")
        elif kind == "delta" and msg.delta.WhichOneof("type") == "add_block":
            self._deltas += 1
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            self._deltas += 1
            element = msg.delta.new_element
            widget_id = getattr(getattr(element, element.WhichOneof("type") or "", None), "id", "")
            if widget_id and isinstance(widget_id, str):
                self.widget_fragment[widget_id] = msg.delta.fragment_id
            live = Live.of(element, msg.delta.fragment_id)
            if live is not None:
                self._live_seen[live.id] = live
            if element.WhichOneof("type") == "exception":
                self._exceptions.append(f"{element.exception.type}: {element.exception.message}")
            self._elements.append(element)
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("script failed to compile")
            if msg.script_finished in _DONE:
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:  # a whole page: what it drew is all
                    self.live = dict(self._live_seen)
                else:  # a fragment redraws its own subscribers only
                    fragments = {live.fragment for live in self._live_seen.values()}
                    self.live = {k: v for k, v in self.live.items() if v.fragment not in fragments} | self._live_seen
                run = Run(self._elements, self._count, self._deltas, self._exceptions, msg.script_finished)
                self.start()
                return run
        return None


class Session:
    """One browser tab: the URL path picks the st.navigation page, the query string travels with each rerun."""

    def __init__(self, port: int, *, path: str = "", query: str = "", timeout: float = 30.0) -> None:
        self.reader = Reader(path, query)
        self.timeout = timeout
        self.ws: ClientConnection = connect(f"ws://127.0.0.1:{port}/_stcore/stream",
                                            subprotocols=[Subprotocol("streamlit")],
                                            max_size=None, open_timeout=timeout, legacy=True)

    @property
    def fragments(self) -> list[str]:
        return self.reader.fragments

    @property
    def query(self) -> str:
        return self.reader.query

    def rerun(self, widgets: list[WidgetState] | None = None) -> Run:
        self.ws.send(self.reader.rerun_msg(widgets))
        return self._until_finished()

    def run_fragment(self, fragment_id: str) -> Run:
        """What the browser's run_every timer sends: a rerun of one fragment, nothing else of the page."""
        self.ws.send(self.reader.rerun_msg(fragment_id=fragment_id))
        return self._until_finished()

    def _until_finished(self) -> Run:
        self.reader.start()
        while True:
            data = self.ws.recv(timeout=self.timeout)
            run = self.reader.feed(data if isinstance(data, bytes) else data.encode())
            if run is not None:
                return run

    def close(self) -> None:
        self.ws.close()


def answers(run: Run) -> list[WidgetState]:
    """A value for every answer widget on a question: the first option shown, a tick, a sentence."""
    out: list[WidgetState] = []
    ticked = False
    for element in run.elements:
        kind = element.WhichOneof("type")
        if kind == "radio":
            out.append(WidgetState(id=element.radio.id, string_value=element.radio.options[0]))
        elif kind == "selectbox":
            out.append(WidgetState(id=element.selectbox.id, string_value=element.selectbox.options[0]))
        elif kind == "checkbox":
            out.append(WidgetState(id=element.checkbox.id, bool_value=not ticked))
            ticked = True
        elif kind == "text_area":
            out.append(WidgetState(id=element.text_area.id,
                                   string_value="The column names the newspaper but not who said it."))
        elif kind == "bidi_component":  # a mark question: its state, as the component sends it, is JSON
            out.append(WidgetState(id=element.bidi_component.id, json_value=_first_word_marked(element)))
    return out


def _first_word_marked(element: Element) -> str:
    """The marking component's state with the passage's first two words marked in its first category."""
    data = json.loads(element.bidi_component.json or "{}")
    categories = data.get("categories") or [{"id": ""}]
    last = min(1, max(len(data.get("words") or []) - 1, 0))
    return json.dumps({"marks": [[categories[0]["id"], 0, last]]})


def trigger(element: Element) -> WidgetState:
    """A button click."""
    return WidgetState(id=getattr(element, element.WhichOneof("type")).id, trigger_value=True)
