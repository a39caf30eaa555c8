"""Licence knowledge: normalisation, validation, categories, choices and openness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scanner.kernel import licenses
from scanner.kernel.ownership import clean_holders, holder_from_statement, is_placeholder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("MIT License", "MIT"),
        ("MPL 2.0", "MPL-2.0"),
        ("Mozilla Public License 2.0", "MPL-2.0"),
        ("GPLv3", "GPL-3.0-only"),
        ("GPLv3+", "GPL-3.0-or-later"),
        ("GPL-2.0+", "GPL-2.0-or-later"),
        ("gpl-2.0-plus", "GPL-2.0-or-later"),
        ("Apache License 2.0", "Apache-2.0"),
        ("Apache 2", "Apache-2.0"),
        ("EUPL 1.2", "EUPL-1.2"),
        ("eupl-1.2", "EUPL-1.2"),
        ("bsd-new", "BSD-3-Clause"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("GNU Affero General Public License v3", "AGPL-3.0-only"),
        ("License :: OSI Approved :: MIT License", "MIT"),
        ("License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"),
        ("License :: OSI Approved :: GNU General Public License v3 (GPLv3)", "GPL-3.0-only"),
        ("mit or apache-2.0", "MIT OR Apache-2.0"),
        ("Apache 2.0 or MIT", "Apache-2.0 OR MIT"),
        ("MIT/Apache-2.0", "MIT OR Apache-2.0"),
        ("gpl-2.0 with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("MPL-2.0 AND CC-BY-SA-4.0", "MPL-2.0 AND CC-BY-SA-4.0"),
        ("  'Unlicense' ", "Unlicense"),
        ("LicenseRef-MyCompany", "LicenseRef-MyCompany"),
    ],
)
def test_normalise_gives_canonical_spdx(text: str, expected: str) -> None:
    assert licenses.normalise(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "hello world", "UNLICENSED", "x" * 400])
def test_normalise_returns_none_for_what_is_not_a_licence(text: str) -> None:
    assert licenses.normalise(text) is None


def test_validate_returns_errors_as_data() -> None:
    assert licenses.validate("MIT OR Apache-2.0") == []
    assert licenses.validate("gpl-2.0-plus AND bsd-new") == []  # scancode keys are valid too
    unknown = licenses.validate("MIT OR Foo-1.0")
    assert len(unknown) == 1
    assert "Foo-1.0" in unknown[0]
    assert licenses.validate("MIT OR")
    assert "MIT OR" in licenses.validate("MIT OR")[0]
    assert licenses.validate("GPL-2.0-only WITH MIT")  # MIT is not an exception
    assert licenses.validate("") == ["empty licence expression"]


def test_is_known_id_accepts_spdx_ids_scancode_keys_and_scancode_refs() -> None:
    for known in (
        "MIT",
        "GPL-2.0+",
        "GPL-3.0-only",
        "bsd-new",
        "LicenseRef-scancode-public-domain",
    ):
        assert licenses.is_known_id(known), known
    for unknown in ("Foo-1.0", "LicenseRef-MyCompany", ""):
        assert not licenses.is_known_id(unknown), unknown


@pytest.mark.parametrize(
    ("identifier", "category", "osi", "open_"),
    [
        ("MIT", "Permissive", True, True),
        ("GPL-3.0-only", "Copyleft", True, True),
        ("LGPL-2.1", "Copyleft Limited", True, True),
        ("MPL-2.0", "Copyleft Limited", True, True),
        ("CC-BY-SA-4.0", "Copyleft Limited", False, True),  # FSF free, not OSI
        ("CC0-1.0", "Public Domain", False, True),
        ("CC-BY-NC-4.0", "Source-available", False, False),
        ("LicenseRef-scancode-proprietary-license", "Commercial", False, False),
    ],
)
def test_license_info_categories_and_flags(
    identifier: str, category: str, osi: bool, open_: bool
) -> None:
    info = licenses.license_info(identifier)
    assert info.category == category
    assert info.is_osi_approved is osi
    assert info.is_open is open_
    assert not info.is_unknown


def test_license_info_resolves_scancode_keys_and_old_ids() -> None:
    info = licenses.license_info("gpl-3.0")
    assert (info.key, info.spdx_id) == ("gpl-3.0", "GPL-3.0-only")
    assert licenses.license_info("GPL-2.0+").spdx_id == "GPL-2.0-or-later"
    assert licenses.license_info("CC-BY-SA-4.0").is_fsf_free


def test_license_info_marks_unknowns_and_exceptions() -> None:
    assert licenses.license_info("LicenseRef-scancode-unknown-license-reference").is_unknown
    assert licenses.license_info("unknown").is_unknown
    custom = licenses.license_info("LicenseRef-MyCompany")
    assert custom.is_unknown
    assert custom.category == licenses.UNKNOWN_CATEGORY
    assert licenses.license_info("Classpath-exception-2.0").is_exception
    assert not licenses.license_info("MIT").is_exception


def test_choices_is_the_disjunctive_normal_form() -> None:
    assert licenses.choices("MIT OR GPL-2.0-only") == [
        frozenset({"MIT"}),
        frozenset({"GPL-2.0-only"}),
    ]
    assert licenses.choices("Apache-2.0 AND BSD-3-Clause") == [
        frozenset({"Apache-2.0", "BSD-3-Clause"})
    ]
    assert licenses.choices("(MIT OR GPL-2.0-only) AND Apache-2.0") == [
        frozenset({"MIT", "Apache-2.0"}),
        frozenset({"GPL-2.0-only", "Apache-2.0"}),
    ]
    assert licenses.choices("GPL-2.0-only WITH Classpath-exception-2.0 OR MIT") == [
        frozenset({"GPL-2.0-only WITH Classpath-exception-2.0"}),
        frozenset({"MIT"}),
    ]
    assert licenses.choices("MIT OR") == []
    assert licenses.choices(None) == []


def test_license_keys_lists_each_symbol_once() -> None:
    keys = licenses.license_keys("GPL-2.0-only WITH Classpath-exception-2.0 OR (MIT AND MIT)")
    assert keys == ["GPL-2.0-only", "Classpath-exception-2.0", "MIT"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("MIT", True),
        ("CC0-1.0", True),
        ("Unlicense", True),
        ("CC-BY-SA-4.0", True),
        ("GPL-2.0-only WITH Classpath-exception-2.0", True),
        ("CC-BY-NC-4.0", False),
        ("CC-BY-NC-4.0 OR MIT", True),
        ("CC-BY-NC-4.0 AND MIT", False),
        ("LicenseRef-scancode-unknown-license-reference", False),
        ("LicenseRef-MyCompany", False),
        (None, False),
    ],
)
def test_is_open(expression: str | None, expected: bool) -> None:
    assert licenses.is_open(expression) is expected


def test_simplify_drops_repeats_and_unknown_references_beside_known_licences() -> None:
    assert licenses.simplify("MIT AND MIT") == "MIT"
    assert licenses.simplify("MIT AND LicenseRef-scancode-unknown-license-reference") == "MIT"
    alone = "LicenseRef-scancode-unknown-license-reference"
    assert licenses.simplify(alone) == alone


def test_ignorable_holders_come_from_the_licence_data() -> None:
    assert "free software foundation, inc." in licenses.ignorable_holders("GPL-3.0-only")
    assert licenses.ignorable_holders("MIT") == frozenset()


@pytest.mark.parametrize(
    "holder",
    [
        "[name of copyright owner]",
        "<copyright holders>",
        "{yyyy} {name of copyright owner}",
        "[yyyy] [name]",
        "<year> <name>",
        "the copyright holder(s)",
        "<OWNER>",
        "The Authors",
        "Copyright (C) <year> <name of author>",
        "name of copyright owner",
        "YEAR NAME",
        "copyright holders and contributors",
        "",
    ],
)
def test_placeholders(holder: str) -> None:
    assert is_placeholder(holder)


@pytest.mark.parametrize(
    "holder",
    ["Magenta ApS", "Magenta ApS <info@magenta.dk>", "The Go Authors", "Aarhus Kommune", "OS2"],
)
def test_real_holders_are_not_placeholders(holder: str) -> None:
    assert not is_placeholder(holder)


def test_clean_holders_deduplicates_case_insensitively_and_drops_placeholders() -> None:
    holders = ["Magenta ApS", "magenta aps", "MAGENTA ApS.", "<OWNER>", "Aarhus Kommune"]
    assert clean_holders(holders) == ("Magenta ApS", "Aarhus Kommune")


def test_holder_from_statement() -> None:
    statement = "SPDX-FileCopyrightText: 2019-2023 Magenta ApS <info@magenta.dk>"
    assert holder_from_statement(statement) == "Magenta ApS"
    assert holder_from_statement(
        "Copyright (c) 2020, 2021 Aarhus Kommune. All rights reserved."
    ) == ("Aarhus Kommune")
    assert holder_from_statement("Copyright [yyyy] [name of copyright owner]") is None


def test_a_holder_is_read_without_the_markup_around_it() -> None:
    marked = "Foto*Nord* | <b>Nordlys Billeder ApS</b> 2021"
    assert clean_holders([holder_from_statement(marked) or ""]) == (
        "FotoNord | Nordlys Billeder ApS",
    )
    assert holder_from_statement("(c) 2020 __Magenta__ ApS") == "Magenta ApS"
    assert holder_from_statement('<a href="https://x.example">Aarhus Kommune</a>') == (
        "Aarhus Kommune"
    )
    assert holder_from_statement("Copyright 2020 jane_roe_dk") == "jane_roe_dk"  # no emphasis
    assert holder_from_statement("Copyright (c) <YEAR>, <OWNER>") is None  # fields, not tags
    assert holder_from_statement("Copyright <b><name of author></b>") is None


_WORDS = st.sampled_from(
    ["MIT", "OR", "AND", "WITH", "(", ")", "GPL", "v3", "+", "/", "Apache", "2.0", "License",
     "::", "LicenseRef-x", "classpath-exception-2.0", "or", "and", "", "é", "\n", "<", ">"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_WORDS, max_size=8).map(" ".join)))
def test_any_text_gives_an_answer_never_an_exception(text: str) -> None:
    normalised = licenses.normalise(text)
    if normalised is not None:
        assert licenses.choices(normalised)
        assert licenses.normalise(normalised) == normalised
    assert isinstance(licenses.validate(text), list)
    licenses.choices(text)
    licenses.is_open(text)
    licenses.license_info(text or "x")


@pytest.mark.parametrize(
    ("written", "holder"),
    [
        ("Magenta ApS.", "Magenta ApS"),
        ("Aarhus Kommune.", "Aarhus Kommune"),
        ("Acme Inc.", "Acme Inc."),
        ("Foo Ltd.", "Foo Ltd."),
        ("Verein e.V.", "Verein e.V."),
        ("Jane R.", "Jane R."),
    ],
)
def test_a_closing_full_stop_is_not_part_of_the_holder_but_an_abbreviation_keeps_its_dot(
    written: str, holder: str
) -> None:
    assert clean_holders([written]) == (holder,)


def test_a_single_licence_id_is_read_as_the_full_licensing_reads_it() -> None:
    """One id ("mit", "gpl-2.0-plus", "GPL-2.0+") is looked up without building the Licensing
    of every licence; for every id, alias and scancode key the answer is the Licensing's."""
    full = licenses.licensing()
    ids = {
        written
        for lic in licenses._database().values()
        for written in (lic.spdx_license_key, lic.key, *lic.other_spdx_license_keys)
        if written and not lic.is_exception
    }
    assert len(ids) > 2000
    for written in sorted(ids):
        for text in (written, written.lower(), written.upper()):
            parsed = full.parse(text)
            assert str(licenses._parse(text)) == str(parsed), text
            assert licenses.normalise(text) == str(parsed), text
            assert licenses.simplify(text) == str(full.dedup(parsed)), text
            assert licenses.validate(text) == [], text
            assert licenses.license_keys(text) == [parsed.key], text
