"""Bad input everywhere: one clear line on stderr and exit 2 for files the user gives os2scan,
and a completed scan that records the problem for broken files inside a scanned repository."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
import yaml
from conftest import write_file
from hostile_helpers import make_repo, mpl_files, run_cli, write_portfolio

pytestmark = pytest.mark.reliability

BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)

#: Portfolio files that must each be refused with one line and exit 2.
BAD_PORTFOLIOS: dict[str, str | bytes] = {
    "invalid-yaml": "name: x\nproducts: [\n",
    "tab-indented": "name: x\nproducts:\n\t- name: y\n",
    "not-utf8": b"name: \xff\xfe\nproducts: []\n",
    "binary": bytes(range(256)) * 4,
    "empty": "",
    "a-list": "- 1\n- 2\n",
    "no-products": "name: x\n",
    "unknown-key": "name: x\nproducts:\n  - name: p\n    repositories:\n      - git: ../x\n"
    "        colour: red\n",
    "option-ref": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - git: https://example.org/x.git\n        ref: --upload-pack=touch PWNED\n",
    "ext-transport": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - git: 'ext::sh -c touch% PWNED'\n",
    "option-url": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - git: '--upload-pack=touch PWNED'\n",
    "credentials-in-url": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - git: https://user:hunter2secret@example.org/x.git\n",
    "missing-path": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - path: ./does/not/exist\n",
    "bad-github": "name: x\nproducts:\n  - name: p\n    repositories:\n"
    "      - github: '../../etc/passwd'\n",
    "billion-laughs": BILLION_LAUGHS,
    "deep-nesting": "a: " + "[" * 5000 + "]" * 5000 + "\n",
    "python-tag": "name: !!python/object/apply:os.system ['touch PWNED']\nproducts: []\n",
}

#: Policy files that must each be refused with one line and exit 2.
BAD_POLICIES: dict[str, str | bytes] = {
    "invalid-yaml": "severity: {\n",
    "not-utf8": b"name: \xff\n",
    "empty": "",
    "unknown-key": "colour: red\n",
    "unknown-rule": "severity:\n  no-such-rule: error\n",
    "bad-severity": "severity:\n  license-file: fatal\n",
    "invalid-licence": "licenses:\n  declared_allowed: [MPL-2.0, Not-A-Licence-42]\n",
    "bad-expiry": "waivers:\n  - rule: license-file\n    reason: x\n    expires: someday\n",
    "waiver-unknown-rule": "waivers:\n  - rule: nope\n    reason: x\n    expires: 2030-01-01\n",
    "extends-missing": "extends: ./nowhere.yaml\n",
    "billion-laughs": BILLION_LAUGHS,
    "python-tag": "name: !!python/object/apply:os.system ['touch PWNED']\n",
    "binary": bytes(range(256)) * 4,
    "deep-nesting": "name: " + "[" * 5000 + "]" * 5000 + "\n",
}


def _assert_one_clean_line(code: int, out: str, err: str) -> None:
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("os2scan: ")
    assert "Traceback" not in err
    assert "internal error" not in err


@pytest.mark.parametrize("name", sorted(BAD_PORTFOLIOS))
def test_a_bad_portfolio_gives_one_line_and_exit_2(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    portfolio = write_file(tmp_path / "portfolio.yaml", BAD_PORTFOLIOS[name])

    code, out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"))

    _assert_one_clean_line(code, out, err)
    assert "hunter2secret" not in err
    assert not list(tmp_path.rglob("PWNED"))
    assert not (tmp_path / "db.sqlite").exists()  # refused before anything was stored


def test_a_missing_or_folder_portfolio_gives_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for target in (tmp_path / "nope.yaml", tmp_path):
        code, out, err = run_cli(capsys, "scan", str(target), "--db", str(tmp_path / "x.sqlite"))
        _assert_one_clean_line(code, out, err)


@pytest.mark.parametrize("name", sorted(BAD_POLICIES))
def test_a_bad_policy_gives_one_line_and_exit_2(
    name: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    policy = write_file(tmp_path / "policy.yaml", BAD_POLICIES[name])
    repo = make_repo(tmp_path / "repo", mpl_files())

    code, out, err = run_cli(
        capsys, "check", str(repo), "--policy", str(policy), "--db", str(tmp_path / "db.sqlite")
    )
    _assert_one_clean_line(code, out, err)
    assert not list(tmp_path.rglob("PWNED"))

    # validate reports every problem, each on one clean line
    code, out, err = run_cli(capsys, "rules", "validate", str(policy))
    assert code == 2, (out, err)
    assert err.strip()
    assert all(line.startswith("os2scan: ") for line in err.strip().splitlines()), err
    assert "Traceback" not in err


def test_a_policy_that_extends_itself_gives_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text("extends: ./b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: ./a.yaml\n", encoding="utf-8")

    code, out, err = run_cli(capsys, "rules", "validate", str(tmp_path / "a.yaml"))

    _assert_one_clean_line(code, out, err)


def test_bad_options_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for args in (
        ["scan", "--jobs", "-3"],
        ["scan", "--timeout", "0"],
        ["check", str(tmp_path / "missing")],
        ["check", ".", "--format", "pdf"],
        ["no-such-command"],
    ):
        code, out, err = run_cli(capsys, *args)
        _assert_one_clean_line(code, out, err)


#: Broken declaration files inside a repository: the scan goes on and records each problem.
BROKEN_IN_REPOSITORY: dict[str, str | bytes] = {
    "package.json": '{"name": "x", "license": "MPL-2.0",',
    "composer.json": b"\xff\xfe{not json at all",
    "pyproject.toml": '[project\nlicense = "MPL-2.0"\n',
    "setup.cfg": "this is not\n[an ini file\n",
    "setup.py": "from setuptools import setup\nsetup(license='MPL-2.0'\n",
    "pom.xml": "<project><licenses><license><name>MPL 2.0</name></license></project",
    "App.csproj": "<Project><PropertyGroup><PackageLicenseExpression>MIT",
    "publiccode.yml": "legal: [\n  license: MPL-2.0\n",
    "REUSE.toml": 'version = 1\n[[annotations]\npath = "**"\n',
    ".reuse/dep5": "Format: x\n\nFiles *\nLicense GPL\n",
    "src/bad_header.py": "# SPDX-License-Identifier: MIT AND OR ((( WITH\nq = 1\n",
    "src/unknown_header.py": "# SPDX-License-Identifier: Not-A-Licence-42\nr = 2\n",
    "src/bad_header.py.license": "SPDX-License-Identifier: )))(((\n",
}


@pytest.mark.scancode
def test_broken_declarations_inside_a_repository_are_recorded_and_the_scan_completes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    repo = make_repo(tmp_path / "broken", mpl_files(**BROKEN_IN_REPOSITORY))
    db = tmp_path / "db.sqlite"

    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(db), "--jobs", "1",
                             "--format", "json", "--fail-on", "never")

    assert code == 0, err
    assert "Traceback" not in err
    assert "internal error" not in err
    report = json.loads(out)
    (repository,) = report["repositories"]
    assert repository["error"] is None
    assert repository["declared_license"] == "MPL-2.0"  # the licence file still decides
    with sqlite3.connect(db) as con:
        facts = json.loads(con.execute("SELECT facts_json FROM repositories").fetchone()[0])
        files = {p for (p,) in con.execute("SELECT path FROM files")}
    errors = {s["path"]: s["error"] for s in facts["declared_sources"] if s["error"]}
    for broken in ("package.json", "composer.json", "pyproject.toml", "setup.cfg", "setup.py",
                   "pom.xml", "App.csproj", "publiccode.yml", "REUSE.toml", ".reuse/dep5"):
        assert broken in errors, (broken, facts["declared_sources"])
        assert "\n" not in errors[broken]
    consistency = {
        v["path"] for v in report["violations"] if v["rule"] == "declared-license-consistent"
    }
    assert {"package.json", "pyproject.toml", "publiccode.yml", "REUSE.toml"} <= consistency
    assert {"src/bad_header.py", "src/unknown_header.py"} <= files


def test_a_git_entry_that_cannot_be_collected_is_recorded_and_the_rest_is_scanned(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    not_a_repo = tmp_path / "plain"
    not_a_repo.mkdir()
    (not_a_repo / "README.md").write_text("# not a git repository\n", encoding="utf-8")
    portfolio = write_portfolio(
        tmp_path / "portfolio.yaml",
        [("P", "git", str(not_a_repo)), ("P", "git", "https://127.0.0.1:9/nothing.git")],
    )

    code, out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"),
                             "--workspace", str(tmp_path / "ws"), "--quiet")

    assert code == 3, (out, err)
    assert "Traceback" not in err
    with sqlite3.connect(tmp_path / "db.sqlite") as con:
        errors = [e for (e,) in con.execute("SELECT error FROM repositories")]
        (status,) = con.execute("SELECT status FROM scans").fetchone()
    assert len(errors) == 2
    assert all(e and "\n" not in e for e in errors)
    assert status == "complete"


@pytest.mark.scancode
def test_declarations_nested_too_deeply_are_recorded_and_the_scan_completes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, scancode_index: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    deep = {
        "publiccode.yml": "legal: " + "[" * 5000 + "]" * 5000 + "\n",
        "REUSE.toml": "version = " + "[" * 5000 + "]" * 5000 + "\n",
        "package.json": "[" * 100_000 + "]" * 100_000,
        "pyproject.toml": "x = " + "[" * 5000 + "]" * 5000 + "\n",
    }
    repo = make_repo(tmp_path / "deep", mpl_files(**deep))
    other = make_repo(tmp_path / "fine", mpl_files())
    portfolio = write_portfolio(tmp_path / "p.yaml", [("P", "path", str(repo)),
                                                      ("P", "path", str(other))])
    db = tmp_path / "db.sqlite"

    code, _out, err = run_cli(capsys, "scan", str(portfolio), "--db", str(db), "--jobs", "1",
                             "--quiet")

    assert code == 0, err
    assert "Traceback" not in err
    assert "internal error" not in err
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT name, error, facts_json FROM repositories").fetchall()
    assert [r[0] for r in rows] == ["deep", "fine"]
    assert all(r[1] is None for r in rows)
    errors = {s["path"] for s in json.loads(rows[0][2])["declared_sources"] if s["error"]}
    assert set(deep) <= errors


@pytest.mark.parametrize(
    "legal",
    [
        "legal: &a\n  license: MIT\n  self: *a\n",  # circular
        BILLION_LAUGHS.replace("a: &a", "legal:\n  license: MIT\n  x: &a", 1)
        .replace("\nb:", "\n  b:").replace("\nc:", "\n  c:").replace("\nd:", "\n  d:")
        .replace("\ne:", "\n  e:").replace("\nf:", "\n  f:").replace("\ng:", "\n  g:")
        .replace("\nh:", "\n  h:").replace("\ni:", "\n  i:"),  # 387 million values expanded
    ],
    ids=["circular", "alias-bomb"],
)
def test_a_publiccode_legal_section_built_from_aliases_is_recorded_not_expanded(
    legal: str, tmp_path: Path
) -> None:
    from scanner.analysis.declared import read_facts

    assert yaml.safe_load(legal)["legal"]["license"] == "MIT"  # valid YAML, hostile shape
    (tmp_path / "publiccode.yml").write_text(legal, encoding="utf-8")

    started = time.monotonic()
    facts = read_facts(tmp_path, ())

    assert time.monotonic() - started < 5
    (source,) = facts.declared_sources
    assert source.error
    assert "circular, too deep or too large" in source.error
    assert facts.publiccode is None
