"""Policy files: what a licence policy says, read into one validated, immutable `Policy`.

A policy file is YAML with these top-level keys (all optional, unknown keys are errors):

- `name`: how reports name the policy (default: the file's stem).
- `description`: free text.
- `extends`: a built-in policy name (`os2`) or a path relative to the file. The base is read
  first; `severity` then merges rule by rule, each key of `licenses` and `owners` that the file
  sets replaces the base's value, and `waivers` are appended to the base's waivers.
- `severity`: rule id -> `error | warning | info | off`.
- `licenses`: `declared_allowed`, `documentation_allowed`, `documentation_accepted`, `denied`
  (licence ids) and `denied_categories` (scancode licence categories).
- `owners`: `expected`, patterns a copyright holder should match: a glob (`* Kommune`,
  case-insensitive) or, written `re:...`, a regular expression searched in the holder;
  `organisations`, the same kind of patterns for the forge organisations and groups that count
  as the community's own (the governance lights F1 and F6).
- `waivers`: a list of `{rule, repository, path, reason, expires, approved_by, decision}`.
- `components`: curations of component detection (name, merge, ignore or declare components
  by glob, each with a reason; see scanner/kernel/curations.py), added to the base's.

Every error names the file and the line of the offending YAML node (the file is composed into a
node tree, which keeps the lines) and says what is wrong in one sentence.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from types import MappingProxyType
from typing import Literal, TypeVar

import regex
from yaml.nodes import MappingNode, Node, ScalarNode

from rules.catalogue import RULE_IDS
from scanner.kernel import licenses
from scanner.kernel.curations import curations_from_node
from scanner.kernel.errors import InputError
from scanner.kernel.inputs import refuse_special
from scanner.kernel.models import ComponentCuration, PolicyTerms, Severity, Waiver
from scanner.kernel.redact import printable
from scanner.kernel.yamlfile import NULL_TAG, YamlReader, node_line, read_yaml_file

POLICIES_DIR = Path(__file__).parent / "policies"
DEFAULT_POLICY = "os2"

Off = Literal["off"]
T = TypeVar("T")
D = TypeVar("D")
SeverityOrOff = Severity | Off

_TOP_KEYS = (
    "name", "description", "extends", "severity", "licenses", "owners", "waivers", "components",
)  # fmt: skip
_LICENSE_ID_KEYS = (
    "declared_allowed",
    "documentation_allowed",
    "documentation_accepted",
    "denied",
)
_LICENSE_KEYS = (*_LICENSE_ID_KEYS, "denied_categories")
_OWNER_KEYS = ("expected", "organisations")
_WAIVER_KEYS = ("rule", "repository", "path", "reason", "expires", "approved_by", "decision")


@dataclass(frozen=True)
class LicensePolicy:
    """The licence lists of a policy (ids normalised to SPDX where SPDX has one)."""

    declared_allowed: tuple[str, ...] = ()  # licences a product may declare
    documentation_allowed: tuple[str, ...] = ()  # the standard documentation licences
    documentation_accepted: tuple[str, ...] = ()  # open, accepted for docs, but not standard
    denied: tuple[str, ...] = ()  # never acceptable, in any file
    denied_categories: tuple[str, ...] = ()  # scancode categories never acceptable

    @property
    def documentation(self) -> frozenset[str]:
        """Every licence documentation and content may carry."""
        return frozenset(self.documentation_allowed) | frozenset(self.documentation_accepted)


@dataclass(frozen=True)
class OwnerPolicy:
    """Who the policy expects to hold the copyright."""

    expected: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # forge organisations/groups that are the owner's own

    def matches(self, holder: str) -> bool:
        """True when the holder matches one of the expected patterns."""
        return any(_pattern_matches(pattern, holder) for pattern in self.expected)


@dataclass(frozen=True)
class Policy:
    """A validated policy: severities, licence lists, expected owners and waivers."""

    name: str
    source: str  # "built-in" or the file the policy was read from
    severity: Mapping[str, SeverityOrOff] = field(
        default_factory=lambda: MappingProxyType({})
    )  # only the rules the policy sets; the rest keep their default
    licenses: LicensePolicy = LicensePolicy()
    owners: OwnerPolicy = OwnerPolicy()
    waivers: tuple[Waiver, ...] = ()
    components: tuple[ComponentCuration, ...] = ()  # curations of component detection
    extends: tuple[str, ...] = ()  # the chain of bases, nearest first

    @property
    def terms(self) -> PolicyTerms:
        """What the reports judge products by, carried on the scan result."""
        return PolicyTerms(
            declared_allowed=self.licenses.declared_allowed,
            owners=self.owners.expected,
            organisations=self.owners.organisations,
        )


class PolicyErrors(InputError):
    """Every problem of a policy file, found in one reading: the first is the message, all of
    them are in `errors` (what `os2scan rules validate` prints, one line each)."""

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        more = f" (and {len(errors) - 1} more: see `os2scan rules validate`)" if errors[1:] else ""
        super().__init__(first.message + more, first.source, first.line)
        self.errors = tuple(errors)


def load_policy(
    name_or_path: str | Path | None = None,
    *,
    today: date | None = None,
    trusted_folders: Sequence[Path] | None = None,
) -> Policy:
    """Read a policy by built-in name (None means `os2`) or path, with its bases.

    `extends` may name a built-in policy or a file in the policy's own folder (or below it);
    a file anywhere else only inside `trusted_folders` (default: the folders listed in
    $OS2SCAN_POLICY_PATH), so a policy cannot make os2scan read, and echo, any file.

    Waivers whose `expires` date lies before `today` (default: the current date) are marked
    expired. Raises InputError with the file and line for anything that does not validate.
    """
    today = today or date.today()
    if name_or_path is None:
        name_or_path = DEFAULT_POLICY
    text = str(name_or_path)
    path = Path(text)
    if _is_builtin_name(text) and ((POLICIES_DIR / f"{text}.yaml").is_file() or not path.is_file()):
        return _load_file(_builtin_path(text), today, chain=(), builtin=text)
    refuse_special(path, "policy file")
    if not path.is_file():
        raise InputError(
            f"policy file not found (built-in policies: {', '.join(builtin_policies())})",
            source=text,
        )
    if trusted_folders is None:
        trusted_folders = _trusted_folders_from_environment()
    folders = (path.resolve().parent, *(Path(f).resolve() for f in trusted_folders))
    return _load_file(path, today, chain=(), folders=folders)


#: Folders (separated by os.pathsep) whose policy files `extends` may name by absolute path.
TRUSTED_FOLDERS_VARIABLE = "OS2SCAN_POLICY_PATH"


def _trusted_folders_from_environment() -> tuple[Path, ...]:
    value = os.environ.get(TRUSTED_FOLDERS_VARIABLE, "")
    return tuple(Path(p) for p in value.split(os.pathsep) if p)


def _confined(base: Path, folders: tuple[Path, ...]) -> bool:
    """True when the policy file `base` lies in one of `folders` (links resolved)."""
    resolved = base.resolve()
    return any(resolved.is_relative_to(folder) for folder in folders)


def builtin_policies() -> list[str]:
    """The names of the policies shipped with os2scan."""
    return sorted(p.stem for p in POLICIES_DIR.glob("*.yaml"))


def waiver_expired(waiver: Waiver, today: date) -> bool:
    """A waiver expires at the end of its `expires` day."""
    return waiver.expires is not None and date.fromisoformat(waiver.expires) < today


# --- reading -----------------------------------------------------------------------------------


def _is_builtin_name(text: str) -> bool:
    return "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml"))


def _builtin_path(name: str) -> Path:
    path = POLICIES_DIR / f"{name}.yaml"
    if not path.is_file():
        raise InputError(
            f"unknown built-in policy '{name}' (built-in policies: "
            f"{', '.join(builtin_policies())}; a policy file needs a .yaml or .yml name)"
        )
    return path


def _load_file(
    path: Path,
    today: date,
    chain: tuple[Path, ...],
    builtin: str | None = None,
    folders: tuple[Path, ...] = (),
) -> Policy:
    source = f"rules/policies/{path.name}" if builtin else str(path)
    resolved = path.resolve()
    if resolved in chain:
        raise InputError("the policy extends itself through its bases", source=source)
    refuse_special(path, "policy file")
    root = read_yaml_file(path, "the policy file", source)
    if root is None:
        raise InputError("the policy file is empty", source)
    reader = _Reader(source)
    top = reader.mapping(root, "the policy", _TOP_KEYS)

    base = Policy(name="", source="")
    if "extends" in top:
        base = reader.attempt(
            lambda: _base_policy(
                top["extends"][1], reader, path, source, today, chain, resolved, builtin, folders
            ),
            base,
        )

    name = builtin or path.stem
    if "name" in top:
        name = reader.attempt(lambda: reader.string(top["name"][1], "name"), name)
    if "description" in top:
        reader.attempt(lambda: reader.string(top["description"][1], "description"), "")

    severity = dict(base.severity)
    if "severity" in top:
        no_severities: dict[str, SeverityOrOff] = {}
        severity.update(
            reader.attempt(lambda: reader.severities(top["severity"][1]), no_severities)
        )

    licenses_policy = base.licenses
    if "licenses" in top:
        licenses_policy = reader.attempt(
            lambda: reader.licenses(top["licenses"][1], base.licenses), base.licenses
        )

    owners = base.owners
    if "owners" in top:
        owners = reader.attempt(lambda: reader.owners(top["owners"][1], base.owners), owners)

    components = base.components
    if "components" in top:
        node = top["components"][1]
        no_curations: tuple[ComponentCuration, ...] = ()
        components = (
            *components,
            *reader.attempt(lambda: curations_from_node(node, source), no_curations),
        )

    waivers = base.waivers
    if "waivers" in top:
        no_waivers: list[Waiver] = []
        waivers = (
            *waivers,
            *reader.attempt(lambda: reader.waivers(top["waivers"][1], today), no_waivers),
        )
    reader.done()

    extends = (base.name, *base.extends) if "extends" in top else ()
    return Policy(
        name=name,
        source="built-in" if builtin else str(path),
        severity=MappingProxyType(severity),
        licenses=licenses_policy,
        owners=owners,
        waivers=waivers,
        extends=extends,
        components=components,
    )


def _base_policy(
    node: Node,
    reader: _Reader,
    path: Path,
    source: str,
    today: date,
    chain: tuple[Path, ...],
    resolved: Path,
    builtin: str | None,
    folders: tuple[Path, ...],
) -> Policy:
    """The policy a file `extends`, read first: a built-in one, or a file in a trusted folder."""
    ref = reader.string(node, "extends")
    if _is_builtin_name(ref):
        try:
            base_path = _builtin_path(ref)
        except InputError as exc:
            raise InputError(exc.message, source, node_line(node)) from None
        return _load_file(base_path, today, (*chain, resolved), builtin=ref)
    base_path = path.parent / ref
    if builtin or not _confined(base_path, folders):
        raise InputError(
            f"the policy it extends, '{printable(ref)}', lies outside the policy's "
            f"folder (allow a folder with ${TRUSTED_FOLDERS_VARIABLE})",
            source,
            node_line(node),
        )
    refuse_special(base_path, "policy file")
    if not base_path.is_file():
        raise InputError(
            f"the policy it extends, '{printable(ref)}', does not exist", source, node_line(node)
        )
    return _load_file(base_path, today, (*chain, resolved), folders=folders)


class _Reader(YamlReader):
    """Turns YAML nodes into validated values. It notes each problem and goes on where it can
    (`attempt`), so one reading finds every problem of a file; `done` raises them together."""

    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.errors: list[InputError] = []

    def attempt(self, read: Callable[[], T], default: D) -> T | D:
        """`read()`, or `default` with its error noted, so reading goes on to find the rest."""
        try:
            return read()
        except PolicyErrors as exc:  # a base policy's errors
            self.errors.extend(exc.errors)
        except InputError as exc:
            self.errors.append(exc)
        return default

    def done(self) -> None:
        if self.errors:
            raise PolicyErrors(self.errors)

    def mapping(
        self, node: Node, what: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]]:
        """The known keys of a mapping; an unknown or repeated key is noted and left out."""
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        items: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, ScalarNode) else None
            if key is not None and key in items:
                self.errors.append(self.fail(key_node, f"the key '{key}' appears twice in {what}"))
                continue
            one = MappingNode(node.tag, [(key_node, value_node)])
            try:
                items.update(super().mapping(one, what, allowed))
            except InputError as exc:
                self.errors.append(exc)
        return items

    def optional_string(self, node: Node, what: str) -> str | None:
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            return None
        return self.string(node, what)

    def string(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag == NULL_TAG or not node.value.strip():
            raise self.fail(node, f"'{what}' must be a non-empty text value")
        return str(node.value).strip()

    def sequence(self, node: Node, what: str, *, null_is_empty: bool = True) -> list[Node]:
        """A list (an empty value is an empty list); `what` is the key it is under."""
        return super().sequence(node, f"'{what}'", null_is_empty=null_is_empty)

    def severities(self, node: Node) -> dict[str, SeverityOrOff]:
        out: dict[str, SeverityOrOff] = {}
        for rule_id, (_key, value) in self.mapping(node, "severity", RULE_IDS).items():
            chosen = self.attempt(partial(self.severity, rule_id, value), None)
            if chosen is not None:
                out[rule_id] = chosen
        return out

    def severity(self, rule_id: str, value: Node) -> SeverityOrOff:
        text = self.string(value, f"severity.{rule_id}").lower()
        if text == "off":
            return "off"
        try:
            return Severity(text)
        except ValueError:
            raise self.fail(
                value,
                f"severity '{value.value}' of rule {rule_id} is not one of "
                "error, warning, info, off",
            ) from None

    def license_ids(self, node: Node, what: str) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.sequence(node, what):
            known = self.attempt(partial(self.license_id, item, what), None)
            if known is not None:
                out.append(known)
        return tuple(out)

    def license_id(self, item: Node, what: str) -> str:
        text = self.string(item, what)
        if not licenses.is_known_id(text):
            raise self.fail(
                item, f"'{text}' in {what} is neither an SPDX licence id nor a scancode licence key"
            )
        return licenses.normalise(text) or text

    def licenses(self, node: Node, base: LicensePolicy) -> LicensePolicy:
        keys = self.mapping(node, "licenses", _LICENSE_KEYS)
        changes: dict[str, tuple[str, ...]] = {}
        for name in _LICENSE_ID_KEYS:
            if name in keys:
                changes[name] = self.license_ids(keys[name][1], f"licenses.{name}")
        if "denied_categories" in keys:
            categories: list[str] = []
            for item in self.sequence(keys["denied_categories"][1], "licenses.denied_categories"):
                text = self.string(item, "licenses.denied_categories")
                if text not in licenses.CATEGORIES:
                    raise self.fail(
                        item,
                        f"'{text}' is not a scancode licence category (one of: "
                        f"{', '.join(sorted(licenses.CATEGORIES))})",
                    )
                categories.append(text)
            changes["denied_categories"] = tuple(categories)
        return replace(base, **changes)

    def owners(self, node: Node, base: OwnerPolicy) -> OwnerPolicy:
        keys = self.mapping(node, "owners", _OWNER_KEYS)
        changes = {
            key: self.patterns(keys[key][1], f"owners.{key}") for key in _OWNER_KEYS if key in keys
        }
        return replace(base, **changes)

    def patterns(self, node: Node, what: str) -> tuple[str, ...]:
        patterns: list[str] = []
        for item in self.sequence(node, what):
            text = self.string(item, what)
            if text.startswith("re:"):
                try:
                    regex.compile(text[3:], flags=regex.V0)
                except (regex.error, ValueError) as exc:
                    raise self.fail(
                        item, f"'{text}' is not a valid regular expression ({exc})"
                    ) from None
            patterns.append(text)
        return tuple(patterns)

    def waivers(self, node: Node, today: date) -> list[Waiver]:
        out: list[Waiver] = []
        for item in self.sequence(node, "waivers"):
            waiver = self.attempt(partial(self.waiver, item, today), None)
            if waiver is not None:
                out.append(waiver)
        return out

    def waiver(self, item: Node, today: date) -> Waiver:
        keys = self.mapping(item, "a waiver", _WAIVER_KEYS)
        for required in ("rule", "reason"):
            if required not in keys:
                raise self.fail(item, f"a waiver needs a '{required}'")
        rule_node = keys["rule"][1]
        rule = self.string(rule_node, "rule")
        if rule not in RULE_IDS:
            raise self.fail(rule_node, f"unknown rule id '{rule}' (see `os2scan rules list`)")
        values: dict[str, str | None] = {}
        for name in ("repository", "path", "approved_by", "decision"):
            if name in keys:
                values[name] = self.optional_string(keys[name][1], name)
        expires = None
        if "expires" in keys:
            expires_node = keys["expires"][1]
            expires = self.string(expires_node, "expires")
            try:
                date.fromisoformat(expires)
            except ValueError:
                raise self.fail(
                    expires_node, f"expires '{expires}' is not a date written YYYY-MM-DD"
                ) from None
            if len(expires) != 10:
                raise self.fail(
                    expires_node, f"expires '{expires}' is not a date written YYYY-MM-DD"
                )
        waiver = Waiver(
            rule=rule,
            repository=values.get("repository") or "*",
            path=values.get("path"),
            reason=self.string(keys["reason"][1], "reason"),
            expires=expires,
            approved_by=values.get("approved_by"),
            decision=values.get("decision"),
        )
        return replace(waiver, expired=waiver_expired(waiver, today))


#: Seconds one `re:` pattern of owners.expected may search one holder: a pattern that
#: backtracks catastrophically is stopped, not left running for minutes.
PATTERN_TIMEOUT = 1.0


def matches_any(patterns: tuple[str, ...], text: str) -> bool:
    """True when `text` matches one of the policy patterns (case-insensitive glob or `re:`)."""
    return any(_pattern_matches(pattern, text) for pattern in patterns)


def _pattern_matches(pattern: str, holder: str) -> bool:
    if pattern.startswith("re:"):
        try:
            found = regex.search(
                pattern[3:], holder, flags=regex.IGNORECASE | regex.V0, timeout=PATTERN_TIMEOUT
            )
        except TimeoutError:
            raise InputError(
                f"the owners.expected pattern '{printable(pattern[:80])}' took over "
                f"{PATTERN_TIMEOUT:g} s on the holder '{printable(holder[:80])}'; simplify it "
                "or use a glob"
            ) from None
        return found is not None
    return fnmatch.fnmatchcase(holder.strip().casefold(), pattern.casefold())
