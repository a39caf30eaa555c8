# Copyright (c) 2022 Vendor Consulting ApS. All rights reserved.
# Proprietary and confidential. Unauthorized copying of this file is strictly prohibited.
"""Billing integration delivered by a vendor."""


def invoice_total(lines: list[tuple[str, float]]) -> float:
    return round(sum(amount for _, amount in lines), 2)
