"""`os2scan discover` against the loopback forge: the portfolio it writes loads, names the
repositories a scan of the organisation and group would collect, and survives hand edits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import make_repo
from conftest import run_cli as run
from forge_server import ForgeServer, forge_fixture  # noqa: F401 - the `forge` fixture

from scanner.collectors import collect
from scanner.discover import product_from_publiccode
from scanner.kernel.models import RepositorySpec, SourceKind
from scanner.portfolio import load_portfolio


def publiccode(name: str, suite: str | None = None) -> str:
    text = f"publiccodeYmlVersion: '0.4'\nname: {name}\nurl: https://example.org/{name}\n"
    return text + (f"applicationSuite: {suite}\n" if suite else "")


@pytest.fixture
def served(forge: ForgeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ForgeServer:
    def source(name: str, files: dict[str, str]) -> Path:
        return make_repo(tmp_path / "src" / name, {"README.md": f"# {name}\n", **files})

    forge.add_github_repo(
        "acme/core", source("core", {"publiccode.yml": publiccode("Core", "Kit")})
    )
    forge.add_github_repo("acme/web", source("web", {"publiccode.yml": publiccode("Web", "Kit")}))
    forge.add_github_repo("acme/solo", source("solo", {"publiccode.yml": publiccode("Solo")}))
    forge.add_github_repo("acme/docs", source("docs", {}))
    forge.add_github_repo("acme/bad-publiccode", source("bad", {"publiccode.yml": ": ["}))
    forge.add_github_repo("acme/a-fork", source("fork", {}), fork=True)
    forge.add_github_repo("acme/attic", source("attic", {}), archived=True)
    forge.add_github_repo("acme/blank", None)
    forge.add_gitlab_project(
        "magenta/os2/api", source("api", {"publiccode.yml": publiccode("Api")})
    )
    forge.add_gitlab_project("magenta/tools", source("tools", {}))
    forge.add_gitlab_project("magenta/void", None)
    forge.add_gitlab_project("magenta/old", source("old", {}), archived=True)
    monkeypatch.setenv("GITHUB_API_URL", forge.github_api)
    monkeypatch.setenv("GITLAB_URL", forge.gitlab_url)
    return forge


def collected(entry: RepositorySpec, workspace: Path) -> set[tuple[SourceKind, str]]:
    checkouts = collect(entry, workspace)
    assert all(c.ok for c in checkouts), [c.error for c in checkouts]
    return {(c.spec.kind, c.spec.locator) for c in checkouts}


def test_publiccode_names_the_product() -> None:
    assert product_from_publiccode(publiccode("Core", "Kit")) == "Kit"
    assert product_from_publiccode(publiccode("Solo")) == "Solo"
    assert product_from_publiccode(b": [") is None
    assert product_from_publiccode("- a list\n") is None
    assert product_from_publiccode(None) is None


def test_discover_writes_a_portfolio_that_scans_the_same_repositories(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "portfolio.yaml"
    code, _out, err = run(
        capsys, "discover", "--github-org", "acme", "--gitlab-group", "magenta",
        "-o", str(output), "--name", "Demo",
    )  # fmt: skip

    assert code == 0, err
    assert "7 repositories found: 7 added, 0 vanished, 0 archived" in err
    portfolio = load_portfolio(output)
    assert portfolio.name == "Demo"
    listed = {(s.kind, s.locator) for s in portfolio.specs}
    workspace = tmp_path / "ws"
    expected = collected(RepositorySpec("x", SourceKind.GITHUB_ORG, "acme"), workspace)
    expected |= collected(RepositorySpec("x", SourceKind.GITLAB_GROUP, "magenta"), workspace)
    assert listed == expected
    products = {s.locator: s.product for s in portfolio.specs}
    assert products == {
        "acme/core": "Kit",
        "acme/web": "Kit",
        "acme/solo": "Solo",
        "acme/docs": "acme",
        "acme/bad-publiccode": "acme",
        "magenta/os2/api": "Api",
        "magenta/tools": "magenta",
    }
    # every entry of the written file collects without error
    for spec in portfolio.specs:
        [checkout] = collect(spec, workspace)
        assert checkout.ok, checkout.error


def test_discover_prints_the_portfolio_without_output_and_honours_filters(
    served: ForgeServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "discover", "--github-org", "acme", "--forks", "--archived", "--exclude", "*o*"
    )
    assert code == 0, err
    document = yaml.safe_load(out)
    names = sorted(r["github"] for p in document["products"] for r in p["repositories"])
    assert names == ["acme/attic", "acme/web"]  # forks and archived kept, "*o*" dropped


def test_rediscovery_keeps_hand_edits_adds_new_and_marks_removed(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "portfolio.yaml"
    assert run(capsys, "discover", "--github-org", "acme", "-o", str(output))[0] == 0
    document = yaml.safe_load(output.read_text())
    kit = next(p for p in document["products"] if p["name"] == "Kit")
    kit["name"] = "The Kit"  # renamed by hand
    kit["repositories"].append({"path": "local"})  # a hand-written entry of another kind
    document["products"].append({"name": "Extra", "repositories": [{"github_org": "acme2"}]})
    (tmp_path / "local").mkdir()
    output.write_text(yaml.safe_dump(document, sort_keys=False))

    served.repos = [r for r in served.repos if r.full_name != "acme/solo"]
    served.add_github_repo("acme/newcomer", make_repo(tmp_path / "src" / "new", {"a.txt": "a\n"}))

    code, _out, err = run(capsys, "discover", "--github-org", "acme", "-o", str(output))

    assert code == 0, err
    assert "marked acme/solo vanished" in err
    assert "1 added, 1 vanished" in err
    portfolio = load_portfolio(output)
    products = {s.locator: s.product for s in portfolio.specs}
    assert products["acme/core"] == products["acme/web"] == "The Kit"
    assert products["acme/newcomer"] == "acme"
    assert "acme/solo" not in products  # kept in the file as a record, not scanned
    assert (
        "- github: acme/solo\n        status: vanished  # os2scan discover " in output.read_text()
    )
    assert products["acme2"] == "Extra"
    assert str((tmp_path / "local").resolve()) in products


def test_an_organisation_entry_already_covers_its_repositories(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "portfolio.yaml"
    output.write_text(
        "name: Mine\nproducts:\n  - name: All\n    repositories:\n      - github_org: acme\n"
    )
    code, _, err = run(capsys, "discover", "--github-org", "acme", "-o", str(output))
    assert code == 0, err
    assert "0 added" in err
    portfolio = load_portfolio(output)
    assert [(s.kind, s.locator) for s in portfolio.specs] == [(SourceKind.GITHUB_ORG, "acme")]


def test_discover_rejects_bad_input_in_one_line(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "discover")
    assert code == 2
    assert "--github-org" in err
    assert "Traceback" not in err

    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nproducts:\n  - name: A\n    repositories:\n      - nonsense: 1\n")
    code, _, err = run(capsys, "discover", "--github-org", "acme", "-o", str(broken))
    assert code == 2
    assert "broken.yaml:5" in err
    assert len(err.strip().splitlines()) == 1

    code, _, err = run(capsys, "discover", "--github-org", "ghost-org")
    assert code == 3
    assert "ghost-org" in err
    assert len(err.strip().splitlines()) == 1


HAND_WRITTEN = """\
# The portfolio of acme, kept by hand.
name: Mine
discover:
  - github_org: acme  # listed again on every update
    exclude: [bad-*, a-*]
products:
  - name: Kit  # the product people know
    repositories:
      - github: acme/core  # the core
      - github: acme/web
      - github: acme/solo  # to be retired
      # the tools live on GitLab
      - gitlab: magenta/tools
  - name: Tools
    repositories:
      - gitlab_group: magenta
        exclude: [tools]  # listed under Kit
  - name: Gone
    repositories:
      - github_org: ghost-org
"""


def test_update_keeps_comments_and_hand_edits_and_marks_what_vanished_or_was_archived(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(HAND_WRITTEN, encoding="utf-8")
    solo = next(r for r in served.repos if r.full_name == "acme/solo")
    served.repos = [r for r in served.repos if r.full_name not in ("acme/solo", "magenta/tools")]
    next(r for r in served.repos if r.full_name == "acme/web").archived = True
    served.add_github_repo("acme/newcomer", make_repo(tmp_path / "src" / "new", {"a.txt": "a\n"}))

    code, _, err = run(capsys, "discover", "--update", str(portfolio))

    assert code == 0, err
    assert "marked acme/solo vanished" in err
    assert "marked acme/web archived" in err
    assert "marked magenta/tools vanished" in err  # looked up on its own: not a listed group
    assert "marked ghost-org vanished" in err  # an organisation that is gone
    assert "2 added, 3 vanished, 1 archived" in err  # acme/docs and acme/newcomer
    text = portfolio.read_text(encoding="utf-8")
    for comment in (
        "# The portfolio of acme, kept by hand.\n",
        "  - github_org: acme  # listed again on every update\n    exclude: [bad-*, a-*]\n",
        "  - name: Kit  # the product people know\n",
        "      - github: acme/core  # the core\n",
        "      # the tools live on GitLab\n",
        "        exclude: [tools]  # listed under Kit\n",
    ):
        assert comment in text
    assert re.search(
        r"      - github: acme/solo  # to be retired\n        status: vanished +# os2scan discover "
        r"\d{4}-\d\d-\d\d: no longer on the forge\n      # the tools live on GitLab\n",
        text,
    )
    assert re.search(
        r"      - github: acme/web\n        status: archived +# os2scan discover ", text
    )
    loaded = load_portfolio(portfolio)
    products = {s.locator: s.product for s in loaded.specs}
    assert products == {
        "acme/core": "Kit",
        "acme/web": "Kit",  # archived code is still OS2's: still scanned
        "magenta": "Tools",
        "acme/docs": "acme",
        "acme/newcomer": "acme",
    }
    assert [(s.kind, s.locator) for s in loaded.discover] == [(SourceKind.GITHUB_ORG, "acme")]

    # the repository comes back: its mark goes, the rest of the file stays as it is
    served.repos.append(solo)
    before = portfolio.read_text(encoding="utf-8")
    code, _, err = run(capsys, "discover", "--update", str(portfolio))
    assert code == 0, err
    after = portfolio.read_text(encoding="utf-8")
    assert after == re.sub(
        r"(acme/solo  # to be retired)\n        status: vanished +#[^\n]*", r"\1", before
    )
    assert "      - github: acme/solo  # to be retired\n      # the tools live on GitLab\n" in after
    assert "acme/solo" in {s.locator for s in load_portfolio(portfolio).specs}


def test_discover_remembers_its_sources_for_the_next_update(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "portfolio.yaml"
    code, _, err = run(
        capsys, "discover", "--github-org", "acme", "--exclude", "bad-*", "-o", str(output)
    )
    assert code == 0, err
    assert load_portfolio(output).discover[0].exclude == ("bad-*",)
    served.add_github_repo("acme/newcomer", make_repo(tmp_path / "src" / "new", {"a.txt": "a\n"}))

    code, _, err = run(capsys, "discover", "--update", str(output))

    assert code == 0, err
    assert "1 added, 0 vanished, 0 archived" in err
    assert "acme/newcomer" in {s.locator for s in load_portfolio(output).specs}


def test_update_refuses_what_it_cannot_update_in_one_line(
    served: ForgeServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "discover", "--update", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml" in err
    assert len(err.strip().splitlines()) == 1

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nproducts:\n  - name: A\n    repositories:\n"
                   "      - github: acme/core\n        status: gone\n")  # fmt: skip
    code, _, err = run(capsys, "discover", "--update", str(bad))
    assert code == 2
    assert "bad.yaml:6" in err
    assert "'status' must be one of" in err
    assert bad.read_text().endswith("status: gone\n")  # nothing written
