"""Where a violation points and how it is recognised from one run to the next, for the CI
formats (SARIF and GitLab Code Quality).

Location: a file-level violation points at its path relative to the repository root: when the
checked folder is a subfolder of a git repository (`check services/api`, the action's `path:`),
the subfolder comes first, so code scanning annotates the right file. `Locator.folder` is the
checked folder itself, where SARIF anchors repository-level violations. GitLab Code Quality
needs a file for every finding, so there a repository-level violation (no path) points at the
file where the fix belongs (`Locator.fix_file`): publiccode.yml for the `publiccode` rule,
otherwise the repository's licence file, or `LICENSE` when it has none. When a scan holds more
than one repository, paths start with the repository's name, so findings in two repositories
never share a location.

Fingerprint: an MD5 of rule, repository, path and licence, never of the line number or the
message, so a finding keeps its identity when lines move or wording changes. When one report
holds two findings with the same key (two detections in one file), the second and later ones
add their occurrence number to the hashed text, so each fingerprint is distinct.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from scanner.kernel.models import RepoScan, ScanResult, Violation

_REPOSITORY_LEVEL_FILES = {"publiccode": "publiccode.yml"}


def _licence_files(result: ScanResult) -> dict[str, str]:
    """repository name -> its first licence file."""
    files: dict[str, str] = {}
    for repo in result.repositories:
        if repo.facts.license_files:
            files.setdefault(repo.checkout.name, repo.facts.license_files[0])
    return files


def _repository_names(repositories: Iterable[RepoScan]) -> set[str]:
    return {repo.checkout.name for repo in repositories}


class Locator:
    """Turns violations of one scan into repository-relative (or scan-relative) paths."""

    def __init__(self, result: ScanResult) -> None:
        names = _repository_names(result.repositories)
        names.update(v.repository for v in result.violations)
        self.prefix_repository = len(names) > 1
        self.licence_files = _licence_files(result)
        self.subfolders = {r.checkout.name: r.checkout.subfolder for r in result.repositories}

    def _under(self, repository: str, path: str) -> str:
        parts = [self.subfolders.get(repository, ""), path]
        if self.prefix_repository:
            parts.insert(0, repository)
        return "/".join(p.strip("/") for p in parts if p)

    def folder(self, repository: str) -> str:
        """The checked folder, relative to the root ("./" when it is the root itself)."""
        return (self._under(repository, "") + "/").lstrip("/") or "./"

    def path(self, v: Violation) -> str | None:
        """A file-level violation's file; None for a repository-level one."""
        return None if v.path is None else self._under(v.repository, v.path)

    def fix_file(self, v: Violation) -> str:
        """The violation's file, or for a repository-level one the file the fix belongs in."""
        if v.path is not None:
            return self._under(v.repository, v.path)
        path = _REPOSITORY_LEVEL_FILES.get(v.rule) or self.licence_files.get(
            v.repository, "LICENSE"
        )
        return self._under(v.repository, path)

    def file(self, v: Violation, path: str) -> str:
        """One of the files a violation stands for (`Violation.files`), located like its path."""
        return f"{v.repository}/{path}" if self.prefix_repository else path


def fingerprint_text(v: Violation) -> str:
    """The stable identity of a violation: its key (rule, path, licence; no line) and its
    repository."""
    rule, path, licence = v.key
    return "\x1f".join((rule, v.repository, path or "", licence or ""))


def fingerprints(violations: Iterable[Violation]) -> Iterator[str]:
    """One MD5 fingerprint per violation, in order, distinct within the sequence."""
    seen: dict[str, int] = {}
    for v in violations:
        text = fingerprint_text(v)
        count = seen.get(text, 0) + 1
        seen[text] = count
        if count > 1:
            text += f"\x1f#{count}"
        yield hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
