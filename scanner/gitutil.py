"""Run git safely: no hooks, no prompts, no submodules, a timeout, and clean one-line errors.

Every git call os2scan makes goes through `run_git`. Repositories we clone are untrusted, so git
runs with hooks disabled, without a terminal to prompt on, with the `file` and `ext` transports
off unless a caller asks for `file`, and with a timeout. Extra configuration that may hold a
secret (an authorisation header) is passed through the environment, never on the command line
and never written to a repository's config.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from scanner.kernel.errors import CollectorError
from scanner.kernel.redact import one_line, strip_url_credentials

DEFAULT_TIMEOUT = 120.0  # seconds for a local git command
NETWORK_TIMEOUT = 600.0  # seconds for a clone or fetch

# Always on the command line: untrusted repositories must not run anything of ours or theirs.
SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "submodule.recurse=false",
    "fetch.recurseSubmodules=false",
    "protocol.ext.allow=never",
    "gc.auto=0",
    "advice.detachedHead=false",
    "init.defaultBranch=main",
)

# Variables that would point git at another repository than the one we mean.
_REPOSITORY_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
)


def git_environment(extra_config: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment git runs in: no prompts, no LFS downloads, C locale messages."""
    env = {k: v for k, v in os.environ.items() if k not in _REPOSITORY_VARIABLES}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_LFS_SKIP_SMUDGE="1",
        LC_ALL="C",
        LANGUAGE="C",
    )
    if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=30"
    for k in [
        k for k in env if k.startswith("GIT_CONFIG_KEY_") or k.startswith("GIT_CONFIG_VALUE_")
    ]:
        del env[k]
    if extra_config:
        env["GIT_CONFIG_COUNT"] = str(len(extra_config))
        for i, (key, value) in enumerate(extra_config.items()):
            env[f"GIT_CONFIG_KEY_{i}"] = key
            env[f"GIT_CONFIG_VALUE_{i}"] = value
    return env


def run_git(
    args: Sequence[str],
    cwd: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_file_protocol: bool = False,
    extra_config: Mapping[str, str] | None = None,
) -> str:
    """Run `git <args>` in `cwd` and return its standard output with trailing space removed.

    Raises CollectorError with one clean, redacted line (git's last message) when git fails,
    times out or is not installed.
    """
    file_allow = "always" if allow_file_protocol else "never"
    command = ["git"]
    for setting in (*SAFE_CONFIG, f"protocol.file.allow={file_allow}"):
        command += ["-c", setting]
    command += list(args)
    action = _action(args)
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=git_environment(extra_config),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CollectorError(f"git {action} timed out after {timeout:g} seconds") from None
    except FileNotFoundError:
        if cwd is not None and not Path(cwd).is_dir():
            raise CollectorError(f"directory does not exist: {cwd}") from None
        raise CollectorError("git is not installed or not on PATH") from None
    except OSError as exc:
        raise CollectorError(f"git {action} could not be started: {exc.strerror}") from None
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        raise CollectorError(f"git {action} failed: {_last_message(stderr, result.returncode)}")
    return result.stdout.decode("utf-8", "replace").rstrip()


def _action(args: Sequence[str]) -> str:
    """The git subcommand in `args`, skipping global options such as `-C dir`."""
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg in ("-C", "-c", "--git-dir", "--work-tree"):
            skip_next = True
        elif not arg.startswith("-"):
            return arg
    return "command"


def _last_message(stderr: str, returncode: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # Prefer git's own verdict ("fatal: ...", "error: ...") over progress or hint lines.
    verdicts = [line for line in lines if line.startswith(("fatal:", "error:"))]
    message = (verdicts or lines or [f"exit status {returncode}"])[-1]
    for prefix in ("fatal:", "error:"):
        if message.startswith(prefix):
            message = message[len(prefix) :].strip()
    return one_line(message)


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """Take credentials out of an http(s) URL: the clean URL and git config that authenticates.

    `https://user:secret@host/x.git` becomes `https://host/x.git` plus an `http.<url>.extraHeader`
    for Basic authentication, so the secret is neither on git's command line nor in the clone's
    `.git/config`. Other URLs are returned unchanged with no config.
    """
    clean = strip_url_credentials(url)
    if clean == url:
        return url, {}
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return clean, {}
    userinfo = parts.netloc.rpartition("@")[0]
    user, _, password = userinfo.partition(":")
    user, password = unquote(user), unquote(password)
    if not password:  # https://TOKEN@host: the token is the password, the user is conventional
        user, password = "x-access-token", user
    return clean, basic_auth_config(clean, user, password)


def basic_auth_config(url: str, user: str, password: str) -> dict[str, str]:
    """Git config (for `extra_config`) sending Basic authentication to `url`'s host only."""
    parts = urlsplit(url)
    scope = urlunsplit((parts.scheme, parts.netloc, "/", "", ""))
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {f"http.{scope}.extraHeader": f"Authorization: Basic {token}"}
