"""A file that refers to another for its licence ("See LICENSE for the terms") takes that
file's licence, per path, as the scancode command resolves it after its per-file scan: the
referenced file beside the referring one, else at the root; a missing one leaves the
reference unknown. Checked against scancode's own scan (its `run_scan`, in this process) on
the same tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_repo
from license_expression import AND, Licensing
from perf_helpers import RecordingPool, analyse
from texts import MIT, MPL_NOTICE

from scanner.kernel.models import LicenseSource
from scanner.store import Store

pytestmark = pytest.mark.scancode

SEE_LICENSE = "# Case handling\n\nA small service.\n\nSee LICENSE for the terms.\n"

TREE = {
    "LICENSE": MIT,
    "README.md": SEE_LICENSE,  # the LICENSE beside it
    "docs/guide.md": "Guide.\n\nSee LICENSE for the terms.\n",  # none beside it: the root's
    "plugin/LICENSE": MPL_NOTICE,  # its own licence, beside its README
    "plugin/README.md": SEE_LICENSE,
    "setup.cfg": "[metadata]\nname = cases\nlicense = MIT\nlicense_files = LICENSE\n",
    "tools/NOTES.txt": "Tools.\n\nSee LICENSE.txt for the terms.\n",  # there is none
    "cases/app.py": "def run():\n    return 1\n",
}


def _normalised(expression: str | None) -> frozenset[str]:
    if not expression:
        return frozenset()
    parsed = Licensing().parse(expression, simple=True)
    args = parsed.args if isinstance(parsed, AND) else (parsed,)
    return frozenset(str(a) for a in args)


def _scancode_command(tree: Path) -> dict[str, str | None]:
    """What the scancode command reports per file, references resolved (`scancode -l`)."""
    from scancode.cli import run_scan

    ok, results = run_scan(
        input=str(tree), license=True, processes=0, quiet=True, return_results=True
    )
    assert ok
    return {
        f["path"].split("/", 1)[1]: f.get("detected_license_expression_spdx")
        for f in results["files"]
        if f["type"] == "file"
    }


def test_a_reference_to_a_licence_file_takes_its_licence_as_the_scancode_command_does(
    scancode_index: object, tmp_path: Path
) -> None:
    repo = make_repo(tmp_path / "tree", TREE)
    with Store.open(tmp_path / "db.sqlite") as store:
        files = {f.path: f for f in analyse(repo, store, RecordingPool(), tmp_path).files}
    theirs = _scancode_command(tmp_path / "tree")

    assert _normalised(files["README.md"].license_expression) == {"MIT"}
    assert _normalised(files["docs/guide.md"].license_expression) == {"MIT"}
    assert _normalised(files["plugin/README.md"].license_expression) == {"MPL-2.0"}
    assert _normalised(files["setup.cfg"].license_expression) == {"MIT"}
    assert "unknown" in (files["tools/NOTES.txt"].license_expression or "")
    for path in TREE:
        own = files[path].license_source in (LicenseSource.HEADER, LicenseSource.DETECTED)
        ours = files[path].license_expression if own else None  # not the declared licence
        # scancode's results list only the files it found a licence in
        assert _normalised(ours) == _normalised(theirs.get(path)), path


def test_the_same_blob_in_two_folders_follows_each_folder_s_reference(
    scancode_index: object, tmp_path: Path
) -> None:
    """Detection is cached per blob; the reference is followed per path, so one README copied
    into two folders takes each folder's licence, and a rescan from the cache does too."""
    repo = make_repo(tmp_path / "two", {k: v for k, v in TREE.items() if k != "docs/guide.md"})
    for _ in range(2):
        with Store.open(tmp_path / "db.sqlite") as store:
            files = {f.path: f for f in analyse(repo, store, RecordingPool(), tmp_path).files}
        assert files["README.md"].blob_sha == files["plugin/README.md"].blob_sha
        assert _normalised(files["README.md"].license_expression) == {"MIT"}
        assert _normalised(files["plugin/README.md"].license_expression) == {"MPL-2.0"}
