"""publiccode.yml: its legal section (licence, main copyright owner) as a declared source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scanner.analysis.expressions import declared_expression
from scanner.analysis.smallfile import parse_error, read_small_text
from scanner.kernel.models import DeclaredSource


def read_publiccode(root: Path, rel: str) -> tuple[DeclaredSource | None, dict[str, object] | None]:
    try:
        data = yaml.safe_load(read_small_text(root / rel))
    except (OSError, ValueError, RecursionError, yaml.YAMLError) as exc:
        return DeclaredSource("publiccode.yml", rel, None, error=parse_error(exc)), None
    if not isinstance(data, dict):
        return DeclaredSource("publiccode.yml", rel, None, error="not a YAML mapping"), None
    legal = data.get("legal")
    if not isinstance(legal, dict):
        return DeclaredSource("publiccode.yml", rel, None, raw="", error=None), None
    # plain JSON types only (YAML may give dates), so the section can be stored as it is
    try:
        legal = _plain(legal, [10_000])
    except ValueError as exc:
        return DeclaredSource("publiccode.yml", rel, None, error=parse_error(exc)), None
    value = legal.get("license")
    raw = value if isinstance(value, str) else ""
    return DeclaredSource("publiccode.yml", rel, declared_expression(raw), raw=raw), legal


def _plain(value: Any, budget: list[int], depth: int = 0) -> Any:
    """`value` as plain JSON data (dates become text). YAML aliases can make a section
    circular or, expanded, enormous: more than `budget[0]` values or 50 levels is refused."""
    budget[0] -= 1
    if budget[0] < 0 or depth > 50:
        raise ValueError("the legal section is circular, too deep or too large")
    if isinstance(value, dict):
        return {str(k): _plain(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget, depth + 1) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
