"""Mentions: a licence named in a file is not a licence granted for the file.

Code that works with licences names them: a list of licence names offered to a user, a test
that opens `/usr/share/common-licenses/GPL-3`, a test asserting `'license' => 'Free CC'`. scancode
matches those names with its reference, tag and short-name rules, and would report the file
as under GPL-3.0, AGPL-3.0 and a proprietary licence at once.

A match is a mention when both hold:
- its rule only names a licence: scancode marks it `is_license_reference` or `is_license_tag`,
  its relevance is low (short names such as "Apache License 2.0"), or the match is a
  fragment of a longer notice (less than half of the rule's words);
- it sits in data: the file is a data file (JSON, YAML, CSV, XML), or it is a program
  and the match is in a string literal or a name (`def test_reads_the_gpl_text()`), not in a
  comment, where a file states its own licence (`# license: GNU General Public License`,
  `@license MIT`). In prose (README, licence texts, docstrings) a licence name is a notice.
A line that assigns a licence to a name (`__license__ = "MIT"`, `license="GPL-3.0"`) states
the file's or package's licence and is never a mention.

Mentions are recorded (`Detection.mention`) and left out of the file's licence expression.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import PurePath
from typing import Any

from scanner.analysis.inventory import CODE_EXTENSIONS
from scanner.kernel import licenses

#: Rules scancode gives a relevance below this are short names, weak evidence of a grant.
LOW_RELEVANCE = 90
#: A match covering less of its rule than this (per cent) is a fragment of a longer notice.
FRAGMENT_COVERAGE = 50

#: Data files: a licence named in them describes something, it does not license the file.
DATA_SUFFIXES = frozenset({".json", ".yaml", ".yml", ".csv", ".tsv", ".xml", ".ndjson"})

_COMMENT = re.compile(r"^\s*(?:#|//|/\*|\*|<!--|--|;|%|rem\s)", re.IGNORECASE)
#: A quote that opens or closes a string literal (not a docstring's triple quote).
_QUOTE = re.compile(r"""(?<!["'])["'`](?!["'])""")
#: Code rather than prose: an assignment, a call, brackets, a statement keyword.
_CODE = re.compile(
    r"[=;{}\[\]]|\w\(|\(\)|=>|->|^\s*(?:def|class|function|func|fn|return|import|from|public|"
    r"private|var|let|const|assert)\b"
)
_ASSIGNS_A_LICENCE = re.compile(
    r"""(?ix)(?:^|[\s,(])(?:__license__|license|licence|license_expression)\s*(?:=|:)\s*
    [\[(]?\s*["']"""
)


@cache
def _naming_rules() -> frozenset[str]:
    """Identifiers of scancode rules that only name a licence (reference or tag rules)."""
    from licensedcode.cache import get_index

    return frozenset(
        rule.identifier
        for rule in get_index().rules_by_rid
        if rule.is_license_reference or rule.is_license_tag
    )


def _names_only(match: dict[str, Any]) -> bool:
    identifier = match.get("rule_identifier") or ""
    if identifier.startswith("spdx-license-identifier"):
        return True  # an SPDX tag written into a string is a tag, not this file's header
    relevance = match.get("rule_relevance")
    if isinstance(relevance, (int, float)) and relevance < LOW_RELEVANCE:
        return True
    coverage = match.get("match_coverage")
    if isinstance(coverage, (int, float)) and coverage < FRAGMENT_COVERAGE:
        return True  # a few words of a longer notice: what they name is not granted here
    return identifier in _naming_rules()


def _in_data(lines: Sequence[str], start: int, end: int, kind: str) -> bool:
    """True when the matched lines (1-based, inclusive) hold the names as data, not a notice:
    anywhere in a data file; in code, in string literals or names, never in a comment."""
    matched = [line for line in lines[max(start - 1, 0) : end] if line.strip()]
    if not matched or kind == "text":
        return False
    if any(_ASSIGNS_A_LICENCE.search(line) or _COMMENT.match(line) for line in matched):
        return False
    if kind == "data":
        return True
    return any(_QUOTE.search(line) or _CODE.search(line) for line in matched)


def file_kind(path: str) -> str:
    """"data", "code" or "text": where a licence name can be data at all."""
    suffix = PurePath(path).suffix.lower()
    if suffix in DATA_SUFFIXES:
        return "data"
    return "code" if suffix in CODE_EXTENSIONS else "text"


def is_mention(match: dict[str, Any], lines: Sequence[str], kind: str) -> bool:
    """True when one scancode match only names a licence inside data (see the module doc)."""
    start = int(match.get("start_line") or 0)
    end = int(match.get("end_line") or start)
    return _names_only(match) and _in_data(lines, start, end, kind)


def without_mentions(path: str, text: str, result: dict[str, Any]) -> tuple[list[bool], str | None]:
    """Which matches of a scancode licence result are mentions (in match order), and the file's
    licence expression without the detections that are only mentions."""
    kind = file_kind(path)
    lines = text.splitlines()
    flags: list[bool] = []
    kept: list[str] = []
    dropped = False
    for detection in result.get("license_detections", ()):
        matches = detection.get("matches", ())
        marks = [is_mention(m, lines, kind) for m in matches]
        flags.extend(marks)
        if any(marks):  # the detection without its mentions: what its other matches say
            dropped = True
            kept.extend(
                m.get("license_expression_spdx") or m.get("license_expression") or ""
                for m, mention in zip(matches, marks, strict=True)
                if not mention
            )
        elif detection.get("license_expression_spdx"):
            kept.append(detection["license_expression_spdx"])
    expression = result.get("detected_license_expression_spdx")
    if dropped:
        unique = list(dict.fromkeys(k for k in kept if k))
        joined = " AND ".join(f"({e})" if " " in e else e for e in unique)
        expression = licenses.simplify(joined) if joined else None
    return flags, expression
