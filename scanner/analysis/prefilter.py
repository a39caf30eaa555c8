"""Cheap text pre-filters that decide how much of scancode a file needs.

Regular expressions over a file's text say whether licence words or copyright markers appear
at all (scancode's slow approximate matcher and its copyright detector run only where they
do), where in a long file they appear (windows of lines), what the header lines declare (an
SPDX tag, a copyright line) and which restrictive notices a file carries. None of this loads
scancode: it is plain text work, shared by the detector and the tests that check the filters
do not miss what scancode would find.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import PurePath

from scanner.analysis.readable import SAMPLE_BYTES, wide_encoding

#: How many lines count as a file's header (SPDX tags, copyright line).
HEADER_LINES = 20

#: Approximate matching in a large file runs only on windows of this many lines around each
#: licence hint (the rest is blanked out, line numbers kept), when the windows cover at most
#: WINDOW_MAX_SHARE of a plain-text file of at least WINDOW_MIN_LINES lines.
WINDOW_LINES = 20
WINDOW_MIN_LINES = 60
WINDOW_MAX_SHARE = 0.5
WINDOW_MAX_LINE_CHARS = 1000

#: Words that say licence text may be present: the approximate matcher runs only where one is.
LICENSE_HINT = re.compile(
    r"licen[cs]|\bsublicen|\blizen[sz]|\bpatent"
    r"|\b(?:copyright|copyleft|l?gpl|agpl|gnu|fsf|mit|x11|bsd|0bsd|isc|zlib|apache|mozilla|mpl"
    r"|eupl|cddl|epl|eclipse\s+public|artistic|wtfpl|unlicen[cs]e|cc0|cc[-\s]by|ofl"
    r"|creative\s+commons|public\s+domain|unencumbered|free\s+software|open[\s-]source"
    r"|hereby\s+granted|permission\s+(?:is\s+)?(?:hereby\s+)?(?:granted|to\s+use)"
    r"|free\s+of\s+charge|without\s+fee|redistribut\w*|warrant(?:y|ies)|merchantab\w*"
    r"|distributed\s+under|released\s+under|governed\s+by|proprietary|confidential"
    r"|commercial|rights\s+reserved|eula|spdx|do\s+what\s+the|beer-?ware"
    r"|ophavsret|rettigheder)\b",
    re.IGNORECASE,
)

#: Markers a copyright statement needs; copyright detection runs only where one is.
COPYRIGHT_HINT = re.compile(
    r"opyr|opyl|\bcopr\b|(?<![\w.])\(\s*c\s*\)|[\u00a9\u24b8\u24d2\udca9]|&copy|&#169|&#xa9|u00a9"
    r"|\\xa9|\|copy\||rights\s+reserved|ophavsret",
    re.IGNORECASE,
)
#: The signs a copyright statement itself starts from (not "copyleft"): in a large file the
#: copyright detector reads only the lines near one.
COPYRIGHT_SIGN = re.compile(COPYRIGHT_HINT.pattern.replace("|opyl", ""), re.IGNORECASE)

#: File names whose content is legal text even when it names no licence.
LEGAL_NAME = re.compile(
    r"^(?:licen[cs]e|copying|copyright|copyleft|notice|patents?|legal|unlicen[cs]e|eula"
    r"|authors|credits|readme|metadata|pkg-info)|\.licen[cs]e$",
    re.IGNORECASE,
)

#: Restrictive phrases reported as notices, by the name they are reported under.
NOTICE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("all rights reserved", r"\ball\s+rights\s+reserved\b"),
        ("proprietary", r"\bproprietary\b"),
        ("confidential", r"\bconfidential\b"),
        ("strictly prohibited", r"\bstrictly\s+prohibited\b"),
        ("not for redistribution", r"\bnot\s+for\s+(?:re-?)?distribution\b"),
        ("alle rettigheder forbeholdes", r"\balle\s+rettigheder\s+(?:er\s+)?forbeholdt?e?s?\b"),
    )
)

SPDX_HEADER = re.compile(r"SPDX-License-Identifier\s*:\s*(.+)", re.IGNORECASE)
COPYRIGHT_HEADER = re.compile(
    r"^[\W_]*(?:SPDX-FileCopyrightText\s*:|copyright\b|\(c\)|\u00a9)", re.IGNORECASE
)
#: The start of a copyright statement's line, and the licence words such a line holds of its
#: own: "Copyright (c) 2024 Magenta ApS. All rights reserved." names no licence, nor does
#: "Ophavsret (c) 2022 Aarhus Kommune. Alle rettigheder forbeholdes."
_STATEMENT_START = re.compile(r"^[\W_]*(?:copyright\b|ophavsret\b|\(c\)|\u00a9)", re.IGNORECASE)
_STATEMENT_WORDS = frozenset({"copyright", "rights reserved", "ophavsret", "rettigheder"})
#: A statement that waives or disclaims copyright is a licence statement of its own.
_WAIVER = re.compile(r"waive|disclaim|\bnone\b|\bno\s+copyright|\bnot\s+copyright", re.IGNORECASE)
#: Comment closers and quotes left after an SPDX expression on its line.
_SPDX_TAIL = re.compile(r"\*/|-->|--%>|%>|#}|-}|\*\)|\"\"\"|'''|[\"';,]")


def decode(data: bytes) -> str:
    encoding = wide_encoding(data[:SAMPLE_BYTES])
    if encoding is not None:
        return data.decode(encoding, errors="replace").lstrip("\ufeff")
    if b"\0" in data[:8192]:
        return data.decode("ascii", errors="ignore")  # a binary: only its ASCII strings
    # Lone latin-1 bytes survive as surrogates (\udca9 is a latin-1 copyright sign).
    return data.decode("utf-8", errors="surrogateescape")


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def find_notices(text: str, covered: Iterable[tuple[int, int]] = ()) -> tuple[str, ...]:
    """Restrictive phrases in `text`, ignoring those inside the `covered` (start, end) lines.

    Lines matched as the text of an open licence are passed as `covered`, so the GPL's own
    word "proprietary" is not a notice.
    """
    spans = list(covered)
    found = []
    for name, pattern in NOTICE_PATTERNS:
        for match in pattern.finditer(text):
            line = line_of(text, match.start())
            if not any(start <= line <= end for start, end in spans):
                found.append(name)
                break
    return tuple(found)


def tag_expression_text(raw: str) -> str | None:
    """The expression written after `SPDX-License-Identifier:`, cut at a comment closer.

    A search, not a substitution: a leading `\\s*` would backtrack quadratically on a header
    line of a million spaces.
    """
    closer = _SPDX_TAIL.search(raw)
    expression = (raw[: closer.start()] if closer else raw).strip()
    return expression or None


def header_facts(text: str) -> tuple[str | None, bool]:
    """(raw SPDX-License-Identifier expression, copyright line present) in the header lines."""
    spdx = None
    copyright_line = False
    for line in text.split("\n", HEADER_LINES)[:HEADER_LINES]:
        if spdx is None and (match := SPDX_HEADER.search(line)):
            spdx = tag_expression_text(match.group(1))
        if not copyright_line and COPYRIGHT_HEADER.search(line.strip()):
            copyright_line = True
    return spdx, copyright_line


def line_windows_usable(data: bytes) -> bool:
    """Whether blanking lines out of a file keeps scancode reading the rest as it would: not
    for binaries, PDFs, UTF-16 or lone carriage returns."""
    return not (
        b"\0" in data[:8192]
        or data[:4] == b"%PDF"
        or wide_encoding(data[:SAMPLE_BYTES]) is not None
        or data.count(b"\r") != data.count(b"\r\n")
    )


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """The 1-based line of each offset, for offsets in ascending order."""
    numbers, line, position = [], 1, 0
    for offset in offsets:
        line += text.count("\n", position, offset)
        position = offset
        numbers.append(line)
    return numbers


def with_lines(
    text: str, matches: Iterable[re.Match[str]]
) -> Iterator[tuple[re.Match[str], int, int]]:
    """Each of `matches` (in ascending order) with the start and end offsets of its line in
    `text`. A line's ends are searched for once, however many matches it holds, so one long
    line built to hold thousands of them is still read in linear time."""
    line_start, line_end = 0, -1
    for match in matches:
        if match.start() > line_end:  # a match on a new line
            before = text.rfind("\n", line_end + 1, match.start())
            line_start = before + 1 if before >= 0 else line_end + 1
            end = text.find("\n", match.start())
            line_end = len(text) if end < 0 else end
        yield match, line_start, line_end


def licence_hints(text: str) -> list[re.Match[str]]:
    """The licence words of `text`, but for those of copyright statements: the "Copyright" and
    "All rights reserved" of "Copyright (c) 2024 Magenta ApS. All rights reserved." name no
    licence, and a file whose only other licence words are SPDX tags (or none) is read
    without the approximate matcher."""
    hints = []
    judged, statement = -1, False  # the start of the last line judged, and what it is
    for match, start, end in with_lines(text, LICENSE_HINT.finditer(text)):
        if start != judged:
            judged, statement = start, copyright_statement_only(text[start:end])
        if not statement:
            hints.append(match)
    return hints


def copyright_statement_only(line: str) -> bool:
    """Whether `line` is a copyright statement whose only licence words are a statement's own
    ("Copyright", "All rights reserved"): the approximate matcher has no licence to find in it.
    A line that waives or disclaims copyright is not one: that is a licence statement."""
    if not _STATEMENT_START.match(line) or _WAIVER.search(line):
        return False
    words = {" ".join(m.group(0).lower().split()) for m in LICENSE_HINT.finditer(line)}
    return words <= _STATEMENT_WORDS


def merge_windows(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Merged 1-based (start, end) line ranges of WINDOW_LINES around each of the ascending
    `lines`."""
    windows: list[tuple[int, int]] = []
    for line in lines:
        start, end = max(1, line - WINDOW_LINES), line + WINDOW_LINES
        if windows and start <= windows[-1][1] + 1:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((start, end))
    return windows


def hint_windows(path: str, data: bytes, text: str) -> list[tuple[int, int]] | None:
    """Merged 1-based line ranges around licence hints, or None when windowing does not pay
    off or could change how scancode reads the file (binaries, PDFs, long lines, odd breaks)."""
    if not line_windows_usable(data):
        return None
    name = PurePath(path).name.lower()
    if name.endswith((".map", ".json")) or "locale" in path:
        return None
    lines = text.split("\n")
    if len(lines) < WINDOW_MIN_LINES or max(map(len, lines)) > WINDOW_MAX_LINE_CHARS:
        return None
    windows = merge_windows(line_numbers(text, (m.start() for m in LICENSE_HINT.finditer(text))))
    covered = sum(min(end, len(lines)) - start + 1 for start, end in windows)
    if not windows or covered > WINDOW_MAX_SHARE * len(lines):
        return None
    return windows


def in_windows(start: int, end: int, windows: list[tuple[int, int]]) -> bool:
    return any(start <= w_end and end >= w_start for w_start, w_end in windows)
