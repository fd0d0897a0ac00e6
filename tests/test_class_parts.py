"""The pure parts of a class: display names, the join address, where the class is, the projector's counts."""

from __future__ import annotations

import re

import pytest

from sourcecheck.grading.tally import tally
from sourcecheck.lessons.loader import Library
from sourcecheck.render.heatmap import heatmap_html, shade
from sourcecheck.render.qr import qr_png
from sourcecheck.sessions import public_url as public_url_module
from sourcecheck.sessions.classes import phase
from sourcecheck.sessions.names import NameRejected, clean_display_name
from sourcecheck.sessions.public_url import join_url, public_url
from sourcecheck.sessions.store import LiveState


@pytest.mark.parametrize(("typed", "kept"), [
    ("  Sam  ", "Sam"), ("Ana\u200b Maria", "Ana Maria"), ("Lee\n\tKim", "Lee Kim"),
    ("<b>Jo</b>", "<b>Jo</b>"),  # kept as typed: escaped wherever it is shown
])
def test_names_are_tidied(typed: str, kept: str) -> None:
    assert clean_display_name(typed) == kept


@pytest.mark.parametrize(("typed", "says"), [("", "Type a name"), ("\u200b \n", "Type a name"),
                                             ("x" * 200, "200 characters long; use at most 40")])
def test_unusable_names_are_refused_with_what_to_do(typed: str, says: str) -> None:
    with pytest.raises(NameRejected, match=says):
        clean_display_name(typed)


def test_the_join_address_is_never_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    configured = public_url(8501, environ={"SOURCECHECK_PUBLIC_URL": "https://quiz.school.example/"})
    assert (configured.base, configured.reachable) == ("https://quiz.school.example", True)
    with monkeypatch.context() as m:
        m.setattr(public_url_module, "_interface_addresses", lambda: [])
        local = public_url(8501, environ={}, hostname="localhost")
    assert local.reachable is False  # the teacher is told to set SOURCECHECK_PUBLIC_URL
    found = public_url(8501, environ={})
    assert found.reachable is False or not re.search(r"//(localhost|127\.)", found.base)
    assert join_url("http://10.0.0.5:8501", "K7M2QX") == "http://10.0.0.5:8501/join?code=K7M2QX"


def test_the_qr_code_is_a_png() -> None:
    assert qr_png("http://10.0.0.5:8501/join?code=K7M2QX")[:8] == b"\x89PNG\r\n\x1a\n"


def test_phase_follows_the_teacher(library: Library) -> None:
    lesson = library.lessons[0]
    total = len(lesson.lesson.questions)
    assert phase(LiveState(1, -1, False, "open"), lesson).kind == "lobby"
    now = phase(LiveState(2, 1, True, "open"), lesson)
    assert (now.kind, now.question_id, now.number, now.total, now.revealed) == (
        "question", lesson.lesson.questions[1].id, 2, total, True)
    assert phase(LiveState(3, total, False, "open"), lesson).kind == "finished"
    assert phase(LiveState(4, 0, False, "closed"), lesson).kind == "closed"


def test_tally_counts_what_scoring_counts(library: Library) -> None:
    lesson = library.get("raqqa-who-says")
    assert lesson is not None
    single = next(q for q in lesson.lesson.questions if q.type == "single")
    right = next(i for i, o in enumerate(single.options) if o.correct)  # type: ignore[union-attr]
    result = tally(lesson.bound(single.id), [right, right, (right + 1) % 3, None, "junk"])
    assert result.answered == 5
    assert result.bars[right].count == 2 and result.bars[right].correct
    assert sum(b.count for b in result.bars) == 3  # no answer and junk count for no option
    tf = next(q for q in lesson.lesson.questions if q.type == "true-false")
    assert [b.count for b in tally(lesson.bound(tf.id), [True, True, False]).bars] == [2, 1]


def test_heat_map_counts_in_words_and_escapes(library: Library) -> None:
    lesson, spans = next((x, q) for x in library.lessons for q in x.lesson.questions if q.type == "spans")
    bound = lesson.bound(spans.id)
    html = heatmap_html(bound.excerpts[0], bound.candidates, {0: 3}, 4)
    first = bound.candidates[0]
    assert f"3 of 4{', target' if first.correct else ''}</span>" in html
    assert html.count('class="sc-target"') == sum(c.correct for c in bound.candidates
                                                   if c.excerpt_id == bound.excerpts[0].excerpt.id)
    assert "<script" not in heatmap_html(bound.excerpts[0], bound.candidates, {}, 0)
    assert shade(0) == "#ffffff" and shade(1) != shade(0.3)
