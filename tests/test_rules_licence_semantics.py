"""Licence semantics of rules/compatibility.yaml: every pair the table names, judged as it says.

The table's sections are read here and each listed pair is checked through `judge`, so a pair
added to the YAML is tested without a new line of test code; the named cases below are the ones
governance staff ask about (or-later, an unstated GPL version, MPL-2.0's secondary licences,
LGPL inside MPL-2.0 and EUPL-1.2, dual licences, EUPL-1.2's appendix, documentation licences).
"""

from __future__ import annotations

import pytest
import yaml

from rules.compatibility import TABLE_PATH, VERSION_NOT_STATED, Fit, judge, load_table

TABLE = yaml.safe_load(TABLE_PATH.read_text(encoding="utf-8"))
STRONG_COPYLEFT_PRODUCTS = (
    "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-only",
    "AGPL-3.0-or-later",
)  # fmt: skip
PRODUCTS = ("MPL-2.0", "EUPL-1.2", "Apache-2.0", "MIT", *STRONG_COPYLEFT_PRODUCTS)


def _pairs(section: str) -> list[tuple[str, str]]:
    return [(inbound, declared) for inbound, into in TABLE[section].items() for declared in into]


@pytest.mark.parametrize(("inbound", "declared"), _pairs("inbound"))
def test_each_listed_inbound_pair_fits(inbound: str, declared: str) -> None:
    assert judge(inbound, declared).fit is Fit.FITS


@pytest.mark.parametrize("inbound", sorted(TABLE["inbound"]))
@pytest.mark.parametrize("declared", PRODUCTS)
def test_an_inbound_licence_fits_no_product_but_those_listed_for_it(
    inbound: str, declared: str
) -> None:
    listed = set(TABLE["inbound"][inbound]) | {inbound}
    expected = Fit.FITS if declared in listed else Fit.CONFLICT
    assert judge(inbound, declared).fit is expected


@pytest.mark.parametrize(("inbound", "declared"), _pairs("not_into"))
def test_each_not_into_pair_is_a_conflict(inbound: str, declared: str) -> None:
    assert judge(inbound, declared).fit is Fit.CONFLICT


@pytest.mark.parametrize("mention", sorted(TABLE["version_not_stated"]))
@pytest.mark.parametrize("declared", PRODUCTS)
def test_a_gnu_licence_without_a_version_is_a_warning_where_some_version_fits(
    mention: str, declared: str
) -> None:
    verdict = judge(mention, declared)
    some_version_fits = any(
        judge(v, declared).fit is Fit.FITS for v in TABLE["version_not_stated"][mention]
    )
    if some_version_fits:
        assert (verdict.fit, verdict.code) == (Fit.REVIEW, VERSION_NOT_STATED)
        assert verdict.reason.startswith("licence version not stated")
    else:
        assert verdict.fit is Fit.CONFLICT


def test_a_bare_gpl_mention_is_version_not_stated_in_gpl_3_and_a_conflict_in_mpl() -> (
    None
):
    assert judge("GPL-1.0-or-later", "GPL-3.0-or-later").code == VERSION_NOT_STATED
    assert judge("GPL-1.0-or-later", "MPL-2.0").fit is Fit.CONFLICT


@pytest.mark.parametrize(
    ("inbound", "declared", "fit"),
    [
        # -or-later: the later version is the product's
        ("GPL-2.0-or-later", "GPL-3.0-only", Fit.FITS),
        ("GPL-2.0-or-later", "GPL-3.0-or-later", Fit.FITS),
        ("GPL-2.0-only", "GPL-3.0-or-later", Fit.CONFLICT),
        ("LGPL-2.1-or-later", "GPL-3.0-only", Fit.FITS),
        # MPL-2.0 and its secondary licences (section 3.3), unless Exhibit B says otherwise
        ("MPL-2.0", "GPL-2.0-or-later", Fit.FITS),
        ("MPL-2.0", "AGPL-3.0-only", Fit.FITS),
        ("MPL-2.0", "LGPL-2.1-only", Fit.FITS),
        ("MPL-2.0-no-copyleft-exception", "GPL-3.0-only", Fit.CONFLICT),
        ("MPL-2.0-no-copyleft-exception", "MPL-2.0", Fit.FITS),
        # LGPL inside MPL-2.0 and EUPL-1.2 products
        ("LGPL-2.1-only", "MPL-2.0", Fit.FITS),
        ("LGPL-3.0-or-later", "MPL-2.0", Fit.FITS),
        ("LGPL-2.1-or-later", "EUPL-1.2", Fit.FITS),
        # strong copyleft does not fit MPL-2.0 or EUPL-1.2 products
        ("GPL-3.0-only", "MPL-2.0", Fit.CONFLICT),
        ("GPL-2.0-only", "EUPL-1.2", Fit.CONFLICT),
        # EUPL-1.2's appendix: EUPL code may join a work under a listed licence
        ("EUPL-1.2", "GPL-3.0-only", Fit.FITS),
        ("EUPL-1.2", "MPL-2.0", Fit.FITS),
        ("EUPL-1.2", "Apache-2.0", Fit.CONFLICT),
        # dual licences are judged by the option that fits
        ("LGPL-2.1-only OR LicenseRef-scancode-commercial-license", "MPL-2.0", Fit.FITS),
        ("GPL-2.0-only OR MIT", "MPL-2.0", Fit.FITS),
        ("GPL-2.0-only AND MIT", "MPL-2.0", Fit.CONFLICT),
        # share-alike content licences in code
        ("CC-BY-SA-4.0", "GPL-3.0-only", Fit.FITS),
        ("CC-BY-SA-3.0", "MPL-2.0", Fit.CONFLICT),
    ],
)
def test_the_cases_governance_asks_about(inbound: str, declared: str, fit: Fit) -> None:
    assert judge(inbound, declared).fit is fit


def test_a_dual_licence_with_a_denied_option_is_judged_by_its_open_option() -> None:
    verdict = judge(
        "LGPL-2.1-only OR LicenseRef-scancode-commercial-license",
        "MPL-2.0",
        denied_categories=["Commercial"],
    )
    assert verdict.fit is Fit.FITS
    denied_only = judge(
        "LicenseRef-scancode-commercial-license", "MPL-2.0", denied_categories=["Commercial"]
    )
    assert denied_only.fit is Fit.DENIED


@pytest.mark.parametrize("licence", TABLE["documentation"])
def test_a_documentation_licence_in_documentation_is_not_a_code_conflict(licence: str) -> None:
    assert judge(licence, "MPL-2.0", documentation=["CC-BY-SA-4.0"]).fit is Fit.FITS


def test_a_non_commercial_documentation_licence_stays_denied_in_documentation() -> None:
    verdict = judge(
        "CC-BY-NC-4.0", "MPL-2.0", denied=["CC-BY-NC-4.0"], documentation=["CC-BY-SA-4.0"]
    )
    assert verdict.fit is Fit.DENIED


def test_the_table_names_only_licences_scancode_or_spdx_knows() -> None:
    table = load_table()
    assert table.version_not_stated
    assert table.documentation
