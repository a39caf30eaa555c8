# SPDX-FileCopyrightText: 2023 Aarhus Kommune
# SPDX-License-Identifier: MPL-2.0
"""Citizen self-service API."""
