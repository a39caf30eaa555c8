"""`os2scan collect` over the loopback forge: one line per repository, exit 3 on a failure,
`--no-wait` failing fast on a rate limit, and waits announced on stderr without it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import make_repo
from conftest import run_cli as run
from forge_server import ForgeServer, forge_fixture  # noqa: F401 - the `forge` fixture

from scanner.collectors import forge as forge_options

PORTFOLIO = """name: Forge
products:
  - name: Acme
    repositories:
      - github_org: acme
  - name: Tools
    repositories:
      - gitlab: grp/tool
"""




@pytest.fixture
def portfolio(forge: ForgeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = make_repo(tmp_path / "src", {"README.md": "# x\n"})
    for name in ("one", "two", "three"):
        forge.add_github_repo(f"acme/{name}", source)
    forge.add_gitlab_project("grp/tool", source)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    monkeypatch.setenv("GITLAB_URL", forge.gitlab_url)
    path = tmp_path / "portfolio.yaml"
    path.write_text(PORTFOLIO, encoding="utf-8")
    return path


def test_collect_clones_every_repository_and_announces_a_rate_limit_wait(
    forge: ForgeServer, portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forge.fail(r"^/api/v3/orgs/acme/repos$", "secondary")
    code, out, err = run(capsys, "collect", str(portfolio), "--workspace", str(tmp_path / "ws"))
    assert code == 0, err
    lines = sorted(out.splitlines())
    assert [line.split("\t")[:2] for line in lines] == [
        ["Acme", "acme/one"], ["Acme", "acme/three"], ["Acme", "acme/two"], ["Tools", "grp/tool"]
    ]  # fmt: skip
    assert all(Path(line.split("\t")[3]).is_dir() for line in lines)
    assert "os2scan: GitHub rate limit reached; waiting 1 s" in err
    assert "4 of 4 repositories collected" in err


def test_collect_with_no_wait_fails_fast_and_exits_3(
    forge: ForgeServer, portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forge.fail(r"^/api/v3/orgs/acme/repos$", "primary", seconds=120)
    started = time.monotonic()
    code, out, err = run(
        capsys, "collect", str(portfolio), "--workspace", str(tmp_path / "ws"), "--no-wait"
    )
    assert time.monotonic() - started < 30  # not the 120 s the forge asked for
    assert code == 3
    assert "rate limit" in err
    assert "--no-wait" in err
    assert out.split("\t")[:2] == ["Tools", "grp/tool"]  # the rest was still collected
    forge_options.configure(no_wait=False)


def test_without_a_callback_waits_are_logged_as_warnings(
    forge: ForgeServer, portfolio: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from scanner.collectors import collect
    from scanner.kernel.models import RepositorySpec, SourceKind

    forge_options.configure(notify=None)
    forge.fail(r"^/api/v4/projects/grp%2Ftool$", "primary")
    collect(RepositorySpec("Tools", SourceKind.GITLAB, "grp/tool"), tmp_path / "ws")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any(m.startswith("GitLab rate limit reached; waiting") for m in warnings), warnings


def test_collect_rejects_a_missing_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "collect", str(tmp_path / "nope.yaml"))
    assert code == 2
    assert "no such portfolio" in err
    assert len(err.strip().splitlines()) == 1


def test_collect_prints_json_for_scripts_with_the_failed_ones_and_their_error(
    forge: ForgeServer, portfolio: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forge.fail(r"^/api/v3/orgs/acme/repos$", "primary", seconds=120)
    code, out, _err = run(
        capsys, "collect", str(portfolio), "--workspace", str(tmp_path / "ws"), "--no-wait",
        "--format", "json",
    )  # fmt: skip
    assert code == 3
    rows = json.loads(out)
    assert any("rate limit" in (r["error"] or "") for r in rows)
    (tool,) = [r for r in rows if r["error"] is None]
    assert (tool["product"], tool["repository"]) == ("Tools", "grp/tool")
    assert Path(tool["path"]).is_dir()
    assert len(tool["commit"]) == 40
    forge_options.configure(no_wait=False)
