"""Licence references to other files: "See LICENSE for the terms", `license_files = LICENSE`.

scancode matches such a sentence with a rule that names the file it points to, and reports an
unknown licence reference for it. The scancode command then resolves it after the per-file
scan: it looks for the named file beside the one that names it, then at the root of what it
scanned, and when that file holds licences it takes them in place of the reference. os2scan
does the same, in two steps, because detection is cached per blob and a blob does not know
where it lives:

- at detection (`statements_of`, with the licence index loaded), a file whose detections
  refer to another file keeps its detections as `LicenceStatement`s: what each says, the
  files it points to, and what stays of it without the reference;
- at analysis (`followed_references`, no scancode needed), each such file is looked at in its
  folder of its repository and given the expression the scancode command would give it.

The decision follows scancode 32.5's `use_referenced_license_expression`: an unknown reference
always takes the referenced licence; a detection that already names the same licences in
another shape, or one pointing to a file of more than five licences, keeps its own.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from license_expression import AND, Licensing

from scanner.kernel.models import FileDetections, LicenceStatement

#: A referenced file of more licences than this is a notice of many parts: scancode does not
#: follow a reference into it.
MOST_REFERENCED_KEYS = 5

#: scancode's exact (Aho-Corasick) matcher: a licence introduction matched by it is complete.
_EXACT_MATCHER = "2-aho"


@cache
def _licensing() -> Licensing:
    """A Licensing that takes any id: the expressions here are SPDX ids as scancode wrote them."""
    return Licensing()


def _rules() -> dict[str, Any]:
    from licensedcode.cache import get_index

    rules: dict[str, Any] = get_index().rules_by_id
    return rules


def _is_intro(match: Mapping[str, Any], rule: Any) -> bool:
    """scancode's `is_license_intro`: a complete match of a rule that only introduces a licence."""
    introduces = rule.is_license_intro or rule.is_license_clue
    introduces = introduces or rule.license_expression == "free-unknown"
    complete = match.get("matcher") == _EXACT_MATCHER or match.get("match_coverage") == 100
    return bool(introduces and complete)


def statements_of(
    result: Mapping[str, Any], mentions: Sequence[bool]
) -> tuple[LicenceStatement, ...]:
    """The licence detections of a scancode `get_licenses` result as they count in the file,
    when at least one of them refers to another file; otherwise nothing (most files).

    `mentions` flags each match (in order) that only names a licence: a detection holding one
    counts by its other matches, each on its own, and is never followed to a file."""
    if not result.get("license_detections"):
        return ()
    rules = _rules()
    flags = iter(mentions)
    statements: list[LicenceStatement] = []
    refers = False
    for detection in result.get("license_detections", ()):
        matches = list(detection.get("matches", ()))
        marks = [next(flags, False) for _ in matches]
        if any(marks):
            statements.extend(
                LicenceStatement(_expression(m))
                for m, mention in zip(matches, marks, strict=True)
                if not mention and _expression(m)
            )
            continue
        named = [(m, rules.get(m.get("rule_identifier") or "")) for m in matches]
        files = tuple(
            dict.fromkeys(n for _, rule in named if rule for n in rule.referenced_filenames or ())
        )
        terms: tuple[str, ...] = ()
        if files:
            refers = True
            terms = tuple(
                _expression(m)
                for m, rule in named
                if _expression(m)
                and not (rule and (rule.referenced_filenames or _is_intro(m, rule)))
            )
        expression = detection.get("license_expression_spdx") or detection.get("license_expression")
        statements.append(LicenceStatement(expression, files, terms))
    return tuple(statements) if refers else ()


def _expression(match: Mapping[str, Any]) -> str:
    return str(match.get("license_expression_spdx") or match.get("license_expression") or "")


def followed_references(
    paths: Collection[str], found: Mapping[str, FileDetections]
) -> dict[str, str | None]:
    """The licence expression of each file whose references to other files change it, by path.

    `paths` are every file of the checkout (POSIX, relative to its root), `found` their
    detections where they have any. A referenced file is looked for in the referring file's
    folder, then at the root, as the scancode command does; its own detections are taken as
    detected, references of its own not followed.
    """
    changed: dict[str, str | None] = {}
    for path, detections in found.items():
        if not detections.statements:
            continue
        expressions: list[str] = []
        resolved = False
        for statement in detections.statements:
            expression = statement.expression
            if statement.refers_to:
                referenced = _referenced(path, statement.refers_to, paths, found)
                followed = _follow(statement, referenced)
                if followed is not None:
                    expression, resolved = followed, True
            if expression:
                expressions.append(expression)
        if resolved:
            changed[path] = _combined(expressions)
    return changed


def _referenced(
    path: str, names: Iterable[str], paths: Collection[str], found: Mapping[str, FileDetections]
) -> list[FileDetections]:
    """The detections of the files `names` point to, from the file at `path`, that hold any."""
    folder = posixpath.dirname(path)
    referenced = []
    for name in names:
        name = posixpath.normpath(name.replace("\\", "/").rstrip("/")).lstrip("/")
        for candidate in (posixpath.join(folder, name), name):
            candidate = posixpath.normpath(candidate)
            if candidate in paths:
                target = found.get(candidate)
                if target is not None and target.license_expression:
                    referenced.append(target)
                break
    return referenced


def _follow(statement: LicenceStatement, referenced: list[FileDetections]) -> str | None:
    """The statement's expression with the referenced files' licences, or None to keep it."""
    if not referenced or not statement.expression:
        return None
    their = _combined([f.license_expression for f in referenced if f.license_expression])
    if their is None or not _takes(statement.expression, their):
        return None
    terms = [*statement.terms]
    for target in referenced:
        terms.extend(_terms_of(target))
    return _combined(terms)


def _takes(own: str, referenced: str) -> bool:
    """scancode's `use_referenced_license_expression` on SPDX expressions."""
    if "unknown" in own.lower() or own == referenced:
        return True
    licensing = _licensing()
    try:
        own_keys = set(licensing.license_keys(own))
        their_keys = set(licensing.license_keys(referenced))
    except Exception:  # noqa: BLE001 - license_expression raises many kinds on odd input
        return False
    if own_keys == their_keys:
        return False  # the same licences written another way: the reference points to notices
    return len(their_keys) <= MOST_REFERENCED_KEYS


def _terms_of(target: FileDetections) -> list[str]:
    """A referenced file's licence terms: its matches' expressions as scancode adds them to the
    referring detection (its own references and licence introductions left out)."""
    if target.statements:
        terms: list[str] = []
        for statement in target.statements:
            if statement.refers_to:
                terms.extend(statement.terms)
            elif statement.expression:
                terms.append(statement.expression)
        return terms
    assert target.license_expression is not None
    try:
        parsed = _licensing().parse(target.license_expression, simple=True)
    except Exception:  # noqa: BLE001 - an expression we cannot parse is taken whole
        return [target.license_expression]
    if isinstance(parsed, AND):
        return [str(arg) for arg in parsed.args]
    return [target.license_expression]


def _combined(expressions: Sequence[str]) -> str | None:
    """scancode's `combine_expressions`: AND of the expressions, each once, in order."""
    if not expressions:
        return None
    licensing = _licensing()
    try:
        parsed = [licensing.parse(e, simple=True) for e in expressions]
    except Exception:  # noqa: BLE001 - joined as written when one cannot be parsed
        unique = list(dict.fromkeys(expressions))
        return " AND ".join(f"({e})" if " " in e else e for e in unique)
    unique_parsed = list({str(p): p for p in parsed if p is not None}.values())
    if not unique_parsed:
        return None
    if len(unique_parsed) == 1:
        return str(unique_parsed[0])
    return str(licensing.AND(*unique_parsed))
