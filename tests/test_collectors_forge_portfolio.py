"""The bundled OS2 portfolio: valid, one GitHub organisation per product, no OS/2 archive."""

from __future__ import annotations

from pathlib import Path

from scanner.kernel.models import SourceKind
from scanner.portfolio import load_portfolio

OS2_PORTFOLIO = Path(__file__).resolve().parents[1] / "portfolios" / "os2.yaml"

ORGANISATIONS = {
    "OS2mo", "OS2Forms", "OS2iot", "os2kitos", "os2datascanner", "OS2borgerPC", "OS2faktor",
    "OS2rollekatalog", "OS2Valghalla", "os2display", "OS2web", "OS2sync", "OS2compliance",
    "OS2offdig",
}  # fmt: skip


def test_the_os2_portfolio_loads_with_one_organisation_per_product() -> None:
    portfolio = load_portfolio(OS2_PORTFOLIO)

    assert portfolio.name == "OS2"
    assert all(spec.kind is SourceKind.GITHUB_ORG for spec in portfolio.specs)
    assert {spec.locator for spec in portfolio.specs} == ORGANISATIONS
    assert len({spec.product for spec in portfolio.specs}) == len(portfolio.specs)
    assert "os2world" not in {spec.locator.lower() for spec in portfolio.specs}
    for spec in portfolio.specs:
        assert ".github" in spec.exclude
        assert not spec.include_forks and not spec.include_archived
