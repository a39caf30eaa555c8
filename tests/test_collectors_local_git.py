"""The `path` and `git` collectors, the collector registry, run_git and redact(), on real git."""

from __future__ import annotations

import fcntl
import re
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from collectors_helpers import git_http_server

from scanner.collectors import collect, get_collector
from scanner.collectors import git as git_collector
from scanner.collectors.git import GitCollector
from scanner.collectors.local import LocalCollector
from scanner.gitutil import run_git
from scanner.kernel.errors import CollectorError
from scanner.kernel.models import Checkout, RepositorySpec, SourceKind
from scanner.kernel.redact import redact, strip_url_credentials

SECRET = "hunter2-very-secret"


def sh(cwd: Path, *args: str) -> str:
    """Run git the way a developer would, for setting up and inspecting test repositories."""
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def commit_file(repo: Path, name: str, text: str) -> str:
    (repo / name).write_text(text, encoding="utf-8")
    sh(repo, "add", name)
    sh(repo, "commit", "-q", "-m", f"add {name}")
    return sh(repo, "rev-parse", "HEAD")


def spec(kind: SourceKind, locator: str, ref: str | None = None) -> RepositorySpec:
    return RepositorySpec(product="P", kind=kind, locator=locator, ref=ref, origin="p.yaml:3")


@pytest.fixture
def upstream(repo_factory) -> Path:  # type: ignore[no-untyped-def]
    """A source repository with two commits on main and a `dev` branch with one more."""
    repo = repo_factory("upstream", {"LICENSE": "MIT License\n", "a.py": "print(1)\n"})
    commit_file(repo, "b.py", "print(2)\n")
    sh(repo, "checkout", "-q", "-b", "dev")
    commit_file(repo, "dev_only.py", "print(3)\n")
    sh(repo, "checkout", "-q", "main")
    return repo


def one(checkouts: list[Checkout]) -> Checkout:
    assert len(checkouts) == 1
    return checkouts[0]


# -- path --------------------------------------------------------------------------------------


def test_path_collector_on_a_git_checkout_records_head_and_a_clean_remote(
    upstream: Path, tmp_path: Path
) -> None:
    sh(upstream, "remote", "add", "origin", f"https://alice:{SECRET}@example.org/os2/upstream.git")
    checkout = one(collect(spec(SourceKind.PATH, str(upstream)), tmp_path / "ws"))

    assert checkout.ok
    assert checkout.path == upstream.resolve()
    assert checkout.name == "upstream"
    assert checkout.commit == sh(upstream, "rev-parse", "HEAD")
    assert checkout.remote_url == "https://example.org/os2/upstream.git"
    assert not (tmp_path / "ws").exists()  # a path is used in place, never copied


def test_path_collector_on_a_plain_directory_has_no_commit(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "x.py").write_text("print(1)\n", encoding="utf-8")
    checkout = one(collect(spec(SourceKind.PATH, str(plain)), tmp_path / "ws"))
    assert checkout.ok
    assert checkout.path == plain.resolve()
    assert checkout.commit is None
    assert checkout.remote_url is None


def test_path_collector_on_a_repository_without_commits(repo_factory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    empty = repo_factory("empty", {"x.py": "print(1)\n"}, commit=False)
    checkout = one(collect(spec(SourceKind.PATH, str(empty)), tmp_path / "ws"))
    assert checkout.ok
    assert checkout.commit is None


def test_missing_path_is_a_checkout_error_not_an_exception(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    checkout = one(collect(spec(SourceKind.PATH, str(missing)), tmp_path / "ws"))
    assert not checkout.ok
    assert checkout.path is None
    assert checkout.error == f"directory does not exist: {missing}"


# -- git ---------------------------------------------------------------------------------------


def test_git_collector_makes_a_shallow_clone_over_file_url(upstream: Path, tmp_path: Path) -> None:
    url = upstream.as_uri()
    workspace = tmp_path / "ws"
    checkout = one(collect(spec(SourceKind.GIT, url), workspace))

    assert checkout.ok, checkout.error
    assert checkout.path is not None
    assert checkout.path.parent == workspace.resolve()
    assert re.fullmatch(r"[A-Za-z0-9._-]*upstream-[0-9a-f]{12}", checkout.path.name)
    assert checkout.commit == sh(upstream, "rev-parse", "main")
    assert checkout.remote_url == url
    assert sh(checkout.path, "rev-parse", "--is-shallow-repository") == "true"
    assert sh(checkout.path, "rev-list", "--count", "HEAD") == "1"
    assert (checkout.path / "b.py").read_text(encoding="utf-8") == "print(2)\n"
    assert not (checkout.path / "dev_only.py").exists()
    assert (workspace / f"{checkout.path.name}.lock").exists()


def test_rerun_fetches_the_new_commit_into_the_same_checkout(
    upstream: Path, tmp_path: Path
) -> None:
    entry = spec(SourceKind.GIT, upstream.as_uri())
    first = one(collect(entry, tmp_path / "ws"))
    assert first.path is not None
    marker = first.path / ".git" / "kept-between-runs"
    marker.write_text("not re-cloned", encoding="utf-8")
    (first.path / "a.py").write_text("tampered\n", encoding="utf-8")
    (first.path / "stray.txt").write_text("left over\n", encoding="utf-8")

    new_commit = commit_file(upstream, "c.py", "print(4)\n")
    second = one(collect(entry, tmp_path / "ws"))

    assert second.ok, second.error
    assert second.path == first.path
    assert marker.exists()  # updated in place, not cloned again
    assert second.commit == new_commit != first.commit
    assert (second.path / "c.py").exists()
    assert (second.path / "a.py").read_text(encoding="utf-8") == "print(1)\n"  # hard reset
    assert not (second.path / "stray.txt").exists()  # cleaned
    assert sh(second.path, "rev-parse", "--is-shallow-repository") == "true"


def test_ref_picks_a_branch(upstream: Path, tmp_path: Path) -> None:
    checkout = one(collect(spec(SourceKind.GIT, upstream.as_uri(), ref="dev"), tmp_path / "ws"))
    assert checkout.ok, checkout.error
    assert checkout.commit == sh(upstream, "rev-parse", "dev")
    assert checkout.path is not None
    assert (checkout.path / "dev_only.py").exists()

    main = one(collect(spec(SourceKind.GIT, upstream.as_uri()), tmp_path / "ws"))
    assert main.path != checkout.path  # one checkout per (URL, ref)
    assert main.commit == sh(upstream, "rev-parse", "main")


def test_ref_can_be_a_tag_or_a_full_commit_sha(upstream: Path, tmp_path: Path) -> None:
    first = sh(upstream, "rev-list", "--max-parents=0", "HEAD")
    sh(upstream, "tag", "v1.0", first)
    tagged = one(collect(spec(SourceKind.GIT, upstream.as_uri(), ref="v1.0"), tmp_path / "ws"))
    assert tagged.commit == first
    pinned = one(collect(spec(SourceKind.GIT, upstream.as_uri(), ref=first), tmp_path / "ws"))
    assert pinned.ok, pinned.error
    assert pinned.commit == first


def test_a_local_directory_is_cloned_shallow_too(upstream: Path, tmp_path: Path) -> None:
    checkout = one(collect(spec(SourceKind.GIT, str(upstream)), tmp_path / "ws"))
    assert checkout.ok, checkout.error
    assert checkout.remote_url == upstream.resolve().as_uri()
    assert checkout.path is not None
    assert sh(checkout.path, "rev-parse", "--is-shallow-repository") == "true"


def test_unknown_ref_is_a_checkout_error_and_leaves_nothing_behind(
    upstream: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "ws"
    checkout = one(
        collect(spec(SourceKind.GIT, upstream.as_uri(), ref="no-such-branch"), workspace)
    )
    assert not checkout.ok
    assert checkout.path is None
    assert checkout.error is not None
    assert checkout.error.startswith("git fetch failed:")
    assert "no-such-branch" in checkout.error
    assert "\n" not in checkout.error
    assert [p.suffix for p in workspace.iterdir()] == [".lock"]  # no half-made checkout


def test_bad_url_is_a_checkout_error_not_an_exception(tmp_path: Path) -> None:
    missing = (tmp_path / "no-such-repo").as_uri()
    checkout = one(collect(spec(SourceKind.GIT, missing), tmp_path / "ws"))
    assert not checkout.ok
    assert checkout.error is not None
    assert checkout.error.startswith("git fetch failed:")
    assert "\n" not in checkout.error

    nonsense = one(collect(spec(SourceKind.GIT, "not a url"), tmp_path / "ws"))
    assert nonsense.error == "not a git URL or an existing directory: not a url"


def test_credentials_reach_the_server_but_never_disk_or_the_checkout(
    upstream: Path, tmp_path: Path
) -> None:
    served = tmp_path / "served"
    served.mkdir()
    sh(tmp_path, "clone", "-q", "--bare", str(upstream), str(served / "upstream.git"))
    with git_http_server(served, "alice", SECRET) as server:
        url = f"{server.url.replace('http://', f'http://alice:{SECRET}@')}/upstream.git"
        checkout = one(collect(spec(SourceKind.GIT, url), tmp_path / "ws"))

        assert checkout.ok, checkout.error
        assert checkout.commit == sh(upstream, "rev-parse", "main")
        assert checkout.remote_url == f"{server.url}/upstream.git"
        assert server.expected in server.authorizations  # the secret was used...
        assert checkout.path is not None
        config = (checkout.path / ".git" / "config").read_text(encoding="utf-8")
        assert SECRET not in config
        assert "alice" not in config
        for stored in (checkout.path / ".git").rglob("*"):
            if stored.is_file() and stored.suffix != ".pack":
                assert SECRET.encode() not in stored.read_bytes(), stored

        wrong = url.replace(SECRET, "wrong-password")
        denied = one(collect(spec(SourceKind.GIT, wrong), tmp_path / "ws2"))
        assert not denied.ok
        assert denied.error is not None
        assert "wrong-password" not in denied.error


def test_git_call_times_out_with_one_line(tmp_path: Path) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections into the backlog and never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/x.git"
        with pytest.raises(CollectorError) as caught:
            git_collector.sync_checkout(url, tmp_path / "ws", timeout=1.5)
        assert caught.value.message == "git fetch timed out after 1.5 seconds"
    finally:
        silent.close()


def test_a_checkout_being_updated_by_another_scan_is_waited_for(
    upstream: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = tmp_path / "ws"
    entry = spec(SourceKind.GIT, upstream.as_uri())
    path = one(collect(entry, workspace)).path
    assert path is not None
    monkeypatch.setattr(git_collector, "LOCK_WAIT", 0.5)
    with open(workspace / f"{path.name}.lock", "a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        blocked = one(collect(entry, workspace))
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    assert blocked.error is not None
    assert "another scan" in blocked.error
    assert one(collect(entry, workspace)).ok


def test_two_scans_of_one_workspace_at_once_both_succeed(upstream: Path, tmp_path: Path) -> None:
    entry = spec(SourceKind.GIT, upstream.as_uri())
    results: list[Checkout] = []

    def scan() -> None:
        results.extend(collect(entry, tmp_path / "ws"))

    threads = [threading.Thread(target=scan) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [c.error for c in results] == [None, None, None]
    assert {c.commit for c in results} == {sh(upstream, "rev-parse", "main")}


# -- run_git -----------------------------------------------------------------------------------


def test_run_git_disables_hooks_and_prompts(tmp_path: Path) -> None:
    sh(tmp_path, "init", "-q")
    assert run_git(["config", "core.hooksPath"], cwd=tmp_path) == "/dev/null"
    assert run_git(["config", "protocol.file.allow"], cwd=tmp_path) == "never"
    assert run_git(["var", "GIT_PAGER"], cwd=tmp_path) is not None


def test_run_git_failure_is_one_redacted_line(tmp_path: Path) -> None:
    with pytest.raises(CollectorError) as caught:
        run_git(["rev-parse", "--verify", "no-such-ref"], cwd=tmp_path)
    assert caught.value.message.startswith("git rev-parse failed: ")
    assert "not a git repository" in caught.value.message
    assert "\n" not in str(caught.value)


# -- registry and the never-raise contract -----------------------------------------------------


def test_every_source_kind_has_a_collector() -> None:
    for kind in SourceKind:
        assert hasattr(get_collector(kind), "collect")


def test_builtin_modules_register_their_collectors() -> None:
    assert isinstance(get_collector(SourceKind.PATH), LocalCollector)
    assert isinstance(get_collector(SourceKind.GIT), GitCollector)


class _Exploding:
    def collect(self, spec: RepositorySpec, workspace: Path) -> list[Checkout]:
        raise RuntimeError("boom\nwith ghp_abcdefghijklmnopqrstuvwxyz0123456789 inside")


def test_collect_never_raises_and_keeps_tokens_out(tmp_path: Path) -> None:
    messages: list[str] = []
    checkout = one(
        collect(
            spec(SourceKind.GITHUB, "os2/x"), tmp_path, collector=_Exploding(),
            on_progress=messages.append,
        )
    )
    assert checkout.error == "unexpected RuntimeError: boom with *** inside"
    assert messages == ["collecting os2/x", f"x: {checkout.error}"]


# -- redact ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://alice:s3cret@example.org/x.git", "https://example.org/x.git"),
        ("https://ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/a/b", "https://github.com/a/b"),
        (
            "fatal: unable to access 'https://oauth2:tok@gitlab.com/g/p.git/': 403",
            "fatal: unable to access 'https://gitlab.com/g/p.git/': 403",
        ),
        ("ssh://git:pw@example.org/x.git", "ssh://git@example.org/x.git"),
        ("ssh://git@example.org/x.git", "ssh://git@example.org/x.git"),
        ("git@github.com:os2/x.git", "git@github.com:os2/x.git"),
        ("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used", "token *** used"),
        ("github_pat_11ABCDEFG0123456789_abcdefghijklmnop", "***"),
        ("glpat-abcdefghij1234567890 rejected", "*** rejected"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: ***"),
        ("nothing to see at https://example.org/x", "nothing to see at https://example.org/x"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_redact_masks_token_variable_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "plain-looking-value-42")
    monkeypatch.setenv("GITLAB_TOKEN", "another-one-99")
    assert redact("got plain-looking-value-42 and another-one-99") == "got *** and ***"


def test_strip_url_credentials_keeps_everything_else() -> None:
    url = "https://user:pw@example.org:8443/a/b.git?x=1#frag"
    assert strip_url_credentials(url) == "https://example.org:8443/a/b.git?x=1#frag"
    assert strip_url_credentials("/srv/git/x") == "/srv/git/x"
