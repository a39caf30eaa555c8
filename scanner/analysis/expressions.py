"""Licence expressions as repositories declare them: normalised, joined, classified.

A manifest's "SEE LICENSE IN LICENSE" or UNLICENSED names no licence of its own; several
declared licences are joined with AND or OR, each once; a Creative Commons or GFDL licence is a
documentation licence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scanner.kernel import licenses


def declared_expression(raw: str | None) -> str | None:
    """An SPDX expression for a declared value; None when it names no licence of its own
    (UNLICENSED, "SEE LICENSE IN ...", a bare reference to another file)."""
    if not raw or not isinstance(raw, str):
        return None
    if re.match(r"(?i)\s*see\s+licen[cs]e", raw):
        return None
    expression = licenses.normalise(raw)
    if expression is None:
        return None
    keys = licenses.license_keys(expression)
    if (
        keys
        and all(licenses.license_info(k).is_unknown for k in keys)
        and not any(
            k.startswith("LicenseRef-") and not k.startswith("LicenseRef-scancode-") for k in keys
        )
    ):
        return None
    return expression


def join_expressions(expressions: Iterable[str | None], operator: str) -> str | None:
    """Several expressions joined with AND or OR, each once."""
    unique = list(dict.fromkeys(e for e in expressions if e))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    joined = f" {operator} ".join(f"({e})" if " " in e else e for e in unique)
    return licenses.simplify(joined) or joined


def expression_keys(expression: str | None) -> set[str]:
    return set(licenses.license_keys(expression)) if expression else set()


def is_docs_licence(expression: str | None) -> bool:
    keys = licenses.license_keys(expression) if expression else []
    return bool(keys) and all(k.upper().startswith(("CC-", "CC0-", "GFDL-")) for k in keys)


def all_unknown(expression: str) -> bool:
    return all(licenses.license_info(k).is_unknown for k in licenses.license_keys(expression))
