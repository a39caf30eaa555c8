"""Components: detected in real repositories, judged once at their root, kept out of ownership.

The repositories are built in the tests (see components_helpers) and checked with `os2scan
check` and real scancode; the detection rules themselves are also tested on small trees without
scancode, with findings made directly.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from components_helpers import (
    EDITOR_FILES,
    EDITOR_HOLDER,
    EDITOR_ROOT,
    MUNICIPALITY,
    font_repo,
    gpl_scripts_repo,
    mentions_repo,
    municipal_editor_repo,
)
from conftest import git, make_repo, run_cli
from rules_helpers import file

from scanner.analysis.components import detect_components, statement_expression
from scanner.kernel.models import (
    ComponentCuration,
    ComponentKind,
    CurationAction,
    FileFinding,
    FileKind,
    RepoFacts,
)


def check_json(capsys: pytest.CaptureFixture[str], repo: Path, db: Path) -> tuple[int, dict]:
    code, out, err = run_cli(
        capsys, "check", str(repo), "--db", str(db), "--jobs", "1", "--format", "json", "--quiet"
    )
    assert out.strip(), err
    return code, json.loads(out)


# --- the done-when repositories, through `os2scan check` and scancode -----------------------------


@pytest.mark.scancode
def test_a_vendored_gpl_editor_is_one_error_at_its_root_and_not_the_repository_s_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "borgerbooking", municipal_editor_repo())
    code, report = check_json(capsys, repo, tmp_path / "db.sqlite")
    assert code == 1
    errors = [v for v in report["violations"] if v["severity"] == "error"]
    assert [(v["rule"], v["path"], v["license"]) for v in errors] == [
        ("component-license", EDITOR_ROOT, "GPL-2.0-or-later")
    ]
    (error,) = errors
    assert error["message"] == (
        f"Component quillwork 2.1.0 ({EDITOR_ROOT}, {EDITOR_FILES} files) is under "
        "GPL-2.0-or-later, which does not fit MPL-2.0."
    )
    assert len(error["files"]) == EDITOR_FILES
    assert all(p.startswith(EDITOR_ROOT + "/") for p in error["files"])
    (repository,) = report["repositories"]
    assert repository["copyright_holders"] == [MUNICIPALITY]
    (component,) = repository["components"]
    assert component == {
        "name": "quillwork",
        "version": "2.1.0",
        "path": EDITOR_ROOT,
        "kind": "licensed-folder",
        "license": "GPL-2.0-or-later",
        "license_source": "LICENSE.md",
        "holders": [EDITOR_HOLDER],
        "files": EDITOR_FILES,
        "evidence": f"{EDITOR_ROOT}/LICENSE.md",
    }
    # build files in docs/ are configuration, not documentation without a licence
    docs = [v for v in report["violations"] if v["rule"] == "docs-license"]
    assert [v["path"] for v in docs] == ["README.md"]
    # the stored scan keeps the component and the files of its finding for later reports
    code, _, err = run_cli(
        capsys, "report", "--any-kind", "--out", str(tmp_path / "out"),
        "--db", str(tmp_path / "db.sqlite"),
    )  # fmt: skip
    assert code == 0, err
    stored = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert stored["repositories"][0]["components"] == [component]
    (stored_error,) = [v for v in stored["violations"] if v["severity"] == "error"]
    assert stored_error["files"] == error["files"]


@pytest.mark.scancode
def test_a_vendored_font_folder_without_a_licence_is_one_warning_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "borgersite", font_repo())
    code, report = check_json(capsys, repo, tmp_path / "db.sqlite")
    assert code == 0
    found = [v for v in report["violations"] if v["severity"] != "info"]
    assert [(v["rule"], v["severity"], v["path"]) for v in found] == [
        ("component-license", "warning", "site/static/fonts/opensans")
    ]
    assert found[0]["message"] == (
        "Component opensans (site/static/fonts/opensans, 5 files) states no licence."
    )
    # the text output lists errors and warnings; info only counted, listed with --show-info
    args = ("check", str(repo), "--db", str(tmp_path / "db.sqlite"), "--jobs", "1", "--quiet")
    _, text, _ = run_cli(capsys, *args)
    assert text.splitlines() == [
        "site/static/fonts/opensans: warning component-license Component opensans "
        "(site/static/fonts/opensans, 5 files) states no licence.",
        "0 errors, 1 warning, 1 info (0 waived) in 1 repository",
    ]
    _, text, _ = run_cli(capsys, *args, "--show-info")
    assert [line.split(" ")[1] for line in text.splitlines()[:-1]] == ["warning", "info"]


@pytest.mark.scancode
def test_scripts_naming_the_gpl_without_a_version_are_one_warning_and_no_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "export-tools", gpl_scripts_repo())
    code, report = check_json(capsys, repo, tmp_path / "db.sqlite")
    assert code == 0
    assert [v for v in report["violations"] if v["severity"] == "error"] == []
    (unstated,) = [v for v in report["violations"] if "version not stated" in v["message"]]
    assert (unstated["severity"], unstated["license"]) == ("warning", "GPL-1.0-or-later")
    assert unstated["files"] == ["scripts/cleanup.sh", "scripts/export.sh", "scripts/lib.sh"]


@pytest.mark.scancode
def test_code_naming_licences_and_a_committed_baseline_give_no_conflict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "licensetool", mentions_repo())
    code, report = check_json(capsys, repo, tmp_path / "db.sqlite")
    assert code == 0
    rules = {v["rule"] for v in report["violations"]}
    assert not rules & {"file-license-conflict", "test-data-license", "component-license"}
    assert not [v for v in report["violations"] if v["path"] == ".os2scan-baseline.json"]
    assert report["repositories"][0]["files"]["total"] == 5  # the baseline is not scanned


# --- detection without scancode -------------------------------------------------------------


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _finding(path: str, kind: FileKind = FileKind.CODE, **kwargs: object) -> FileFinding:
    holders = tuple(kwargs.pop("holders", ()))  # type: ignore[arg-type]
    found = file(path, kind, **kwargs)  # type: ignore[arg-type]
    return FileFinding(**{**found.__dict__, "holders": holders})


OWN = RepoFacts(declared_license="MPL-2.0", copyright_holders=(MUNICIPALITY,))


def _detect(root: Path, files: list[FileFinding], curations=()):  # type: ignore[no-untyped-def]
    return {c.path: c for c in detect_components(root, files, OWN, curations)}


def test_each_folder_in_a_vendor_folder_is_a_component_and_a_loose_file_one_too(
    tmp_path: Path,
) -> None:
    files = [
        _finding("app/main.py", holders=(MUNICIPALITY,)),
        _finding("static/vendor/chart/chart.js", FileKind.VENDORED, license="MIT"),
        _finding("static/vendor/chart/chart.css", FileKind.VENDORED),
        _finding("static/vendor/moment-2.29.4.js", FileKind.VENDORED),
        _finding("node_modules/@babel/core/index.js", FileKind.VENDORED, license="MIT"),
        _finding("3rdparty/radius/radius.py", FileKind.VENDORED, license="BSD-3-Clause"),
    ]
    found = _detect(tmp_path, files)
    assert sorted(found) == [
        "3rdparty/radius",
        "node_modules/@babel/core",
        "static/vendor/chart",
        "static/vendor/moment-2.29.4.js",
    ]
    chart = found["static/vendor/chart"]
    assert (chart.kind, chart.files, chart.license, chart.license_source) == (
        ComponentKind.VENDORED, 2, "MIT", "files"
    )  # fmt: skip
    moment = found["static/vendor/moment-2.29.4.js"]
    assert (moment.name, moment.version, moment.license) == ("moment", "2.29.4", None)


def test_a_subfolder_with_its_own_manifest_licence_is_a_package_read_by_packagedcode(
    tmp_path: Path,
) -> None:
    root = _tree(
        tmp_path,
        {
            "lib/pyrad/setup.py": (
                "from setuptools import setup\nsetup(name='pyrad', version='2.4', "
                "license='BSD', author='Wichert Akkerman')\n"
            ),
            "frontend/package.json": json.dumps(
                {"name": "borger-frontend", "version": "1.0.0", "license": "MPL-2.0"}
            ),
            "web/composer.json": json.dumps(
                {
                    "name": "symfony/polyfill",
                    "license": "MIT",
                    "authors": [{"name": "Nicolas Grekas"}],
                }
            ),
        },
    )
    files = [
        _finding("lib/pyrad/setup.py"),
        _finding("lib/pyrad/packet.py"),
        _finding("frontend/package.json", FileKind.CONFIG),
        _finding("frontend/src/app.js", holders=(MUNICIPALITY,)),
        _finding("web/composer.json", FileKind.CONFIG),
        _finding("web/index.php"),
    ]
    found = _detect(root, files)
    assert sorted(found) == ["lib/pyrad", "web"]  # the frontend repeats the repository's terms
    pyrad = found["lib/pyrad"]
    assert (pyrad.kind, pyrad.name, pyrad.version, pyrad.files) == (
        ComponentKind.PACKAGE, "pyrad", "2.4", 2
    )  # fmt: skip
    assert pyrad.license
    assert "BSD" in pyrad.license
    assert pyrad.holders == ("Wichert Akkerman",)
    assert (found["web"].name, found["web"].license) == ("polyfill", "MIT")


def test_a_subfolder_licence_file_with_another_owner_makes_a_component_but_docs_do_not(
    tmp_path: Path,
) -> None:
    files = [
        _finding("LICENSE", FileKind.DOCS, license="MPL-2.0", holders=(MUNICIPALITY,)),
        _finding("src/app.py", holders=(MUNICIPALITY,)),
        _finding("src/radius/LICENSE", FileKind.DOCS, license="MPL-2.0", holders=("Jane Roe",)),
        _finding("src/radius/client.py", holders=("Jane Roe",)),
        _finding("src/mine/LICENSE", FileKind.DOCS, license="MPL-2.0", holders=(MUNICIPALITY,)),
        _finding("src/mine/x.py", holders=(MUNICIPALITY,)),
        _finding("docs/LICENSE", FileKind.DOCS, license="CC-BY-SA-4.0"),
        _finding("docs/index.md", FileKind.DOCS),
    ]
    found = _detect(tmp_path, files)
    assert sorted(found) == ["src/radius"]
    assert found["src/radius"].holders == ("Jane Roe",)
    assert found["src/radius"].files == 2


def test_single_file_libraries_are_found_by_their_header_or_their_release_name(
    tmp_path: Path,
) -> None:
    root = _tree(
        tmp_path,
        {
            "web/js/jquery.min.js": (
                "/*! jQuery v3.6.0 | (c) OpenJS Foundation and other contributors | "
                "jquery.org/license */\n!function(e,t){}\n"
            ),
            "web/js/editor.js": (
                "/**\n * @license GPL-3.0-only\n * Copyright (c) Someone Else\n */\nvar a;\n"
            ),
            "web/js/own.js": (
                f"/**\n * @license MPL-2.0\n * Copyright (c) {MUNICIPALITY}\n */\nvar b;\n"
            ),
            "web/lib/select2-4.0.13.js": "(function(){})();\n",
            "web/lib/helpers.js": "export const x = 1;\n",
        },
    )
    files = [
        _finding("web/js/jquery.min.js", FileKind.GENERATED, license="MIT",
                 holders=("OpenJS Foundation and other contributors",)),
        _finding("web/js/editor.js", license="GPL-3.0-only", holders=("Someone Else",)),
        _finding("web/js/own.js", license="MPL-2.0", holders=(MUNICIPALITY,)),
        _finding("web/lib/select2-4.0.13.js"),
        _finding("web/lib/helpers.js"),
    ]  # fmt: skip
    found = _detect(root, files)
    assert sorted(found) == [
        "web/js/editor.js",
        "web/js/jquery.min.js",
        "web/lib/select2-4.0.13.js",
    ]
    jquery = found["web/js/jquery.min.js"]
    assert (jquery.name, jquery.version, jquery.license, jquery.kind) == (
        "jQuery", "3.6.0", "MIT", ComponentKind.LIBRARY
    )  # fmt: skip
    assert jquery.evidence == "header of jquery.min.js"
    assert found["web/js/editor.js"].license == "GPL-3.0-only"
    select2 = found["web/lib/select2-4.0.13.js"]
    assert (select2.name, select2.version) == ("select2", "4.0.13")


def test_a_git_submodule_is_a_component_named_from_gitmodules(tmp_path: Path) -> None:
    library = make_repo(tmp_path / "radius-lib", {"radius.py": "x = 1\n"})
    repo = make_repo(tmp_path / "app", {"app.py": "y = 2\n"})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(library),
        "ext/radius")  # fmt: skip
    git(repo, "commit", "-qm", "add the radius library")
    found = _detect(repo, [_finding("app.py"), _finding(".gitmodules", FileKind.CONFIG)])
    submodule = found["ext/radius"]
    assert (submodule.kind, submodule.name, submodule.evidence) == (
        ComponentKind.SUBMODULE, "radius-lib", f".gitmodules: {library}"
    )  # fmt: skip
    assert submodule.version == git(library, "rev-parse", "HEAD")[:12]


def test_curations_name_merge_ignore_and_declare_components(tmp_path: Path) -> None:
    files = [
        _finding("static/vendor/a/a.js", FileKind.VENDORED, license="MIT"),
        _finding("static/vendor/b/b.js", FileKind.VENDORED, license="MIT"),
        _finding("vendor/ours/x.py", FileKind.VENDORED),
        _finding("vendor/chart/chart.js", FileKind.VENDORED),
        _finding("src/radius/client.py"),
        _finding("src/radius/packet.py"),
    ]

    def curation(action: CurationAction, path: str, **kw: str) -> ComponentCuration:
        return ComponentCuration(action, path, reason="decided", **kw)

    found = _detect(
        tmp_path,
        files,
        [
            curation(CurationAction.MERGE, "static/vendor/*", name="ui-bundle"),
            curation(CurationAction.IGNORE, "vendor/ours"),
            curation(CurationAction.NAME, "vendor/chart", name="Chart.js", license="MIT"),
            curation(CurationAction.DECLARE, "src/radius", name="pyrad", license="BSD-3-Clause"),
        ],
    )
    assert sorted(found) == ["src/radius", "static/vendor", "vendor/chart"]
    assert (found["static/vendor"].name, found["static/vendor"].files) == ("ui-bundle", 2)
    assert (found["vendor/chart"].name, found["vendor/chart"].license_source) == (
        "Chart.js", "curation"
    )  # fmt: skip
    radius = found["src/radius"]
    assert (radius.kind, radius.license, radius.files, radius.curation) == (
        ComponentKind.DECLARED, "BSD-3-Clause", 2, "decided"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("statement", "expression"),
    [
        ("MIT", "MIT"),
        (["MIT", "GPL-3.0-or-later"], "MIT OR GPL-3.0-or-later"),
        ("- MIT\n- Apache-2.0\n", "MIT OR Apache-2.0"),
        ("'@type': expression\n'#text': MIT\n", "MIT"),
        ("SEE LICENSE IN LICENSE.txt", None),
        (None, None),
    ],
)
def test_a_manifest_licence_statement_becomes_an_spdx_expression(
    statement: object, expression: str | None
) -> None:
    assert statement_expression(statement) == expression


# --- .os2scan.yml ----------------------------------------------------------------------------


def test_a_repository_curation_file_declares_a_component(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scanner.analysis.repo_config import read_repository_curations

    root = _tree(
        tmp_path,
        {
            ".os2scan.yml": (
                "components:\n"
                "  - path: src/radius\n"
                "    declare: pyrad\n"
                "    license: BSD-3-Clause\n"
                "    reason: copied in from pyrad 2.4\n"
            )
        },
    )
    (curation,) = read_repository_curations(root)
    assert (curation.action, curation.name, curation.license, curation.origin) == (
        CurationAction.DECLARE, "pyrad", "BSD-3-Clause", ".os2scan.yml:2"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("components:\n  - path: a\n", ".os2scan.yml:2: a component curation needs a 'reason'"),
        ("components:\n  - path: a\n    reason: r\n    colour: red\n",
         ".os2scan.yml:4: unknown key 'colour' in a component curation"),
        ("components: [\n", ".os2scan.yml:2: the file is not valid YAML"),
        ("components:\n  - path: a\n    reason: r\n    license: Not A Licence\n",
         ".os2scan.yml:4: 'Not A Licence' is not a licence expression os2scan knows"),
        ("compnents: []\n", ".os2scan.yml:1: unknown key 'compnents'"),
    ],
)  # fmt: skip
def test_a_malformed_curation_file_is_one_line_with_file_and_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    repo = make_repo(tmp_path / "repo", {"app.py": "x = 1\n", ".os2scan.yml": text})
    code, out, err = run_cli(capsys, "check", str(repo), "--db", str(tmp_path / "db.sqlite"))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert "Traceback" not in err


def test_os2scan_s_own_files_are_not_part_of_the_scan(tmp_path: Path) -> None:
    from scanner.analysis.inventory import is_own_file

    assert is_own_file(".os2scan.yml", b"")
    assert is_own_file(".os2scan/cache/x", b"")
    assert is_own_file("ci/accepted.json", b'{\n  "os2scan_baseline": 1,\n  "violations": []}')
    assert not is_own_file("data/licences.json", b'{"licenses": ["GPL-3.0"]}')


def test_a_policy_curates_components_and_a_bad_curation_names_its_line(tmp_path: Path) -> None:
    from rules.policy import load_policy
    from scanner.kernel.errors import InputError

    good = tmp_path / "policy.yaml"
    good.write_text(
        "extends: os2\ncomponents:\n  - path: static/vendor/*\n    merge: ui-bundle\n"
        "    reason: One bundle, upgraded together\n",
        encoding="utf-8",
    )
    (curation,) = load_policy(good).components
    assert (curation.action, curation.name, curation.origin) == (
        CurationAction.MERGE, "ui-bundle", f"{good}:3"
    )  # fmt: skip
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "extends: os2\ncomponents:\n  - path: x\n    reason: r\n    merge: a\n    ignore: true\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_policy(bad)
    assert (
        str(error.value) == f"{bad}:3: a component curation takes one action, not merge and ignore"
    )


def test_a_portfolio_scan_records_a_repository_with_a_malformed_curation_file_as_failed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_repo(tmp_path / "repo", {"app.py": "x = 1\n", ".os2scan.yml": "compnents: []\n"})
    portfolio = tmp_path / "portfolio.yaml"
    portfolio.write_text(
        "name: t\nproducts:\n  - name: P\n    repositories:\n      - path: repo\n",
        encoding="utf-8",
    )
    _, out, err = run_cli(
        capsys, "scan", str(portfolio), "--db", str(tmp_path / "db.sqlite"), "--quiet"
    )
    assert "1 could not be scanned" in out, out + err
    assert "Traceback" not in err
