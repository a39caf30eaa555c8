"""The benchmark trees: real third-party source that no one on this project wrote.

Three trees, each built once under bench/work/trees/<name>/ and reused (rebuilt when the
selection or an installed package changes); `make_repository` copies one into a fresh git
repository for each run.

- `packages`: the installed click, boolean.py and license-expression packages, whole, with
  their dist-info (licence files, METADATA), including license-expression's 971 KB JSON index
  of licence names: a licence-dense data file.
- `reuse`: a REUSE-style project: click's modules, each given SPDX-FileCopyrightText and
  SPDX-License-Identifier lines, their licence texts under LICENSES/, and a generated SQL
  schema (~1.5 MB) concatenating 800 migrations, each with its own SPDX header.
- `small`: a 40-file repository (click, PyYAML, MarkupSafe and boolean.py modules, a
  LICENSE, a README and a setup.cfg), checked with `os2scan check` as a member repository's
  CI would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Bump when a tree's selection or generation changes, so a cached tree is rebuilt.
TREE_VERSION = "2"

#: Installation records, not source: no one would commit them.
SKIP_NAMES = {"RECORD", "INSTALLER", "WHEEL", "REQUESTED", "direct_url.json", "entry_points.txt"}


@dataclass(frozen=True)
class Pick:
    """Files of one installed package: `source` (a glob relative to site-packages), which
    suffixes (None: every file), at most `limit` files in sorted order."""

    source: str
    suffixes: tuple[str, ...] | None = None
    limit: int = 10_000


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


def picked(site: Path, picks: tuple[Pick, ...]) -> dict[str, bytes]:
    """path in the tree -> content, for every picked file."""
    chosen: dict[str, bytes] = {}
    for pick in picks:
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
            and (pick.suffixes is None or p.suffix in pick.suffixes)
        )[: pick.limit]
        # A dist-info folder is named after its package without the version.
        top = root.name
        if top.endswith("dist-info"):
            top = top.split("-")[0] + "-dist-info"
        for f in files:
            chosen[f"{top}/{f.relative_to(root).as_posix()}"] = f.read_bytes()
    return chosen


def packages_tree(site: Path) -> dict[str, bytes]:
    return picked(
        site,
        (
            Pick("click"),
            Pick("click-*.dist-info"),
            Pick("boolean"),
            Pick("boolean_py-*.dist-info"),
            Pick("license_expression"),
            Pick("license_expression-*.dist-info"),
        ),
    )


#: The SPDX header REUSE puts on a Python module (`reuse annotate`).
PY_HEADER = "# SPDX-FileCopyrightText: 2014 Pallets\n#\n# SPDX-License-Identifier: BSD-3-Clause\n\n"

SQL_BLOCK = """-- SPDX-FileCopyrightText: {year} Magenta ApS <https://www.magenta.dk>
-- SPDX-License-Identifier: MPL-2.0

-- Migration {n:04d}: {table}
CREATE TABLE IF NOT EXISTS {table} (
    id BIGSERIAL PRIMARY KEY,
    uuid UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    organisation_id BIGINT NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    valid_from DATE NOT NULL DEFAULT CURRENT_DATE,
    valid_to DATE,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
    payload JSONB NOT NULL DEFAULT '{{}}'::jsonb,
    CONSTRAINT {table}_valid CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX IF NOT EXISTS {table}_organisation ON {table} (organisation_id);
CREATE INDEX IF NOT EXISTS {table}_validity ON {table} (valid_from, valid_to);
COMMENT ON TABLE {table} IS 'Registrations of kind {n} kept for the municipal case system.';
INSERT INTO schema_migrations (version, applied_at) VALUES ({n}, now());
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS note_{n:04d} VARCHAR(64);
UPDATE {table} SET updated_at = now() WHERE updated_at < created_at;
GRANT SELECT, INSERT, UPDATE ON {table} TO case_worker;

"""


def sql_schema(blocks: int = 800) -> bytes:
    """A schema that concatenates `blocks` migrations, each under its own SPDX header."""
    return "".join(
        SQL_BLOCK.format(n=n, year=2016 + n % 9, table=f"sag_registrering_{n:04d}")
        for n in range(1, blocks + 1)
    ).encode()


def reuse_tree(site: Path) -> dict[str, bytes]:
    modules = picked(site, (Pick("click", suffixes=(".py",)),))
    tree = {path: PY_HEADER.encode() + data for path, data in modules.items()}
    licence = picked(site, (Pick("click-*.dist-info"),))
    (click_licence,) = (data for path, data in licence.items() if "LICENSE" in path.upper())
    mpl = (site / "licensedcode" / "data" / "licenses" / "mpl-2.0.LICENSE").read_text()
    tree["LICENSES/BSD-3-Clause.txt"] = click_licence
    tree["LICENSES/MPL-2.0.txt"] = mpl.split("---\n", 2)[-1].lstrip().encode()
    tree["db/schema.sql"] = sql_schema()
    return tree


SMALL_README = b"""# caseflow

A small case-handling service for municipalities, built on click and PyYAML.

    pip install caseflow

See LICENSE for the terms.
"""

SMALL_SETUP_CFG = b"""[metadata]
name = caseflow
version = 1.4.0
license = BSD-3-Clause
license_files = LICENSE

[options]
packages = find:
install_requires =
    click
    pyyaml
"""


def small_tree(site: Path) -> dict[str, bytes]:
    modules = picked(
        site,
        (
            Pick("click", suffixes=(".py",)),
            Pick("yaml", suffixes=(".py",)),
            Pick("markupsafe", suffixes=(".py",)),
            Pick("boolean", suffixes=(".py",)),
        ),
    )
    tree = dict(sorted(modules.items())[:37])
    licence = picked(site, (Pick("click-*.dist-info"),))
    (tree["LICENSE"],) = (data for path, data in licence.items() if "LICENSE" in path.upper())
    tree["README.md"] = SMALL_README
    tree["setup.cfg"] = SMALL_SETUP_CFG
    return tree


TREES: dict[str, Callable[[Path], dict[str, bytes]]] = {
    "packages": packages_tree,
    "reuse": reuse_tree,
    "small": small_tree,
}


def build_tree(work: Path, name: str) -> Path:
    """bench/work/trees/<name>/: the tree's files, plain (no .git). Rebuilt only when its
    content changed."""
    files = TREES[name](site_packages())
    digest = hashlib.sha256(f"{TREE_VERSION}:{name}".encode())
    for rel, data in sorted(files.items()):
        digest.update(rel.encode() + b"\0" + data)
    key = digest.hexdigest()[:16]
    tree = work / "trees" / name
    manifest = work / "trees" / f"{name}.json"
    if tree.is_dir() and manifest.exists() and json.loads(manifest.read_text()).get("key") == key:
        return tree
    shutil.rmtree(tree, ignore_errors=True)
    for rel, data in files.items():
        target = tree / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    manifest.write_text(json.dumps({"key": key, "files": sorted(files)}, indent=1))
    return tree


def tree_key(work: Path, name: str) -> str:
    return str(json.loads((work / "trees" / f"{name}.json").read_text())["key"])


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
