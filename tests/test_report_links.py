"""Published pages people can link to: stable paths, never two names on one page.

Products "x y", "x-y" and "x/y" and two `path:` entries both named `ok` each get their own page,
badge, SPDX document and JSON endpoint; a second scan of the same portfolio publishes the
same paths, so links in READMEs and other tools keep working.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli as run

from reports.links import SiteLinks
from scanner.kernel.names import slug, unique_slugs

ROOT = Path(__file__).resolve().parents[1]
MPL_TEXT = (ROOT / "scanner" / "demo" / "kalender" / "LICENSE").read_text(encoding="utf-8")
CLEAN = "# SPDX-FileCopyrightText: 2024 OS2\n# SPDX-License-Identifier: MPL-2.0\nprint(1)\n"
GPL = "# SPDX-FileCopyrightText: 2021 Someone\n# SPDX-License-Identifier: GPL-3.0-only\nx = 1\n"


def test_names_that_share_a_slug_each_get_a_hash_of_the_full_name() -> None:
    slugs = unique_slugs(["x y", "x-y", "x/y", "OS2mo"])

    assert len(set(slugs.values())) == 4
    assert slugs["OS2mo"] == "os2mo"
    for name in ("x y", "x-y", "x/y"):
        assert re.fullmatch(r"x-y-[0-9a-f]{8}", slugs[name])


def test_a_slug_depends_only_on_the_names_not_on_their_order() -> None:
    names = ["x y", "x-y", "x/y", "OS2mo", "Borger PC"]

    assert unique_slugs(names) == unique_slugs(list(reversed(names)))
    assert unique_slugs(["OS2mo", "Borger PC"])["Borger PC"] == "borger-pc"


def test_slugs_are_safe_path_segments() -> None:
    for hostile in ("..", "../../etc", ".", "", "a\x00b", "æøå", "x.json"):
        value = slug(hostile)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value), (hostile, value)


def test_repository_slugs_are_unique_within_their_product() -> None:
    links = SiteLinks.of([("p", "ok"), ("p", "OK"), ("q", "ok")])

    assert links.repository_page("q", "ok") == "products/q/repositories/ok/index.html"
    assert links.repository_page("p", "ok") != links.repository_page("p", "OK")


def _portfolio(tmp_path: Path, repo_factory) -> Path:  # type: ignore[no-untyped-def]
    for name in ("space", "dash", "slash"):
        repo_factory(name, {"LICENSE": MPL_TEXT, "src/app.py": CLEAN})
    repo_factory("a/ok", {"LICENSE": MPL_TEXT, "src/app.py": CLEAN})
    repo_factory("b/ok", {"LICENSE": MPL_TEXT, "src/app.py": CLEAN, "src/gpl.py": GPL})
    path = tmp_path / "portfolio.yaml"
    path.write_text(
        """name: Collisions
products:
  - name: x y
    repositories: [{path: space}]
  - name: x-y
    repositories: [{path: dash}]
  - name: x/y
    repositories: [{path: slash}]
  - name: Twins
    repositories:
      - path: a/ok
      - path: b/ok
""",
        encoding="utf-8",
    )
    return path


def _scan(capsys, portfolio: Path, db: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(
        capsys, "scan", str(portfolio), "--db", str(db), "--out", str(out), "--jobs", "1",
        "--quiet", "--lang", "en",
    )  # fmt: skip
    assert code == 0, err


def _published(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


@pytest.mark.scancode
def test_colliding_products_and_repositories_each_keep_their_own_pages(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    portfolio = _portfolio(tmp_path, repo_factory)
    out = tmp_path / "out"
    _scan(capsys, portfolio, tmp_path / "db.sqlite", out)

    endpoints = sorted(out.glob("products/*.json"))
    assert len(endpoints) == 4
    documents = {json.loads(p.read_text())["product"]: json.loads(p.read_text()) for p in endpoints}
    assert set(documents) == {"x y", "x-y", "x/y", "Twins"}
    for name, document in documents.items():
        page = (out / document["page"]).read_text(encoding="utf-8")
        assert f"<h1>Product {name}</h1>" in page
        assert (out / document["badge"]).is_file()

    twins = documents["Twins"]["repositories"]
    assert len(twins) == 2
    assert len({r["repository"] for r in twins}) == 2  # "ok" and "ok-<hash of its path>"
    for key in ("page", "badge", "spdx"):
        assert len({r[key] for r in twins}) == 2
        assert all((out / r[key]).is_file() for r in twins)
    gpl_pages = [r for r in twins if "src/gpl.py" in (out / r["page"]).read_text(encoding="utf-8")]
    assert len(gpl_pages) == 1
    assert gpl_pages[0]["status"] == "non-compliant"
    clean = next(r for r in twins if r is not gpl_pages[0])
    assert clean["status"] != "non-compliant"
    assert "src/gpl.py" not in (out / clean["spdx"]).read_text(encoding="utf-8")


@pytest.mark.scancode
def test_the_published_urls_stay_the_same_from_one_scan_to_the_next(
    capsys: pytest.CaptureFixture[str], repo_factory, tmp_path: Path
) -> None:
    portfolio = _portfolio(tmp_path, repo_factory)
    db = tmp_path / "db.sqlite"
    _scan(capsys, portfolio, db, tmp_path / "first")
    (tmp_path / "space" / "src" / "gpl.py").write_text(GPL, encoding="utf-8")  # a new finding
    _scan(capsys, portfolio, db, tmp_path / "second")

    first, second = _published(tmp_path / "first"), _published(tmp_path / "second")
    assert first == second
    for path in ("products/twins/index.html", "products/twins.json", "products/twins/badge.svg"):
        assert path in first

    def links(folder: Path) -> set[str]:
        html = (folder / "index.html").read_text(encoding="utf-8")
        return set(re.findall(r'href="(products/[^"]+)"', html))

    assert links(tmp_path / "first") == links(tmp_path / "second")
    assert links(tmp_path / "first") <= first
    endpoint = json.loads((tmp_path / "second" / "products/twins.json").read_text())
    assert endpoint["scan"]["id"] == 2
