"""Turning pydantic's errors into messages a teacher can act on, at the right line and column."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from sourcecheck.lessons.labels import LABELS
from sourcecheck.lessons.models import QUESTION_TYPES, Lesson
from sourcecheck.lessons.problems import Loc, Problem

__all__ = ["fields_at", "translate"]


_TYPE_NAMES = {"str": "text", "int": "a whole number", "bool": "true or false", "float": "a number",
               "list": "a list", "dict": "a mapping", "NoneType": "nothing"}


def translate(error: ValidationError) -> list[Problem]:
    """One message per place: union alternatives that all failed are merged into one line."""
    out: list[Problem] = []
    seen: set[Loc] = set()
    items = error.errors(include_url=False)
    misspelt = _misspelt_keys(items)
    for item in items:
        if item["type"] == "missing" and tuple(item["loc"]) in misspelt:
            continue  # 'unknown key optoins (did you mean options?)' already says it
        loc, union_step = _yaml_loc(tuple(item["loc"]))
        if union_step and loc in seen:
            continue
        seen.add(loc)
        out.append(_message(item, loc, union=union_step))
    return out


def _misspelt_keys(items: list[ErrorDetails]) -> set[Loc]:
    """Full pydantic locs of required keys that an unknown key next to them is a near-miss of."""
    out: set[Loc] = set()
    for item in items:
        if item["type"] == "extra_forbidden":
            parent = tuple(item["loc"][:-1])
            for close in difflib.get_close_matches(str(item["loc"][-1]), fields_at(parent), n=1, cutoff=0.6):
                out.add(parent + (close,))
    return out


def _yaml_loc(loc: Loc) -> tuple[Loc, bool]:
    """Drop the steps pydantic adds that are not in the YAML: union tags and union member names."""
    keep: list[str | int] = []
    union = False
    model: Any = Lesson
    annotation: Any = None
    for step in loc:
        if isinstance(step, int):
            keep.append(step)
            annotation = _item_type(annotation)
            model = annotation if _is_model(annotation) else None
            continue
        if model is not None and step in model.model_fields:
            keep.append(step)
            annotation = model.model_fields[step].annotation
            model = annotation if _is_model(annotation) else None
            continue
        if step in QUESTION_TYPES:
            model, annotation = QUESTION_TYPES[step], None
            continue
        if model is None:  # a union member's name, e.g. 'constrained-str' or 'Phrase'
            union = True
            member = next((m for m in _members(annotation) if _is_model(m) and m.__name__ == step), None)
            if member is not None:
                model, annotation = member, None
            continue
        keep.append(step)  # an unknown key
    return tuple(keep), union


def fields_at(loc: Loc) -> list[str]:
    """The keys allowed in the mapping at `loc`, for 'did you mean'."""
    model: Any = Lesson
    for step in loc:
        if model is None:
            return []
        if isinstance(step, int):
            continue
        if step in QUESTION_TYPES:
            model = QUESTION_TYPES[step]
            continue
        annotation = model.model_fields[step].annotation if step in model.model_fields else None
        model = next((m for m in _members(_item_type(annotation) or annotation) if _is_model(m)), None)
    return list(model.model_fields) if model is not None else []


def _message(item: ErrorDetails, loc: Loc, *, union: bool) -> Problem:
    kind, value, ctx = item["type"], item.get("input"), item.get("ctx") or {}
    name = str(loc[-1]) if loc and isinstance(loc[-1], str) else "this item"
    if kind == "extra_forbidden":
        allowed = fields_at(_full_parent(item["loc"]))
        word = name.strip().lower().replace("-", "_")
        if word in _KEYS_ELSEWHERE and len(loc) == 1:
            return Problem(loc, f"unknown key '{name}': {_KEYS_ELSEWHERE[word]}", at_key=True)
        meant = _KEY_MEANINGS.get(word)
        hint = f" (did you mean '{meant}'?)" if meant in allowed else _did_you_mean(name, allowed)
        return Problem(loc, f"unknown key '{name}'{hint}", at_key=True)
    if kind == "missing":
        return Problem(loc[:-1], f"missing required key '{name}': add '{name}:' here")
    if kind == "union_tag_invalid":
        return Problem(loc + ("type",), f"unknown question type '{ctx.get('tag')}'"
                       f"{_did_you_mean(str(ctx.get('tag')), list(QUESTION_TYPES))}; "
                       f"use one of: {', '.join(QUESTION_TYPES)}")
    if kind == "union_tag_not_found":
        return Problem(loc, f"this question has no 'type:'; add one of: {', '.join(QUESTION_TYPES)}")
    if kind == "literal_error":
        return Problem(loc, _literal_message(name, value, ctx))
    if union:
        return Problem(loc, _union_message(name, value))
    return Problem(loc, _simple_message(kind, name, value, ctx))


# Keys teachers reach for by another name: spelling alone does not lead from 'trigger_warning' to 'content_note'.
_KEY_MEANINGS = {
    "content_warning": "content_note", "trigger_warning": "content_note", "warning": "content_note",
    "content_advisory": "content_note", "cw": "content_note", "tw": "content_note", "note": "content_note",
}
# Top-level keys that belong in another file.
_KEYS_ELSEWHERE = {
    "glossary": "the glossary is the library's, not a lesson's: add the term and its definition to "
                "seeds/glossary.yaml, and it shows beside every excerpt that contains it",
    "words_to_know": "the glossary is the library's, not a lesson's: add the term and its definition to "
                     "seeds/glossary.yaml, and it shows beside every excerpt that contains it",
}


# What teachers type for a label, by meaning: spelling alone suggests 'no-source' for 'source'.
_LABEL_MEANINGS = {
    "source": ("named-source", "unnamed-source", "outlet", "document"),
    "sources": ("named-source", "unnamed-source", "outlet", "document"),
    "anonymous": ("unnamed-source",), "anonymous-source": ("unnamed-source",), "anon": ("unnamed-source",),
    "named": ("named-source",), "person": ("named-source",), "expert": ("named-source", "vague-attribution"),
    "citation": ("document", "outlet"), "cited": ("document", "outlet"), "reference": ("document", "outlet"),
    "report": ("document", "outlet"), "publication": ("outlet",), "newspaper": ("outlet",), "media": ("outlet",),
    "attribution": ("named-source", "unnamed-source", "vague-attribution"), "vague": ("vague-attribution",),
    "hedging": ("hedge",), "qualifier": ("hedge",), "uncertain": ("hedge", "speculation"),
    "guess": ("speculation",), "opinion": ("loaded-language", "claim"), "emotive": ("loaded-language",),
    "bias": ("loaded-language",), "unsourced": ("no-source",), "assertion": ("claim", "no-source"),
    "evidence": ("corroboration", "document"), "confirmation": ("corroboration",),
    "certainty": ("booster",), "intensifier": ("booster",), "certainty-booster": ("booster",),
    "question": ("rhetorical-question",),
}


def _label_hint(value: str, labels: Sequence[str]) -> str:
    meant = [label for label in _LABEL_MEANINGS.get(value.strip().lower(), ()) if label in labels]
    if len(meant) > 1:
        return f" (did you mean one of: {', '.join(meant)}?)"
    if meant:
        return f" (did you mean '{meant[0]}'?)"
    return _did_you_mean(value, labels)


def _literal_message(name: str, value: object, ctx: dict[str, Any]) -> str:
    expected = [part.strip(" '") for part in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")]
    if expected and set(expected) <= set(LABELS):
        return f"unknown label '{value}'{_label_hint(str(value), expected)}; labels are: {', '.join(LABELS)}"
    hint = _did_you_mean(str(value), expected)
    return f"'{value}' is not allowed for {name}{hint}; use one of: {', '.join(expected)}"


def _union_message(name: str, value: object) -> str:
    if name == "excerpt":
        return f"excerpt must be an excerpt id or a list of one or two excerpt ids, not {_describe(value)}"
    return ("expected a phrase of the excerpt (text) or a mapping with 'text:' and 'occurrence:', "
            f"not {_describe(value)}")


def _simple_message(kind: str, name: str, value: object, ctx: dict[str, Any]) -> str:
    if kind == "string_pattern_mismatch":
        if name == "document":
            return (f"'{value}' is not a document id: use the name of a .txt file in seeds/ without '.txt' "
                    "(letters, digits, '_', '-' and '.'; no '/' or '..')")
        return f"'{value}' is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit"
    if kind in ("string_too_short",):
        return f"{name} must not be empty"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        return f"{name} needs {word} {bound} item{'s' if bound != 1 else ''}"
    if kind == "string_too_long":
        return f"{name} is too long (at most {ctx.get('max_length')} characters)"
    if kind in ("greater_than_equal", "less_than_equal"):
        word = "at least" if kind == "greater_than_equal" else "at most"
        bound = ctx.get("ge", ctx.get("le"))
        return f"{name} must be {word} {bound}, not {value!r}"
    expected = {"string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
                "int_from_float": "a whole number", "bool_type": "true or false", "bool_parsing": "true or false",
                "list_type": "a list (lines starting with '- ')", "model_type": "a mapping ('key: value' lines)",
                "dict_type": "a mapping ('key: value' lines)"}.get(kind)
    if expected:
        return f"{name} must be {expected}, not {_describe(value)}"
    return f"{name}: {kind.replace('_', ' ')}"


def _describe(value: object) -> str:
    kind = _TYPE_NAMES.get(type(value).__name__, type(value).__name__)
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, (int, float, bool)):
        return f"{kind} {value!r}"
    return kind


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _full_parent(loc: Sequence[str | int]) -> Loc:
    return tuple(loc[:-1])


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _members(annotation: Any) -> Iterator[Any]:
    annotation = _strip_annotated(annotation)
    if typing.get_origin(annotation) in (Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield _strip_annotated(arg)
    elif annotation is not None:
        yield annotation


def _item_type(annotation: Any) -> Any:
    for member in _members(annotation):
        if typing.get_origin(member) is list:
            return _strip_annotated(typing.get_args(member)[0])
    return None


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation
