# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab
# SPDX-License-Identifier: MPL-2.0
"""Free appointment slots between opening hours."""

from datetime import datetime, timedelta


def free_slots(opens: datetime, closes: datetime, booked: set[datetime], minutes: int = 30):
    """Every slot start between `opens` and `closes` that is not booked."""
    slot = opens
    while slot + timedelta(minutes=minutes) <= closes:
        if slot not in booked:
            yield slot
        slot += timedelta(minutes=minutes)
