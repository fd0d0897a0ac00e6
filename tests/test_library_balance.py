"""Issue 20, "Balance": one standard for both camps, and the library shows it.

The real texts in this bundle that the lessons use as examples of weak sourcing all conclude against the Western
side of the wars they are about, and the one real text used for careful sourcing concludes against the Syrian
government. No lesson takes a side, but a student could still leave thinking that one side sources badly. So
each document in seeds/catalog.yaml states `direction:` (which way its conclusion points, never whether it is
right: see the catalog's header), and these tests hold the library to showing each role on texts of both
directions, and each skill practised in a role on a real text on a text of the other direction too.

A document's role is what the library uses it for: a weak example when more of its quoted passages are tagged
`sourcing: weak` than `strong`, a careful one when more are tagged strong. A skill is practised in a role by a
question on a passage of such a document whose tag is that role's (weak passages of weak examples, strong passages
of careful ones). Texts of direction "neither" (the local reports) take no side, so they count for neither side.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sourcecheck.lessons.catalog import Catalog
from sourcecheck.lessons.loader import Library

SIDES = ("faults-western-side", "faults-russian-syrian-side")
DIRECTIONS = {*SIDES, "neither"}
ROLE_TAG = {"weak example": "weak", "careful example": "strong"}


def roles(library: Library) -> dict[str, str]:
    """Each quoted document's role, from the tags of the passages the lessons quote from it (each passage once)."""
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    seen: set[tuple[str, str]] = set()
    for lesson in library.lessons:
        for placed in lesson.excerpts.values():
            key = (placed.document.info.id, " ".join(placed.excerpt.quote.split()))
            if key not in seen and placed.excerpt.sourcing:
                seen.add(key)
                tags[key[0]][placed.excerpt.sourcing] += 1
    return {doc: role for doc, count in tags.items() for role, tag in ROLE_TAG.items()
            if count[tag] > count["strong" if tag == "weak" else "weak"]}


def sides_by_role(library: Library, catalog: Catalog) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for doc, role in roles(library).items():
        if catalog.entries[doc].direction in SIDES:
            found[role].add(catalog.entries[doc].direction or "")
    return found


def skills_by_role(library: Library, catalog: Catalog) -> dict[str, dict[str, set[tuple[str, bool]]]]:
    """role -> skill -> (direction, invented) of each document whose passages of that role practise it."""
    role_of = roles(library)
    found: dict[str, dict[str, set[tuple[str, bool]]]] = defaultdict(lambda: defaultdict(set))
    for lesson in library.lessons:
        for question in lesson.lesson.questions:
            for placed in lesson.excerpts_for(question):
                info = catalog.entries[placed.document.info.id]
                role = role_of.get(info.id)
                if role and info.direction in SIDES and placed.excerpt.sourcing == ROLE_TAG[role]:
                    found[role][question.skill].add((info.direction or "", info.invented))
    return found


def test_every_document_states_which_way_its_conclusion_points(catalog: Catalog) -> None:
    assert {doc: info.direction for doc, info in catalog.entries.items() if info.direction not in DIRECTIONS} == {}


def test_the_real_texts_fall_as_the_teacher_note_says(library: Library, catalog: Catalog) -> None:
    """The note on the paired lessons' cards explains this: the real weak examples all point one way and the real
    careful one the other. If a real text is added, the note must be read again (and this test changed)."""
    real = {doc: role for doc, role in roles(library).items()
            if not catalog.entries[doc].invented and catalog.entries[doc].direction in SIDES}
    assert {(role, catalog.entries[doc].direction) for doc, role in real.items()} == {
        ("weak example", "faults-western-side"), ("careful example", "faults-russian-syrian-side")}


def test_weak_and_careful_sourcing_each_come_from_texts_of_both_directions(library: Library,
                                                                          catalog: Catalog) -> None:
    assert sides_by_role(library, catalog) == {role: set(SIDES) for role in ROLE_TAG}


def test_each_skill_practised_on_a_real_weak_or_careful_text_is_practised_on_both_directions(
        library: Library, catalog: Catalog) -> None:
    """The issue's pairing: whatever a student practises on a real text's weak (or strong) passages, they also
    practise on weak (or strong) passages of a text whose conclusion points the other way."""
    one_sided = {(role, skill): sorted(direction for direction, _ in found)
                 for role, skills in skills_by_role(library, catalog).items() for skill, found in skills.items()
                 if any(not invented for _, invented in found) and {d for d, _ in found} != set(SIDES)}
    assert one_sided == {}
