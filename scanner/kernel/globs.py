"""REUSE.toml path globs: the one place that says whether a REUSE glob covers a path.

The analysis (which licence REUSE gives a file that has none) and the rules (whether REUSE
covers a document) both ask; they must get the same answer. The rules follow the REUSE
specification (3.2 and 3.3, "REUSE.toml"), as the REUSE tool implements them:

- `*` matches everything except forward slashes: it stays within a folder;
- `**` and `**/` match everything, forward slashes included (`**/*.md` covers README.md too);
- `\\*` is a literal star, `\\\\` a literal backslash, and a backslash before any other
  character is that character (the backslashes of the TOML text already decoded);
- every other character, `?` included, is itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_GLOBS: dict[str, Callable[[str], bool]] = {}

#: A glob with more wildcards than this is matched without a regular expression, whose
#: backtracking grows as the path's length to the power of the wildcards: a hostile REUSE.toml
#: path such as "**a**a**a**a**a**c" would stall a scan for hours.
_REGEX_WILDCARDS = 2

_STAR, _DSTAR, _LITERAL = "*", "**", ""


def reuse_glob_match(glob: str, path: str) -> bool:
    """Whether a REUSE.toml path glob covers a relative path (see the module docstring); dep5
    globs are stored converted to this syntax."""
    matcher = _GLOBS.get(glob)
    if matcher is None:
        matcher = _GLOBS[glob] = _glob_matcher(glob)
    return matcher(path.removeprefix("./"))


def _glob_tokens(glob: str) -> list[tuple[str, str]]:
    """The glob as (kind, character) tokens: a wildcard, or one literal character."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(glob):
        if glob[i] == "\\":
            if i + 1 < len(glob):  # an escaped character is itself; a trailing backslash is dropped
                tokens.append((_LITERAL, glob[i + 1]))
            i += 2
        elif glob.startswith("**", i):
            tokens.append((_DSTAR, ""))
            i += 2
            while glob.startswith("*", i):  # *** is **
                i += 1
            if glob.startswith("/", i):  # **/ may match nothing at all, as REUSE says
                i += 1
        elif glob[i] == _STAR:
            tokens.append((_STAR, ""))
            i += 1
        else:
            tokens.append((_LITERAL, glob[i]))
            i += 1
    return tokens


def _glob_matcher(glob: str) -> Callable[[str], bool]:
    tokens = _glob_tokens(glob)
    if sum(kind in (_STAR, _DSTAR) for kind, _ in tokens) > _REGEX_WILDCARDS:
        return lambda path: _glob_steps(tokens, path)
    regex = {_STAR: "[^/]*", _DSTAR: ".*"}
    pattern = re.compile(
        "".join(re.escape(ch) if kind == _LITERAL else regex[kind] for kind, ch in tokens) + r"\Z",
        re.DOTALL,
    )
    return lambda path: pattern.match(path) is not None


def _glob_steps(tokens: list[tuple[str, str]], path: str) -> bool:
    """Match by following every position the glob can be in at once, character by character:
    time grows with the path's length times the glob's, never exponentially."""
    end = len(tokens)

    def with_empty_wildcards(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < end and tokens[i][0] in (_STAR, _DSTAR) and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    states = with_empty_wildcards({0})
    for ch in path:
        following: set[int] = set()
        for i in states:
            if i == end:
                continue
            kind, literal = tokens[i]
            if kind == _LITERAL:
                if ch == literal:
                    following.add(i + 1)
            elif kind == _DSTAR or ch != "/":
                following.add(i)
        if not following:
            return False
        states = with_empty_wildcards(following)
    return end in states
