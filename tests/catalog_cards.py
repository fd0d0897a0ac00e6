"""The lesson catalog's component in AppTest, read and used as a browser would: the cards it is given (each
string as the student reads it) and a click on a card's "Open lesson", sent as the browser sends it (the
component's trigger "open" carrying the lesson id, with the page's other widget values). AppTest cannot click
inside a component, so the click is this message; Playwright tests click the real button."""

from __future__ import annotations

import json
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX
from streamlit.testing.v1 import AppTest
from ui_helpers import tree_nodes

from sourcecheck.ui.catalog_view import COMPONENT

__all__ = ["card_text", "card_titles", "cards", "catalog_component", "open_lesson", "openable"]


def catalog_component(at: AppTest) -> Any | None:
    """The catalog component's proto on the page, or None when the page has none."""
    found = [n.proto for n in tree_nodes(at._tree)
             if getattr(n, "type", "") == "bidi_component" and n.proto.component_name == COMPONENT]
    assert len(found) <= 1, "one catalog per page"
    return found[0] if found else None


def cards(at: AppTest) -> list[dict[str, Any]]:
    """Each card's data in the order shown (empty when the page shows no catalog)."""
    proto = catalog_component(at)
    return list(json.loads(proto.json)["cards"]) if proto is not None else []


def card_titles(at: AppTest) -> list[str]:
    return [str(card["title"]) for card in cards(at)]


def openable(at: AppTest) -> list[str]:
    """The lessons whose card has an "Open lesson" button (not paused by a class)."""
    return [str(card["id"]) for card in cards(at) if not card["paused"]]


def card_text(card: dict[str, Any]) -> str:
    """What a student reads on a card, in order, as the component writes it (cards.js)."""
    parts = [card["title"], card["meta"], card["summary"]]
    if card["content_note"]:
        parts.append(f"Content note: {card['content_note']}")
    if card["teacher_note"]:
        parts.append(f"For teachers: {card['teacher_note']}")
    parts.append("You will read: " + "; ".join(card["documents"]))
    return " ".join(" ".join(str(p).split()) for p in parts)


def open_lesson(at: AppTest, lesson_id: object) -> AppTest:
    """A click on the card's "Open lesson": the component's trigger, as the browser sends it, and a rerun."""
    proto = catalog_component(at)
    assert proto is not None, "no catalog on this page"
    states = at._tree.get_widget_states()
    trigger = WidgetState(id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{proto.id}__events")
    trigger.json_trigger_value = json.dumps([{"event": "open", "value": lesson_id}])
    states.widgets.append(trigger)
    return at._run(states)
