"""The repository-level view: which licence a repository declares, where, and who owns it.

`read_facts(root, files)` reads every place a repository can declare its licence and returns
a `RepoFacts`. Each place becomes a `DeclaredSource` (with `error` set, never an exception,
when the file is broken):

- licence files at the root: LICENSE, LICENCE, COPYING, UNLICENSE, with or without an
  extension or a suffix (LICENSE.md, LICENSE-MIT, COPYING.LESSER). Their expression is what
  scancode found in them (the `FileFinding` of that path); when scancode found nothing and the
  name carries an id (LICENSE-MIT), the name is used;
- LICENSES/<ID>.<ext> (the REUSE layout): the file name is the id;
- manifests at the root: package.json, composer.json, pyproject.toml, setup.cfg, setup.py
  (read with `ast`, never run), pom.xml, and *.csproj anywhere outside vendored code;
- publiccode.yml (or .yaml): legal.license, legal.mainCopyrightOwner (a holder);
- REUSE.toml and .reuse/dep5: their annotations become `RepoFacts.reuse_annotations`; an
  annotation for every file ("**") is also a declaration;
- SPDX-License-Identifier headers: the most common header expression among code files is a
  source ("SPDX headers") only when no other source declares a licence. A repository that
  puts headers in its files but has no licence file still declares something, but a header
  must not outvote a licence file or a manifest.

The declared licence is taken from the first of these that declares one:
1. the licence files at the root. Several files with different licences: a manifest whose
   expression names exactly those licences says how they combine (LICENSE-MIT +
   LICENSE-APACHE with "MIT OR Apache-2.0" in Cargo/package metadata); COPYING (GPL) beside
   COPYING.LESSER (LGPL) is the LGPL; otherwise all of them apply (AND). A licence file
   whose text scancode could not identify keeps its unknown licence as its expression, but
   does not outvote another source that names a known licence.
2. LICENSES/: one licence is it; with several (MPL-2.0 for code and CC-BY-SA-4.0 for
   documentation) the one most used by code files, else all of them (AND).
3. the manifests, in the order above; 4. publiccode.yml; 5. REUSE.toml / dep5 annotations
   for every file; 6. SPDX headers.

The documentation licence is a Creative Commons (or GFDL) licence declared for
documentation: the declared licence itself in a documentation repository, a CC licence in
LICENSES/ that is not the code licence (with several, the one most documentation files use,
else not CC0-1.0, which REUSE repositories use for small files), or a REUSE annotation
covering documentation files.

Copyright holders come from the licence files (without the holders of the licence text
itself, e.g. the FSF in a GPL text), publiccode.yml's mainCopyrightOwner, REUSE copyright
texts, then the other own files (not vendored, not generated), most frequent first; template
placeholders are removed (see `ownership`).
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import dataclasses
import json
import os
import re
import tomllib
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from scanner.kernel import licenses
from scanner.kernel.models import (
    DeclaredSource,
    FileFinding,
    FileKind,
    LicenseSource,
    RepoFacts,
)
from scanner.kernel.ownership import clean_holders, holder_from_statement
from scanner.kernel.redact import printable

# Manifests and other declaration files are small; anything larger is not read whole.
MAX_MANIFEST_BYTES = 2_000_000

_LICENSE_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|UNLICEN[CS]E)(?:[-._ ].*)?$", re.IGNORECASE)
_LICENSE_FILE_SUFFIX_ID = re.compile(
    r"^(?:LICEN[CS]E|COPYING)[-_.](.+?)(?:\.(?:md|txt|rst))?$", re.IGNORECASE
)
_NOT_A_LICENCE_FILE = re.compile(
    r"\.(?:py|js|mjs|ts|tsx|jsx|go|rs|java|kt|cs|c|h|cpp|rb|php|pl|sh|json|ya?ml|toml|xml|"
    r"html?|css|scss|vue|sql|lock|cfg|ini|png|svg|jpe?g)$",
    re.IGNORECASE,
)
_DOC_PATTERNS = re.compile(r"^(?:docs?|documentation)/|\.(?:md|rst|adoc)$", re.IGNORECASE)
_OWN_KINDS = {FileKind.CODE, FileKind.DOCS, FileKind.CONTENT, FileKind.CONFIG}


# ---------------------------------------------------------------------------------------------
# Small helpers


def is_license_file(path: str) -> bool:
    """True for a licence file at the root (LICENSE, COPYING.LESSER, LICENSE-MIT, ...) or in
    LICENSES/ as REUSE lays it out."""
    parts = path.split("/")
    if len(parts) == 1:
        return bool(_LICENSE_FILE.match(parts[0])) and not _NOT_A_LICENCE_FILE.search(parts[0])
    return len(parts) == 2 and parts[0] == "LICENSES" and bool(parts[1]) and "." in parts[1]


def _read_text(path: Path) -> str:
    if path.is_symlink():  # may point outside the checkout: never followed
        raise ValueError("is a symbolic link")
    if os.path.realpath(path.parent) != os.path.abspath(path.parent):
        raise ValueError("lies in a symbolically linked folder")  # checkouts are resolved paths
    with path.open("rb") as handle:
        data = handle.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError(f"larger than {MAX_MANIFEST_BYTES} bytes")
    return data.decode("utf-8", errors="replace")


def _norm(raw: str | None) -> str | None:
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


def _join(expressions: Iterable[str | None], operator: str) -> str | None:
    """Several expressions joined with AND or OR, each once."""
    unique = list(dict.fromkeys(e for e in expressions if e))
    if not unique:
        return None
    if len(unique) == 1:
        return unique[0]
    joined = f" {operator} ".join(f"({e})" if " " in e else e for e in unique)
    return licenses.simplify(joined) or joined


def _join_values(values: Sequence[Any]) -> tuple[str | None, str]:
    """A list of licence names (package.json "licenses", composer "license") -> OR."""
    raws: list[str] = []
    for value in values:
        item = value.get("type") if isinstance(value, dict) else value
        if isinstance(item, str) and item.strip():
            raws.append(item)
    if not raws:
        return None, ""
    parts = [_norm(r) for r in raws]
    raw = " OR ".join(raws)
    if not all(parts):
        return None, raw
    return _join(parts, "OR"), raw


def _keys(expression: str | None) -> set[str]:
    return set(licenses.license_keys(expression)) if expression else set()


def _is_docs_licence(expression: str | None) -> bool:
    keys = licenses.license_keys(expression) if expression else []
    return bool(keys) and all(k.upper().startswith(("CC-", "CC0-", "GFDL-")) for k in keys)


# ---------------------------------------------------------------------------------------------
# Manifests: each returns (expression, raw) or raises on a broken file


def _package_json(text: str) -> tuple[str | None, str]:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    value = data.get("license")
    if isinstance(value, dict):  # the old {"type": "MIT", "url": ...} form
        value = value.get("type")
    if isinstance(value, str):
        return _norm(value), value
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
        return _norm(value), value
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
    parts = [_norm(r) for r in raws]
    return (_join(parts, "OR") if all(parts) else None), "; ".join(raws)


def _pyproject(text: str) -> tuple[str | None, str]:
    data = tomllib.loads(text)
    project = data.get("project")
    if not isinstance(project, dict):
        project = {}
    value = project.get("license-expression") or project.get("license")
    if isinstance(value, dict):
        value = value.get("text")  # {file = "LICENSE"} points at the licence file
    if isinstance(value, str) and value.strip():
        return _norm(value), value
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict) and isinstance(poetry.get("license"), str):
        return _norm(poetry["license"]), poetry["license"]
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
        return _norm(value), value
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
            return _norm(value.value), value.value
        classifiers = keywords.get("classifiers")
        if isinstance(classifiers, ast.List | ast.Tuple):
            items = [e.value for e in classifiers.elts if isinstance(e, ast.Constant)]
            return _classifier_licences(items)
    return None, ""


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _pom_xml(text: str) -> tuple[str | None, str]:
    root = ElementTree.fromstring(text)
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


def _csproj(text: str) -> tuple[str | None, str]:
    root = ElementTree.fromstring(text)
    for element in root.iter():
        if _local(element.tag) == "PackageLicenseExpression" and element.text:
            value = element.text.strip()
            return _norm(value), value
    return None, ""


_MANIFESTS: tuple[tuple[str, Callable[[str], tuple[str | None, str]]], ...] = (
    ("package.json", _package_json),
    ("composer.json", _composer_json),
    ("pyproject.toml", _pyproject),
    ("setup.cfg", _setup_cfg),
    ("setup.py", _setup_py),
    ("pom.xml", _pom_xml),
)


def _read_manifest(
    root: Path, rel: str, source: str, parse: Callable[[str], tuple[str | None, str]]
) -> DeclaredSource | None:
    try:
        expression, raw = parse(_read_text(root / rel))
    except (OSError, ValueError, SyntaxError, tomllib.TOMLDecodeError, configparser.Error) as exc:
        return DeclaredSource(source, rel, None, error=_error_line(exc))
    except (ElementTree.ParseError, RecursionError, TypeError, AttributeError) as exc:
        return DeclaredSource(source, rel, None, error=_error_line(exc))
    if not raw:
        return None
    return DeclaredSource(source, rel, expression, raw=raw)


def _error_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"cannot be parsed: {text}"[:300]


# ---------------------------------------------------------------------------------------------
# publiccode.yml


def _publiccode(root: Path, rel: str) -> tuple[DeclaredSource | None, dict[str, object] | None]:
    try:
        data = yaml.safe_load(_read_text(root / rel))
    except (OSError, ValueError, RecursionError, yaml.YAMLError) as exc:
        return DeclaredSource("publiccode.yml", rel, None, error=_error_line(exc)), None
    if not isinstance(data, dict):
        return DeclaredSource("publiccode.yml", rel, None, error="not a YAML mapping"), None
    legal = data.get("legal")
    if not isinstance(legal, dict):
        return DeclaredSource("publiccode.yml", rel, None, raw="", error=None), None
    # plain JSON types only (YAML may give dates), so the section can be stored as it is
    try:
        legal = _plain(legal, [10_000])
    except ValueError as exc:
        return DeclaredSource("publiccode.yml", rel, None, error=_error_line(exc)), None
    value = legal.get("license")
    raw = value if isinstance(value, str) else ""
    return DeclaredSource("publiccode.yml", rel, _norm(raw), raw=raw), legal


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


# ---------------------------------------------------------------------------------------------
# REUSE.toml, .reuse/dep5 and the glob matching REUSE uses


@dataclasses.dataclass(frozen=True)
class _Annotation:
    glob: str  # REUSE.toml syntax: * within a folder, ** across folders
    expression: str | None
    copyrights: tuple[str, ...]


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _reuse_toml(root: Path, rel: str) -> tuple[DeclaredSource, list[_Annotation]]:
    try:
        data = tomllib.loads(_read_text(root / rel))
    except (OSError, ValueError, RecursionError, tomllib.TOMLDecodeError) as exc:
        return DeclaredSource("REUSE.toml", rel, None, error=_error_line(exc)), []
    items = data.get("annotations", [])
    if not isinstance(items, list):
        return DeclaredSource("REUSE.toml", rel, None, error="annotations is not a list"), []
    found: list[_Annotation] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        raw = item.get("SPDX-License-Identifier")
        expression = _norm(raw) if isinstance(raw, str) else None
        copyrights = tuple(_as_list(item.get("SPDX-FileCopyrightText")))
        for glob in _as_list(item.get("path")):
            found.append(_Annotation(glob, expression, copyrights))
    return _annotation_source("REUSE.toml", rel, found), found


def _dep5_glob(pattern: str) -> str:
    """A Debian copyright-format glob in REUSE.toml syntax (its * crosses folders)."""
    return re.sub(r"\*+", "**", pattern.removeprefix("./"))


def _dep5(root: Path, rel: str) -> tuple[DeclaredSource, list[_Annotation]]:
    try:
        text = _read_text(root / rel)
    except (OSError, ValueError) as exc:
        return DeclaredSource("dep5", rel, None, error=_error_line(exc)), []
    found: list[_Annotation] = []
    for paragraph in re.split(r"\n\s*\n", text):
        fields: dict[str, str] = {}
        current = None
        for line in paragraph.splitlines():
            if line.startswith("#"):
                continue
            if line[:1] in (" ", "\t") and current:
                fields[current] += "\n" + line.strip()
            elif ":" in line:
                current, _, value = line.partition(":")
                current = current.strip().lower()
                fields[current] = value.strip()
        if "files" not in fields:
            continue
        raw = fields.get("license", "").split("\n", 1)[0].strip()
        expression = _norm(raw) if raw else None
        copyrights = tuple(c for c in fields.get("copyright", "").split("\n") if c.strip())
        for glob in fields["files"].split():
            found.append(_Annotation(_dep5_glob(glob), expression, copyrights))
    if not found:
        return DeclaredSource("dep5", rel, None, error="no Files: stanza"), []
    return _annotation_source("dep5", rel, found), found


def _annotation_source(source: str, rel: str, found: list[_Annotation]) -> DeclaredSource:
    """The annotation for every file, if any, is a declaration of the repository's licence.

    Without one the file declares nothing for the repository as a whole: the source is kept
    (it exists) with no expression and no raw text.
    """
    everything = [a for a in found if a.glob in ("**", "**/*", "*/**") and a.expression]
    if not everything:
        return DeclaredSource(source, rel, None)
    return DeclaredSource(source, rel, everything[-1].expression, raw=everything[-1].glob)


_GLOBS: dict[str, Callable[[str], bool]] = {}

#: A glob with more wildcards than this is matched without a regular expression, whose
#: backtracking grows as the path's length to the power of the wildcards: a hostile REUSE.toml
#: path such as "**a**a**a**a**a**c" would stall a scan for hours.
_REGEX_WILDCARDS = 2

_STAR, _DSTAR, _ONE, _LITERAL = "*", "**", "?", ""


def reuse_glob_match(glob: str, path: str) -> bool:
    """Whether a REUSE.toml path glob covers a path: `*` stays within a folder, `**` crosses
    folders, `\\*` is a literal star; dep5 globs are stored converted to this syntax."""
    matcher = _GLOBS.get(glob)
    if matcher is None:
        matcher = _GLOBS[glob] = _glob_matcher(glob)
    return matcher(path.removeprefix("./"))


def _glob_tokens(glob: str) -> list[tuple[str, str]]:
    """The glob as (kind, character) tokens: a wildcard, or one literal character."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(glob):
        if glob.startswith("\\\\", i):
            tokens.append((_LITERAL, "\\"))
            i += 2
        elif glob.startswith("\\*", i):
            tokens.append((_LITERAL, "*"))
            i += 2
        elif glob.startswith("**", i):
            tokens.append((_DSTAR, ""))
            i += 2
        elif glob[i] in (_STAR, _ONE):
            tokens.append((glob[i], ""))
            i += 1
        else:
            tokens.append((_LITERAL, glob[i]))
            i += 1
    return tokens


def _glob_matcher(glob: str) -> Callable[[str], bool]:
    tokens = _glob_tokens(glob)
    if sum(kind in (_STAR, _DSTAR) for kind, _ in tokens) > _REGEX_WILDCARDS:
        return lambda path: _glob_steps(tokens, path)
    regex = {_STAR: "[^/]*", _DSTAR: ".*", _ONE: "[^/]"}
    pattern = re.compile(
        "".join(re.escape(ch) if kind == _LITERAL else regex[kind] for kind, ch in tokens)
        + r"\Z",
        re.DOTALL,
    )
    return lambda path: pattern.match(path) is not None


def _glob_steps(tokens: list[tuple[str, str]], path: str) -> bool:
    """Match by following every position the glob can be in at once, character by character:
    time grows with the path's length times the glob's, never exponentially."""
    end = len(tokens)

    def with_empty_wildcards(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            i = todo.pop()
            if i < end and tokens[i][0] in (_STAR, _DSTAR) and i + 1 not in states:
                states.add(i + 1)
                todo.append(i + 1)
        return states

    states = with_empty_wildcards({0})
    for ch in path:
        following: set[int] = set()
        for i in states:
            if i == end:
                continue
            kind, literal = tokens[i]
            if kind == _LITERAL:
                if ch == literal:
                    following.add(i + 1)
            elif kind == _ONE:
                if ch != "/":
                    following.add(i + 1)
            elif kind == _DSTAR or ch != "/":
                following.add(i)
        if not following:
            return False
        states = with_empty_wildcards(following)
    return end in states


# ---------------------------------------------------------------------------------------------
# The facts


def _root_names(root: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(root) if e.is_file())
    except OSError:
        return []


def _licence_file_source(rel: str, finding: FileFinding | None) -> DeclaredSource:
    detected = finding.license_expression if finding else None
    # scancode's own result, unknown licences included: a licence file nobody can identify
    # is a finding in itself (unlike a manifest's "SEE LICENSE IN ...").
    expression = licenses.simplify(licenses.normalise(detected)) if detected else None
    raw = detected or ""
    if expression is None or _all_unknown(expression):
        named = _LICENSE_FILE_SUFFIX_ID.match(rel)
        if named and not re.fullmatch(r"(?i)md|txt|rst|lesser|library", named.group(1)):
            expression = _norm(named.group(1)) or expression
            raw = raw or named.group(1)
    return DeclaredSource(rel, rel, expression, raw=raw)


def _licences_dir_source(rel: str, finding: FileFinding | None) -> DeclaredSource:
    stem = rel.split("/", 1)[1].rsplit(".", 1)[0]
    expression = _norm(stem)
    if expression is None and stem.startswith("LicenseRef-"):
        expression = stem
    return DeclaredSource("LICENSES", rel, expression, raw=stem)


def _most_used(ids: list[str], files: Sequence[FileFinding], kind: FileKind) -> str | None:
    """The id used by most files of a kind (None when none uses one, or on a tie)."""
    counts: Counter[str] = Counter()
    for f in files:
        if f.kind is kind and f.license_expression:
            keys = _keys(f.license_expression)
            for lic in ids:
                if lic in keys:
                    counts[lic] += 1
    if not counts:
        return None
    (best, n), *rest = counts.most_common()
    return None if rest and rest[0][1] == n else best


def _all_unknown(expression: str) -> bool:
    return all(licenses.license_info(k).is_unknown for k in licenses.license_keys(expression))


def _root_licence(
    sources: list[DeclaredSource], manifests: list[DeclaredSource], others_known: bool
) -> str | None:
    """The licence of the root licence files. Files scancode could not identify (only unknown
    licences) do not outvote another source that names a known licence."""
    expressions = list(dict.fromkeys(s.expression for s in sources if s.expression))
    if others_known:
        expressions = [e for e in expressions if not _all_unknown(e)]
    if len(expressions) <= 1:
        return expressions[0] if expressions else None
    union = set().union(*(_keys(e) for e in expressions))
    for manifest in manifests:
        if manifest.expression and _keys(manifest.expression) == union:
            return manifest.expression
    lesser = [e for e in expressions if any(k.startswith("LGPL-") for k in _keys(e))]
    if lesser and all(
        e in lesser or all(k.startswith("GPL-") for k in _keys(e)) for e in expressions
    ):
        expressions = lesser
    return _join(expressions, "AND")


def _header_source(files: Sequence[FileFinding]) -> DeclaredSource | None:
    counts = Counter(
        f.license_expression
        for f in files
        if f.kind is FileKind.CODE
        and f.license_expression
        and (f.spdx_header or f.license_source is LicenseSource.HEADER)
    )
    if not counts:
        return None
    expression, n = counts.most_common(1)[0]
    return DeclaredSource("SPDX headers", "", licenses.simplify(expression), raw=f"{n} files")


def _real_dir(path: Path) -> bool:
    """A folder of the checkout itself: a symlinked folder may lead out of it, never entered."""
    return path.is_dir() and not path.is_symlink()


def read_facts(root: Path, files: Sequence[FileFinding]) -> RepoFacts:
    """What the repository at `root` declares and who owns it (see the module docstring)."""
    root = Path(root)
    by_path = {f.path: f for f in files}
    paths = set(by_path) | set(_root_names(root))
    if _real_dir(root / "LICENSES"):
        with contextlib.suppress(OSError):
            paths |= {f"LICENSES/{e.name}" for e in os.scandir(root / "LICENSES") if e.is_file()}

    licence_paths = sorted(p for p in paths if is_license_file(p))
    root_files = [_licence_file_source(p, by_path.get(p)) for p in licence_paths if "/" not in p]
    reuse_files = [
        _licences_dir_source(p, by_path.get(p)) for p in licence_paths if p.startswith("LICENSES/")
    ]

    manifests: list[DeclaredSource] = []
    for name, parse in _MANIFESTS:
        if name in paths and (root / name).is_file():
            found = _read_manifest(root, name, name, parse)
            if found:
                manifests.append(found)
    vendored = {f.path for f in files if f.kind in (FileKind.VENDORED, FileKind.GENERATED)}
    for rel in sorted(p for p in paths if p.endswith(".csproj") and p not in vendored):
        if rel.count("/") <= 3 and (root / rel).is_file():
            found = _read_manifest(root, rel, "csproj", _csproj)
            if found:
                manifests.append(found)

    publiccode_source, legal = None, None
    for name in ("publiccode.yml", "publiccode.yaml"):
        if name in paths and (root / name).is_file():
            publiccode_source, legal = _publiccode(root, name)
            break

    annotations: list[_Annotation] = []
    annotation_sources: list[DeclaredSource] = []
    if _real_dir(root / ".reuse") and (root / ".reuse" / "dep5").is_file():
        source, found_annotations = _dep5(root, ".reuse/dep5")
        annotation_sources.append(source)
        annotations.extend(found_annotations)
    if (root / "REUSE.toml").is_file():
        source, found_annotations = _reuse_toml(root, "REUSE.toml")
        annotation_sources.append(source)
        annotations.extend(found_annotations)

    # The declared licence: the first kind of source that declares one.
    code_licence_ids: list[str] = []
    reuse_ids = [
        s.expression
        for s in reuse_files
        if s.expression and not licenses.license_info(s.expression).is_exception
    ]
    others_known = any(
        s.expression and not _all_unknown(s.expression)
        for s in [*reuse_files, *manifests, *([publiccode_source] if publiccode_source else [])]
    )
    declared = _root_licence(root_files, manifests, others_known)
    if declared is None and reuse_ids:
        if len(set(reuse_ids)) == 1:
            declared = reuse_ids[0]
        else:
            declared = _most_used(reuse_ids, files, FileKind.CODE)
            if declared is None:
                not_docs = [i for i in reuse_ids if not _is_docs_licence(i)]
                declared = _join(not_docs or reuse_ids, "AND")
    if declared is None:
        declared = next((m.expression for m in manifests if m.expression), None)
    if declared is None and publiccode_source is not None:
        declared = publiccode_source.expression
    if declared is None:
        declared = next((s.expression for s in annotation_sources if s.expression), None)

    sources: list[DeclaredSource] = [*root_files, *reuse_files, *manifests]
    if publiccode_source is not None:
        sources.append(publiccode_source)
    sources.extend(annotation_sources)
    if declared is None and not any(s.expression for s in sources):
        header = _header_source(files)
        if header is not None:
            sources.append(header)
            declared = header.expression
    code_licence_ids = sorted(_keys(declared))

    documentation = _documentation_licence(
        declared, reuse_ids, code_licence_ids, annotations, files
    )

    holders = _holders(root_files, by_path, legal, annotations, files)
    return RepoFacts(
        declared_license=declared,
        declared_sources=tuple(_printable_source(s) for s in sources),
        license_files=tuple(licence_paths),
        copyright_holders=holders,
        publiccode=_printable(legal),
        reuse_annotations=tuple((a.glob, a.expression) for a in annotations if a.expression),
        documentation_license=documentation,
    )


def _printable(value: Any) -> Any:
    """`value` (text, or lists and mappings of it) with control characters shown as \\xNN: a
    manifest's text reaches messages and terminals, and must not drive them."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    return value


def _printable_source(source: DeclaredSource) -> DeclaredSource:
    return dataclasses.replace(
        source, raw=_printable(source.raw), error=_printable(source.error)
    )


def _documentation_licence(
    declared: str | None,
    reuse_ids: list[str],
    code_ids: list[str],
    annotations: list[_Annotation],
    files: Sequence[FileFinding],
) -> str | None:
    if _is_docs_licence(declared):
        return declared
    candidates = [i for i in reuse_ids if _is_docs_licence(i) and i not in code_ids]
    if len(candidates) > 1:  # CC0-1.0 for small files beside CC-BY-SA-4.0 for the docs
        used = _most_used(candidates, files, FileKind.DOCS)
        if used:
            candidates = [used]
        else:
            candidates = [i for i in candidates if not i.startswith("CC0-")] or candidates
    docs_paths = [f.path for f in files if f.kind is FileKind.DOCS]
    for a in annotations:
        if not _is_docs_licence(a.expression):
            continue
        covers_docs = _DOC_PATTERNS.search(a.glob.replace("**", "x")) or any(
            reuse_glob_match(a.glob, p) for p in docs_paths
        )
        if covers_docs:
            candidates.append(a.expression or "")
    return _join(candidates, "AND")


def _holders(
    root_files: list[DeclaredSource],
    by_path: dict[str, FileFinding],
    legal: dict[str, object] | None,
    annotations: list[_Annotation],
    files: Sequence[FileFinding],
) -> tuple[str, ...]:
    found: list[str] = []
    for source in root_files:
        finding = by_path.get(source.path)
        if finding is None:
            continue
        ignorable = licenses.ignorable_holders(source.expression or finding.license_expression)
        found.extend(h for h in finding.holders if h.lower() not in ignorable)
    if legal is not None:
        owner = legal.get("mainCopyrightOwner")
        if isinstance(owner, str):
            found.append(owner)
    for annotation in annotations:
        found.extend(filter(None, (holder_from_statement(c) for c in annotation.copyrights)))
    counts: Counter[str] = Counter()
    for f in files:
        if f.kind in _OWN_KINDS and not is_license_file(f.path):
            counts.update(dict.fromkeys(f.holders, 1))
    found.extend(h for h, _ in counts.most_common())
    return clean_holders(found)


# ---------------------------------------------------------------------------------------------
# REUSE information for files without their own


def _sidecar(root: Path, rel: str) -> tuple[str | None, tuple[str, ...]]:
    path = root / f"{rel}.license"
    try:
        text = _read_text(path)
    except (OSError, ValueError):
        return None, ()
    # `(.*)` then strip, not `\s*(.+?)\s*$`, which backtracks quadratically on long lines
    ids = [i.strip() for i in re.findall(r"SPDX-License-Identifier:(.*)", text) if i.strip()]
    copyrights = [
        c.strip() for c in re.findall(r"SPDX-FileCopyrightText:(.*)", text) if c.strip()
    ]
    expression = _join([_norm(i) for i in ids], "AND") if ids else None
    holders = tuple(filter(None, (holder_from_statement(c) for c in copyrights)))
    return expression, holders


def apply_reuse(
    files: Sequence[FileFinding], facts: RepoFacts, root: Path | None = None
) -> tuple[FileFinding, ...]:
    """Files given the licence REUSE declares for them, where they have none of their own.

    In order: a `<path>.license` sidecar next to the file (one of `files`, read under `root`),
    else the last
    REUSE.toml annotation or dep5 stanza whose glob covers the path (REUSE's rule: a later
    match wins). Such files get `license_source=REUSE`; a sidecar's copyright holders are
    added when the file names none. Files with their own licence are left as they are (so
    REUSE.toml's `precedence = "override"` is not applied).
    """
    result: list[FileFinding] = []
    sidecars = {f.path for f in files if f.path.endswith(".license")}
    for finding in files:
        if finding.license_expression or finding.path in sidecars:
            result.append(finding)
            continue
        expression: str | None = None
        holders: tuple[str, ...] = ()
        if root is not None and f"{finding.path}.license" in sidecars:
            expression, holders = _sidecar(Path(root), finding.path)
        if expression is None:
            for glob, annotated in reversed(facts.reuse_annotations):
                if reuse_glob_match(glob, finding.path):
                    expression = annotated
                    break
        if expression is None:
            result.append(finding)
            continue
        result.append(
            dataclasses.replace(
                finding,
                license_expression=expression,
                license_source=LicenseSource.REUSE,
                holders=finding.holders or holders,
            )
        )
    return tuple(result)
