"""Text the detector can read, made from files that would otherwise hide from it.

Two kinds of file slip past a detector that reads bytes as UTF-8 lines:

- Text in UTF-16 or UTF-32 (with a byte order mark, or without one but with the shape: ASCII
  letters alternating with NUL bytes). It looks binary; os2scan decodes it and scans a UTF-8
  copy under the same name.
- Files of giant lines (a 5 MB minified bundle on one line). Matching them whole takes
  gigabytes and minutes; os2scan scans their start (where bundled code states its licence) and
  windows around every licence and copyright hint instead, each window on its own line, and
  maps the lines found back to the file's own.

A text file with a stray NUL byte is text too (`looks_like_text`), so it is classified and
scanned like any other.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

#: Byte order marks, longest first (UTF-32's little-endian mark starts with UTF-16's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

#: Without a mark: (encoding, step, positions that are NUL in ASCII text, position that is not).
_SHAPES = (
    ("utf-32-le", 4, (1, 2, 3), 0),
    ("utf-32-be", 4, (0, 1, 2), 3),
    ("utf-16-le", 2, (1,), 0),
    ("utf-16-be", 2, (0,), 1),
)

#: How much of a file's start decides its encoding.
SAMPLE_BYTES = 4096

#: A file of at least this many characters with a line of at least GIANT_LINE_CHARS is scanned
#: as an excerpt: its first EXCERPT_HEAD characters and WINDOW_CHARS around each hint, at most
#: EXCERPT_MAX characters in all.
GIANT_FILE_CHARS = 512 * 1024
GIANT_LINE_CHARS = 20_000
EXCERPT_HEAD = 64 * 1024
WINDOW_CHARS = 1500
EXCERPT_MAX = 512 * 1024

#: Text with a stray NUL must be at least this long to tell it from a small binary.
STRAY_NUL_MIN_BYTES = 256

_TEXT_BYTES = frozenset({9, 10, 12, 13, *range(32, 127), *range(128, 256)})


def wide_encoding(head: bytes) -> str | None:
    """"utf-16-le", "utf-32-be", ... when `head` (a file's first bytes) is text in UTF-16 or
    UTF-32, by its byte order mark or by its shape; None otherwise."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    sample = head[:SAMPLE_BYTES]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 16:
        return None
    for encoding, step, zero_positions, letter_position in _SHAPES:
        letters = sample[letter_position::step]
        if letters.count(0) > len(letters) // 10:
            continue
        if all(
            sample[p::step].count(0) >= 0.9 * len(sample[p::step]) for p in zero_positions
        ):
            return encoding
    return None


def looks_like_text(head: bytes) -> bool:
    """True for text that holds NUL bytes: UTF-16/32, or text with a few stray NULs (which a
    binary check on "any NUL" would otherwise use to hide a licence header)."""
    if wide_encoding(head):
        return True
    sample = head[:SAMPLE_BYTES]
    nuls = sample.count(0)
    if len(sample) < STRAY_NUL_MIN_BYTES or nuls > max(1, len(sample) // 200):
        return False
    texty = sum(1 for byte in sample if byte in _TEXT_BYTES)
    return texty >= 0.95 * (len(sample) - nuls)


@dataclass(frozen=True)
class Readable:
    """What the detector reads for one file: a path (the file or a same-named copy), its bytes,
    and for an excerpt the file's line number of each of the copy's lines."""

    path: str
    data: bytes
    line_map: tuple[int, ...] | None = None

    def line(self, number: int) -> int:
        """The file's own line number of the copy's line `number`."""
        if self.line_map is None or number <= 0:
            return number
        return self.line_map[min(number, len(self.line_map)) - 1]


_HINTS: tuple[re.Pattern[str], ...] = ()


def _hint_patterns() -> tuple[re.Pattern[str], ...]:
    global _HINTS
    if not _HINTS:
        from scanner.analysis.prefilter import COPYRIGHT_HINT, LICENSE_HINT

        _HINTS = (LICENSE_HINT, COPYRIGHT_HINT)
    return _HINTS


def excerpt(text: str) -> tuple[str, tuple[int, ...]] | None:
    """The excerpt of a file of giant lines and the file's line of each excerpt line, or None
    when the file is not one."""
    if len(text) < GIANT_FILE_CHARS:
        return None
    if max(map(len, text.split("\n"))) < GIANT_LINE_CHARS:
        return None
    head = text[:EXCERPT_HEAD]
    pieces = [head]
    line_map = list(range(1, head.count("\n") + 2))
    spans: list[tuple[int, int]] = []
    for pattern in _hint_patterns():
        for match in pattern.finditer(text, len(head)):
            spans.append((max(len(head), match.start() - WINDOW_CHARS), match.end() + WINDOW_CHARS))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    total = len(head)
    offset, line = 0, 1
    for start, end in merged:
        chunk = text[start:end].replace("\r", " ").replace("\n", " ")
        if total + len(chunk) > EXCERPT_MAX:
            break
        line += text.count("\n", offset, start)
        offset = start
        pieces.append(chunk)
        line_map.append(line)
        total += len(chunk)
    return "\n".join(pieces), tuple(line_map)


@contextlib.contextmanager
def readable(path: str, data: bytes) -> Iterator[Readable]:
    """The file as the detector should read it: the file itself, or (for wide encodings and
    giant lines) a UTF-8 copy with the same name in a temporary folder, removed afterwards."""
    encoding = wide_encoding(data[:SAMPLE_BYTES])
    text = None
    if encoding is not None:
        text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    elif len(data) >= GIANT_FILE_CHARS and max(map(len, data.split(b"\n"))) >= GIANT_LINE_CHARS:
        text = data.decode("utf-8", errors="surrogateescape")
    cut = excerpt(text) if text is not None else None
    if text is None or (encoding is None and cut is None):
        yield Readable(path, data)
        return
    line_map = None
    if cut is not None:
        text, line_map = cut
    copy_data = text.encode("utf-8", errors="surrogateescape")
    with tempfile.TemporaryDirectory(prefix="os2scan-") as folder:
        copy = Path(folder) / PurePath(path).name  # same name: scancode reads it the same way
        copy.write_bytes(copy_data)
        yield Readable(str(copy), copy_data, line_map)
