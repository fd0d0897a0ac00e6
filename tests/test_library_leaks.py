"""Lessons do not leak each other's answers: a passage quoted in two lessons asks a different thing in each.

Two questions "share a passage" when they quote overlapping stretches of the same document (more than
half of the shorter). Across two lessons, such a pair must not
- ask the same kind of question: the same skill with the same question type (a `mark` question, which has
  students find phrases in the passage, is the same kind as a `spans` question, which has them pick them);
- have the same key: the same phrases keyed, or right options that say the same thing;
- give the other's answer away: one prompt quoting the phrases, or saying what the right option says,
  that the other asks the student to find (for the same skill).
The rules read whatever is in lessons/, so a lesson added later is held to them too.

Within one lesson (below): nothing a student has read before a question, from the summary on the lesson's card
to the notes and feedback shown after each earlier answer, gives its key away, whether by saying it nearly whole
or by carrying the few words that set the key apart from the other options. The comment above
`wording_leaks` says what the app shows before a question, as read from sourcecheck/ui.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from itertools import combinations

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.check_forms import load_checks
from sourcecheck.lessons.loaded import LoadedLesson
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.models import (
    MarkQuestion,
    MatchQuestion,
    MultiQuestion,
    Question,
    ShortQuestion,
    SingleQuestion,
    SpansQuestion,
    TrueFalseQuestion,
)
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.targets import mark_targets
from sourcecheck.lessons.textmatch import normalise
from sourcecheck.lessons.words import words

_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the and or of to in on at by for from with as is are was were be it its this that "
                  "these those they he his she her we you i not no do does did has have had so than".split())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


@dataclass(frozen=True)
class Asked:
    lesson: str
    question: Question
    passages: tuple[tuple[str, int, int], ...]  # (document id, start, end)
    phrases: frozenset[str]  # keyed phrases of the passage (normalised): what the student must find
    statement: frozenset[str]  # what the right answer says, as word stems (single, multi, true-false)

    @property
    def name(self) -> str:
        return f"{self.lesson}/{self.question.id}"


def _asked(lesson: LoadedLesson, question: Question) -> Asked:
    bound = lesson.bound(question.id)
    passages = tuple((p.document.info.id, p.start, p.end) for p in bound.excerpts)
    phrases: set[str] = set()
    statement: frozenset[str] = frozenset()
    if isinstance(question, SpansQuestion):
        phrases = {_norm(c.text) for c in bound.candidates if c.correct}
    elif isinstance(question, MarkQuestion):  # the phrases to find are the targets, as a spans question's keys
        phrases = {_norm(t.text) for t in mark_targets(bound.excerpts[0], question.labels)}
    elif isinstance(question, MatchQuestion):
        phrases = {_norm(i.text) for i in question.items}
    elif isinstance(question, (SingleQuestion, MultiQuestion)):
        right = [o.text for o in question.options if o.correct]
        text = " ".join(p.text for p in bound.excerpts).lower()
        phrases = {_norm(o) for o in right if _norm(o) in _norm(text)}  # options that are phrases of the passage
        phrases |= {_norm(q) for o in right for q in _QUOTED.findall(o)}
        statement = _stems(" ".join(right))
    elif isinstance(question, TrueFalseQuestion):
        statement = _stems(question.prompt) if question.answer else frozenset()
    elif isinstance(question, ShortQuestion):
        pass  # never scored: a model answer is read after writing, not picked
    else:
        raise AssertionError(f"{lesson.id}/{question.id}: the leak check does not know {question.type!r} questions")
    return Asked(lesson.id, question, passages, frozenset(p for p in phrases if p), statement)


def share_a_passage(a: Asked, b: Asked) -> bool:
    for doc_a, start_a, end_a in a.passages:
        for doc_b, start_b, end_b in b.passages:
            common = min(end_a, end_b) - max(start_a, start_b)
            if doc_a == doc_b and common > 0.5 * min(end_a - start_a, end_b - start_b):
                return True
    return False


def _gives_away(a: Asked, b: Asked) -> str | None:
    """Whether a's prompt hands over what b asks the student to find or to say."""
    prompt = _norm(a.question.prompt)
    quoted = sorted(p for p in b.phrases if f" {p} " in f" {prompt} ")
    if quoted:
        return f"{a.name} quotes {quoted} in its prompt, which {b.name} asks students to find"
    if b.statement and _overlap(b.statement, _stems(a.question.prompt)) >= 0.75 and len(b.statement) >= 2:
        return f"{a.name}'s prompt says what {b.name}'s right answer says"
    return None


def kind(question: Question) -> str:
    """What a student does: marking the phrases in the passage is finding them, as picking them is."""
    return "spans or mark" if question.type in ("spans", "mark") else question.type


def leaks(a: Asked, b: Asked) -> list[str]:
    if a.lesson == b.lesson or not share_a_passage(a, b) or a.question.skill != b.question.skill:
        return []
    if isinstance(a.question, ShortQuestion) or isinstance(b.question, ShortQuestion):
        return []
    out = []
    if kind(a.question) == kind(b.question):
        out.append(f"{a.name} and {b.name}: the same kind of question ({kind(a.question)}, {a.question.skill}) "
                   "on one passage")
    if a.phrases and b.phrases and len(a.phrases & b.phrases) / len(a.phrases | b.phrases) >= 0.5:
        out.append(f"{a.name} and {b.name}: the same phrases keyed, {sorted(a.phrases & b.phrases)}")
    elif a.statement and b.statement and _overlap(a.statement, b.statement) >= 0.75:
        out.append(f"{a.name} and {b.name}: right answers that say the same thing")
    out += [m for m in (_gives_away(a, b), _gives_away(b, a)) if m]
    return out


def all_leaks(lessons: list[LoadedLesson]) -> list[str]:
    asked = [_asked(lesson, q) for lesson in lessons for q in lesson.lesson.questions]
    return [m for a, b in combinations(asked, 2) for m in leaks(a, b)]


def test_a_passage_in_two_lessons_asks_a_different_thing_in_each(library: Library) -> None:
    found = all_leaks(library.lessons)
    assert not found, "questions that leak each other's answers:\n" + "\n".join(found)


def test_the_leak_check_catches_a_copy_and_a_prompt_that_gives_the_answer(library: Library) -> None:
    lesson = next(x for x in library.lessons if any(isinstance(q, SpansQuestion) for q in x.lesson.questions))
    spans = next(q for q in lesson.lesson.questions if isinstance(q, SpansQuestion))
    original = _asked(lesson, spans)
    copy = replace(original, lesson="a-copy")  # the same question, pasted into another lesson
    messages = leaks(original, copy)
    assert any("same kind of question" in m for m in messages), messages
    assert any("same phrases keyed" in m for m in messages), messages
    true_false = next(q for x in library.lessons for q in x.lesson.questions if isinstance(q, TrueFalseQuestion))
    phrase = sorted(original.phrases)[0]
    asking = true_false.model_copy(update={"skill": spans.skill, "prompt": f'True or false: "{phrase}" is the one.'})
    messages = leaks(original, replace(copy, question=asking, phrases=frozenset(), statement=frozenset()))
    assert any("in its prompt" in m for m in messages), messages
    assert not any("same kind" in m for m in messages), messages


def test_a_mark_question_counts_as_a_spans_question_on_its_passage(library: Library) -> None:
    """A mark question keys its targets; beside a spans question on the same passage, skill and phrases, it is
    the same exercise in another form, and a copy of it in another lesson is caught like a spans copy."""
    lesson = next(x for x in library.lessons if any(isinstance(q, MarkQuestion) for q in x.lesson.questions))
    mark = next(q for q in lesson.lesson.questions if isinstance(q, MarkQuestion))
    original = _asked(lesson, mark)
    targets = mark_targets(lesson.bound(mark.id).excerpts[0], mark.labels)
    assert original.phrases == {_norm(t.text) for t in targets} and original.phrases
    messages = leaks(original, replace(original, lesson="a-copy"))
    assert any("same kind of question (spans or mark" in m for m in messages), messages
    assert any("same phrases keyed" in m for m in messages), messages
    spans = SpansQuestion.model_validate({"id": "as-spans", "type": "spans", "excerpt": mark.excerpt,
                                          "skill": mark.skill, "prompt": "Select them.", "explanation": "x",
                                          "labels": mark.labels})
    as_spans = replace(original, lesson="a-copy", question=spans)
    assert any("same kind of question" in m for m in leaks(original, as_spans))
    other_skill = replace(as_spans, question=spans.model_copy(update={"skill": "a-different-skill"}))
    assert leaks(original, other_skill) == []  # the same passage for another skill is allowed


# --- Within one lesson ------------------------------------------------------------------------------------------
# After each answer the student reads the question's explanation and feedback, and its excerpts annotated: every
# highlighted phrase with its label and note. A later question on the same passage must not find its key there.
# The heuristic, with its reasons:
# - a spans or mark question's keyed phrase shown earlier highlighted under a label the question asks for (the
#   annotated view has already marked it), or a keyed phrase of three or more content words written out in
#   earlier material on the same passage;
# - a right option (or a true-false statement) whose own words, outside quotation marks, are said in one earlier
#   sentence about the same passage: three or more of its content words, and three quarters of them, in that
#   sentence, or a run of three of its content words in the same order. Quoted words are left out because two
#   texts that quote the same passage share its words without giving anything away.
# "The same passage" is share_a_passage above; the lesson's summary, read first, counts for every passage.
# Earlier prompts are left out (a question states no answer). A match question's items and categories are rarely
# written together in a note, but its key can still be shown: when every item was highlighted earlier, at its
# own place in the passage, and each category's items all carry one label that no other category's carry, the
# labels have sorted the items already (an outlet under "Outlet", a hedge under "Hedge").
_CONTENT_STOP = _STOP | frozenset("but if which who what there here into about only one each all any more most "
                                  "also can could would should may might must will just such own same other "
                                  "another them their him".split())
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+")
_QUOTE_SPAN = re.compile(r"[\"“][^\"“”]*[\"”]")

Passage = tuple[str, int, int]  # document id, start, end


def _content(text: str) -> list[str]:
    return [w[:6] for w in _WORD.findall(text.lower().replace("’", "'")) if w not in _CONTENT_STOP and len(w) > 2]


def _runs(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def _overlaps(a: Passage, b: Passage) -> bool:
    return a[0] == b[0] and min(a[2], b[2]) - max(a[1], b[1]) > 0.5 * min(a[2] - a[1], b[2] - b[1])


@dataclass(frozen=True)
class Shown:
    """What a student reads once a question is answered: sentences with where they came from and the passages
    they are about, and the highlighted phrases with their labels."""

    sentences: tuple[tuple[str, str, tuple[Passage, ...]], ...]  # (where, sentence, passages)
    highlights: tuple[tuple[str, Passage], ...]  # (label, the phrase's place in its document)


def shown_after(lesson: LoadedLesson, question: Question) -> Shown:
    bound = lesson.bound(question.id)
    passages = tuple((p.document.info.id, p.start, p.end) for p in bound.excerpts)
    texts: list[tuple[str, str]] = []
    for field in ("explanation", "model_answer", "feedback_true", "feedback_false"):
        if value := getattr(question, field, None):
            texts.append((f"{question.id}'s {field.replace('_', ' ')}", value))
    for option in getattr(question, "options", []):
        texts += [(f"{question.id}'s feedback", option.feedback)] if option.feedback else []
        texts += [(f"{question.id}'s right answer", option.text)] if option.correct else []
    for item in getattr(question, "items", []):
        texts += [(f"{question.id}'s feedback", item.feedback)] if item.feedback else []
    highlights = []
    for placed in bound.excerpts:
        for a in placed.annotations:
            texts.append((f"the note on “{a.annotation.text}”", a.annotation.note))
            highlights.append((a.annotation.label, (placed.document.info.id, placed.start + a.start,
                                                    placed.start + a.end)))
    sentences = tuple((where, s, passages) for where, text in texts for s in _SENTENCE.split(text) if s)
    return Shown(sentences, tuple(highlights))


def _keys(lesson: LoadedLesson, question: Question) -> tuple[list[tuple[str, str, Passage]], list[str]]:
    """(label, phrase, its place) a student must find, and statements a student must choose."""
    bound = lesson.bound(question.id)
    if isinstance(question, SpansQuestion):
        at = {p.excerpt.id: p for p in bound.excerpts}
        return [(label, c.text, (at[c.excerpt_id].document.info.id, at[c.excerpt_id].start + c.start,
                                 at[c.excerpt_id].start + c.end))
                for c in bound.candidates if c.correct for label in question.labels or ["(listed)"]], []
    if isinstance(question, MarkQuestion):
        placed = bound.excerpts[0]
        found = words(placed.text)
        return [(t.label, t.text, (placed.document.info.id, placed.start + found[t.first].start,
                                   placed.start + found[t.last].end))
                for t in mark_targets(placed, question.labels)], []
    if isinstance(question, (SingleQuestion, MultiQuestion)):
        return [], [o.text for o in question.options if o.correct]
    if isinstance(question, TrueFalseQuestion):
        return [], [re.sub(r"^true or false:\s*", "", question.prompt, flags=re.IGNORECASE)]
    return [], []  # match (see above) and short (never scored)


def _items_placed(lesson: LoadedLesson, question: MatchQuestion) -> list[tuple[str, Passage]] | None:
    """Each item's category and place in its document, or None when an item is not words of an excerpt."""
    placed: list[tuple[str, Passage]] = []
    for item in question.items:
        wanted = normalise(item.text).text
        for p in lesson.bound(question.id).excerpts:
            text = normalise(p.text)
            if (i := text.text.find(wanted)) >= 0:
                start, end = text.span(i, i + len(wanted))
                placed.append((item.category, (p.document.info.id, p.start + start, p.start + end)))
                break
        else:
            return None
    return placed


def labels_give_the_sort(placed: list[tuple[str, Passage]], highlights: list[tuple[str, Passage]]) -> str | None:
    """The category-to-label pairing, when highlights shown earlier sort every item: one label on each item, the
    same label for a category's items, a different one for each category."""
    label_of: dict[str, set[str]] = {}
    for category, place in placed:
        shown = {label for label, where in highlights if _overlaps(place, where)}
        if len(shown) != 1:
            return None
        label_of.setdefault(category, set()).update(shown)
    if any(len(labels) != 1 for labels in label_of.values()):
        return None
    pairs = {category: next(iter(labels)) for category, labels in label_of.items()}
    if len(set(pairs.values())) != len(pairs):
        return None
    return ", ".join(f"“{category}” = {label}" for category, label in pairs.items())


def _said_in(statement: str, sentence: str) -> bool:
    own = _content(_QUOTE_SPAN.sub(" ", statement))
    if len(set(own)) < 3:
        return False
    there = _content(sentence)
    common = set(own) & set(there)
    return (len(common) >= 3 and len(common) >= 0.75 * len(set(own))) or bool(_runs(own) & _runs(there))


def within_lesson_leaks(lesson: LoadedLesson) -> list[str]:
    out: list[str] = []
    sentences: list[tuple[str, str, tuple[Passage, ...] | None]] = [
        ("the summary", s, None) for s in _SENTENCE.split(lesson.lesson.summary)]
    highlights: list[tuple[str, Passage]] = []
    for question in lesson.lesson.questions:
        name = f"{lesson.id}/{question.id}"
        bound = lesson.bound(question.id)
        mine = [(p.document.info.id, p.start, p.end) for p in bound.excerpts]
        about = [(w, s) for w, s, on in sentences if on is None or any(_overlaps(a, b) for a in on for b in mine)]
        phrases, statements = _keys(lesson, question)
        for label, phrase, place in phrases:
            if any(shown_label == label and _overlaps(place, where) for shown_label, where in highlights):
                out.append(f"{name}: “{phrase}” was shown highlighted as {label} after an earlier question")
            elif len(_content(phrase)) >= 3 and (hit := next(
                    (w for w, s in about if f" {_norm(phrase)} " in f" {_norm(s)} "), None)):
                out.append(f"{name}: “{phrase}” is written out in {hit}")
        for statement in statements:
            if said := next(((w, s) for w, s in about if _said_in(statement, s)), None):
                out.append(f"{name}: the answer “{statement}” is said in {said[0]}: “{said[1]}”")
        if isinstance(question, MatchQuestion) and (placed := _items_placed(lesson, question)) and (
                pairs := labels_give_the_sort(placed, highlights)):
            out.append(f"{name}: every item was shown highlighted after an earlier question, under the label that "
                       f"is its category ({pairs})")
        shown = shown_after(lesson, question)
        sentences += shown.sentences
        highlights += shown.highlights
    return list(dict.fromkeys(out))


def test_no_question_is_answered_by_what_an_earlier_one_showed(library: Library) -> None:
    found = [m for lesson in library.lessons for m in within_lesson_leaks(lesson)]
    assert not found, f"{len(found)} answers given away earlier in the same lesson:\n" + "\n".join(found)


def test_the_within_lesson_check_catches_a_note_that_answers_the_next_question(library: Library) -> None:
    """Plant a later question's right option in a note of its own excerpt, shown after an earlier question on
    that excerpt, and ask a mark question after its targets were shown highlighted: both are caught."""
    lesson, first, second, right = next(
        (x, a, b, o.text) for x in library.lessons for a, b in itertools.combinations(x.lesson.questions, 2)
        if isinstance(b, (SingleQuestion, MultiQuestion)) and set(a.excerpt_ids) & set(b.excerpt_ids)
        for o in b.options if o.correct and len(set(_content(o.text))) >= 3)
    excerpt_id = next(x for x in first.excerpt_ids if x in second.excerpt_ids)
    placed = lesson.excerpts[excerpt_id]
    planted = replace(placed.annotations[0], annotation=placed.annotations[0].annotation.model_copy(
        update={"note": f"Remember: {right}."}))
    leaky = replace(lesson, excerpts={**lesson.excerpts, excerpt_id: replace(
        placed, annotations=(planted, *placed.annotations[1:]))})
    assert any(m.startswith(f"{lesson.id}/{second.id}: the answer") for m in within_lesson_leaks(leaky))

    marking = next(x for x in library.lessons if any(isinstance(q, MarkQuestion) for q in x.lesson.questions))
    mark = next(q for q in marking.lesson.questions if isinstance(q, MarkQuestion))
    before = next(q for q in marking.lesson.questions if q.id != mark.id and isinstance(q, TrueFalseQuestion))
    on_the_same_passage = before.model_copy(update={"excerpt": mark.excerpt})
    reordered = [on_the_same_passage, mark] + [q for q in marking.lesson.questions if q.id not in (mark.id, before.id)]
    asked_late = replace(marking, lesson=marking.lesson.model_copy(update={"questions": reordered}))
    assert any(m.startswith(f"{marking.id}/{mark.id}: ") and "shown highlighted" in m
               for m in within_lesson_leaks(asked_late))


def test_the_within_lesson_check_catches_a_sort_its_labels_have_already_done() -> None:
    """Items all highlighted earlier, one label per category: caught. A category whose items carry two labels, two
    categories sharing a label, or an item never highlighted: the labels do not give the key."""
    a, b, c = ("doc", 0, 5), ("doc", 10, 15), ("doc", 20, 25)
    placed = [("a named outlet", a), ("a named outlet", b), ("a hedge", c)]
    shown = [("outlet", ("doc", 0, 6)), ("outlet", b), ("hedge", c)]
    assert labels_give_the_sort(placed, shown) == "“a named outlet” = outlet, “a hedge” = hedge"
    assert labels_give_the_sort(placed, [("outlet", a), ("named-source", b), ("hedge", c)]) is None
    assert labels_give_the_sort(placed, [("outlet", a), ("outlet", b), ("outlet", c)]) is None
    assert labels_give_the_sort(placed, [("outlet", a), ("hedge", c)]) is None


# --- Leaks through wording ----------------------------------------------------------------------------------------
# The check above finds a key said nearly whole in an earlier sentence. A key is given away by less: the few words
# that set it apart from the other options. "Reuters found no independent way to check it" differs from its
# distractors by "independent" and "check"; a note shown earlier that says "to verify independently means to
# check with a source..." has picked the option for the student.
#
# What a student has read before a question (sourcecheck/ui, read for this test):
# - the lesson's summary, on its card in the lesson list (ui/catalog_view.card_html) and at the top of the printed
#   worksheet (export/worksheet.py), and its content note, shown until the first answer (ui/quiz_view.show_quiz):
#   both before every question, whatever passage it is on;
# - after each answer (ui/feedback_view.show_feedback): the feedback of the options picked and of the keys missed
#   (grading/feedback.feedback_for; any option's feedback can be one student's, so all of it counts), the
#   explanation, and the question's excerpts annotated with every note on them (ui/excerpt_view.show_excerpts,
#   annotated=True). An excerpt's notes are never shown before a question on it has been answered: before the
#   answer the excerpt is plain (question_view). In a self-paced class that is still open the feedback waits
#   until the teacher closes it (held_view), so this is the solo and teacher-paced order, the one that shows most.
# What was shown after an earlier question counts where it is about the same passage (share_a_passage, as the
# check above): a note on another passage speaks of other words, and counting it would flag every sourcing term.
#
# A right option's distinctive words: its content words (as six-letter stems) that no other option of the
# question has and the prompt does not give in its own words (outside quotation marks), leaving out function
# words, names (a capital inside the option: the texts' names are everywhere in a lesson) and the library's words
# for the texts and their parts (post, column, report, source, claim...). An earlier sentence gives the key away
# when it carries two or more of them and more than half of them, or a run of the option's words that holds one
# of them: three words ("with no hedge", "does not know") or two content words ("Reuters' words"). Single and
# multi questions; a true-false statement and a spans or mark key are the check above's.
_FUNCTION = _CONTENT_STOP | frozenset("how when where why out up off whose whom then very".split())
LIBRARY_WORDS = frozenset(w[:6] for w in """post posts blog column columns article articles report reports text
texts passage passages story stories piece source sources claim claims""".split())
_TOKEN = re.compile(r"[A-Za-z0-9]+")


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def _stems_of(text: str) -> set[str]:
    return {w[:6] for w in _tokens(text) if w not in _FUNCTION and len(w) > 2}


def _names(text: str) -> set[str]:
    """Words written with a capital not at the start of the option or after a full stop or colon."""
    return {m.group().lower()[:6] for m in _TOKEN.finditer(text)
            if m.group()[0].isupper() and m.start() and not re.search(r"[.:!?]\s*$", text[:m.start()])}


def distinctive(question: SingleQuestion | MultiQuestion, right: str) -> set[str]:
    others = set().union(*(_stems_of(o.text) for o in question.options if o.text != right and not o.correct))
    asked = _stems_of(_QUOTE_SPAN.sub(" ", question.prompt))  # the prompt's own words; quoted ones are the text's
    return _stems_of(right) - others - asked - _names(right) - LIBRARY_WORDS


def gives_away(question: SingleQuestion | MultiQuestion, right: str, sentence: str) -> str | None:
    """Why `sentence` gives `right` away (its words), or None."""
    mine = distinctive(question, right)
    common = mine & _stems_of(sentence)
    if len(common) >= 2 and len(common) > len(mine) / 2:
        return f"its distinctive words {sorted(common)}"
    words_of = _tokens(right)
    said = _tokens(sentence)
    said_runs = {tuple(said[i:i + 3]) for i in range(len(said) - 2)}
    said_runs |= {tuple(said[i:i + 2]) for i in range(len(said) - 1)
                  if not any(w in _FUNCTION or len(w) < 3 for w in said[i:i + 2])}
    runs = [run for n in (3, 2) for i in range(len(words_of) - n + 1) if (run := tuple(words_of[i:i + n])) in said_runs
            and any(w[:6] in mine for w in run if w not in _FUNCTION)]
    return f"the words “{' '.join(runs[0])}”" if runs else None


def wording_leaks(lesson: LoadedLesson) -> list[str]:
    out: list[str] = []
    start = [("the summary", lesson.lesson.summary), ("the content note", lesson.lesson.content_note or "")]
    sentences: list[tuple[str, str, tuple[Passage, ...] | None]] = [
        (where, s, None) for where, text in start for s in _SENTENCE.split(text) if s]
    for question in lesson.lesson.questions:
        bound = lesson.bound(question.id)
        mine = [(p.document.info.id, p.start, p.end) for p in bound.excerpts]
        about = [(w, s) for w, s, on in sentences if on is None or any(_overlaps(a, b) for a in on for b in mine)]
        if isinstance(question, (SingleQuestion, MultiQuestion)):
            for right in (o.text for o in question.options if o.correct):
                for where, sentence in about:
                    if why := gives_away(question, right, sentence):
                        out.append(f"{lesson.id}/{question.id}: the key “{right}” is given away by {why} in "
                                   f"{where}: “{sentence}”")
                        break
        sentences += shown_after(lesson, question).sentences
    return out


def test_no_key_is_given_away_by_the_wording_of_what_was_shown_before(library: Library, catalog: Catalog) -> None:
    """The lessons and the check's forms (a form is played as a lesson)."""
    forms = [form for check in load_checks(PROJECT_ROOT / "checks", catalog) for form in check.forms.values()]
    found = [m for lesson in [*library.lessons, *forms] for m in wording_leaks(lesson)]
    assert not found, f"{len(found)} keys whose distinctive words were shown before the question:\n" + "\n".join(found)


def test_the_wording_check_catches_a_summary_or_note_that_says_the_answer(library: Library) -> None:
    """Plant a key's distinctive words in the lesson's summary, and two of them in a note of an excerpt that an
    earlier question showed: caught. The same words in a note on a passage not yet shown are not."""
    lesson, question, right = next(
        (x, q, o.text) for x in library.lessons for q in x.lesson.questions[1:]
        if isinstance(q, (SingleQuestion, MultiQuestion)) for o in q.options
        if o.correct and len(distinctive(q, o.text)) >= 2)
    said = f"Here you will find out that the answer is {right.lower()}."
    summarised = replace(lesson, lesson=lesson.lesson.model_copy(update={"summary": said}))
    assert any(m.startswith(f"{lesson.id}/{question.id}: ") for m in wording_leaks(summarised))
    words_of = [w for w in _tokens(right) if w[:6] in distinctive(question, right)]
    note = f"Notice {' and '.join(dict.fromkeys(words_of))}."
    assert gives_away(question, right, note)
    assert gives_away(question, right, "Nothing to see here.") is None
    first_other = next(o.text for o in question.options if not o.correct)
    assert gives_away(question, right, first_other) is None or set(_stems_of(first_other)) & distinctive(
        question, right) == set()
