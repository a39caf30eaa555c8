"""Checks of what a repository declares: its licence file, its declared licence, publiccode.yml."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from rules.checks.base import (
    Finding,
    first_line,
)
from rules.policy import Policy
from rules.texts import msg
from scanner.kernel import licenses
from scanner.kernel.license_files import (
    is_license_file_name,
    is_reuse_license_text,
    is_root_license_file,
)
from scanner.kernel.models import DeclaredSource, FileFinding, LicenseSource, RepoScan

_TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".rst", ".html", ".htm", ".org", ".adoc")


def check_license_file(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The repository has a licence file at its root, and its licence files hold what they claim.

    A root LICENSE / LICENCE / COPYING (any extension) or a REUSE `LICENSES/` folder counts.
    Each `LICENSES/<ID>.txt` and each root licence file named after a licence (LICENSE-MIT)
    must contain that licence's text; a root licence file must contain some licence text.
    """
    paths = {f.path for f in scan.files} | set(scan.facts.license_files)
    root_files = sorted(p for p in paths if is_root_license_file(p))
    reuse_texts = sorted(p for p in paths if is_reuse_license_text(p))
    if not root_files and not reuse_texts:
        yield Finding(msg("The repository has no licence file at its root."))
        return
    by_path = {f.path: f for f in scan.files}
    for path in [*root_files, *reuse_texts]:
        finding = by_path.get(path)
        if finding is None or finding.skipped:
            continue
        claimed = _claimed_license(path)
        found = _detected(finding)
        if not found:
            yield Finding(
                msg("{path} contains no licence text that scancode recognises.", path=path),
                path=path,
                license=claimed,
                how_to_fix=msg(
                    "Put the full, unmodified licence text in the file (`reuse download <ID>` "
                    "fetches it)."
                ),
            )
        elif claimed and not any(_same_license(claimed, key) for key in found):
            yield Finding(
                msg(
                    "{path} is named after {claimed} but contains {found}.",
                    path=path,
                    claimed=claimed,
                    found=" AND ".join(found),
                ),
                path=path,
                line=first_line(finding),
                license=claimed,
                how_to_fix=msg(
                    "Replace the text with the {claimed} licence text, or rename the file after "
                    "the licence it contains.",
                    claimed=claimed,
                ),
            )


def check_declared_license_open(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The declared licence is open source: OSI approved, FSF free or a public-domain dedication."""
    declared = scan.facts.declared_license
    if not declared:
        yield Finding(msg("The repository declares no licence."))
        return
    problems = licenses.validate(declared)
    if problems and not licenses.choices(declared):
        yield Finding(
            msg("The declared licence '{declared}' is not a valid licence expression.",
                declared=declared),
            license=declared,
        )
    elif not licenses.is_open(declared):
        yield Finding(
            msg(
                "The declared licence {declared} is not an open-source licence (neither OSI "
                "approved nor FSF free).",
                declared=declared,
            ),
            license=declared,
        )


def check_declared_license_allowed(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """The declared licence is one the policy lists for products (one allowed choice is enough)."""
    declared = scan.facts.declared_license
    allowed = {_canon(a) for a in policy.licenses.declared_allowed}
    if not declared or not allowed or not licenses.is_open(declared):
        return  # a licence that is not open is declared-license-open's error
    for choice in licenses.choices(declared):
        if choice and all(_canon(member) in allowed for member in choice):
            return
    yield Finding(
        msg(
            "The declared licence {declared} is not a product licence the policy allows "
            "({allowed}).",
            declared=declared,
            allowed=", ".join(policy.licenses.declared_allowed),
        ),
        license=declared,
    )


def check_declared_license_consistent(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """Licence file, manifests, publiccode.yml and REUSE.toml declare the same licence.

    A declaration that could not be read (a broken manifest) is reported here too, naming the file.
    """
    sources = scan.facts.declared_sources
    for source in sources:
        if source.error:
            yield Finding(
                msg("{path} could not be read for its licence: {error}", path=source.path,
                    error=source.error),
                path=source.path,
                how_to_fix=msg("Fix the syntax of {path}.", path=source.path),
            )
        elif source.expression is None and source.raw and not _refers_elsewhere(source.raw):
            yield Finding(
                msg(
                    "{path} declares the licence as '{raw}', which is not a licence expression.",
                    path=source.path,
                    raw=source.raw,
                ),
                path=source.path,
                how_to_fix=msg("Write the licence in {path} as an SPDX expression.",
                               path=source.path),
            )
    declared = scan.facts.declared_license
    if not declared:
        return
    stated = [s for s in sources if s.expression and not s.error]
    reference = _reference_name(stated, declared)
    reference_is_text = any(s.expression == declared and _is_license_text(s) for s in stated)
    allowed_texts = _family_keys(declared) | _family_keys(scan.facts.documentation_license)
    if any(k.startswith("lgpl-") for k in allowed_texts):
        # the LGPL is a set of permissions on top of the GPL, whose text comes with it
        allowed_texts |= {
            "gpl-" + k[len("lgpl-") :] for k in allowed_texts if k.startswith("lgpl-")
        }
    for source in stated:
        assert source.expression is not None
        if source.path.startswith("LICENSES/"):
            continue  # REUSE keeps every licence used anywhere there, not only the declared one
        if _is_license_text(source):
            consistent = _family_keys(source.expression) <= allowed_texts
        else:
            lenient = reference_is_text
            consistent = _same_meaning(source.expression, declared, lenient)
        if not consistent:
            yield Finding(
                msg(
                    "{source} declares {license}, but {reference} declares {declared}.",
                    source=source.path or source.source,
                    license=source.expression,
                    reference=reference,
                    declared=declared,
                ),
                path=source.path or None,
                license=source.expression,
            )


def check_publiccode(scan: RepoScan, policy: Policy) -> Iterator[Finding]:
    """publiccode.yml exists and its legal.license matches the declared licence."""
    facts = scan.facts
    names = ("publiccode.yml", "publiccode.yaml")
    present = [f.path for f in scan.files if f.path in names]
    sources = [s for s in facts.declared_sources if PurePosixPath(s.path).name in names]
    if facts.publiccode is None and not present and not sources:
        yield Finding(
            msg("The repository has no publiccode.yml."),
            how_to_fix=msg(
                "Add a publiccode.yml (https://yml.publiccode.tools) with a legal section naming "
                "the licence and OS2 as main copyright owner."
            ),
        )
        return
    path = (present or [s.path for s in sources] or ["publiccode.yml"])[0]
    if any(s.error for s in sources):
        return  # reported by declared-license-consistent
    legal = facts.publiccode or {}
    stated = legal.get("license")
    if not isinstance(stated, str) or not stated.strip():
        yield Finding(msg("{path} has no legal.license.", path=path), path=path)
        return
    normalised = licenses.normalise(stated)
    if normalised is None:
        yield Finding(
            msg("{path} gives legal.license '{stated}', which is not a licence expression.",
                path=path, stated=stated),
            path=path,
        )
    elif facts.declared_license and not _same_meaning(normalised, facts.declared_license, False):
        yield Finding(
            msg(
                "{path} gives legal.license {license}, but the repository declares {declared}.",
                path=path,
                license=normalised,
                declared=facts.declared_license,
            ),
            path=path,
            license=normalised,
        )


# --- helpers -----------------------------------------------------------------------------------


def _claimed_license(path: str) -> str | None:
    """The licence a licence file's name claims: LICENSES/MIT.txt, LICENSE-MIT, COPYING.GPL-3.0."""
    name = PurePosixPath(path).name
    for suffix in _TEXT_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
            break
    if not is_reuse_license_text(path):
        match = re.match(r"(?i)^(?:license|licence|copying|unlicense)[-_.](.+)$", name)
        if not match:
            return None
        name = match.group(1)
    if name.startswith("LicenseRef-") or not licenses.is_known_id(name):
        return None
    return licenses.license_info(name).spdx_id


def _detected(finding: FileFinding) -> list[str]:
    """The licence ids scancode found in a file's text (not inherited, not from REUSE)."""
    expressions = [d.expression for d in finding.detections]
    if finding.license_expression and finding.license_source in (
        LicenseSource.DETECTED,
        LicenseSource.HEADER,
    ):
        expressions.append(finding.license_expression)
    keys: list[str] = []
    for expression in expressions:
        keys.extend(licenses.license_keys(expression))
    return [k for k in dict.fromkeys(keys) if not licenses.license_info(k).is_exception]


def _canon(ident: str) -> str:
    ident = re.split(r"\s+WITH\s+", ident, flags=re.IGNORECASE)[0].strip()
    return licenses.license_info(ident).spdx_id if licenses.is_known_id(ident) else ident


def _version_family(ident: str) -> str:
    """GPL-3.0-only and GPL-3.0-or-later share one licence text."""
    return re.sub(r"(-only|-or-later|\+)$", "", _canon(ident)).lower()


def _same_license(a: str, b: str) -> bool:
    return _version_family(a) == _version_family(b)


def _same_meaning(a: str, b: str, lenient: bool) -> bool:
    """Two expressions allow the same choices (`lenient`: ignore -only / -or-later)."""
    key = _version_family if lenient else (lambda ident: _canon(ident).lower())

    def normal(expression: str) -> set[frozenset[str]]:
        return {frozenset(key(m) for m in choice) for choice in licenses.choices(expression)}

    left, right = normal(a), normal(b)
    return bool(left) and left == right if left or right else a.strip() == b.strip()


def _is_license_text(source: DeclaredSource) -> bool:
    """A licence text cannot say whether "or later" applies; only notices and manifests can."""
    name = PurePosixPath(source.path).name
    return is_license_file_name(name) or source.path.startswith("LICENSES/")


def _reference_name(sources: list[DeclaredSource], declared: str) -> str:
    """Where the declared licence comes from, for messages."""
    for source in sources:
        if source.expression == declared:
            return source.path or source.source
    texts = [s.path for s in sources if _is_license_text(s) and not s.path.startswith("LICENSES/")]
    return " and ".join(texts) if texts else "the repository"


def _family_keys(expression: str | None) -> set[str]:
    if not expression:
        return set()
    return {
        _version_family(k)
        for k in licenses.license_keys(expression)
        if not licenses.license_info(k).is_exception
    }


def _refers_elsewhere(raw: str) -> bool:
    return raw.strip().upper().startswith(("SEE LICENSE", "SEE LICENCE", "SEE ", "FILE "))
