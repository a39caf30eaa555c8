"""The HTML site's structure: links that resolve, violations with everything needed to fix them,
semantic tables, and every visible string from the language chosen."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_helpers import scan_result

from reports.i18n import Catalogue, keys
from reports.write import write_reports


class Page(HTMLParser):
    """Collects links, images, table header cells and visible text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.sources: list[str] = []
        self.th_scopes: list[str | None] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "img":
            self.sources.append(values.get("src") or "")
        if tag == "th":
            self.th_scopes.append(values.get("scope"))
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.text.append(data.strip())


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    sites = {}
    for lang in ("en", "da"):
        folder = tmp_path_factory.mktemp(f"site-{lang}")
        write_reports(scan_result(), None, folder, ["html", "badges"], lang)
        sites[lang] = folder
    return sites


def test_every_local_link_and_image_resolves(site: dict[str, Path]) -> None:
    root = site["en"]
    pages = sorted(root.rglob("*.html"))
    assert len(pages) == 1 + 3 + 5  # index, products, repositories
    for page_path in pages:
        page = parse(page_path)
        for target in page.links + page.sources:
            if target.startswith(("http://", "https://", "#")):
                continue
            resolved = (page_path.parent / target.split("#")[0]).resolve()
            assert resolved.is_file(), f"{page_path.name} links to missing {target}"


def test_every_table_header_has_a_scope(site: dict[str, Path]) -> None:
    for page_path in site["en"].rglob("*.html"):
        scopes = parse(page_path).th_scopes
        assert all(s in ("col", "row") for s in scopes), page_path.name


def test_the_product_page_lists_each_violation_with_its_fix(site: dict[str, Path]) -> None:
    html = (site["en"] / "products" / "os2mo" / "index.html").read_text(encoding="utf-8")
    row = html.split("<code>file-license-conflict</code>")[0].rsplit("<tr", 1)[1]
    row += html.split("<code>file-license-conflict</code>")[1].split("</tr>")[0]
    for expected in (
        "<code>src/lib.py</code>", '<td class="num">1</td>', "GPL-3.0-only",
        "fix file-license-conflict",
        'href="https://github.com/OS2mo/core/blob/' + "c" * 40 + '/src/lib.py#L1"',
    ):  # fmt: skip
        assert expected in row
    assert "waived: vendor transfer agreed" in html
    assert "until 2099-01-01" in html


def test_a_failed_repository_page_says_why(site: dict[str, Path]) -> None:
    text = " ".join(parse(site["en"] / "products/os2web/repositories/legacy/index.html").text)
    assert "Could not be scanned: git clone failed: repository not found" in text


def test_the_danish_site_shows_no_english_catalogue_text(site: dict[str, Path]) -> None:
    english, danish = Catalogue("en"), Catalogue("da")
    plain = [
        k for k in keys()
        if "{" not in english(k) and english(k) != danish(k) and " " in english(k)
    ]  # fmt: skip
    for page_path in site["da"].rglob("*.html"):
        text = "\n".join(parse(page_path).text)
        leaked = [english(k) for k in plain if english(k) in text]
        assert leaked == [], f"{page_path.name}: {leaked}"
        assert '<html lang="da">' in page_path.read_text(encoding="utf-8")


def test_charts_are_inline_svg_with_a_title(site: dict[str, Path]) -> None:
    html = (site["en"] / "index.html").read_text(encoding="utf-8")
    assert html.count("<svg ") == 2  # one previous scan only: no trend chart
    assert '<svg role="img" aria-label="Score per product"' in html
    assert "<title>Files per licence</title>" in html
    chart = html.split("<svg", 1)[1].split("</svg>")[0]
    assert 'href="http' not in chart  # nothing fetched from the network
    assert "<metadata>" not in chart  # no creation date: the same scan gives the same page


def test_the_overview_shows_score_changes(tmp_path: Path) -> None:
    from report_helpers import violation

    from scanner.kernel.models import Severity

    previous = scan_result(
        scan_id=1, violations=(violation("license-file", Severity.ERROR, "OS2web", "site"),)
    )
    write_reports(scan_result(), previous, tmp_path, ["html"], "en")
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    row = html.split('<a href="products/os2web/index.html">OS2web</a>')[1].split("</tr>")[0]
    assert '100 <small title="Score change">(+25)</small>' in row
    assert "3 new and 1 fixed violations since scan 1." in html
