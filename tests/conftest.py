"""Shared fixtures: the network guard, the scancode index once per session, git helpers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).parent
sys.path.insert(0, str(TESTS_DIR))

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address) -> None:  # type: ignore[no-untyped-def]
    """Tests never reach the network: only loopback and Unix sockets may be connected."""
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if not (host.startswith("127.") or host in ("::1", "localhost")):
            raise OSError(f"tests must not use the network (tried {host})")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark a test as `scancode` when it asks for the licence index, so `make test-fast`
    (`-m "not scancode and not slow"`) leaves it out. Test files are named after the module
    they cover; the concern a file is about (reliability, security, perf, slow) is its
    `pytestmark`: run one concern with `pytest -m security`."""
    for item in items:
        if "scancode_index" in getattr(item, "fixturenames", ()):
            item.add_marker("scancode")


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's tokens or git configuration."""
    for name in ("GITHUB_TOKEN", "GITLAB_TOKEN", "GITHUB_API_URL", "GITLAB_URL", "OS2SCAN_DB",
                 "OS2SCAN_POLICY_PATH"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "_home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))  # the default database's folder
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Author")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "author@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Author")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "author@example.org")


def git(cwd: Path, *args: str) -> str:
    """Run git in a test repository and return its output."""
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    return result.stdout.strip()


def write_file(target: Path, content: str | bytes) -> Path:
    """Write `content` to `target` as it is (bytes) or as UTF-8 (text); returns `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return target


def make_repo(root: Path, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
    """Create a git repository with the given files committed; returns its path."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        write_file(root / rel, content)
    git(root, "init", "-q")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root


@pytest.fixture
def repo_factory(tmp_path: Path):
    """Make real git repositories in the test's temporary folder."""

    def factory(name: str, files: dict[str, str | bytes], *, commit: bool = True) -> Path:
        return make_repo(tmp_path / name, files, commit=commit)

    return factory


@pytest.fixture(scope="session")
def scancode_index():  # type: ignore[no-untyped-def]
    """scancode's licence index, loaded once per test session (it takes seconds and ~1.4 GB)."""
    from licensedcode.cache import get_index

    from scanner.analysis.index import warm_up

    warm_up()
    return get_index()


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run os2scan in-process through its error boundary; returns (exit code, stdout, stderr)."""
    from scanner.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture(scope="session")
def postgres_server():  # type: ignore[no-untyped-def]
    """A real PostgreSQL server on 127.0.0.1, started once per session (see cluster_helpers)."""
    from cluster_helpers import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    """The URL of a new, empty database on the session's PostgreSQL server."""
    import re
    import uuid

    name = re.sub(r"\W", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    return str(postgres_server.create_database(name))


@pytest.fixture(scope="session")
def dask_cluster():  # type: ignore[no-untyped-def]
    """A Dask scheduler and two single-threaded workers on 127.0.0.1, once per session."""
    from cluster_helpers import DaskCluster

    cluster = DaskCluster(workers=2)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()
