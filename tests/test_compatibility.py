"""The compatibility table: which file licence fits which declared licence."""

from __future__ import annotations

import pytest

from rules.compatibility import Fit, fits, judge, load_table

OS2_DENIED_CATEGORIES = ("Proprietary Free", "Commercial", "Source-available")

FITTING = [
    ("MIT", "MPL-2.0"),
    ("BSD-3-Clause", "MPL-2.0"),
    ("BSD-2-Clause", "MPL-2.0"),
    ("Apache-2.0", "MPL-2.0"),
    ("ISC", "MPL-2.0"),
    ("MIT", "EUPL-1.2"),
    ("BSD-3-Clause", "EUPL-1.2"),
    ("Apache-2.0", "EUPL-1.2"),
    ("ISC", "EUPL-1.2"),
    ("LGPL-2.1-only", "GPL-3.0-only"),
    ("LGPL-2.1-or-later", "GPL-3.0-or-later"),
    ("MPL-2.0", "GPL-3.0-only"),
    ("GPL-3.0-only", "GPL-3.0-or-later"),
    ("GPL-2.0-or-later", "GPL-3.0-only"),
    ("GPL-3.0-or-later", "AGPL-3.0-only"),
    ("EUPL-1.2", "GPL-3.0-only"),
    ("CC0-1.0", "MIT"),
    ("MPL-2.0", "MIT"),  # file-level copyleft stays with its files
    ("Apache-2.0", "GPL-3.0-only"),
    # scancode keys and old SPDX ids mean the same
    ("gpl-3.0-plus", "gpl-3.0"),
    ("GPL-2.0+", "GPL-2.0-only"),
]

NOT_FITTING = [
    ("GPL-3.0-only", "MPL-2.0"),
    ("GPL-3.0-only", "MIT"),
    ("GPL-3.0-or-later", "MPL-2.0"),
    ("GPL-2.0-only", "Apache-2.0"),
    ("AGPL-3.0-only", "GPL-3.0-only"),
    ("AGPL-3.0-or-later", "MPL-2.0"),
    ("GPL-2.0-only", "GPL-3.0-only"),
    ("EUPL-1.2", "MIT"),
    ("Apache-2.0", "GPL-2.0-only"),
    ("CC-BY-SA-4.0", "MPL-2.0"),
]


@pytest.mark.parametrize(("inbound", "declared"), FITTING)
def test_these_licences_fit(inbound: str, declared: str) -> None:
    assert fits(inbound, declared), judge(inbound, declared)


@pytest.mark.parametrize(("inbound", "declared"), NOT_FITTING)
def test_these_licences_do_not_fit(inbound: str, declared: str) -> None:
    verdict = judge(inbound, declared)
    assert verdict.fit is Fit.CONFLICT
    assert verdict.license is not None
    assert "does not fit" in verdict.reason


@pytest.mark.parametrize("declared", ["MIT", "MPL-2.0", "GPL-3.0-only", "EUPL-1.2"])
@pytest.mark.parametrize("inbound", ["CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-3.0"])
def test_non_commercial_licences_are_denied_anywhere(inbound: str, declared: str) -> None:
    verdict = judge(inbound, declared, denied_categories=OS2_DENIED_CATEGORIES)
    assert verdict.fit is Fit.DENIED
    assert verdict.license == inbound
    assert "Source-available" in verdict.reason


def test_a_licence_the_policy_names_is_denied_even_if_its_category_is_not() -> None:
    assert judge("WTFPL", "MIT").fit is Fit.FITS
    verdict = judge("WTFPL", "MIT", denied=["WTFPL"])
    assert (verdict.fit, verdict.license) == (Fit.DENIED, "WTFPL")


def test_a_proprietary_licence_does_not_fit_even_without_a_policy() -> None:
    verdict = judge("LicenseRef-scancode-proprietary-license", "MIT")
    assert verdict.fit is Fit.CONFLICT


@pytest.mark.parametrize(
    "expression",
    [
        "LicenseRef-scancode-unknown-license-reference",
        "LicenseRef-scancode-unknown",
        "LicenseRef-our-own",
    ],
)
def test_an_unknown_licence_reference_needs_review(expression: str) -> None:
    verdict = judge(expression, "MPL-2.0")
    assert verdict.fit is Fit.REVIEW
    assert "unknown licence reference" in verdict.reason


def test_one_fitting_choice_is_enough() -> None:
    assert fits("MIT OR GPL-2.0-only", "MPL-2.0")
    assert fits("GPL-3.0-only OR Apache-2.0", "MIT")


def test_every_part_of_a_conjunction_must_fit() -> None:
    assert fits("Apache-2.0 AND BSD-3-Clause", "MPL-2.0")
    verdict = judge("Apache-2.0 AND GPL-3.0-only", "MPL-2.0")
    assert (verdict.fit, verdict.license) == (Fit.CONFLICT, "GPL-3.0-only")


def test_a_file_must_fit_every_licence_a_dual_licensed_repository_offers() -> None:
    assert not fits("GPL-3.0-only", "MIT OR GPL-3.0-only")
    assert fits("MIT", "MIT OR GPL-3.0-only")
    assert fits("GPL-3.0-only", "MIT AND GPL-3.0-only")


def test_an_exception_does_not_change_the_licence_judged() -> None:
    assert fits("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-or-later")
    assert not fits("GPL-2.0-only WITH Classpath-exception-2.0", "MPL-2.0")


def test_documentation_licences_fit_documentation_whatever_the_code_licence() -> None:
    assert judge("CC-BY-SA-4.0", "MPL-2.0").fit is Fit.CONFLICT
    assert judge("CC-BY-SA-4.0", "MPL-2.0", documentation=["CC-BY-SA-4.0"]).fit is Fit.FITS
    nc = judge(
        "CC-BY-NC-4.0",
        "MPL-2.0",
        documentation=["CC-BY-SA-4.0"],
        denied_categories=OS2_DENIED_CATEGORIES,
    )
    assert nc.fit is Fit.DENIED


def test_without_a_declared_licence_only_what_fits_nothing_is_reported() -> None:
    assert judge("GPL-3.0-only", None).fit is Fit.FITS
    assert judge("LicenseRef-scancode-commercial-license", None).fit is Fit.CONFLICT
    assert judge("LicenseRef-scancode-unknown", None).fit is Fit.REVIEW


def test_an_unparseable_expression_needs_review() -> None:
    assert judge("MIT AND (", "MPL-2.0").fit is Fit.REVIEW


def test_the_table_names_only_licences_scancode_knows() -> None:
    table = load_table()
    assert "GPL-3.0-only" in table.inbound
    assert table.categories["Copyleft"] == "listed"
    assert table.categories["Permissive"] == "fits"
