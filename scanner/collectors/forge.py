"""What the GitHub and GitLab collectors share: options, rate limits, credentials and cloning.

Both forges are read through their own client libraries (PyGithub, python-gitlab), whose retry
machinery does the waiting: this module only decides how long a rate-limited answer asks us to
wait, says so on stderr (through the `notify` callback, by default a warning in the log) and
refuses to wait when `no_wait` is set. Tokens come from the environment and travel to git as
an authorisation header in git's environment (never in a URL, a config file or a log line).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from scanner.collectors.git import checkout_dir_name, sync_checkout
from scanner.gitutil import basic_auth_config, run_git
from scanner.kernel.errors import CollectorError
from scanner.kernel.models import (
    Checkout,
    ForgeMetadata,
    RepositorySpec,
    SourceKind,
)
from scanner.kernel.redact import one_line

log = logging.getLogger(__name__)

Notify = Callable[[str], None]


class RateLimitError(CollectorError):
    """A forge asked us to wait and waiting is not allowed (`--no-wait`) or would take too long."""


@dataclass(frozen=True)
class ForgeOptions:
    """How the forge collectors talk to the APIs: process defaults set with `configure()`,
    or passed for a block of calls with `using()`."""

    no_wait: bool = False  # fail at once on a rate limit instead of waiting it out
    notify: Notify | None = None  # where "waiting N s" messages go; None: a log warning
    max_retries: int = 5  # per request, for 5xx answers, connection errors and rate limits
    backoff: float = 0.5  # seconds; doubles with each retry of a 5xx or connection error
    max_wait: float = 3600.0  # the longest rate-limit wait we accept before giving up
    timeout: float = 30.0  # seconds per API request
    per_page: int = 100

    def say(self, message: str) -> None:
        if self.notify is not None:
            self.notify(message)
        else:
            log.warning("%s", message)


_defaults = ForgeOptions()
_in_use: ContextVar[ForgeOptions | None] = ContextVar("forge_options", default=None)


def configure(**changes: object) -> ForgeOptions:
    """Change the default forge options of this process (the commands call this with
    `no_wait=...`); options passed to `using` take precedence over them."""
    global _defaults
    _defaults = dataclasses.replace(_defaults, **changes)  # type: ignore[arg-type]
    return _defaults


@contextlib.contextmanager
def using(options: ForgeOptions) -> Iterator[ForgeOptions]:
    """Use `options` for the forge calls made inside the block (in this thread or task only),
    without changing the process defaults: how the pipeline passes its options on."""
    token = _in_use.set(options)
    try:
        yield options
    finally:
        _in_use.reset(token)


def current_options() -> ForgeOptions:
    """The options in force; OS2SCAN_NO_WAIT=1 in the environment also turns on `no_wait`."""
    options = _in_use.get() or _defaults
    if not options.no_wait and os.environ.get("OS2SCAN_NO_WAIT", "").lower() in (
        "1",
        "true",
        "yes",
    ):
        return dataclasses.replace(options, no_wait=True)
    return options


def rate_limit_wait(
    status: int, headers: Mapping[str, str], now: float | None = None
) -> float | None:
    """Seconds a rate-limited answer asks us to wait, or None when it is not a rate limit.

    Secondary limits say `Retry-After`; primary limits say `X-RateLimit-Remaining: 0` and when
    the window resets (`X-RateLimit-Reset`, or GitLab's `RateLimit-Reset`), as epoch seconds.
    """
    if status not in (403, 429):
        return None
    retry_after = _header(headers, "Retry-After")
    if retry_after:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            return 60.0  # an HTTP date: rare; a minute is what GitHub recommends
    remaining = _header(headers, "X-RateLimit-Remaining") or _header(headers, "RateLimit-Remaining")
    reset = _header(headers, "X-RateLimit-Reset") or _header(headers, "RateLimit-Reset")
    if remaining == "0" and reset:
        try:
            return max(float(reset) - (now if now is not None else time.time()), 0.0) + 1.0
        except ValueError:
            return 60.0
    return 60.0 if status == 429 else None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:  # plain dicts are case-sensitive
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value.strip() if value else None


def check_wait(platform: str, wait: float, options: ForgeOptions) -> None:
    """Announce a rate-limit wait, or raise RateLimitError when we must not wait."""
    if options.no_wait:
        raise RateLimitError(
            f"{platform} rate limit reached (resets in {wait:.0f} s); not waiting (--no-wait)"
        )
    if wait > options.max_wait:
        raise RateLimitError(
            f"{platform} rate limit reached; the reset is {wait:.0f} s away, "
            f"longer than the {options.max_wait:.0f} s we wait"
        )
    options.say(f"{platform} rate limit reached; waiting {wait:.0f} s before retrying")


def network_failure(platform: str, error: Exception, what: str) -> str:
    """One line for a request that failed below the API: retries used up, no connection."""
    import requests  # here, not at the top: a scan of local paths never loads the HTTP stack

    if isinstance(error, requests.exceptions.RetryError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return f"{platform} kept failing for {what} after retries ({reason or 'too many errors'})"
    if isinstance(error, requests.exceptions.Timeout):
        return f"{platform} did not answer in time for {what}"
    return f"cannot reach {platform} for {what}: {type(error).__name__}"


def token_from(*names: str) -> str | None:
    """The first non-empty token among the environment variables `names`."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return None


def selected(spec: RepositorySpec, full_name: str, *, fork: bool, archived: bool) -> bool:
    """Whether an organisation's or group's repository passes the entry's filters.

    Globs match the repository's name or its full path, case-insensitively.
    """
    if fork and not spec.include_forks:
        return False
    if archived and not spec.include_archived:
        return False
    candidates = (full_name.lower(), full_name.rsplit("/", 1)[-1].lower())

    def matches(patterns: Iterable[str]) -> bool:
        return any(fnmatch.fnmatchcase(c, p.lower()) for p in patterns for c in candidates)

    if spec.include and not matches(spec.include):
        return False
    return not matches(spec.exclude)


def expand(spec: RepositorySpec, kind: SourceKind, full_name: str) -> RepositorySpec:
    """The one-repository spec an organisation or group entry stands for."""
    return dataclasses.replace(spec, kind=kind, locator=full_name, include=(), exclude=())


def clone(
    spec: RepositorySpec,
    name: str,
    clone_url: str,
    ref: str,
    remote_commit: str | None,
    workspace: Path,
    *,
    user: str,
    token: str | None,
    metadata: ForgeMetadata,
) -> Checkout:
    """A shallow checkout of `clone_url` at `ref`, authenticated by `token` if there is one.

    When the workspace already holds this repository at `remote_commit` (what the API says
    the ref points to), with nothing changed in its work tree, nothing is fetched.
    """
    existing = workspace.expanduser().resolve() / checkout_dir_name(clone_url, ref)
    if remote_commit and (existing / ".git").is_dir():
        try:
            head = run_git(["-C", str(existing), "rev-parse", "--verify", "HEAD^{commit}"])
            clean = not run_git(["-C", str(existing), "status", "--porcelain"])
        except CollectorError:
            head, clean = "", False
        if head == remote_commit and clean:
            log.debug("%s: unchanged at %s, not fetched", name, head)
            return Checkout(
                spec=spec,
                name=name,
                path=existing,
                commit=head,
                remote_url=clone_url,
                metadata=metadata,
            )
    config = basic_auth_config(clone_url, user, token) if token else None
    path, commit, url = sync_checkout(clone_url, workspace, ref, extra_config=config)
    return Checkout(
        spec=spec, name=name, path=path, commit=commit, remote_url=url, metadata=metadata
    )


def failure(
    spec: RepositorySpec, name: str, error: str, metadata: ForgeMetadata | None = None
) -> Checkout:
    """A repository that could not be collected, with one redacted line saying why."""
    return Checkout(
        spec=spec, name=name, path=None, metadata=metadata, error=one_line(error) or "failed"
    )
