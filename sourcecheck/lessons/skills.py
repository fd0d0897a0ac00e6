"""The skill progression: the order the catalog shows lessons in and the rows of every breakdown."""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["SKILLS", "Skill", "skill_rank"]

Skill = Literal[
    "claim-and-source",
    "named-unnamed",
    "what-is-cited",
    "hedges",
    "headline-body",
    "vague-attribution",
    "loaded-language",
    "tracing",
]

SKILLS: dict[str, str] = {
    "claim-and-source": "Find the claim and who makes it",
    "named-unnamed": "Named, unnamed and second-hand sources",
    "what-is-cited": "What is actually cited",
    "hedges": "Hedges and what they admit",
    "headline-body": "Headline versus body",
    "vague-attribution": "Vague attribution and absent coverage",
    "loaded-language": "Loaded language and motive versus evidence",
    "tracing": "Tracing a claim and judging corroboration",
}

assert tuple(SKILLS) == get_args(Skill), "skill table and Skill literal must list the same names"


def skill_rank(skill: str) -> int:
    return list(SKILLS).index(skill)
