"""The label palette stays readable and never relies on colour alone."""

from __future__ import annotations

import re

import pytest
from wcag import contrast

from sourcecheck.lessons.labels import LABELS
from sourcecheck.render.highlight import CSS, annotated_html, legend_html

PATTERNS = {"solid", "dashed", "dotted", "double", "wavy"}
TEXT = re.search(r"\.sc-hl\{[^}]*color:(#[0-9a-f]{3,6})", CSS).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", LABELS)
def test_highlighted_text_passes_wcag_aa_with_room(name: str) -> None:
    """Black text on the fill: AA asks 4.5:1; the palette promises 7:1 (AAA)."""
    colour = TEXT if len(TEXT) == 7 else "#" + "".join(ch * 2 for ch in TEXT[1:])
    assert contrast(colour, LABELS[name].background) >= 7


def test_each_label_has_its_own_colour_and_a_pattern() -> None:
    assert {info.pattern for info in LABELS.values()} <= PATTERNS
    assert len({info.colour.lower() for info in LABELS.values()}) == len(LABELS)
    assert len({info.background.lower() for info in LABELS.values()}) == len(LABELS)


def test_certainty_booster_is_told_apart_from_a_hedge_without_colour() -> None:
    booster, hedge = LABELS["booster"], LABELS["hedge"]
    assert booster.pattern != hedge.pattern
    # WCAG 1.4.11: the underline is a graphic that carries meaning, 3:1 against the fill it sits on
    assert contrast(booster.colour, booster.background) >= 3
    for word in ("obvious", "actually", "confirmed", "revealed", "debunks"):
        assert word in booster.definition


def test_a_booster_renders_with_its_name_pattern_and_legend(library) -> None:
    lesson = next(x for x in library.lessons
                  if any(a.annotation.label == "booster" for e in x.excerpts.values() for a in e.annotations))
    placed = next(e for e in lesson.excerpts.values() if any(a.annotation.label == "booster" for a in e.annotations))
    html = annotated_html(placed)
    assert "certainty booster</span>" in html
    assert f"underline solid {LABELS['booster'].colour}" in html
    assert "Certainty booster" in legend_html(["booster"])
