"""A short question's rubric as HTML: each criterion, and under it each level's points, name, descriptor and
example answer, in the Civic Online Reasoning style (0 beginning, 1 emerging, 2 mastery).

One rendering for everyone who reads a rubric: the student after answering (ui/feedback_view.py), the teacher's
worksheet key and the Moodle export. Every string from the lesson is escaped here, and only
plain HTML is used (div, p, ul, strong: what Moodle's HTML filter keeps). The layout is one column of
short blocks, not a table, so it reads on a 390 px phone without scrolling sideways.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sourcecheck.lessons.models import RubricCriterion

__all__ = ["RUBRIC_CSS", "level_name", "rubric_html"]

RUBRIC_CSS = """
.sc-rubric{margin:.25rem 0 1rem 0;color:#111}
.sc-rubric-criterion{margin:0 0 .9rem 0;padding:.6rem .8rem;border:1px solid #b9bcc6;border-radius:6px;
  background:#fff}
.sc-rubric-name{font-size:1.05rem;font-weight:700;margin:0 0 .4rem 0;line-height:1.35}
.sc-rubric-name span{font-weight:400;color:#3d3f49}
.sc-rubric-levels{list-style:none;margin:0;padding:0}
.sc-rubric-levels li{margin:0 0 .55rem 0;padding:0 0 0 .6rem;border-left:4px solid #8c8f99;line-height:1.45;
  overflow-wrap:anywhere}
.sc-rubric-levels li:last-child{margin-bottom:0;border-left-color:#1f6f3f}
.sc-rubric-levels p{margin:0}
.sc-rubric-example{font-style:italic;color:#2b2d33;margin-top:.15rem !important}
"""


def level_name(index: int, count: int) -> str:
    """The Civic Online Reasoning names: the lowest level is beginning, the highest mastery, any between emerging."""
    if index == 0:
        return "Beginning"
    return "Mastery" if index == count - 1 else "Emerging"


def rubric_html(rubric: Sequence[RubricCriterion], *, title: str | None = None) -> str:
    """The rubric, escaped; `title` (already plain text) is a line above it, e.g. "How this answer is scored"."""
    parts = [f'<div class="sc-rubric" role="group" aria-label="{escape(title or "Rubric")}">']
    if title:
        parts.append(f'<p class="sc-rubric-title"><strong>{escape(title)}</strong></p>')
    for criterion in rubric:
        most = criterion.most
        parts.append(f'<div class="sc-rubric-criterion"><p class="sc-rubric-name">{escape(criterion.criterion)} '
                     f"<span>(up to {most} point{'' if most == 1 else 's'})</span></p><ul class=\"sc-rubric-levels\">")
        for n, level in enumerate(criterion.levels):
            name = level_name(n, len(criterion.levels))
            parts.append(f"<li><p><strong>{level.points} point{'' if level.points == 1 else 's'}, {name}:</strong> "
                         f'{escape(level.descriptor)}</p><p class="sc-rubric-example">Example: '
                         f"“{escape(level.example)}”</p></li>")
        parts.append("</ul></div>")
    parts.append("</div>")
    return "".join(parts)
