"""SPDX tags read the way the REUSE tool reads them: one tag per line, the expression parsed
with license-expression.

A file whose only licence words sit on `SPDX-License-Identifier` and `SPDX-FileCopyrightText`
lines (a REUSE-style source file, or a schema that concatenates hundreds of such headers)
says what its licence is in a form that needs no matcher: its expression is the tags'
expressions joined, exactly what scancode's SPDX-identifier matcher makes of them, without
loading scancode's licence index or running its slow approximate matcher. In the same way a
file whose copyright words are all on `SPDX-FileCopyrightText` lines has its copyrights read
from them, without scancode's copyright detector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from license_expression import ExpressionError, combine_expressions

from scanner.analysis.prefilter import COPYRIGHT_HINT, SPDX_HEADER, with_lines
from scanner.kernel import licenses

#: Any SPDX tag a REUSE header holds; the lines they are on explain their licence words.
SPDX_TAG = re.compile(
    r"SPDX-(?:License-Identifier|FileCopyrightText|FileContributor|SnippetCopyrightText)\s*:",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SpdxTags:
    """The SPDX licence tags of a file whose licence words are all on SPDX tag lines."""

    expressions: tuple[tuple[int, str], ...]  # (1-based line, SPDX expression as scancode has it)

    @property
    def license_expression(self) -> str:
        """The tags joined with AND, each distinct expression once, in order of appearance."""
        joined = combine_expressions(
            [expression for _line, expression in self.expressions],
            unique=True,
            licensing=licenses.licensing(),
        )
        return str(joined)


def _lines_of(text: str, offsets: Iterator[int]) -> dict[int, tuple[int, int]]:
    """For each offset (in ascending order): its line's (1-based number, start offset)."""
    found: dict[int, tuple[int, int]] = {}
    line, position, line_start = 1, 0, 0
    for offset in offsets:
        newlines = text.count("\n", position, offset)
        if newlines:  # only then look back, so a long line is never searched twice
            line += newlines
            line_start = text.rfind("\n", position, offset) + 1
        position = offset
        found[offset] = (line, line_start)
    return found


def _known_expression(line: str) -> str | None:
    """The expression of an SPDX-License-Identifier line as scancode's SPDX-identifier matcher
    reads it, or None when that matcher would not simply name known licences (the line does
    not parse, or names an id that is not an SPDX id of a licence scancode knows): then the
    matcher must read the file.

    The line is cut and cleaned by scancode's own text preparation (a pure function, no index),
    so comment closers and stray punctuation are treated exactly as scancode treats them.
    """
    from licensedcode.match_spdx_lid import prepare_text

    _prefix, raw = prepare_text(line)
    if not raw:
        return None
    lic = licenses.licensing()
    try:
        parsed = lic.parse(raw, validate=True, strict=True)
    except (ExpressionError, ValueError, TypeError, AttributeError):
        return None
    if parsed is None:
        return None
    written = re.findall(r"[^\s()]+", raw)
    ids = [word for word in written if word.upper() not in ("AND", "OR", "WITH")]
    if not all(licenses.is_spdx_id(word) for word in ids):
        return None  # a scancode key or an unknown id: scancode names it differently
    return str(parsed)


def spdx_only(text: str, hints: list[re.Match[str]]) -> SpdxTags | None:
    """The file's licence tags when every licence word in it (`hints`, the matches of the
    licence-word pattern in `text`) is on an SPDX tag line, there is at least one
    SPDX-License-Identifier, and each of them is a valid expression of known ids; else None.
    """
    if not hints:
        return None
    starts = _lines_of(text, (m.start() for m in hints))
    tag_lines: dict[int, str] = {}  # line start offset -> the line's text, for tag lines
    for match in hints:
        _line, start = starts[match.start()]
        if start in tag_lines:
            continue
        end = text.find("\n", start)
        line_text = text[start : end if end >= 0 else len(text)]
        if not SPDX_TAG.search(line_text):
            return None  # a licence word outside the tags: the matcher must read the file
        tag_lines[start] = line_text
    expressions = []
    line_numbers = {start: line for line, start in starts.values()}
    for start, line_text in tag_lines.items():
        if SPDX_HEADER.search(line_text) is None:
            continue  # a copyright or contributor tag
        expression = _known_expression(line_text)
        if expression is None:
            return None
        expressions.append((line_numbers[start], expression))
    if not expressions:
        return None
    return SpdxTags(expressions=tuple(sorted(expressions)))


#: An SPDX copyright tag and the text after it, to the end of its line.
SPDX_COPYRIGHT = re.compile(
    r"SPDX-(?:File|Snippet)CopyrightText\s*:\s*(?P<text>[^\r\n]*)", re.IGNORECASE
)
#: What a comment or a string literal leaves at the end of a tag line: comment closers, and
#: in a string escaped line ends, quotes and commas (`"# SPDX-FileCopyrightText: 2024
#: Magenta ApS\n",` in a test or a template).
_LINE_END_CLOSERS = ("*/", "-->", "*)", "#}", "%}", "\\n", "\\r", "\\t")
_LINE_END_CHARACTERS = frozenset(" \t\"'`,;")
#: "Copyright", "(c)" and "©" before a statement's years and holder, in any order.
_COPYRIGHT_WORDS = re.compile(r"(?i)^(?:copyright\b|\(c\)|©|\s)*")


@dataclass(frozen=True)
class TaggedCopyrights:
    """The copyright statements and holders of a file whose copyright words are all on SPDX
    copyright tag lines."""

    statements: tuple[str, ...]  # as scancode words them: "Copyright (c) 2016 Magenta ApS"
    holders: tuple[str, ...]  # as written, years and contact details cut: "Magenta ApS"


def tagged_copyrights(text: str) -> TaggedCopyrights | None:
    """The file's copyrights read from its `SPDX-FileCopyrightText` lines, as the REUSE tool
    reads them, when every copyright word in `text` is on such a line; else None (then
    scancode's copyright detector reads the file).

    A statement is worded the way scancode words a tag ("Copyright 2016 Magenta ApS",
    "Copyright (c) ..." for "©"), but in the file's own letters; the holder is what follows
    the years. scancode's detector, by contrast, runs a tag into the next line when that line
    is another SPDX tag ("Magenta ApS - SPDX-License-Identifier"), and it costs about a
    second on a schema of 800 headers.
    """
    from scanner.kernel.ownership import MAX_STATEMENT, tidy_holder

    statements: list[str] = []
    holders: list[str] = []
    read = -1  # the start of the last tag line read
    for hint, start, line_end in with_lines(text, COPYRIGHT_HINT.finditer(text)):
        if start == read:
            continue  # another copyright word on a tag line already read
        read = start
        tag = SPDX_COPYRIGHT.search(text, start, line_end)
        if tag is None or tag.start() > hint.start() + len("SPDX-File"):
            return None  # a copyright word outside an SPDX copyright tag
        written = " ".join(_without_line_end(tag.group("text")[:MAX_STATEMENT]).split())
        if not written:
            continue
        statements.append(_as_statement(written))
        holder = tidy_holder(_COPYRIGHT_WORDS.sub("", written))
        if holder:
            holders.append(holder)
    if not statements:
        return None
    return TaggedCopyrights(
        statements=tuple(dict.fromkeys(statements)), holders=tuple(dict.fromkeys(holders))
    )


def _without_line_end(text: str) -> str:
    """`text` without what a comment or string literal leaves at its end (in linear time:
    a tag line may be a long line built to make patterns backtrack)."""
    end = len(text)
    while end:
        if text[end - 1] in _LINE_END_CHARACTERS:
            end -= 1
            continue
        closer = next((c for c in _LINE_END_CLOSERS if text.endswith(c, 0, end)), None)
        if closer is None:
            break
        end -= len(closer)
    return text[:end]


def _as_statement(written: str) -> str:
    """A tag's text as the statement scancode makes of it."""
    words = written.replace("©", "(c)")
    if words.lower().startswith("copyright"):
        return words
    return f"Copyright {words}"
