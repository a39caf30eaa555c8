"""End to end: `os2scan scan` of a GitHub organisation and a GitLab group served by the loopback
forge (with a token it requires, a rate limit and a 500 on the way), and `os2scan discover`
writing a portfolio that scans the same repositories. The token must reach the forge and be
written nowhere: not in the workspace, the database or the reports."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import texts
from conftest import make_repo
from conftest import run_cli as run
from forge_server import ForgeServer, forge_fixture  # noqa: F401 - the `forge` fixture

from scanner.store import Store

pytestmark = pytest.mark.scancode

GH_TOKEN = "ghp_" + "EndToEndT0ken" * 3
GL_TOKEN = "glpat-" + "EndToEndT0ken" * 2
MIT = texts.MIT.replace("2024 Aarhus Kommune", "2024 OS2")




def project(name: str) -> dict[str, str]:
    return {
        "LICENSE": MIT,
        f"{name}.py": (
            "# SPDX-FileCopyrightText: 2024 OS2\n# SPDX-License-Identifier: MIT\nprint('hej')\n"
        ),
    }


def assert_secret_nowhere(root: Path, *secrets: str) -> None:
    needles = set()
    for secret in secrets:
        needles.add(secret.encode())
        for user in ("x-access-token", "oauth2"):
            needles.add(base64.b64encode(f"{user}:{secret}".encode()))
    checked = 0
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            checked += 1
            for needle in needles:
                assert needle not in data, f"a token was written to {path.relative_to(root)}"
    assert checked > 20


def scanned_names(report_dir: Path) -> set[str]:
    report = json.loads((report_dir / "report.json").read_text(encoding="utf-8"))
    return {
        r["name"] for r in report["repositories"] if r["status"] not in ("failed", "not-scanned")
    }


def test_scan_of_an_organisation_and_a_group_then_discover_scans_the_same(
    forge: ForgeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("alpha", "beta", "gamma"):
        forge.add_github_repo(
            f"acme/{name}",
            make_repo(tmp_path / "src" / name, project(name)),
            license="Apache-2.0" if name == "gamma" else "MIT",  # GitHub disagrees on gamma
        )
    forge.add_github_repo("acme/forked", make_repo(tmp_path / "src" / "f", project("f")), fork=True)
    for path in ("magenta/os2/api", "magenta/ui"):
        source = make_repo(tmp_path / "src" / path.replace("/", "-"), project("x"))
        forge.add_gitlab_project(path, source)
    forge.token = None
    forge.fail(r"^/api/v3/orgs/acme/repos$", "primary")
    forge.fail(r"^/api/v4/groups/magenta/projects$", "500")
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    monkeypatch.setenv("GITLAB_TOKEN", GL_TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    monkeypatch.setenv("GITLAB_URL", forge.gitlab_url)
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        "name: Forge\nproducts:\n"
        "  - name: Acme\n    repositories:\n      - github_org: acme\n"
        "  - name: Magenta\n    repositories:\n      - gitlab_group: magenta\n",
        encoding="utf-8",
    )
    db, workspace = tmp_path / "db.sqlite", tmp_path / "ws"
    common = ("--db", str(db), "--workspace", str(workspace), "--jobs", "1", "--quiet")

    code, out, err = run(capsys, "scan", str(portfolio), *common, "--out", str(tmp_path / "r1"))

    assert code == 0, out + err
    expected = {"acme/alpha", "acme/beta", "acme/gamma", "magenta/os2/api", "magenta/ui"}
    assert scanned_names(tmp_path / "r1") == expected
    assert "rate limit" in err  # the wait is shown on stderr, even with --quiet
    assert all(f.served == 1 for f in forge.faults)
    assert f"token {GH_TOKEN}" in forge.authorizations("/api/v3/")
    assert f"Bearer {GL_TOKEN}" in forge.authorizations("/api/v4/")
    with Store.open(db) as store:
        result = store.load_result(store.list_scans()[0].id)
    metadata = {r.checkout.name: r.checkout.metadata for r in result.repositories}
    assert metadata["acme/alpha"] is not None
    assert metadata["acme/alpha"].platform_license == "MIT"
    assert metadata["magenta/ui"] is not None
    assert metadata["magenta/ui"].platform == "gitlab"
    report = json.loads((tmp_path / "r1" / "report.json").read_text(encoding="utf-8"))
    alpha = next(r for r in report["repositories"] if r["name"] == "acme/alpha")
    assert "GitHub licence detection" in json.dumps(alpha["declared_sources"])
    disagreements = [
        (v["repository"], v["message"])
        for v in report["violations"]
        if v["rule"] == "declared-license-consistent"
    ]
    assert disagreements == [
        ("acme/gamma", "GitHub licence detection declares Apache-2.0, but LICENSE declares MIT.")
    ]

    discovered = tmp_path / "discovered.yaml"
    code, _, err = run(
        capsys, "discover", "--github-org", "acme", "--gitlab-group", "magenta",
        "-o", str(discovered),
    )  # fmt: skip
    assert code == 0, err
    fetched = len(forge.git_fetches)
    code, out, err = run(capsys, "scan", str(discovered), *common, "--out", str(tmp_path / "r2"))
    assert code == 0, out + err
    assert scanned_names(tmp_path / "r2") == expected
    assert len(forge.git_fetches) == fetched  # unchanged repositories are not fetched again

    assert_secret_nowhere(tmp_path, GH_TOKEN, GL_TOKEN)


def test_a_repository_that_cannot_be_collected_gives_exit_3_and_the_rest_is_scanned(
    forge: ForgeServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    forge.add_github_repo("acme/good", make_repo(tmp_path / "src" / "good", project("good")))
    forge.add_github_repo("acme/broken", make_repo(tmp_path / "src" / "bad", project("bad")))
    forge.fail(r"/repos/acme/broken/commits/", "500", times=1000)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        "name: Forge\nproducts:\n  - name: Acme\n    repositories:\n      - github_org: acme\n",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"),
        "--workspace", str(tmp_path / "ws"), "--jobs", "1", "--quiet", "--out", str(tmp_path / "r"),
    )  # fmt: skip
    assert code == 3, out + err
    assert "acme/broken" in err
    assert "500 error" in err
    assert scanned_names(tmp_path / "r") == {"acme/good"}
