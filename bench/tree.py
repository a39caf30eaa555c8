"""The benchmark tree: real third-party source that no one on this project wrote.

The files are copied from packages installed in the virtual environment (click, boolean.py,
license-expression, attrs, a slice of Pygments, PyYAML, Jinja2, MarkupSafe) together with their
licence files and METADATA, so the tree mixes files with licence headers, files without any,
and full licence texts. It is built once under bench/work/tree/ and reused; `make_repository`
copies it into a fresh git repository for each run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

#: Bump when the selection below changes, so a cached tree is rebuilt.
TREE_VERSION = "1"

#: Files above this size are left out: the tree stays small enough for `make bench`.
MAX_FILE_SIZE = 60_000


@dataclass(frozen=True)
class Pick:
    """Files of one installed package: `source` (relative to site-packages), which suffixes,
    every `step`-th file in sorted order, at most `limit` files."""

    source: str
    suffixes: tuple[str, ...] = (".py", ".pyi")
    step: int = 1
    limit: int = 1000


PICKS = (
    Pick("click"),
    Pick("click-*.dist-info", suffixes=("", ".txt")),
    Pick("boolean"),
    Pick("boolean_py-*.dist-info", suffixes=("", ".txt", ".rst")),
    Pick("license_expression"),
    Pick("license_expression-*.dist-info", suffixes=("", ".LICENSE", ".rst")),
    Pick("attr"),
    Pick("attrs"),
    Pick("attrs-*.dist-info", suffixes=("",)),
    Pick("pygments", step=9),
    Pick("pygments-*.dist-info", suffixes=("",)),
    Pick("yaml", step=2),
    Pick("jinja2", step=3),
    Pick("markupsafe"),
)

#: Installation records, not source: no one would commit them.
SKIP_NAMES = {"RECORD", "INSTALLER", "WHEEL", "REQUESTED", "direct_url.json", "entry_points.txt"}


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def select_files(site: Path) -> list[tuple[Path, str]]:
    """(source file, path in the tree) for every picked file, in a stable order."""
    chosen: list[tuple[Path, str]] = []
    for pick in PICKS:
        roots = sorted(site.glob(pick.source))
        if not roots:
            raise SystemExit(f"bench: {pick.source} is not installed in {site}")
        root = roots[-1]
        files = sorted(
            p
            for p in root.rglob("*")
            if p.is_file()
            and "__pycache__" not in p.parts
            and p.name not in SKIP_NAMES
            and (p.suffix in pick.suffixes or ("" in pick.suffixes and p.suffix == ""))
            and 0 < p.stat().st_size <= MAX_FILE_SIZE
        )
        files = files[:: pick.step][: pick.limit]
        # A dist-info folder is named after its package without the version.
        top = root.name
        if top.endswith("dist-info"):
            top = top.split("-")[0] + "-dist-info"
        chosen.extend((f, f"{top}/{f.relative_to(root).as_posix()}") for f in files)
    return chosen


def build_tree(work: Path) -> Path:
    """bench/work/tree/: the selected files, plain (no .git). Rebuilt only when the selection
    or an installed package changed."""
    site = site_packages()
    chosen = select_files(site)
    digest = hashlib.sha256(TREE_VERSION.encode())
    for source, rel in chosen:
        digest.update(rel.encode() + b"\0" + source.read_bytes())
    key = digest.hexdigest()[:16]
    tree = work / "tree"
    manifest = work / "tree.json"
    if tree.is_dir() and manifest.exists() and json.loads(manifest.read_text()).get("key") == key:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    for source, rel in chosen:
        target = tree / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    manifest.write_text(json.dumps({"key": key, "files": [rel for _, rel in chosen]}, indent=1))
    return tree


def tree_key(work: Path) -> str:
    return str(json.loads((work / "tree.json").read_text())["key"])


def tree_files(tree: Path) -> list[str]:
    return sorted(p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file())


GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
    )
    return result.stdout.strip()


def make_repository(tree: Path, repo: Path) -> Path:
    """A fresh git repository at `repo` holding the tree in one commit."""
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(tree, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Import the benchmark tree")
    return repo


def change_files(repo: Path, share: float = 0.01) -> list[str]:
    """Commit a small edit to `share` of the repository's Python files (at least one); returns
    the changed paths. The choice is spread evenly over the sorted file list."""
    files = [p for p in git(repo, "ls-files").splitlines() if p.endswith(".py")]
    total = len(git(repo, "ls-files").splitlines())
    count = max(1, round(total * share))
    stride = max(1, len(files) // count)
    changed = files[stride // 2 :: stride][:count]
    for rel in changed:
        with open(repo / rel, "a", encoding="utf-8") as handle:
            handle.write("\n# A local change made by the incremental benchmark.\n")
    git(repo, "commit", "-q", "-am", f"Edit {len(changed)} files")
    return changed
