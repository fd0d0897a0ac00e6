"""Hostile lesson files, shared by the security tests: each must be refused with one clear message.

Every case is bytes as a file would hold them, the words its one message must contain, and the
line it must point at (0: the whole file).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CASES", "Hostile"]


@dataclass(frozen=True)
class Hostile:
    name: str
    raw: bytes
    says: str  # words the one message contains
    line: int | None  # None: any line of the file
    alone: bool = True  # the only problem reported (False: a schema problem, listed with the others)


def _alias_bomb() -> bytes:
    """The 'billion laughs': ten levels of nine aliases each, 10**9 strings once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


def _block_nesting(levels: int) -> bytes:
    """Mappings nested by indentation, the way a teacher's editor would write them."""
    return "".join(f"{'  ' * n}k{n}:\n" for n in range(levels)).encode() + b"  " * levels + b"end\n"


CASES = (
    Hostile("alias bomb", _alias_bomb(), "anchors and aliases", 1),
    Hostile("20,000 nested [", b"title: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "nested more than 40", 1),
    Hostile("3,000 nested {a:", b"{a: " * 3000 + b"1" + b"}" * 3000 + b"\n", "nested more than 40", 1),
    Hostile("8,000 nested [ in a short file", b"title: " + b"[" * 8000 + b"]" * 8000 + b"\n", "nested more than 40",
            1),
    Hostile("100 levels of indented keys", _block_nesting(100), "nested more than 40", 41),
    Hostile("a 2 MB scalar", b"title: " + b"x" * 2_000_000 + b"\n", "at most 1,000,000 bytes", 0),
    Hostile("a 900 kB title", b"id: big\ntitle: " + b"x" * 900_000 + b"\n", "title is too long", 2, alone=False),
    Hostile("!!python/object/apply", b'id: !!python/object/apply:os.system ["touch /tmp/sourcecheck-pwned"]\n',
            "unsupported YAML tag '!!python/object/apply:os.system'", 1),
    Hostile("!!python/name", b"id: !!python/name:os.system\n", "unsupported YAML tag '!!python/name:os.system'", 1),
    Hostile("a local tag", b"id: !evil {x: 1}\n", "unsupported YAML tag '!evil'", 1),
    Hostile("Latin-1 bytes", b"id: caf\xe9\ntitle: x\n", "not UTF-8", 0),
    Hostile("UTF-16", "id: x\ntitle: y\n".encode("utf-16"), "not UTF-8", 0),
    Hostile("a NUL byte", b"id: a\x00b\n", "control character U+0000", 1),
    Hostile("250,000 list items", b"title:\n" + b"- 1\n" * 249_000, "more than 20,000 values", None),
)
