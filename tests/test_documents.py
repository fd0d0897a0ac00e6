"""Documents stay byte for byte; quotes and phrases are found as promised and shown in the document's own words."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sourcecheck.lessons.catalog import Catalog, load_catalog, safe_document_id
from sourcecheck.lessons.loader import Library
from sourcecheck.lessons.paths import PROJECT_ROOT
from sourcecheck.lessons.problems import LessonProblems
from sourcecheck.lessons.textmatch import closest_passage, find_all, normalise

# The five real documents as they were received. SHA256SUMS may grow (texts invented for practice are
# listed there too), but these five lines never change.
REAL_DOCUMENTS = {
    "000_7512caa2dcf887b1.txt": "1b78f7702c26cda83f3d3e8404956f5c5a705a6cfcdd35a6bfae536aba208350",
    "001_e8317e33cb15e172.txt": "94d412ce5718b8a9fd49b7e88bc668add3af6beaef1a6f3440e55b184ce45fae",
    "002_a512e606a65f4a3d.txt": "f570c01d3f3509c0c2950cde9827b45d6d8cc91562c84e71cc5e147c6d851790",
    "003_f888a4dcb2dea73e.txt": "c3c8e99fd884cf42f12052c6aef31a50bf9b6927737b37120ffa9938509662c2",
    "004_37a98c5e477193c4.txt": "1f4545b004dcd5cff15112c0a061d9925fb41903dcdae3b0bc9c4c2209c5f305",
}


def test_seeds_are_byte_for_byte_the_documents_as_received(catalog: Catalog) -> None:
    """seeds/SHA256SUMS records each document's hash (`sha256sum -c` checks it too): a stray edit, a changed
    line ending or a re-encoding fails here. The real documents' hashes are pinned here as well, and only a
    text the catalog marks as invented for practice may be added beside them."""
    sums = dict(reversed(line.split("  ")) for line in
                (PROJECT_ROOT / "seeds" / "SHA256SUMS").read_text(encoding="ascii").splitlines())
    assert {name: sums.get(name) for name in REAL_DOCUMENTS} == REAL_DOCUMENTS
    assert sorted(sums) == sorted(f"{doc_id}.txt" for doc_id in catalog.entries)
    for name, digest in sums.items():
        assert hashlib.sha256((PROJECT_ROOT / "seeds" / name).read_bytes()).hexdigest() == digest, name
        assert name in REAL_DOCUMENTS or catalog.entries[name.removesuffix(".txt")].invented, name
    assert not any(catalog.entries[name.removesuffix(".txt")].invented for name in REAL_DOCUMENTS)


def test_catalog_lists_every_seed_and_states_only_what_texts_state(catalog: Catalog) -> None:
    assert sorted(catalog.entries) == sorted(p.stem for p in (PROJECT_ROOT / "seeds").glob("*.txt"))
    for info in catalog.entries.values():
        text = catalog.get(info.id).text
        for value in (info.title, info.outlet, info.author, info.date, info.url):
            if value is not None:
                assert normalise(value).text in normalise(text).text, (info.id, value)


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "a/b", "..", "seeds/../x", "/etc/passwd", ""])
def test_unsafe_document_ids_are_refused(catalog: Catalog, doc_id: str) -> None:
    assert not safe_document_id(doc_id)
    with pytest.raises(KeyError):
        catalog.get(doc_id)


def test_catalog_entry_without_a_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text("documents:\n  - id: ghost\n    title: Nothing here\n", encoding="utf-8")
    with pytest.raises(LessonProblems) as caught:
        load_catalog(tmp_path)
    assert caught.value.errors[0].line == 2
    assert caught.value.errors[0].message == f"no file ghost.txt in {tmp_path}"


def test_normalise_only_whitespace_quotes_and_dashes() -> None:
    assert normalise("“It’s  here” —\n now").text == "\"It's here\" - now"
    assert normalise("Case Stays").text != normalise("case stays").text
    assert normalise("colour").text != normalise("color").text


def test_normalised_offsets_map_back_to_the_original() -> None:
    original = "A  “quoted”\n\nphrase"
    n = normalise(original)
    at = n.text.find('"quoted" phrase')
    start, end = n.span(at, at + len('"quoted" phrase'))
    assert original[start:end] == "“quoted”\n\nphrase"


def test_find_all_and_closest_passage() -> None:
    assert find_all("aXaXa", "a") == [0, 2, 4]
    assert closest_passage("the quick brown fox jumps", "quick brwn fox") == "quick brown fox"


def test_every_bundled_excerpt_is_the_documents_own_text(library: Library) -> None:
    for lesson in library.lessons:
        for placed in lesson.excerpts.values():
            assert placed.text == placed.document.text[placed.start:placed.end]
            assert normalise(placed.text).text == normalise(placed.excerpt.quote).text
            for a in placed.annotations:
                assert normalise(placed.text[a.start:a.end]).text == normalise(a.annotation.text).text


def test_occurrence_picks_a_later_repeat(catalog: Catalog, tmp_path: Path, minimal_text: str) -> None:
    from sourcecheck.lessons.loader import load_lesson

    text = minimal_text.replace(
        "quote: Most alarmingly, officials said, Trump revealed the city",
        "quote: >-\n      Officials said the capability could be useful for other purposes, possibly providing "
        "intelligence on Russia’s presence in Syria. Moscow would be keenly interested in identifying that source",
    ).replace("      - text: officials said\n", "      - text: s\n        occurrence: 3\n")
    path = tmp_path / "occ.yaml"
    path.write_text(text, encoding="utf-8")
    placed = load_lesson(path, catalog).excerpts["officials"]
    [a] = placed.annotations
    third = [i for i, ch in enumerate(placed.text) if ch == "s"][2]
    assert (placed.text[a.start:a.end], a.start) == ("s", third)
