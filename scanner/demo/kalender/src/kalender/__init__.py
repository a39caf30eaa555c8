# SPDX-FileCopyrightText: 2024 OS2 - Offentligt Digitaliseringsfællesskab
# SPDX-License-Identifier: MPL-2.0
"""Booking calendar for citizen appointments."""

from kalender.slots import free_slots

__all__ = ["free_slots"]
