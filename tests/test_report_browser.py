"""The HTML site in real headless Chromium (Debian's /usr/bin/chromium, never downloaded)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_helpers import scan_result

from reports.write import write_reports

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (make system-deps)"
    ),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    previous = scan_result(scan_id=1, violations=scan_result().violations[:1])
    write_reports(scan_result(), previous, folder, lang="en", history=(previous,))
    return folder


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site served by a loopback web server."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


def _page(browser: object, errors: list[str], **options: object):  # type: ignore[no-untyped-def]
    page = browser.new_page(**options)  # type: ignore[attr-defined]
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    return page


def test_overview_tables_charts_links_and_sorting(browser: object, server: str) -> None:
    errors: list[str] = []
    page = _page(browser, errors, viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/index.html")
    assert page.title() == "Licence compliance: portfolio.yaml"
    table = page.locator("#products-table")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("th").inner_text() == "OS2mo"
    assert "non-compliant" in rows.nth(0).inner_text()
    for chart in ("#chart-scores svg", "#chart-licenses svg", "#chart-trend svg"):
        box = page.locator(chart).bounding_box()
        assert box is not None, chart
        assert box["width"] > 200, chart
        assert box["height"] > 50, chart
    assert page.locator("#governance-table").is_visible()

    # sorting: the score column ascending puts the product without a score first
    table.locator("thead th", has_text="Score").locator("button").click()
    assert rows.nth(0).locator("th").inner_text() == "OS2gone"
    table.locator("thead th", has_text="Score").locator("button").click()
    assert rows.nth(0).locator("th").inner_text() == "OS2web"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-index.png"), full_page=True)

    # overview -> product -> repository -> back to the product, through the links
    page.locator("#products-table a", has_text="OS2mo").click()
    assert page.url.endswith("/products/os2mo/index.html")
    assert page.locator("h1").inner_text() == "Product OS2mo"
    violation = page.locator("#violations ~ div tbody tr", has_text="file-license-conflict")
    assert violation.count() == 1
    text = violation.inner_text()
    assert "src/lib.py" in text
    assert "fix file-license-conflict" in text
    link = violation.locator("a", has_text="view").get_attribute("href")
    assert link == "https://github.com/OS2mo/core/blob/" + "c" * 40 + "/src/lib.py#L1"
    assert page.locator("img[src$='products/os2mo/badge.svg']").evaluate("i => i.naturalWidth") > 0
    page.screenshot(path=str(ARTIFACTS / "report-product.png"), full_page=True)
    page.locator("a", has_text="core").first.click()
    assert page.url.endswith("/products/os2mo/repositories/core/index.html")
    assert page.locator("#files ~ div tbody tr").count() == 4
    page.locator("nav a", has_text="OS2mo").click()
    assert page.url.endswith("/products/os2mo/index.html")
    page.locator("nav a", has_text="Overview").click()
    assert page.url.endswith("/index.html")
    assert errors == []


def test_the_site_works_from_a_folder_on_a_phone(browser: object, site: Path) -> None:
    errors: list[str] = []
    page = _page(browser, errors, viewport={"width": 390, "height": 844})
    page.goto((site / "index.html").as_uri())
    assert page.locator("#products-table").is_visible()
    assert page.locator("#chart-scores svg").is_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, "the page scrolls sideways on a phone"
    page.locator("#products-table a", has_text="OS2mo").click()
    assert page.url.endswith("/products/os2mo/index.html")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, "the product page scrolls sideways on a phone"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-phone.png"), full_page=True)
    assert errors == []


def test_danish_site(browser: object, tmp_path: Path) -> None:
    write_reports(scan_result(), None, tmp_path, ["html", "badges"], "da")
    errors: list[str] = []
    page = _page(browser, errors)
    page.goto((tmp_path / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.locator("h2#products").inner_text() == "Produkter"
    assert "overholder ikke" in page.locator("#products-table").inner_text()
    assert errors == []


def _renamed(result, names: dict[str, str]):  # type: ignore[no-untyped-def]
    """The test portfolio with its products renamed (to names only Danish sorts right)."""
    from dataclasses import replace

    repos = tuple(
        replace(
            r,
            checkout=replace(
                r.checkout,
                spec=replace(r.checkout.spec, product=names[r.checkout.spec.product]),
            ),
        )
        for r in result.repositories
    )
    violations = tuple(replace(v, product=names[v.product]) for v in result.violations)
    return replace(result, repositories=repos, violations=violations)


def test_the_overview_fits_a_1366_by_768_laptop(browser: object, tmp_path: Path) -> None:
    """The governance lights F6 and F11 are in view without scrolling sideways, the page uses
    the window's width, and table headers stay in view while a long table scrolls."""
    write_reports(scan_result(), None, tmp_path, ["html", "badges"], "da")
    errors: list[str] = []
    page = _page(browser, errors, viewport={"width": 1366, "height": 768})
    page.goto((tmp_path / "index.html").as_uri())
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("main").bounding_box()["width"] >= width - 64  # type: ignore[index]
    page.locator("#governance-table").scroll_into_view_if_needed()
    for criterion in ("F6", "F11"):
        head = page.locator(f"#gov-{criterion}")
        box = head.bounding_box()
        assert box is not None, criterion
        assert box["x"] >= 0, (criterion, box)
        assert box["x"] + box["width"] <= width, (criterion, box)
        assert box["y"] >= 0, (criterion, box)
        assert box["y"] + box["height"] <= 768, (criterion, box)
        cell = page.locator("#governance-table tbody tr").first.locator("td").nth(
            2 if criterion == "F6" else 3
        )
        cell_box = cell.bounding_box()
        assert cell_box is not None, criterion
        assert cell_box["x"] + cell_box["width"] <= width, criterion
    # the most important columns come first: product, status, score
    heads = page.locator("#products-table thead th").all_inner_texts()
    assert heads[:3] == ["Produkt", "Status", "Score"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-1366x768.png"))
    # a table taller than its box keeps its header row in view
    wrap = page.locator("#products-table").locator("xpath=..")
    wrap.evaluate("w => { w.style.maxHeight = '120px'; w.scrollTop = 60; }")
    head_box = page.locator("#products-table thead th").first.bounding_box()
    wrap_box = wrap.bounding_box()
    assert head_box is not None
    assert wrap_box is not None
    assert abs(head_box["y"] - wrap_box["y"]) < 2, "the header row scrolled away"
    assert errors == []


def test_sorting_follows_danish_alphabetical_order(browser: object, tmp_path: Path) -> None:
    names = {"OS2mo": "Ærø", "OS2web": "Åbenrå", "OS2gone": "Zealand"}
    write_reports(_renamed(scan_result(), names), None, tmp_path, ["html"], "da")
    errors: list[str] = []
    page = _page(browser, errors, viewport={"width": 1366, "height": 768})
    page.goto((tmp_path / "index.html").as_uri())
    table = page.locator("#products-table")
    table.locator("thead th", has_text="Produkt").locator("button").click()
    order = table.locator("tbody th").all_inner_texts()
    assert order == ["Zealand", "Ærø", "Åbenrå"]  # Danish: ... z, æ, ø, å
    assert errors == []
