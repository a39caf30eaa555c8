# SPDX-FileCopyrightText: 2021 Some Contributor
# SPDX-License-Identifier: GPL-3.0-only
"""Address formatting copied from a GPL-3.0 project: does not fit an MPL-2.0 product."""


def format_address(street: str, number: str, postcode: str, city: str) -> str:
    return f"{street} {number}, {postcode} {city}"
