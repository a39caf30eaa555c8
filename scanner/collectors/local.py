"""The `path` source: a directory on local disk, a git checkout or not.

Nothing is copied: the checkout is the directory itself. In a git work tree the HEAD commit and
the remote's URL (without credentials) are recorded; a plain directory has no commit.
"""

from __future__ import annotations

from pathlib import Path

from scanner.gitutil import run_git
from scanner.kernel.errors import CollectorError, InputError
from scanner.kernel.inputs import refuse_scan_root
from scanner.kernel.models import Checkout, RepositorySpec, SourceKind
from scanner.kernel.redact import strip_url_credentials


class LocalCollector:
    """Collects a directory named by a `path` entry (resolved by the portfolio loader)."""

    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]:
        path = Path(spec.locator).expanduser()
        try:
            refuse_scan_root(path)
        except InputError as exc:
            raise CollectorError(exc.message) from None
        if not path.exists():
            raise CollectorError(f"directory does not exist: {spec.locator}")
        if not path.is_dir():
            raise CollectorError(f"not a directory: {spec.locator}")
        path = path.resolve()
        commit, remote = git_state(path)
        return [
            Checkout(
                spec=spec,
                name=spec.name,
                path=path,
                commit=commit,
                remote_url=remote,
                subfolder=subfolder(path) if commit else "",
            )
        ]


def subfolder(path: Path) -> str:
    """Where `path` lies inside its git work tree ("services/api"), "" at the top: CI formats
    give paths from the repository root, which is what code scanning annotates."""
    try:
        return run_git(["rev-parse", "--show-prefix"], cwd=path).strip().rstrip("/")
    except CollectorError:
        return ""


def git_state(path: Path) -> tuple[str | None, str | None]:
    """HEAD's commit SHA and the remote URL of the git work tree at `path`, or (None, None)."""
    try:
        inside = run_git(["rev-parse", "--is-inside-work-tree"], cwd=path)
    except CollectorError:
        return None, None  # not a git work tree (or git cannot read it): a plain directory
    if inside != "true":
        return None, None
    try:
        commit: str | None = run_git(
            ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cwd=path
        )
    except CollectorError:
        commit = None  # a repository without commits yet
    return commit or None, remote_url(path)


def remote_url(path: Path) -> str | None:
    """The URL of `origin` (or of the only remote), without credentials; None without one."""
    try:
        remotes = run_git(["remote"], cwd=path).split()
    except CollectorError:
        return None
    if not remotes:
        return None
    name = "origin" if "origin" in remotes else remotes[0]
    try:
        url = run_git(["remote", "get-url", name], cwd=path)
    except CollectorError:
        return None
    return strip_url_credentials(url) if url else None


COLLECTORS = {SourceKind.PATH: LocalCollector()}
