"""Holders as the file writes them: scancode's copyright detection reads ASCII only.

scancode transliterates each line before it parses copyright statements ("Københavns Kommune"
becomes "Kobenhavns Kommune", "Ærø" becomes "AEro") and its grammar stops at words it does not
take for names, so "OS2 - Offentligt digitaliseringsfællesskab" comes back as "OS2 -
Offentligt". `restore_holder` finds the holder scancode reported in the original line, returns
it in the file's own spelling, and takes in the words right after it that scancode dropped
because of their letters (words with letters outside ASCII); ASCII words it dropped stay
dropped, because they are mostly the prose that follows a statement ("Foo Inc. This program").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

Transliterate = Callable[[str], str]

#: A word after the holder that scancode may have dropped for its letters.
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'-]*)", re.UNICODE)


def _ascii_map(line: str, transliterate: Transliterate) -> tuple[str, list[int]]:
    """The line transliterated, and for each character of it the index of the original one."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(line):
        converted = char if char.isascii() else transliterate(char)
        out.append(converted)
        origin.extend([index] * len(converted))
    return "".join(out), origin


def restore_holder(
    holder: str, lines: Sequence[str], start_line: int, end_line: int, transliterate: Transliterate
) -> str:
    """`holder` (as scancode reported it for lines start_line..end_line, 1-based) in the file's
    own spelling, with the non-ASCII words scancode dropped after it; `holder` unchanged when
    it cannot be found in those lines."""
    wanted = " ".join(holder.split())
    if not wanted:
        return holder
    for number in range(max(start_line, 1), min(end_line, len(lines)) + 1):
        line = lines[number - 1]
        if line.isascii():
            if wanted in " ".join(line.split()):
                return wanted
            continue
        converted, origin = _ascii_map(line, transliterate)
        at = converted.find(wanted)
        if at < 0:
            continue
        end = at + len(wanted)
        first, last = origin[at], origin[end - 1]
        # a word cut in two by the transliteration ("Kobenhavn|s") ends where the original does
        while last + 1 < len(line) and (line[last + 1].isalnum()) and not line[last + 1].isascii():
            last += 1
        restored = line[first : last + 1]
        rest = line[last + 1 :]
        while (match := _NEXT_WORD.match(rest)) and not match.group(1).isascii():
            restored += match.group(0)
            rest = rest[match.end() :]
        return " ".join(restored.split())
    return holder


def holders_as_written(text: str, holders: Iterable[dict[str, Any]]) -> list[str]:
    """scancode's holder results (`{"holder", "start_line", "end_line"}`) in the file's own
    spelling (see `restore_holder`), using the transliteration scancode itself applies."""
    found = list(holders)
    if not found:
        return []
    if text.isascii():
        return [h["holder"] for h in found]
    from commoncode.text import toascii

    lines = text.splitlines()
    return [
        restore_holder(
            h["holder"],
            lines,
            int(h.get("start_line") or 0),
            int(h.get("end_line") or 0),
            lambda char: toascii(char, translit=True),
        )
        for h in found
    ]
