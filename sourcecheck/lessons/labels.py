"""The annotation vocabulary: one place, so the validator, the app, the docs and the exports agree.

Colours come from the Okabe-Ito palette and Paul Tol's schemes (distinguishable with the common
colour-vision deficiencies) used as light backgrounds with an underline in the full colour, in one
of five patterns that group the labels by kind (solid: a claim, a name, a word that asserts; dashed: a
source that is missing or unchecked; dotted: rhetoric; double: evidence a reader can look up; wavy:
uncertainty).
The label name is always printed beside a highlight, so colour is never the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["LABELS", "Label", "LabelInfo"]

Label = Literal[
    "claim",
    "named-source",
    "unnamed-source",
    "vague-attribution",
    "outlet",
    "document",
    "hedge",
    "booster",
    "speculation",
    "loaded-language",
    "unverified",
    "corroboration",
    "rhetorical-question",
    "no-source",
]


@dataclass(frozen=True)
class LabelInfo:
    name: str
    title: str
    definition: str
    colour: str  # underline and legend swatch
    background: str  # highlight fill, light enough for black text (contrast >= 7:1)
    pattern: str  # underline style, a second cue besides colour


_TABLE: tuple[LabelInfo, ...] = (
    LabelInfo("claim", "Claim", "A statement the text presents as fact or wants you to accept.",
              "#000000", "#e8e8e8", "solid"),
    LabelInfo("named-source", "Named source", "A person or body the text names as the origin of information.",
              "#0072B2", "#d6ebf7", "solid"),
    LabelInfo("unnamed-source", "Unnamed source",
              "A source the text relies on without naming it (\"officials said\", \"sources close to\").",
              "#D55E00", "#fbe1cf", "dashed"),
    LabelInfo("vague-attribution", "Vague attribution",
              "A claim credited to no one in particular: \"experts are convinced\", \"it is widely believed\".",
              "#CC79A7", "#f6e0ec", "dotted"),
    LabelInfo("outlet", "Outlet", "Another publication cited as the source (\"according to Reuters\").",
              "#56B4E9", "#ddf0fb", "solid"),
    LabelInfo("document", "Document",
              "A cited report, statement, recording, book page or data set that a reader could look up.",
              "#009E73", "#d3f0e6", "double"),
    LabelInfo("hedge", "Hedge",
              "Words that limit how sure a claim is: \"reportedly\", \"may\", \"not possible to verify\".",
              "#E69F00", "#fcecc9", "wavy"),
    LabelInfo("booster", "Certainty booster",
              "A word that makes a claim sound certain or settled: \"obvious\", \"actually\", \"confirmed\", "
              "\"revealed\", \"debunks\", and a text's own \"corroborates\" or \"shows clearly\" about its evidence. "
              "Ask what stands behind it.",
              "#994455", "#f6e0e4", "solid"),
    LabelInfo("speculation", "Speculation", "A guess the text offers without evidence, sometimes admitted as such.",
              "#F0E442", "#fbf7cf", "wavy"),
    LabelInfo("loaded-language", "Loaded language",
              "Words chosen to make you feel something about a person or group rather than to inform.",
              "#882255", "#f1d9e4", "dotted"),
    LabelInfo("unverified", "Unverified", "Material the text itself says has not been checked or confirmed.",
              "#999933", "#efefd6", "dashed"),
    LabelInfo("corroboration", "Corroboration",
              "A second, independent source that the text itself gives for the same point, with what makes it "
              "separate. A text's own word that a point is corroborated is not one: label that word booster.",
              "#117733", "#d7eddc", "double"),
    LabelInfo("rhetorical-question", "Rhetorical question",
              "A question asked to plant an idea, not to be answered.",
              "#332288", "#e0ddf2", "dotted"),
    LabelInfo("no-source", "No source", "A claim with no attribution at all.",
              "#AA4499", "#f4e0ef", "dashed"),
)

LABELS: dict[str, LabelInfo] = {info.name: info for info in _TABLE}

assert tuple(LABELS) == get_args(Label), "label table and Label literal must list the same names"
