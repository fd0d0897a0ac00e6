"""Adding a teacher's own text to the document catalog.

The file comes from anywhere (a download, a copy-paste saved by a word processor), so it
is checked before anything is written: UTF-8 text, no NUL bytes, within the catalog's size
limit. Its name in seeds/ is a slug we make, never a path the user gave. catalog.yaml is
appended to as text so its comments survive, then reloaded, and the file's SHA-256 is added to
seeds/SHA256SUMS (which `sha256sum -c` and the tests check, so that a stray edit of a document that
lessons quote word for word is caught); if anything fails, every change is undone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from sourcecheck.authoring.quotes import yaml_scalar
from sourcecheck.lessons.catalog import MAX_DOCUMENT_BYTES, Catalog, DocumentInfo, load_catalog, safe_document_id
from sourcecheck.lessons.problems import LessonProblems

__all__ = ["SUMS", "DocumentError", "add_document", "check_text", "slugify"]

SUMS = "SHA256SUMS"  # the seeds' checksums, one `sha256sum` line per document

_BOM = b"\xef\xbb\xbf"
_MAX_SLUG = 40  # an id a teacher types: long titles are cut at a word boundary
_FIELDS = [name for name in DocumentInfo.model_fields if name != "id"]


class DocumentError(Exception):
    """A reason the file cannot be added, worded for the teacher."""


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits and single hyphens: safe as a file stem and a document id."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) <= _MAX_SLUG:
        return slug
    head = slug[:_MAX_SLUG + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:_MAX_SLUG]


def check_text(raw: bytes, name: str) -> bytes:
    """The bytes to store (a UTF-8 byte-order mark removed), or DocumentError saying what is wrong."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{name} is {len(raw):,} bytes; documents may be at most {MAX_DOCUMENT_BYTES:,} bytes")
    if b"\x00" in raw:
        raise DocumentError(f"{name} looks like a binary file (it contains NUL bytes); save the text as a plain "
                            "UTF-8 .txt file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DocumentError(f"{name} is not UTF-8 text (byte {e.start}); save it as UTF-8 plain text") from e
    if not text.strip():
        raise DocumentError(f"{name} has no text in it")
    return raw.removeprefix(_BOM)


def add_document(seeds: Path, source: Path, info: DocumentInfo) -> DocumentInfo:
    """Copy `source` into `seeds` and list it in catalog.yaml; return the new catalog entry.

    An empty `info.id` means: make one from the title (or the file's name).
    """
    catalog = _load(seeds)
    data = check_text(_read(source), source.name)
    new_id = info.id or slugify(info.title or "") or slugify(source.stem) or "document"
    target = _target(seeds, catalog, new_id)
    catalog_path, sums_path = seeds / "catalog.yaml", seeds / SUMS
    before = catalog_path.read_bytes()
    sums_before = sums_path.read_bytes() if sums_path.exists() else None
    target.write_bytes(data)
    try:
        catalog_path.write_bytes(before + _entry_text(before, new_id, info).encode("utf-8"))
        added = _load(seeds).entries.get(new_id)
        if added is None:
            raise DocumentError("catalog.yaml did not take the new entry; is 'documents:' its last key?")
        sums_path.write_bytes(_with_sum(sums_before or b"", target.name, data))
    except (DocumentError, OSError):
        catalog_path.write_bytes(before)
        if sums_before is None:
            sums_path.unlink(missing_ok=True)
        else:
            sums_path.write_bytes(sums_before)
        target.unlink(missing_ok=True)
        raise
    return added


def _with_sum(sums: bytes, name: str, data: bytes) -> bytes:
    """SHA256SUMS with a line for `name` (`sha256sum`'s format: digest, two spaces, file name), sorted by name."""
    lines = [line for line in sums.decode("ascii", errors="replace").splitlines() if line.strip()]
    lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
    lines.sort(key=lambda line: line.split("  ", 1)[-1])
    return ("\n".join(lines) + "\n").encode("ascii")


def _read(source: Path) -> bytes:
    try:
        if source.stat().st_size > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"{source.name} is {source.stat().st_size:,} bytes; documents may be at most "
                                f"{MAX_DOCUMENT_BYTES:,} bytes")
        return source.read_bytes()
    except OSError as e:
        raise DocumentError(f"cannot read {source}: {e.strerror}") from e


def _load(seeds: Path) -> Catalog:
    try:
        return load_catalog(seeds)
    except LessonProblems as e:
        raise DocumentError("catalog.yaml has problems; fix them first:\n" + "\n".join(
            err.headline() for err in e.errors)) from e
    except OSError as e:
        raise DocumentError(f"cannot read {seeds / 'catalog.yaml'}: {e.strerror}") from e


def _target(seeds: Path, catalog: Catalog, doc_id: str) -> Path:
    if not safe_document_id(doc_id) or len(doc_id) > 128:
        raise DocumentError(f"'{doc_id}' cannot be a document id: use letters, digits, '-', '_' and '.'")
    if doc_id in catalog:
        raise DocumentError(f"a document with id '{doc_id}' is already in the catalog; give this one its own "
                            "--id, or a different --title")
    target = seeds / f"{doc_id}.txt"
    if target.resolve().parent != seeds.resolve():
        raise DocumentError(f"'{doc_id}' cannot be a document id")
    if target.exists():
        raise DocumentError(f"{target} already exists (but is not in the catalog); move it away or pick another --id")
    return target


def _entry_text(before: bytes, doc_id: str, info: DocumentInfo) -> str:
    lines = [f"  - id: {doc_id}"]
    for name in _FIELDS:
        value = getattr(info, name)
        if isinstance(value, bool):
            if value:  # only a text invented for practice says so; a real document leaves the key out
                lines.append(f"    {name}: true")
            continue
        value = " ".join(value.split()) if isinstance(value, str) and value.strip() else None
        lines.append(f"    {name}: {yaml_scalar(value) if value is not None else 'null'}")
    lead = "" if before.endswith(b"\n") or not before else "\n"
    return lead + "\n".join(lines) + "\n"
