"""The bundled OS2 portfolio: valid, every product placed, no organisation twice, no OS/2."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from scanner.kernel.models import SourceKind
from scanner.portfolio import load_portfolio

OS2_PORTFOLIO = Path(__file__).resolve().parents[1] / "portfolios" / "os2.yaml"

# Organisations the public code index shows and the first version of the file lacked.
FOUND_LATER = {"OS2agora", "OS2sofd", "OS2sandbox", "OS2autoproces", "OS2skoledata", "os2loop"}
ORGANISATION_KINDS = (SourceKind.GITHUB_ORG, SourceKind.GITLAB_GROUP)


def _owner(locator: str) -> str:
    return locator.split("/", 1)[0].lower()


def test_the_os2_portfolio_parses_and_every_product_has_an_entry() -> None:
    portfolio = load_portfolio(OS2_PORTFOLIO)
    written = yaml.safe_load(OS2_PORTFOLIO.read_text(encoding="utf-8"))

    names = [product["name"] for product in written["products"]]
    assert portfolio.name == "OS2"
    assert len(names) == len(set(names)) >= 30
    assert {spec.product for spec in portfolio.specs} == set(names)
    for product in written["products"]:
        assert len(product["repositories"]) >= 1, product["name"]


def test_no_organisation_or_group_is_listed_twice() -> None:
    specs = load_portfolio(OS2_PORTFOLIO).specs
    organisations = Counter(
        (spec.kind, spec.api_url, spec.locator.lower())
        for spec in specs
        if spec.kind in ORGANISATION_KINDS
    )

    assert [key for key, count in organisations.items() if count > 1] == []
    # a repository of a listed organisation is not listed again on its own
    listed = {locator for kind, _, locator in organisations if kind is SourceKind.GITHUB_ORG}
    singles = [spec.locator for spec in specs if spec.kind is SourceKind.GITHUB]
    assert [name for name in singles if _owner(name) in listed] == []


def test_os2world_the_os2_software_archive_is_absent() -> None:
    specs = load_portfolio(OS2_PORTFOLIO).specs

    assert "os2world" not in {_owner(spec.locator) for spec in specs}
    assert "OS2World" not in {
        line.split(":", 1)[-1].strip()
        for line in OS2_PORTFOLIO.read_text(encoding="utf-8").splitlines()
        if not line.lstrip().startswith("#")
    }


def test_the_organisations_found_in_the_code_index_are_listed() -> None:
    specs = load_portfolio(OS2_PORTFOLIO).specs
    organisations = {spec.locator for spec in specs if spec.kind is SourceKind.GITHUB_ORG}

    assert organisations >= FOUND_LATER


def test_code_kept_on_a_suppliers_gitlab_is_scanned_there_and_not_twice() -> None:
    specs = load_portfolio(OS2_PORTFOLIO).specs
    by_product: dict[str, list] = {}
    for spec in specs:
        by_product.setdefault(spec.product, []).append(spec)

    for product, mirror in (("OS2datascanner", "os2datascanner"), ("OS2mo", "os2mo")):
        groups = [s for s in by_product[product] if s.kind is SourceKind.GITLAB_GROUP]
        assert groups
        assert all(s.api_url == "https://git.magenta.dk" for s in groups)
        github = [s for s in by_product[product] if s.kind is SourceKind.GITHUB_ORG]
        assert all(mirror in s.exclude for s in github)
    for spec in specs:
        if spec.kind is SourceKind.GITHUB_ORG:
            assert ".github" in spec.exclude
            assert not spec.include_forks
            assert not spec.include_archived


def test_the_sandbox_is_a_product_of_its_own() -> None:
    specs = load_portfolio(OS2_PORTFOLIO).specs
    sandbox = [spec for spec in specs if spec.locator == "OS2sandbox"]

    assert [spec.product for spec in sandbox] == ["OS2sandbox"]
