"""The licence a package manifest declares: package.json, composer.json, pyproject.toml,
setup.cfg, setup.py (read with `ast`, never run), pom.xml and *.csproj.

Each parser takes the file's text and returns (expression, raw text) or raises on a broken
file; `read_manifest` turns either into a DeclaredSource (None when the manifest declares
nothing).
"""

from __future__ import annotations

import ast
import configparser
import json
import tomllib
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeElementTree

from scanner.analysis.expressions import declared_expression, join_expressions
from scanner.analysis.smallfile import MAX_LINE_CHARS, check_shape, parse_error, read_small_text
from scanner.kernel.models import DeclaredSource


def _join_values(values: Sequence[Any]) -> tuple[str | None, str]:
    """A list of licence names (package.json "licenses", composer "license") -> OR."""
    raws: list[str] = []
    for value in values:
        item = value.get("type") if isinstance(value, dict) else value
        if isinstance(item, str) and item.strip():
            raws.append(item)
    if not raws:
        return None, ""
    parts = [declared_expression(r) for r in raws]
    raw = " OR ".join(raws)
    if not all(parts):
        return None, raw
    return join_expressions(parts, "OR"), raw


def _package_json(text: str) -> tuple[str | None, str]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    value = data.get("license")
    if isinstance(value, dict):  # the old {"type": "MIT", "url": ...} form
        value = value.get("type")
    if isinstance(value, str):
        return declared_expression(value), value
    values = data.get("licenses")
    if isinstance(values, list):
        return _join_values(values)
    return None, ""


def _composer_json(text: str) -> tuple[str | None, str]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    value = data.get("license")
    if isinstance(value, str):
        return declared_expression(value), value
    if isinstance(value, list):  # composer: several licences mean a choice
        return _join_values(value)
    return None, ""


def _classifier_licences(classifiers: Any) -> tuple[str | None, str]:
    if not isinstance(classifiers, list):
        return None, ""
    raws = [c for c in classifiers if isinstance(c, str) and c.startswith("License ::")]
    raws = [c for c in raws if c.strip() != "License :: OSI Approved"]
    if not raws:
        return None, ""
    parts = [declared_expression(r) for r in raws]
    return (join_expressions(parts, "OR") if all(parts) else None), "; ".join(raws)


def _pyproject(text: str) -> tuple[str | None, str]:
    data = tomllib.loads(text)
    project = data.get("project")
    if not isinstance(project, dict):
        project = {}
    value = project.get("license-expression") or project.get("license")
    if isinstance(value, dict):
        value = value.get("text")  # {file = "LICENSE"} points at the licence file
    if isinstance(value, str) and value.strip():
        return declared_expression(value), value
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("license"), str):
        return declared_expression(poetry["license"]), poetry["license"]
    expression, raw = _classifier_licences(project.get("classifiers"))
    if not raw and isinstance(poetry, dict):
        expression, raw = _classifier_licences(poetry.get("classifiers"))
    return expression, raw


def _setup_cfg(text: str) -> tuple[str | None, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if not parser.has_section("metadata"):
        return None, ""
    meta = parser["metadata"]
    value = (meta.get("license_expression") or meta.get("license") or "").strip()
    if value:
        return declared_expression(value), value
    classifiers = [line.strip() for line in meta.get("classifiers", "").splitlines()]
    return _classifier_licences([c for c in classifiers if c])


def _setup_py(text: str) -> tuple[str | None, str]:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "setup":
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        value = keywords.get("license")
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value.strip():
            return declared_expression(value.value), value.value
        classifiers = keywords.get("classifiers")
        if isinstance(classifiers, ast.List | ast.Tuple):
            items = [e.value for e in classifiers.elts if isinstance(e, ast.Constant)]
            return _classifier_licences(items)
    return None, ""


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _pom_xml(text: str) -> tuple[str | None, str]:
    root = SafeElementTree.fromstring(text)
    names: list[str] = []
    for child in root:
        if _local(child.tag) != "licenses":
            continue
        for lic in child:
            for field in lic:
                if _local(field.tag) == "name" and field.text and field.text.strip():
                    names.append(field.text.strip())
    if not names:
        return None, ""
    return _join_values(names)  # Maven: several licences mean the user may pick one


def parse_csproj(text: str) -> tuple[str | None, str]:
    root = SafeElementTree.fromstring(text)
    for element in root.iter():
        if _local(element.tag) == "PackageLicenseExpression" and element.text:
            value = element.text.strip()
            return declared_expression(value), value
    return None, ""


MANIFESTS: tuple[tuple[str, Callable[[str], tuple[str | None, str]]], ...] = (
    ("package.json", _package_json),
    ("composer.json", _composer_json),
    ("pyproject.toml", _pyproject),
    ("setup.cfg", _setup_cfg),
    ("setup.py", _setup_py),
    ("pom.xml", _pom_xml),
)


def read_manifest(
    root: Path, rel: str, source: str, parse: Callable[[str], tuple[str | None, str]]
) -> DeclaredSource | None:
    try:
        text = read_small_text(root / rel)
        check_shape(text, MAX_LINE_CHARS if parse is _setup_py else None)
        expression, raw = parse(text)
    except (OSError, ValueError, SyntaxError, tomllib.TOMLDecodeError, configparser.Error) as exc:
        return DeclaredSource(source, rel, None, error=parse_error(exc))
    except (ElementTree.ParseError, RecursionError, MemoryError, TypeError, AttributeError) as exc:
        # MemoryError: the parser's own stack ran out (deeply chained operators), not the
        # process's memory; the manifest is recorded as unreadable like any broken one.
        return DeclaredSource(source, rel, None, error=parse_error(exc))
    if not raw:
        return None
    return DeclaredSource(source, rel, expression, raw=raw)
