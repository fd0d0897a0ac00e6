"""add-document records the new text's SHA-256 in seeds/SHA256SUMS, so the checksums (`sha256sum -c`, and
tests/test_documents.py) keep covering every document, and undoes it with the rest when the catalog refuses."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sourcecheck.cli import main
from sourcecheck.lessons.paths import PROJECT_ROOT

NEWS = "Council approves new library\n\nThe town council voted on Monday to build a new library.\n"


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(PROJECT_ROOT / "seeds", folder)
    return folder


def _add(seeds: Path, text: bytes, *args: str) -> object:
    source = seeds.parent / "article.txt"
    source.write_bytes(text)
    return CliRunner().invoke(main, ["add-document", str(source), "--seeds", str(seeds), *args])


def _sums(seeds: Path) -> dict[str, str]:
    return {name: digest for digest, name in (line.split("  ", 1) for line in
                                              (seeds / "SHA256SUMS").read_text(encoding="ascii").splitlines())}


def test_the_new_document_is_in_sha256sums_and_every_sum_still_checks(seeds: Path) -> None:
    before = _sums(seeds)
    result = _add(seeds, b"\xef\xbb\xbf" + NEWS.encode(), "--title", "Council approves new library", "--id",
                  "library-vote", "--invented")
    assert result.exit_code == 0, result.output
    after = _sums(seeds)
    assert after == before | {"library-vote.txt": hashlib.sha256(NEWS.encode()).hexdigest()}  # the stored bytes
    for name, digest in after.items():
        assert hashlib.sha256((seeds / name).read_bytes()).hexdigest() == digest, name
    names = [line.split("  ", 1)[1] for line in (seeds / "SHA256SUMS").read_text(encoding="ascii").splitlines()]
    assert names == sorted(names)


def test_a_refused_catalog_entry_leaves_sha256sums_as_it_was(seeds: Path) -> None:
    """A catalog written as one `{documents: [...]}` line loads, but an entry appended below it does not."""
    catalog = yaml.safe_load((seeds / "catalog.yaml").read_text(encoding="utf-8"))
    (seeds / "catalog.yaml").write_text(yaml.safe_dump(catalog, default_flow_style=True, width=10**6),
                                        encoding="utf-8")
    before = (seeds / "SHA256SUMS").read_bytes()
    result = _add(seeds, NEWS.encode(), "--title", "Council approves new library", "--id", "library-vote")
    assert result.exit_code == 1 and "fix them first" in result.stderr, result.output
    assert (seeds / "SHA256SUMS").read_bytes() == before
    assert not (seeds / "library-vote.txt").exists()


def test_a_seeds_folder_without_sums_gets_one(seeds: Path) -> None:
    (seeds / "SHA256SUMS").unlink()
    result = _add(seeds, NEWS.encode(), "--title", "Council approves new library", "--id", "library-vote")
    assert result.exit_code == 0, result.output
    assert _sums(seeds) == {"library-vote.txt": hashlib.sha256(NEWS.encode()).hexdigest()}
