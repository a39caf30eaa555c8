"""SPDX tags read the way the REUSE tool reads them: one tag per line, the expression parsed
with license-expression.

A file whose only licence words sit on `SPDX-License-Identifier` and `SPDX-FileCopyrightText`
lines (a REUSE-style source file, or a schema that concatenates hundreds of such headers)
says what its licence is in a form that needs no matcher: its expression is the tags'
expressions joined, exactly what scancode's SPDX-identifier matcher makes of them, without
loading scancode's licence index or running its slow approximate matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from license_expression import ExpressionError, combine_expressions

from scanner.analysis.prefilter import SPDX_HEADER
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
