"""Safe YAML reading that keeps where every value came from.

PyYAML's composer gives each node a start mark; we keep the node tree beside the plain
data so that any problem found later (by pydantic or by our own checks) can be reported
at the line and column of the key or value it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import yaml

from sourcecheck.lessons.rules import too_big

__all__ = ["SourceError", "YamlSource", "parse_yaml"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 40  # lists and mappings inside each other; a lesson needs about 6
# libyaml's composer recurses in C: about 25,000 levels overflow the stack and kill the whole server.
# Nesting takes at least 2 bytes a level, so a file this short cannot get near that; longer ones are
# scanned event by event (a flat loop) before they are composed, and so are short ones with more
# brackets than the depth limit (8,000 nested '[' in 16 kB took 150-250 ms to compose, then refuse).
_SCAN_ABOVE = 16_384
_TOO_DEEP = f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; a lesson needs about 6"
# Values (keys, texts, numbers, lists, mappings); the longest bundled lesson has about 730. A 1 MB file of
# 250,000 one-character items took 3 s to build and validate; the scan stops it at the limit instead.
MAX_NODES = 20_000
_TOO_MANY = f"the file holds more than {MAX_NODES:,} values by here; a lesson has about 1,000"


class _Mark(Protocol):
    line: int
    column: int


class SourceError(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass(frozen=True)
class YamlSource:
    text: str
    data: object
    root: yaml.Node | None

    def line_text(self, line: int) -> str | None:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else None

    def position(self, loc: Sequence[str | int], *, at_key: bool = False,
                 word: int | None = None) -> tuple[int, int]:
        """The 1-based line and column of the value at `loc` (or of its key, with at_key; or of the value's
        word number `word`, counted from 0, where a text value is written so that its words can be found).

        Path steps that are not in the tree (pydantic's union tags, a missing key) stop the
        walk, so the position falls back to the nearest existing parent.
        """
        node, key_node = self.root, None
        for step in loc:
            child = _child(node, step)
            if child is None:
                continue
            key_node, node = child
        target = key_node if at_key and key_node is not None else node
        if target is None:
            return 1, 1
        if word is not None and isinstance(target, yaml.ScalarNode) and (at := self._word_at(target, word)):
            return at
        return target.start_mark.line + 1, target.start_mark.column + 1

    def _word_at(self, node: yaml.ScalarNode, word: int) -> tuple[int, int] | None:
        """Line and column of the value's word number `word` in the file. Folding and plain lines change only
        the spaces between words, so the file's words are the value's; where they are not (escapes in a
        double-quoted text), None, and the caret stays at the value's start."""
        lines = self.text.splitlines()
        start, end = node.start_mark, node.end_mark
        if node.style in (">", "|"):  # the words start below the `>-` line, which may hold a comment
            start_line, start_column = start.line + 1, 0
        else:
            start_line, start_column = start.line, start.column
        found: list[tuple[int, int]] = []
        for number in range(start_line, min(end.line, len(lines) - 1) + 1):
            line = lines[number]
            stop = end.column if number == end.line else len(line)
            begin = start_column if number == start_line else 0
            found += [(number + 1, begin + m.start() + 1) for m in re.finditer(r"\S+", line[begin:stop])]
        if len(found) != len(str(node.value).split()) or not 0 <= word < len(found):
            return None
        return found[word]


    def in_flow_list(self, loc: Sequence[str | int]) -> bool:
        """Whether the item at `loc` sits in a `[...]` list (as against one item per `- ` line)."""
        node = self.root
        for step in loc[:-1]:
            child = _child(node, step)
            if child is None:
                return False
            node = child[1]
        return isinstance(node, yaml.SequenceNode) and bool(node.flow_style)


def _child(node: yaml.Node | None, step: str | int) -> tuple[yaml.Node | None, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == step:
                return key, value
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None


def parse_yaml(raw: bytes) -> YamlSource:
    """Parse one YAML document safely: size-capped, UTF-8 only, no anchors or aliases, no duplicate keys."""
    if (message := too_big(len(raw))) is not None:
        raise SourceError(0, 0, message)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise SourceError(0, 0, f"file is not UTF-8 text (byte {e.start}); save it as UTF-8") from e
    if len(text) > _SCAN_ABOVE or "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        _scan_events(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        raise _syntax_error(e, text) from e
    except yaml.reader.ReaderError as e:
        raise _unreadable(e, text) from e
    if root is None:
        raise SourceError(1, 1, "the file is empty: a lesson starts with 'id:', 'title:' and the other keys in "
                          "docs/lesson-format.md (python -m sourcecheck new writes a complete example)")
    loader = _Loader("")
    return YamlSource(text, _construct(root, loader, 0), root)


def _scan_events(text: str) -> None:
    """Refuse anchors and aliases, which can blow a small file up into a huge object (the 'billion laughs'),
    nesting deep enough to crash the composer, and more values than a lesson could hold; lessons never need
    any of them."""
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise SourceError(*_where(event.start_mark), "YAML anchors and aliases (&name, *name) are not "
                                  "allowed in lessons; write the value out in full")
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise SourceError(*_where(event.start_mark), _TOO_MANY)
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise SourceError(*_where(event.start_mark), _TOO_DEEP)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as e:
        raise _syntax_error(e, text) from e
    except yaml.reader.ReaderError as e:
        raise _unreadable(e, text) from e


def _unreadable(e: yaml.reader.ReaderError, text: str) -> SourceError:
    """A character YAML refuses to read (a NUL or another control character): PyYAML gives only its offset."""
    before = text[:e.position]
    line = before.count("\n") + 1
    column = e.position - (before.rfind("\n") + 1) + 1
    code = e.character if isinstance(e.character, int) else ord(str(e.character)[:1] or "\0")
    return SourceError(line, column, f"the file holds the control character U+{code:04X}, which YAML does not "
                       "allow; delete it (it is often left by copying from another program)")


def _where(mark: _Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _syntax_error(e: yaml.MarkedYAMLError, text: str) -> SourceError:
    mark = e.problem_mark or e.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = e.problem or "invalid YAML"
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    indented_key = re.fullmatch(r"(\s+)[\w-]+", source[:max(column - 1, 0)])
    if problem == "mapping values are not allowed in this context" and indented_key:
        column = len(indented_key.group(1)) + 1  # point at the key, where the fix is
    if problem in _LESS_INDENTED and (short := _indented_too_little(text.splitlines(), line - 1)):
        return SourceError(line, column, f"YAML syntax error: {short}")
    return SourceError(line, column, f"YAML syntax error: {_explain(problem, e.context, source, column)}")


# What PyYAML says of a key indented less than the keys beside it: it reads the mapping above as ended, and
# then wants the '-' of the next list item or a key of an outer mapping. Neither is the fix.
_LESS_INDENTED = ("did not find expected '-' indicator", "did not find expected key")
_KEY_LINE = re.compile(r"( *)((?:- +)*)([\w-]+):(?: |$)")


def _indented_too_little(lines: list[str], number: int) -> str | None:
    """"'correct:' is indented 7 spaces, its siblings 8" when line `number` (0-based) is a key that starts to
    the left of the keys of the mapping it sits in: the nearest lines above, up to the line that opens that
    mapping (whose own start is further left); None when the line is not such a key."""
    here = _KEY_LINE.match(lines[number]) if number < len(lines) else None
    if here is None or here.group(2):
        return None
    indent = len(here.group(1))
    siblings: list[int] = []
    for above in reversed(lines[:number]):
        key = _KEY_LINE.match(above)
        if key is None:
            if above.strip() and not above.lstrip().startswith("#") and len(above) - len(above.lstrip()) < indent:
                return None  # a text line further left: not inside a mapping we can read
            continue
        start, key_column = len(key.group(1)), len(key.group(1)) + len(key.group(2))
        if key_column > indent:
            siblings.append(key_column)
        if start < indent:
            break
    if not siblings:
        return None
    return (f"'{here.group(3)}:' is indented {_spaces(indent)}, its siblings {min(siblings)}: indent it like the "
            "lines above")


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _explain(problem: str, context: str | None, source: str, column: int) -> str:
    """Say what is wrong in a teacher's words; PyYAML's wording names the parser's state, not the fix."""
    if "\t" in source[:len(source) - len(source.lstrip())] or "'\\t'" in problem or "tab" in problem:
        return "this line is indented with a tab; YAML needs spaces: replace the tab with spaces"
    if problem == "mapping values are not allowed in this context":
        key = re.match(r"(\s+)([\w-]+):", source) if column == len(source) - len(source.lstrip()) + 1 else None
        if key:  # `  summary:` below `title:` - the key is simply indented too far
            return (f"'{key.group(2)}:' is indented more than the key above it, so YAML reads it as part of that "
                    f"value; start it in the same column as the other keys at its level")
        return ("a value contains ': ' — put the whole value in quotes, or use '>-' and write it on the "
                "next lines")
    return f"{problem}{f' {context}' if context else ''}; check the indentation and quoting on this line"


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


def _construct(node: yaml.Node, loader: yaml.SafeLoader, depth: int) -> object:
    """`depth`: the lists and mappings around `node`, counted as `_scan_events` counts them, so that a file
    gets the same answer whether or not it was long enough to be scanned first."""
    if not isinstance(node, yaml.ScalarNode) and depth >= MAX_DEPTH:
        raise SourceError(*_where(node.start_mark), _TOO_DEEP)
    if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_TAGS:
        mark = node.start_mark
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise SourceError(mark.line + 1, mark.column + 1, f"unsupported YAML tag '{tag}'; remove it")
    if isinstance(node, yaml.MappingNode):
        out: dict[object, object] = {}
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, loader, depth + 1)
            if not isinstance(key, (str, int, bool)) or key is None:
                mark = key_node.start_mark
                raise SourceError(mark.line + 1, mark.column + 1, "keys must be plain words")
            if key in seen:
                mark = key_node.start_mark
                raise SourceError(mark.line + 1, mark.column + 1,
                                  f"duplicate key '{key}' (first given on line {seen[key]}); keep only one")
            seen[key] = key_node.start_mark.line + 1
            out[key] = _construct(value_node, loader, depth + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(child, loader, depth + 1) for child in node.value]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as e:
        mark = node.start_mark
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise SourceError(mark.line + 1, mark.column + 1, f"unsupported YAML tag '{tag}'; remove it") from e
