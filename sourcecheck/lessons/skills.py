"""The skill progression: the order the catalog shows lessons in within a level, and the rows of every breakdown.

"Who is behind a source" follows finding the claim and its source, as in SIFT (investigate the source) and
Civic Online Reasoning (its first question); "better coverage" comes just before tracing, as in SIFT.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["SKILLS", "Skill", "skill_rank"]

Skill = Literal[
    "claim-and-source",
    "who-is-behind",
    "named-unnamed",
    "what-is-cited",
    "hedges",
    "headline-body",
    "vague-attribution",
    "loaded-language",
    "better-coverage",
    "tracing",
]

SKILLS: dict[str, str] = {
    "claim-and-source": "Find the claim and who makes it",
    "who-is-behind": "Who is behind a source, and what kind of text this is",
    "named-unnamed": "Named, unnamed and second-hand sources",
    "what-is-cited": "What is actually cited",
    "hedges": "Hedges and what they admit",
    "headline-body": "Headline versus body",
    "vague-attribution": "Vague attribution and absent coverage",
    "loaded-language": "Loaded language and motive versus evidence",
    "better-coverage": "Finding better coverage, and whether comment was sought",
    "tracing": "Tracing a claim and judging corroboration",
}

assert tuple(SKILLS) == get_args(Skill), "skill table and Skill literal must list the same names"


def skill_rank(skill: str) -> int:
    return list(SKILLS).index(skill)
