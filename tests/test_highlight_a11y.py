"""Highlights are readable and never colour alone: WCAG 2.1 AA contrast (4.5:1) for the text on every highlight,
tag and heat-map shade, and every highlight followed by its number and label written out.

The browser check of the same things, on the real pages, is in tests/e2e/test_accessibility.py.
"""

from __future__ import annotations

import re

import pytest
from wcag import contrast

from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.loader import Library
from sourcecheck.render.heatmap import _STEPS, HEAT_CSS
from sourcecheck.render.highlight import CSS, annotated_html, legend_html, notes_html

AA = 4.5
TEXT = "#111111"  # .sc-hl and .sc-tag text, .sc-heat mark text


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#8b8c92", "#ffffff") == pytest.approx(3.35, abs=0.01)  # the caption grey axe reported


def test_the_css_draws_highlight_tag_and_heat_text_in_the_colour_checked_here() -> None:
    assert re.search(r"\.sc-hl\{[^}]*color:#111", CSS) and re.search(r"\.sc-tag\{[^}]*color:#111", CSS)
    assert re.search(r"\.sc-heat mark\{[^}]*color:#111", HEAT_CSS)


@pytest.mark.parametrize("name", list(LABELS))
def test_every_label_colour_meets_aa(name: str) -> None:
    info = LABELS[name]
    assert contrast(TEXT, info.background) >= 7, info  # the label table promises 7:1; AA needs 4.5
    assert contrast(TEXT, info.background) >= AA


def test_every_heat_map_shade_meets_aa() -> None:
    for step in _STEPS:
        assert contrast(TEXT, step) >= 7, step


def test_every_highlight_is_followed_by_its_label_as_text(library: Library) -> None:
    """In every bundled excerpt: one tag per annotation, "N label", right where the annotated words end; the
    notes and the legend say the same in words."""
    checked = 0
    for lesson in library.lessons:
        for placed in lesson.excerpts.values():
            if not placed.annotations:
                continue
            html = annotated_html(placed)
            tags = re.findall(r'<span class="sc-tag"[^>]*>([^<]*)</span>', html)
            assert tags == [f"{i} {LABELS[a.annotation.label].title.lower()}"
                            for i, a in sorted(enumerate(placed.annotations, start=1),
                                               key=lambda ia: (ia[1].end, ia[0]))], (lesson.id, placed.excerpt.id)
            marks = re.findall(r'<mark class="sc-hl" style="background:(#[0-9a-fA-F]{6})', html)
            assert len(marks) >= len(placed.annotations) and all(m in {i.background for i in LABELS.values()}
                                                                 for m in marks)
            notes = notes_html(placed)
            for i, a in enumerate(placed.annotations, start=1):
                assert f"{i} {LABELS[a.annotation.label].title.lower()}</span>" in notes
            legend = legend_html(a.annotation.label for a in placed.annotations)
            for a in placed.annotations:
                assert f"<b>{LABELS[a.annotation.label].title}</b>" in legend
            checked += 1
    assert checked > 20
