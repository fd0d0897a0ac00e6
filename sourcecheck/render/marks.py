"""Marks in the passage, drawn as the marking component draws them: a highlight in the label's colours and
underline pattern, followed by a tag with the label's name in words, so colour is never the only cue.

Two views: a student's marks checked against the targets (after they answer), and a class's marks counted per
word (the projector's and the dashboard's heat map). Both take plain data (words, marks, states, counts) from
the callers, since scoring lives in a layer above this one. Every string is escaped here.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from html import escape

from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.words import Word, gaps, words
from sourcecheck.render.heatmap import shade
from sourcecheck.render.highlight import label_mark_style, label_tag_style, label_underline

__all__ = ["MARKS_CSS", "mark_heat_html", "marking_data", "review_html", "review_key_html"]

MARKS_CSS = """
.sc-review{font-size:1.05rem;line-height:2.2;white-space:pre-line;margin:0 0 .5rem 0;padding:.75rem 1rem;
  border-left:4px solid #555;background:#fafafa;color:#111;overflow-wrap:anywhere}
.sc-review mark{color:#111;padding:.1em .1em;border-radius:2px}
.sc-missed{border:2px dashed;border-radius:3px;padding:.05em .15em;background:#fff}
.sc-review .sc-tag,.sc-markheat .sc-tag{font-size:.78em}
.sc-review-key{font-size:.95rem;color:#222;margin:.2rem 0 .4rem 0}
.sc-markheat{margin:0 0 1rem 0}
.sc-markheat figcaption{font-weight:700;margin:.2rem 0 .3rem 0;color:#111}
.sc-markheat .sc-heat mark{border:none;border-radius:2px}
.sc-markheat .sc-heat mark.sc-target{outline:3px solid #000;outline-offset:1px}
"""


def marking_data(text: str, labels: Sequence[str], *, name: str) -> dict[str, object]:
    """All the marking component is given: the words, what stands between them, and the categories with their
    colours. Nothing here says which words are right: the targets stay on the server until the student answers."""
    found = words(text)
    return {
        "words": [w.text for w in found],
        "gaps": gaps(text, found),
        "categories": [{"id": label, "title": LABELS[label].title, "colour": LABELS[label].colour,
                        "background": LABELS[label].background, "pattern": LABELS[label].pattern}
                       for label in labels],
        "label": name,
    }


def _article(title: str) -> str:
    return "an" if title[:1].lower() in "aeiou" else "a"


def _tag(label: str, text: str) -> str:
    return f'<span class="sc-tag" style="{label_tag_style(label)}">{escape(text)}</span>'


def _verdict(label: str, states: Sequence[str]) -> str:
    """The tag after one of the student's marks: whether its words are words of a target of its label."""
    title = LABELS[label].title.lower()
    hits, extras = states.count("hit"), states.count("extra")
    if hits and not extras:
        return f"✓ {title}"
    if hits:
        return f"✓ {title}, plus words that are not"
    return f"✗ not {_article(title)} {title}"


def review_html(text: str, found: Sequence[Word], marks: Sequence[tuple[str, int, int]],
                states: Mapping[str, Sequence[str]], *, name: str = "Your marks, checked") -> str:
    """The passage with the student's marks (each tagged right or not) and the target words they left unmarked
    (a dashed box in the label's colour, tagged "missed"). `states[label][i]` is word i's state in that
    category (grading.marking.word_states: hit, extra, missed, neutral or empty)."""
    between = gaps(text, found)
    owner: list[int | None] = [None] * len(found)
    for n, (_, first, last) in enumerate(marks):
        for i in range(first, last + 1):
            if owner[i] is None:
                owner[i] = n
    missed: list[str | None] = [None] * len(found)
    for label, row in states.items():
        for i, state in enumerate(row):
            if state == "missed" and owner[i] is None and missed[i] is None:
                missed[i] = label
    parts = [escape(between[0])]
    i = 0
    while i < len(found):
        j = i
        while j + 1 < len(found) and owner[j + 1] == owner[i] and missed[j + 1] == missed[i]:
            j += 1
        inner = "".join(escape(found[k].text) + (escape(between[k + 1]) if k < j else "") for k in range(i, j + 1))
        mark_no, gone = owner[i], missed[i]
        if mark_no is not None:
            label = marks[mark_no][0]
            parts.append(f'<mark style="{label_mark_style(label)}">{inner}</mark>'
                         + _tag(label, _verdict(label, states[label][i:j + 1])))
        elif gone is not None:
            parts.append(f'<span class="sc-missed" style="border-color:{LABELS[gone].colour}">{inner}</span>'
                         + _tag(gone, f"→ missed {LABELS[gone].title.lower()}"))
        else:
            parts.append(inner)
        parts.append(escape(between[j + 1]))
        i = j + 1
    return f'<blockquote class="sc-review" aria-label="{escape(name)}">{"".join(parts)}</blockquote>'


def review_key_html() -> str:
    return ('<p class="sc-review-key">Your marks are highlighted. ✓: the words are part of a phrase to find. '
            "✗: they are not. A dashed box: words you were asked to find and did not mark.</p>")


def mark_heat_html(text: str, found: Sequence[Word], label: str, counts: Sequence[int], targets: Collection[int],
                   answered: int) -> str:
    """One category: each run of words shaded by how many of the `answered` students marked it with `label`,
    its count in words after it, and the target words outlined and tagged "target"."""
    info = LABELS[label]
    between = gaps(text, found)
    parts = [escape(between[0])]
    i = 0
    while i < len(found):
        key = (counts[i], i in targets)
        j = i
        while j + 1 < len(found) and (counts[j + 1], j + 1 in targets) == key:
            j += 1
        inner = "".join(escape(found[k].text) + (escape(between[k + 1]) if k < j else "") for k in range(i, j + 1))
        count, target = key
        if count or target:
            share = count / answered if answered else 0.0
            css = ' class="sc-target"' if target else ""
            style = f"background:{shade(share)};{label_underline(label)}"
            parts.append(f'<mark{css} style="{style}">{inner}</mark>'
                         f'<span class="sc-count">{count} of {answered}{", target" if target else ""}</span>')
        else:
            parts.append(inner)
        parts.append(escape(between[j + 1]))
        i = j + 1
    caption = f"{escape(info.title)}: how many of {answered} marked each word"
    return (f'<figure class="sc-markheat"><figcaption>{caption}</figcaption>'
            f'<blockquote class="sc-heat">{"".join(parts)}</blockquote></figure>')
