"""The GitHub and GitLab collectors against a real loopback forge (PyGithub and python-gitlab
speak HTTP to it; git clones over its smart HTTP protocol)."""

from __future__ import annotations

import base64
import subprocess
import time
from pathlib import Path

import pytest
from conftest import git, make_repo
from forge_server import ForgeServer, forge_fixture  # noqa: F401 - the `forge` fixture

from scanner.analysis.platform import platform_declaration
from scanner.collectors import collect
from scanner.collectors import forge as forge_options
from scanner.kernel.models import ForgeMetadata, RepositorySpec, SourceKind

TOKEN = "ghp_" + "T3stT0ken" * 4
GL_TOKEN = "glpat-" + "T3stT0ken" * 3


def spec(kind: SourceKind, locator: str, **options: object) -> RepositorySpec:
    return RepositorySpec(product="Demo", kind=kind, locator=locator, origin="p.yaml:3", **options)


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    return {
        "a": make_repo(tmp_path / "src-a", {"LICENSE": "MIT License\n", "a.py": "print(1)\n"}),
        "b": make_repo(tmp_path / "src-b", {"README.md": "# b\n", "b.py": "print(2)\n"}),
    }


def github_org(forge: ForgeServer, sources: dict[str, Path]) -> None:
    for i in range(5):
        forge.add_github_repo(
            f"acme/repo{i}", sources["a" if i % 2 else "b"], topics=("os2",), license="MIT"
        )
    forge.add_github_repo("acme/forked", sources["a"], fork=True)
    forge.add_github_repo("acme/old", sources["a"], archived=True)
    forge.add_github_repo("acme/nothing-yet", None)
    forge.add_github_repo("other/unrelated", sources["a"])


def gitlab_group(forge: ForgeServer, sources: dict[str, Path]) -> None:
    forge.add_gitlab_project("magenta/os2/core", sources["a"], license="MPL-2.0")
    forge.add_gitlab_project("magenta/os2/ui", sources["b"], license=None, topics=("ui",))
    forge.add_gitlab_project("magenta/tools", sources["b"])
    forge.add_gitlab_project("magenta/fork", sources["a"], fork=True)
    forge.add_gitlab_project("magenta/old", sources["a"], archived=True)
    forge.add_gitlab_project("magenta/empty", None)
    forge.add_gitlab_project("elsewhere/x", sources["a"])


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def assert_secret_nowhere(root: Path, *secrets: str) -> None:
    """No byte sequence of any secret (plain or in a Basic header) is in any file under root."""
    needles = set()
    for secret in secrets:
        needles.add(secret.encode())
        for user in ("x-access-token", "oauth2"):
            needles.add(base64.b64encode(f"{user}:{secret}".encode()))
    for path in files_under(root):
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"a token was written to {path.relative_to(root)}"


def test_github_org_collects_every_repository_across_pages_and_faults(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    github_org(forge, sources)
    forge.token = TOKEN
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    forge.fail(r"^/api/v3/orgs/acme/repos$", "primary")  # the first page: rate limited
    forge.fail(r"/repos/acme/repo3/commits/", "500")
    forge.fail(r"/repos/acme/repo4/commits/", "secondary")

    started = time.monotonic()
    checkouts = collect(spec(SourceKind.GITHUB_ORG, "acme"), tmp_path / "ws")
    elapsed = time.monotonic() - started

    assert sorted(c.name for c in checkouts) == [f"acme/repo{i}" for i in range(5)]
    assert all(c.ok for c in checkouts), [c.error for c in checkouts]
    pages = [s for s in forge.seen if s.path == "/api/v3/orgs/acme/repos" and s.status == 200]
    assert len(pages) >= 4  # 8 repositories, 2 per page: every Link "next" was followed
    assert all(f.served == f.times for f in forge.faults)
    assert any("rate limit" in m and "waiting" in m for m in forge.messages), forge.messages
    assert elapsed < 20
    for checkout in checkouts:
        served = next(r for r in forge.repos if r.full_name == checkout.name)
        assert checkout.commit == forge.head(served)
        assert checkout.path is not None
        assert (checkout.path / ".git").is_dir()
        assert git(checkout.path, "rev-parse", "--is-shallow-repository") == "true"
        assert checkout.spec.kind is SourceKind.GITHUB
        assert checkout.spec.locator == checkout.name
        assert checkout.spec.product == "Demo"
        assert checkout.remote_url == f"{forge.url}/git/github/{checkout.name}.git"
        meta = checkout.metadata
        assert meta is not None
        assert meta.platform == "github"
        assert (meta.platform_license, meta.topics, meta.default_branch) == (
            "MIT",
            ("os2",),
            "main",
        )
        assert meta.archived is False
        assert meta.fork is False
        assert meta.last_push
    api_auth = set(forge.authorizations("/api/v3/"))
    assert api_auth == {f"token {TOKEN}"}
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert set(forge.authorizations("/git/")) <= {f"Basic {basic}", None}
    assert f"Basic {basic}" in forge.authorizations("/git/")
    assert_secret_nowhere(tmp_path, TOKEN)


def test_github_org_includes_forks_and_archived_when_asked_and_filters_by_glob(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    github_org(forge, sources)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    entry = spec(
        SourceKind.GITHUB_ORG,
        "acme",
        include_forks=True,
        include_archived=True,
        exclude=("repo[0-2]",),
    )
    checkouts = collect(entry, tmp_path / "ws")
    assert sorted(c.name for c in checkouts) == [
        "acme/forked",
        "acme/old",
        "acme/repo3",
        "acme/repo4",
    ]
    old = next(c for c in checkouts if c.name == "acme/old")
    assert old.metadata is not None
    assert old.metadata.archived
    only = collect(spec(SourceKind.GITHUB_ORG, "acme", include=("*4",)), tmp_path / "ws")
    assert [c.name for c in only] == ["acme/repo4"]
    # anonymous: no Authorization header at all
    assert set(forge.authorizations()) == {None}


def test_github_single_repository_at_a_ref_and_failures_as_data(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    git(sources["a"], "checkout", "-q", "-b", "release")
    (sources["a"] / "release.txt").write_text("1.0\n")
    git(sources["a"], "add", "release.txt")
    git(sources["a"], "commit", "-q", "-m", "release")
    forge.add_github_repo("acme/tool", sources["a"])
    forge.add_github_repo("acme/blank", None)
    base = {"api_url": forge.github_api}

    [checkout] = collect(
        spec(SourceKind.GITHUB, "acme/tool", ref="release", **base), tmp_path / "ws"
    )
    assert checkout.ok
    assert checkout.path is not None
    assert (checkout.path / "release.txt").is_file()
    assert checkout.commit == git(sources["a"], "rev-parse", "release")

    [missing] = collect(spec(SourceKind.GITHUB, "acme/ghost", **base), tmp_path / "ws")
    assert not missing.ok
    assert "not found" in (missing.error or "")
    [blank] = collect(spec(SourceKind.GITHUB, "acme/blank", **base), tmp_path / "ws")
    assert not blank.ok
    assert "empty" in (blank.error or "")
    [no_org] = collect(spec(SourceKind.GITHUB_ORG, "nobody", **base), tmp_path / "ws")
    assert not no_org.ok
    assert "nobody" in (no_org.error or "")


def test_a_github_user_is_listed_like_an_organisation(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    forge.users.add("jane")
    forge.add_github_repo("jane/dotfiles", sources["b"])
    checkouts = collect(spec(SourceKind.GITHUB_ORG, "jane", api_url=forge.github_api), tmp_path)
    assert [c.name for c in checkouts] == ["jane/dotfiles"]
    assert checkouts[0].ok


def test_unchanged_repository_is_not_fetched_again(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    served = forge.add_github_repo("acme/repo", sources["a"])
    entry = spec(SourceKind.GITHUB, "acme/repo", api_url=forge.github_api)
    [first] = collect(entry, tmp_path / "ws")
    assert forge.git_fetches == ["github/acme/repo"]

    [second] = collect(entry, tmp_path / "ws")
    assert second.ok
    assert second.commit == first.commit
    assert second.path == first.path
    assert forge.git_fetches == ["github/acme/repo"]  # nothing downloaded the second time

    (second.path / "a.py").write_text("tampered\n")  # a changed work tree is not trusted
    [again] = collect(entry, tmp_path / "ws")
    assert (second.path / "a.py").read_text() == "print(1)\n"
    assert again.commit == first.commit
    assert len(forge.git_fetches) == 2

    (sources["a"] / "new.txt").write_text("new\n")
    git(sources["a"], "add", "new.txt")
    git(sources["a"], "commit", "-q", "-m", "more")
    subprocess.run(
        ["git", "fetch", "-q", str(sources["a"]), "+refs/heads/*:refs/heads/*"],
        cwd=served.bare,
        check=True,
    )
    [third] = collect(entry, tmp_path / "ws")
    assert third.commit == git(sources["a"], "rev-parse", "HEAD") != first.commit
    assert third.path is not None
    assert (third.path / "new.txt").is_file()
    assert len(forge.git_fetches) == 3


def test_no_wait_fails_fast_on_a_rate_limit(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    forge.add_github_repo("acme/repo", sources["a"])
    forge.add_gitlab_project("grp/proj", sources["a"])
    forge.fail(r"^/api/v3/repos/acme/repo$", "primary", seconds=120)
    forge.fail(r"^/api/v4/groups/grp/projects$", "secondary", seconds=120)
    forge_options.configure(no_wait=True)
    started = time.monotonic()
    [gh] = collect(spec(SourceKind.GITHUB, "acme/repo", api_url=forge.github_api), tmp_path)
    [gl] = collect(spec(SourceKind.GITLAB_GROUP, "grp", api_url=forge.gitlab_url), tmp_path)
    assert time.monotonic() - started < 30  # not the 120 s the forge asked for
    assert "rate limit" in (gh.error or "")
    assert "--no-wait" in (gh.error or "")
    assert "rate limit" in (gl.error or "")
    assert "--no-wait" in (gl.error or "")


def test_persistent_server_errors_end_in_a_recorded_failure(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    forge.add_github_repo("acme/flaky", sources["a"])
    forge.add_github_repo("acme/fine", sources["b"])
    forge.fail(r"/repos/acme/flaky/commits/", "500", times=100)
    checkouts = collect(spec(SourceKind.GITHUB_ORG, "acme", api_url=forge.github_api), tmp_path)
    by_name = {c.name: c for c in checkouts}
    assert by_name["acme/fine"].ok
    assert not by_name["acme/flaky"].ok
    assert by_name["acme/flaky"].metadata is not None
    served = forge.faults[0].served
    assert 2 <= served <= forge_options.current_options().max_retries + 1


def test_gitlab_group_collects_subgroups_across_pages_and_faults(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gitlab_group(forge, sources)
    forge.token = GL_TOKEN
    monkeypatch.setenv("GITLAB_TOKEN", GL_TOKEN)
    monkeypatch.setenv("GITLAB_URL", forge.gitlab_url)
    forge.fail(r"^/api/v4/groups/magenta/projects$", "secondary")
    forge.fail(r"/repository/commits/", "500")

    checkouts = collect(spec(SourceKind.GITLAB_GROUP, "magenta"), tmp_path / "ws")

    assert sorted(c.name for c in checkouts) == [
        "magenta/os2/core",
        "magenta/os2/ui",
        "magenta/tools",
    ]
    assert all(c.ok for c in checkouts), [c.error for c in checkouts]
    assert all(f.served == 1 for f in forge.faults)
    assert any("GitLab rate limit" in m for m in forge.messages), forge.messages
    pages = [
        s for s in forge.seen if s.path == "/api/v4/groups/magenta/projects" and s.status == 200
    ]
    assert len(pages) == 3  # 6 projects, 2 per page
    core = next(c for c in checkouts if c.name == "magenta/os2/core")
    assert core.metadata is not None
    assert (core.metadata.platform, core.metadata.platform_license) == ("gitlab", "mpl-2.0")
    ui = next(c for c in checkouts if c.name == "magenta/os2/ui")
    assert ui.metadata is not None
    assert ui.metadata.topics == ("ui",)
    assert ui.metadata.platform_license is None
    for checkout in checkouts:
        served = next(r for r in forge.repos if r.full_name == checkout.name)
        assert checkout.commit == forge.head(served)
        assert checkout.spec.kind is SourceKind.GITLAB
    assert set(forge.authorizations("/api/v4/")) == {f"Bearer {GL_TOKEN}"}
    basic = base64.b64encode(f"oauth2:{GL_TOKEN}".encode()).decode()
    assert f"Basic {basic}" in forge.authorizations("/git/")
    assert_secret_nowhere(tmp_path, GL_TOKEN)


def test_gitlab_single_project_and_missing_project(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path
) -> None:
    forge.add_gitlab_project("grp/sub/app", sources["b"], archived=True, fork=True)
    base = {"api_url": forge.gitlab_url}
    [app] = collect(spec(SourceKind.GITLAB, "grp/sub/app", **base), tmp_path / "ws")
    assert app.ok
    assert app.path is not None
    assert (app.path / "b.py").is_file()
    assert app.metadata is not None
    assert app.metadata.archived
    assert app.metadata.fork
    [ghost] = collect(spec(SourceKind.GITLAB, "grp/ghost", **base), tmp_path / "ws")
    assert not ghost.ok
    assert "not found" in (ghost.error or "")
    [nogroup] = collect(spec(SourceKind.GITLAB_GROUP, "nogroup", **base), tmp_path / "ws")
    assert not nogroup.ok


def test_wrong_token_is_reported_without_the_token(
    forge: ForgeServer, sources: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forge.add_github_repo("acme/repo", sources["a"])
    forge.token = "the-right-token-value"
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    [checkout] = collect(spec(SourceKind.GITHUB, "acme/repo", api_url=forge.github_api), tmp_path)
    assert not checkout.ok
    assert "401" in (checkout.error or "")
    assert TOKEN not in (checkout.error or "")


@pytest.mark.parametrize(
    ("status", "headers", "wait"),
    [
        (403, {"Retry-After": "7"}, 7.0),  # secondary limit
        (429, {"retry-after": "2"}, 2.0),  # header names are case-insensitive
        (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1030"}, 31.0),  # primary
        (429, {"RateLimit-Remaining": "0", "RateLimit-Reset": "1005"}, 6.0),  # GitLab's names
        (403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "900"}, 1.0),  # reset passed
        (429, {}, 60.0),  # too many requests, no hint: a minute
        (403, {"X-RateLimit-Remaining": "12"}, None),  # an ordinary "forbidden"
        (500, {"Retry-After": "1"}, None),  # not a rate limit
    ],
)
def test_rate_limit_waits_follow_the_headers(
    status: int, headers: dict[str, str], wait: float | None
) -> None:
    assert forge_options.rate_limit_wait(status, headers, now=1000.0) == wait


def test_filters_match_name_or_full_path_case_insensitively() -> None:
    entry = spec(SourceKind.GITHUB_ORG, "acme", exclude=("*-Archive", "acme/tmp*"))
    assert forge_options.selected(entry, "acme/app", fork=False, archived=False)
    assert not forge_options.selected(entry, "acme/old-archive", fork=False, archived=False)
    assert not forge_options.selected(entry, "acme/tmp1", fork=False, archived=False)
    assert not forge_options.selected(entry, "acme/app", fork=True, archived=False)
    assert not forge_options.selected(entry, "acme/app", fork=False, archived=True)
    only = spec(SourceKind.GITHUB_ORG, "acme", include=("os2*",), include_forks=True)
    assert forge_options.selected(only, "acme/OS2mo", fork=True, archived=False)
    assert not forge_options.selected(only, "acme/other", fork=False, archived=False)


@pytest.mark.scancode
def test_the_forge_licence_detection_becomes_a_declared_source() -> None:
    def declared(platform: str, value: str | None) -> tuple[str, str | None] | None:
        meta = ForgeMetadata(platform=platform, web_url="", platform_license=value)
        source = platform_declaration(meta)
        return None if source is None else (source.source, source.expression)

    assert declared("github", "MIT") == ("GitHub licence detection", "MIT")
    assert declared("gitlab", "mpl-2.0") == ("GitLab licence detection", "MPL-2.0")
    assert declared("gitlab", "gpl-3.0") == ("GitLab licence detection", "GPL-3.0-only")
    assert declared("github", "NOASSERTION") is None  # GitHub saw a licence it cannot name
    assert declared("github", None) is None
    assert platform_declaration(None) is None
