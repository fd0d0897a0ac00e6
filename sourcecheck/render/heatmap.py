"""A class's picks drawn over the excerpt: each phrase shaded by how many students picked it.

For the projector's reveal of a spans question: the class sees where it agreed and where it split.
Shade is never the only cue: each phrase carries its count as text, and the phrases the lesson
wanted are outlined and tagged "target". All text is escaped here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from sourcecheck.lessons.loaded import Candidate, PlacedExcerpt

__all__ = ["HEAT_CSS", "heatmap_html", "shade"]

# Five steps from white to a mid blue; black text keeps a contrast of at least 7:1 on every step.
_STEPS = ("#ffffff", "#deebf7", "#c6dbef", "#9ecae1", "#73b3d8")

HEAT_CSS = """
.sc-heat{font-size:1.05rem;line-height:2.1;white-space:pre-line;margin:0 0 .75rem 0;padding:.75rem 1rem;
  border-left:4px solid #555;background:#fafafa;color:#111;overflow-wrap:anywhere}
.sc-heat mark{color:#111;padding:.1em .15em;border-radius:3px;border:2px dashed #6b6b6b}
.sc-heat mark.sc-target{border:3px solid #000}
.sc-count{display:inline-block;font-size:.72em;font-weight:700;line-height:1.2;padding:0 .45em;margin:0 .2em;
  border-radius:.6em;background:#fff;color:#111;border:2px solid #111;vertical-align:.1em;white-space:nowrap}
"""


def shade(share: float) -> str:
    """The background for a phrase picked by `share` (0 to 1) of the students who answered."""
    share = min(max(share, 0.0), 1.0)
    return _STEPS[0] if share == 0 else _STEPS[min(1 + int(share * (len(_STEPS) - 1)), len(_STEPS) - 1)]


def heatmap_html(placed: PlacedExcerpt, candidates: Sequence[Candidate], picks: Mapping[int, int],
                 answered: int) -> str:
    """`picks` maps a candidate's index (in `candidates`) to how many students picked it; `answered`
    is how many students answered at all. Only candidates of this excerpt are drawn."""
    mine = sorted(((i, c) for i, c in enumerate(candidates) if c.excerpt_id == placed.excerpt.id),
                  key=lambda ic: (ic[1].start, ic[1].end))
    parts, at = [], 0
    for index, candidate in mine:
        if candidate.start < at:
            continue  # overlapping phrases: the first in reading order is drawn
        count = picks.get(index, 0)
        share = count / answered if answered else 0.0
        parts.append(escape(placed.text[at:candidate.start]))
        css = ' class="sc-target"' if candidate.correct else ""
        target = ", target" if candidate.correct else ""
        parts.append(f'<mark{css} style="background:{shade(share)}">{escape(candidate.text)}</mark>'
                     f'<span class="sc-count">{count} of {answered}{target}</span>')
        at = candidate.end
    parts.append(escape(placed.text[at:]))
    return f'<blockquote class="sc-heat">{"".join(parts)}</blockquote>'
