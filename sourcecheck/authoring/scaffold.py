"""A commented starter lesson for any document, valid as it is.

A teacher learns the format fastest from a file that already works: every example quotes
real sentences of the chosen document (picked here automatically), so `validate` passes
before the first edit and every later error is one the teacher just made.
"""

from __future__ import annotations

from dataclasses import dataclass

from sourcecheck.authoring.quotes import flow_scalar, folded_scalar, sentences, yaml_scalar
from sourcecheck.lessons.catalog import Document
from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.skills import SKILLS
from sourcecheck.lessons.textmatch import find_all, normalise

__all__ = ["ScaffoldError", "pick_sentences", "scaffold_lesson"]

_ATTRIBUTION = ("said", "says", "according", "report", "told", "claim", "confirm", "stated", "wrote", "announc")
_MIN_WORDS, _MAX_WORDS = 8, 45


class ScaffoldError(Exception):
    pass


@dataclass(frozen=True)
class _Phrase:
    text: str
    occurrence: int

    def yaml(self) -> str:
        """Written inside `[...]`, so a phrase with a comma is quoted rather than split in two."""
        if self.occurrence == 1:
            return flow_scalar(self.text)
        return f"{{text: {flow_scalar(self.text)}, occurrence: {self.occurrence}}}"


def pick_sentences(document: Document) -> tuple[str, str]:
    """Two sentences to quote, whitespace collapsed; an attributed one first when there is one."""
    found = [" ".join(document.text[a:b].split()) for a, b in sentences(document.text)]
    found = [s for s in found if len(s.split()) >= 2]
    if not found:
        raise ScaffoldError(f"document '{document.info.id}' has no sentence of two words or more to quote")
    good = [s for s in found if _MIN_WORDS <= len(s.split()) <= _MAX_WORDS] or found
    first = next((s for s in good if any(w in s.lower() for w in _ATTRIBUTION)), good[0])
    second = next((s for s in good[good.index(first) + 1:] + good if s != first), first)
    return first, second


def scaffold_lesson(document: Document, lesson_id: str, *, schema_path: str) -> str:
    """The text of a new lesson file on `document`; `schema_path` is written into the editor hint line."""
    first, second = pick_sentences(document)
    start, end = _edge_phrases(first)
    values = {
        "schema": schema_path,
        "doc_id": document.info.id,
        "doc_title": _describe(document),
        "id": lesson_id,
        "title": yaml_scalar(f"Who says so in “{document.info.title}”?" if document.info.title
                             else "Who says so? A new lesson"),
        "quote1": folded_scalar(first, 6),
        "quote2": folded_scalar(second, 6),
        "start": start.yaml(),
        "end": end.yaml(),
        "labels": _comment_table({name: info.definition for name, info in LABELS.items()}),
        "skills": _comment_table(SKILLS),
    }
    return _TEMPLATE.format(**values)


def _edge_phrases(sentence: str) -> tuple[_Phrase, _Phrase]:
    """The first and the last few words of a sentence, as phrases the checker will find in it."""
    words = sentence.split(" ")
    k = min(3, len(words) // 2)
    start, end = " ".join(words[:k]), " ".join(words[-k:])
    quote = normalise(sentence).text
    end_at = len(quote) - len(normalise(end).text)
    occurrence = sum(1 for at in find_all(quote, normalise(end).text) if at <= end_at)
    return _Phrase(start, 1), _Phrase(end, occurrence)


def _describe(document: Document) -> str:
    info = document.info
    if info.title:
        return f"“{' '.join(info.title.split())}” (document {info.id})"
    return f"document {info.id}" + (f" ({' '.join(info.kind.split())})" if info.kind else "")


def _comment_table(rows: dict[str, str]) -> str:
    width = max(len(name) for name in rows)
    return "\n".join(f"#   {name.ljust(width)}  {text}" for name, text in rows.items())


_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new SourceCheck lesson on {doc_title}.
#
# Every example below quotes the document, so this file is valid as it is. Check it with
#   python -m sourcecheck validate THIS-FILE
# then replace the examples one at a time, validating after each change.
# Find the exact words of a passage with
#   python -m sourcecheck quote --document {doc_id} "a few words"
# The whole format is in docs/lesson-format.md; a walkthrough is in docs/authoring.md.
#
# Labels for annotations (label:):
{labels}
#
# Skills (skills: and skill:), in the order the app teaches them:
{skills}

format_version: 1
id: {id}
title: {title}
summary: >-
  Replace this with one or two sentences for students: what they will look for in the text.
level: intro          # intro, core or advanced
minutes: 15
skills: [claim-and-source, named-unnamed, what-is-cited]
document: {doc_id}

excerpts:
  # Each quote is copied word for word from the document. Spaces, line breaks and the
  # style of quote marks and dashes do not matter; every other character does.
  - id: first-passage
    sourcing: mixed     # optional: strong, weak or mixed
    quote: {quote1}
    annotations:
      # Highlights shown after each answer. text: must be words of the quote above.
      - text: {start}
        label: claim
        note: Example only. Pick the label that fits these words and say in one short sentence why.
      - text: {end}
        label: no-source
        note: Example only. Say what a reader can see in these words, quoting them.

  - id: second-passage
    quote: {quote2}

questions:
  # One question of each type. Each needs id, type, excerpt, skill, prompt and explanation
  # (short questions: model_answer instead of explanation).

  - id: example-single          # one right option
    type: single
    excerpt: first-passage
    skill: claim-and-source
    prompt: Example. Who makes the claim in this passage?
    options:
      - text: Replace with the right answer
        correct: true
        feedback: Say why it is right, quoting the words that show it.
      - text: Replace with a tempting wrong answer
        feedback: Say why it is tempting, and what in the text shows it is wrong.
    explanation: Shown after any answer. Point to the words in the passage that settle the question.

  - id: example-multi           # several right options: pick all that apply
    type: multi
    excerpt: first-passage
    skill: what-is-cited
    prompt: Example. Which of these does the passage actually give you? Pick all that apply.
    options:
      - text: Replace with something the passage gives
        correct: true
      - text: Replace with something else the passage gives
        correct: true
      - text: Replace with something it does not give
        feedback: Say where a student could look and not find it.
    explanation: Say what the passage gives a reader to check, and what is missing.

  - id: example-true-false
    type: true-false
    excerpt: second-passage
    skill: named-unnamed
    prompt: "Example. True or false: this passage names the source of its information."
    answer: true
    feedback_true: Shown to a student who answered True.
    feedback_false: Shown to a student who answered False.
    explanation: Quote the words that name (or do not name) the source.

  - id: example-spans           # students pick phrases in the passage
    type: spans
    excerpt: first-passage
    skill: claim-and-source
    prompt: Example. Select the phrase that states the claim.
    # Either list the right phrases and some wrong ones...
    answers: [{start}]
    distractors: [{end}]
    # ...or remove answers: and distractors: and pick annotations by label instead:
    # labels: [claim]
    explanation: Say why the right phrases fit and the others do not.

  - id: example-mark            # students mark phrases in the passage itself
    type: mark
    excerpt: first-passage
    skill: claim-and-source
    prompt: Example. Mark the words that state the claim, and the words that give no source.
    # The phrases to find are the excerpt's annotations with these labels (one to four labels).
    labels: [claim, no-source]
    explanation: Say which words are the claim and which give no source, quoting them.

  - id: example-match           # sort items into categories; excerpt may list two passages
    type: match
    excerpt: [first-passage, second-passage]
    skill: named-unnamed
    prompt: Example. Sort each source mentioned in these passages.
    categories: [a named source, an unnamed or vague source]
    items:
      - text: Replace with a source the passages name
        category: a named source
      - text: Replace with a source they do not name
        category: an unnamed or vague source
        feedback: Optional. Shown after the answer for this item.
    explanation: Say what each kind of source lets a reader check.

  - id: example-short           # free text, never scored
    type: short
    excerpt: second-passage
    skill: what-is-cited
    prompt: Example. What would you need to see before trusting this passage? Name two things.
    model_answer: >-
      Replace with a model answer: what a careful student might write.
"""
