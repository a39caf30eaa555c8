"""The `git` source: any URL git can clone (file:// included), kept as a shallow checkout.

The first run clones (`init` + `fetch --depth 1` of the ref, or of the remote's HEAD); later
runs fetch and hard-reset the same directory, so a workspace is updated, not re-cloned. A lock
file beside each checkout keeps two scans of one workspace from updating it at the same time.
Credentials never reach the checkout's `.git/config`: they travel as an authorisation header in
git's environment (see `scanner.gitutil.split_credentials`).

`sync_checkout` is the reusable part: the GitHub and GitLab collectors clone through it too.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import re
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from scanner.gitutil import DEFAULT_TIMEOUT, NETWORK_TIMEOUT, run_git, split_credentials
from scanner.kernel.errors import CollectorError
from scanner.kernel.models import Checkout, RepositorySpec, SourceKind

_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_SCP_LIKE_RE = re.compile(r"[^/\s]+@[^/\s]+:")
_FULL_SHA_RE = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
LOCK_WAIT = 600.0  # seconds to wait for another scan to finish updating the same checkout


class GitCollector:
    """Clones or updates a `git` entry's repository in the workspace."""

    def __init__(self, timeout: float = NETWORK_TIMEOUT) -> None:
        self.timeout = timeout

    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]:
        path, commit, url = sync_checkout(spec.locator, workspace, spec.ref, timeout=self.timeout)
        return [Checkout(spec=spec, name=spec.name, path=path, commit=commit, remote_url=url)]


def sync_checkout(
    url: str,
    workspace: Path,
    ref: str | None = None,
    *,
    extra_config: Mapping[str, str] | None = None,
    timeout: float = NETWORK_TIMEOUT,
) -> tuple[Path, str, str]:
    """Clone `url` at `ref` (default: the remote's HEAD) into `workspace`, or update the clone.

    Returns the checkout's path, its commit SHA and the URL without credentials. `extra_config`
    is git configuration passed through the environment only (for example an authorisation
    header from `scanner.gitutil.basic_auth_config`). Raises CollectorError with git's message.
    """
    url, is_local = _normalise(url)
    clean_url, auth = split_credentials(url)
    config = {**auth, **(extra_config or {})}
    if clean_url.startswith("-") or (ref is not None and (ref.startswith("-") or not ref.strip())):
        raise CollectorError("refusing a URL or ref that starts with '-' or is empty")
    workspace = workspace.expanduser().resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    name = checkout_dir_name(clean_url, ref)
    dest = workspace / name

    def git(*args: str, network: bool = False) -> str:
        # Fetching, resetting and cleaning a large repository all take time: the caller's timeout.
        return run_git(
            ["-C", str(dest), *args],
            timeout=timeout,
            allow_file_protocol=is_local,
            extra_config=config if network else None,
        )

    with _locked(workspace / f"{name}.lock"):
        fresh = not (dest / ".git").is_dir()
        if fresh and dest.exists():
            shutil.rmtree(dest)  # what an interrupted first clone left behind
        try:
            if fresh:
                run_git(["init", "--quiet", str(dest)], timeout=DEFAULT_TIMEOUT)
            git("config", "remote.origin.url", clean_url)
            fetch = ["fetch", "--quiet", "--depth", "1", "--no-tags", "--no-recurse-submodules"]
            git(*fetch, "origin", ref or "HEAD", network=True)
            git("reset", "--quiet", "--hard", "FETCH_HEAD")
            git("clean", "--quiet", "-ffdx")
            commit = git("rev-parse", "--verify", "HEAD^{commit}")
        except CollectorError:
            if fresh:
                shutil.rmtree(dest, ignore_errors=True)
            raise
    if ref is not None and _FULL_SHA_RE.fullmatch(ref.lower()) and commit != ref.lower():
        raise CollectorError(f"fetched commit {commit} is not the requested {ref}")
    return dest, commit, clean_url


def _normalise(url: str) -> tuple[str, bool]:
    """The URL git should fetch from, and whether it is on local disk (needs the file protocol).

    A local directory becomes a file:// URL: git ignores `--depth` for plain local paths.
    """
    if _URL_RE.match(url):
        return url, url.lower().startswith("file://")
    if _SCP_LIKE_RE.match(url):
        return url, False
    path = Path(url).expanduser()
    if path.is_dir():
        return path.resolve().as_uri(), True
    raise CollectorError(f"not a git URL or an existing directory: {url}")


def checkout_dir_name(url: str, ref: str | None) -> str:
    """A readable, safe directory name for a clone of `url` at `ref`, unique to the pair."""
    digest = hashlib.sha256(f"{url}\0{ref or ''}".encode()).hexdigest()[:12]
    readable = _URL_RE.sub("", url).split("@")[-1]
    readable = re.sub(r"\.git$", "", readable.rstrip("/"))
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", readable).strip("-.")[-48:].lstrip("-.")
    return f"{readable or 'repository'}-{digest}"


@contextlib.contextmanager
def _locked(lock_path: Path, wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `lock_path` (waiting up to `wait` seconds for another holder)."""
    wait = LOCK_WAIT if wait is None else wait
    with open(lock_path, "a+b") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise CollectorError(f"cannot lock {lock_path.name}: {exc.strerror}") from None
                if time.monotonic() > deadline:
                    raise CollectorError(
                        f"another scan has been updating {lock_path.stem} for {wait:g} seconds"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


COLLECTORS = {SourceKind.GIT: GitCollector()}
