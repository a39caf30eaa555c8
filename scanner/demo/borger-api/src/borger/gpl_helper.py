# SPDX-FileCopyrightText: 2021 Some Contributor
# SPDX-License-Identifier: GPL-3.0-only
"""Address formatting copied from another project."""


def format_address(street: str, number: str, postcode: str, city: str) -> str:
    return f"{street} {number}, {postcode} {city}"
