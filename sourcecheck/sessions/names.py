"""Display names that students choose when they join a class: tidy, short, never markup, and never a
classmate's name in disguise.

Names are stored as typed (after tidying) and escaped wherever they are shown; the rules here keep them
readable on a projector and in a spreadsheet. `name_key` is what two names are compared by: two names
with the same key look the same on a projector, so the second one gets a visible suffix ("Ana (2)").
"""

from __future__ import annotations

import unicodedata

__all__ = ["KEY_LENGTH", "MAX_NAME", "NameRejected", "clean_display_name", "name_key", "same_name", "suffixed"]

MAX_NAME = 40
KEY_LENGTH = 60  # the column holds 80: room for a suffix " (12345)" after the longest key

# Characters that draw nothing (or a blank) but are not Unicode "format" characters, which are dropped as
# category C: Hangul fillers (a well-known blank name), the combining grapheme joiner, variation
# selectors, the Braille blank and the Mongolian free variation selectors.
_INVISIBLE = frozenset([0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x2800, 0x3164,
                        0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])

# Look-alike letters, after NFKC and casefold, mapped to the Latin letter they pass for on a projector:
# a small table in the spirit of Unicode TR39's confusables (which maps far more, including digits; a
# digit is left alone here so that the key of "Sam (2)" is the key of "Sam" plus " (2)"). Cyrillic and
# Greek cover the look-alikes a keyboard layout switch gives; capital I and small l are one letter in the
# app's sans-serif font. Decomposed first, so a look-alike with an accent (Cyrillic ё) maps too.
_LOOK_ALIKE = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "i",
    "ү": "y", "ɡ": "g",
    # Greek
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
    # Latin look-alikes of Latin letters
    "ı": "i", "ɩ": "i", "l": "i", "ɑ": "a",
})
_LOOK_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"))  # two letters that read as one


class NameRejected(ValueError):
    """A name that cannot be shown; the message tells the student what to type instead."""


def _visible(ch: str) -> bool:
    return unicodedata.category(ch)[0] != "C" and ord(ch) not in _INVISIBLE


def clean_display_name(text: str) -> str:
    """Collapse spaces, drop control and invisible characters, and refuse an empty or overlong name."""
    visible = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or _visible(ch))
    name = " ".join(visible.split())
    if not name or not name_key(name):
        raise NameRejected("Type a name for the class to see, for example your first name.")
    if len(name) > MAX_NAME:
        raise NameRejected(f"That name is {len(name)} characters long; use at most {MAX_NAME}.")
    return name


def name_key(name: str) -> str:
    """The name folded for comparison within a class: NFKC (full-width letters, ligatures such as "ﬁ"),
    casefold, invisible characters dropped, spaces collapsed, look-alike letters mapped to one Latin
    letter, at most KEY_LENGTH characters. Two names with one key would look alike to the class.
    ASCII digits, spaces and parentheses keep their own key, so `suffixed` works on keys and names alike."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = "".join(" " if ch.isspace() else ch for ch in folded if ch.isspace() or _visible(ch))
    folded = unicodedata.normalize("NFD", " ".join(folded.split())).translate(_LOOK_ALIKE)
    for pair, one in _LOOK_ALIKE_PAIRS:
        folded = folded.replace(pair, one)
    return unicodedata.normalize("NFC", folded)[:KEY_LENGTH]


def suffixed(name: str, n: int) -> str:
    """The n-th holder of a name: "Sam", "Sam (2)", "Sam (3)"... (for the display name and for its key)."""
    return name if n == 1 else f"{name} ({n})"


def same_name(display_name: str, typed: str) -> bool:
    """Whether typing `typed` names the student shown as `display_name`: the same key, or the key with the suffix
    the class gave them ("Ana (2)" for "ana"). The store finds a browser's own seat by the same rule."""
    key, held = name_key(typed), name_key(display_name)
    return bool(key) and (held == key or held.startswith(key + " ("))
