"""Reading the small files that declare a licence: bounded, never through a symlink.

Manifests, publiccode.yml, REUSE.toml, dep5 and `.license` sidecars are small; a file larger
than MAX_DECLARATION_BYTES is refused rather than read whole, and a link is never followed (it may
point out of the checkout). A parse failure becomes one line of text on the DeclaredSource, never
an exception.
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner.kernel.limits import MAX_DECLARATION_BYTES

# Manifests and other declaration files are small; anything larger is not read whole.


def read_small_text(path: Path) -> str:
    if path.is_symlink():  # may point outside the checkout: never followed
        raise ValueError("is a symbolic link")
    if os.path.realpath(path.parent) != os.path.abspath(path.parent):
        raise ValueError("lies in a symbolically linked folder")  # checkouts are resolved paths
    with path.open("rb") as handle:
        data = handle.read(MAX_DECLARATION_BYTES + 1)
    if len(data) > MAX_DECLARATION_BYTES:
        raise ValueError(f"larger than {MAX_DECLARATION_BYTES} bytes")
    return data.decode("utf-8", errors="replace")


#: Nesting a declaration file may have ([, {, ( and < levels): real manifests use a handful.
MAX_NESTING = 100

#: The longest line a declaration file may have: a longer one is data, not a declaration
#: (a setup.py of one 300,000-character line exhausts Python's parser).
MAX_LINE_CHARS = 20_000

_OPENERS = frozenset("[{(")
_CLOSERS = frozenset("]})")


def check_shape(text: str, max_line: int | None = None) -> None:
    """Refuse, before any parser sees it, text nested deeper than MAX_NESTING brackets or
    (when `max_line` is given) with a longer line: parsers recurse (json, tomllib, ast) and
    raise RecursionError or MemoryError, or take the process's memory, on such input."""
    if max_line is not None:
        longest = max(map(len, text.split("\n")), default=0)
        if longest > max_line:
            raise ValueError(f"a line of {longest} characters (at most {max_line})")
    depth = 0
    for char in text:
        if char in _OPENERS:
            depth += 1
            if depth > MAX_NESTING:
                raise ValueError(f"nested deeper than {MAX_NESTING} levels")
        elif char in _CLOSERS and depth:
            depth -= 1


def parse_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"cannot be parsed: {text}"[:300]
