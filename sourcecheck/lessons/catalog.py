"""The document catalog: seeds/catalog.yaml plus the .txt files beside it.

Document ids come from lesson files written by anyone, so an id is only ever resolved
to a file directly inside the seeds folder: no separators, no '..', no symlinks out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from sourcecheck.lessons.glossary import FILE_NAME as GLOSSARY_FILE
from sourcecheck.lessons.glossary import Glossary, GlossaryEntry, load_glossary
from sourcecheck.lessons.problems import LessonError, LessonProblems
from sourcecheck.lessons.rules import is_document_id
from sourcecheck.lessons.textmatch import Normalised, normalise
from sourcecheck.lessons.yaml_reader import SourceError, parse_yaml

__all__ = ["INVENTED", "Catalog", "Document", "DocumentInfo", "load_catalog", "safe_document_id"]

MAX_DOCUMENT_BYTES = 2_000_000
INVENTED = "invented for practice"


class DocumentInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    kind: str | None = None
    # ours, like description: which way the text's conclusion points in a political dispute, or "neither"
    # (seeds/catalog.yaml lists the values the bundle uses); the balance test reads it, the app never shows it
    direction: str | None = None
    invented: bool = False  # written for SourceCheck as practice: the app says so wherever it credits the text
    description: str | None = None

    @property
    def display_title(self) -> str:
        """The title, or for a document that states none (the catalog never invents one) what kind of text it is,
        as words that read in a sentence ("From an untitled scholarly blog"); never the file's id, which means
        nothing to a reader."""
        return self.title or f"an untitled {' '.join((self.kind or 'document').split())}"

    @property
    def credit(self) -> str:
        """Where a passage comes from, in plain words: the title in quotes (or "an untitled opinion column"),
        then outlet, author and date where the catalog states them. The app, the catalog cards and every export
        say it this way, so a text invented for practice is called that everywhere it is credited."""
        title = f"“{self.display_title}”" if self.title else self.display_title
        parts = [title] + [p for p in (self.outlet, self.author, self.date) if p]
        credit = ", ".join(" ".join(p.split()) for p in parts)
        return f"{credit} ({INVENTED})" if self.invented else credit


@dataclass(frozen=True)
class Document:
    info: DocumentInfo
    text: str
    glossary: tuple[GlossaryEntry, ...] = ()  # the library glossary's entries that appear in this text

    def terms_in(self, start: int, end: int) -> tuple[GlossaryEntry, ...]:
        """The glossary entries that appear in text[start:end]: what to explain beside that excerpt."""
        return Glossary(self.glossary).in_text(self.text[start:end]) if self.glossary else ()

    @cached_property
    def normalised(self) -> Normalised:
        return normalise(self.text)

    def paragraphs_around(self, start: int, end: int, *, extra: int = 1) -> tuple[int, int]:
        """Bounds of the paragraphs holding [start, end), widened by `extra` paragraphs each side."""
        lo, hi = start, end
        for _ in range(extra + 1):
            lo = self.text.rfind("\n\n", 0, max(lo - 1, 0))
            lo = 0 if lo == -1 else lo + 2
        for _ in range(extra + 1):
            found = self.text.find("\n\n", hi + 1)
            hi = len(self.text) if found == -1 else found
        return lo, hi


def safe_document_id(doc_id: str) -> bool:
    return is_document_id(doc_id)


@dataclass
class Catalog:
    folder: Path
    entries: dict[str, DocumentInfo]
    _texts: dict[str, Document] = field(default_factory=dict)
    glossary: Glossary = Glossary()

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and doc_id in self.entries

    def get(self, doc_id: str) -> Document:
        """The document, read once; KeyError if the id is not in the catalog or unsafe."""
        if doc_id not in self.entries or not safe_document_id(doc_id):
            raise KeyError(doc_id)
        if doc_id not in self._texts:
            path = (self.folder / f"{doc_id}.txt").resolve()
            if path.parent != self.folder.resolve():
                raise KeyError(doc_id)
            text = path.read_text(encoding="utf-8")
            self._texts[doc_id] = Document(self.entries[doc_id], text, self.glossary.in_text(text))
        return self._texts[doc_id]


def load_catalog(folder: Path) -> Catalog:
    """Read seeds/catalog.yaml (every entry must name a UTF-8 .txt file in the same folder) and, beside it,
    the library's glossary.yaml when there is one."""
    path = folder / "catalog.yaml"
    try:
        source = parse_yaml(path.read_bytes())
    except SourceError as e:
        raise LessonProblems([LessonError(str(path), e.line, e.column, e.message)]) from e
    raw = source.data.get("documents") if isinstance(source.data, dict) else None
    if not isinstance(raw, list):
        raise LessonProblems([LessonError(str(path), 1, 1, "catalog needs a 'documents:' list")])
    entries: dict[str, DocumentInfo] = {}
    problems: list[LessonError] = []
    for i, item in enumerate(raw):
        line, col = source.position(["documents", i])
        try:
            info = DocumentInfo.model_validate(item)
        except ValidationError as e:
            problems.append(LessonError(str(path), line, col, f"bad catalog entry: {e.errors()[0]['msg']}"))
            continue
        problem = _entry_problem(folder, info, entries)
        if problem:
            problems.append(LessonError(str(path), line, col, problem))
        else:
            entries[info.id] = info
    if problems:
        raise LessonProblems(problems)
    if not (folder / GLOSSARY_FILE).is_file():
        return Catalog(folder, entries)
    texts = {doc_id: (folder / f"{doc_id}.txt").read_text(encoding="utf-8") for doc_id in entries}
    glossary = load_glossary(folder, texts.values())
    documents = {doc_id: Document(entries[doc_id], text, glossary.in_text(text)) for doc_id, text in texts.items()}
    return Catalog(folder, entries, documents, glossary)


def _entry_problem(folder: Path, info: DocumentInfo, seen: dict[str, DocumentInfo]) -> str | None:
    if not safe_document_id(info.id):
        return f"document id '{info.id}' must be a plain file stem (letters, digits, '_', '-', '.')"
    if info.id in seen:
        return f"document id '{info.id}' is listed twice"
    file = folder / f"{info.id}.txt"
    if not file.is_file() or file.resolve().parent != folder.resolve():
        return f"no file {info.id}.txt in {folder}"
    if file.stat().st_size > MAX_DOCUMENT_BYTES:
        return f"{info.id}.txt is larger than {MAX_DOCUMENT_BYTES:,} bytes"
    return None

