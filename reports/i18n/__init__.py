"""Every visible string of the reports, in Danish and English, from one catalogue.

`catalogue.yaml` maps a key to its text per language; texts may hold `{name}` fields. A key
missing from the catalogue is a programming error (KeyError), so tests catch it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("da", "en")


@cache
def _catalogue() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("catalogue.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return {str(k): {str(lang): str(v) for lang, v in entry.items()} for k, entry in data.items()}


def keys() -> list[str]:
    return list(_catalogue())


def default_language(policy_name: str) -> str:
    """Danish for the OS2 policy (and policies extending it by name), English otherwise."""
    return "da" if policy_name.lower().startswith("os2") else "en"


class Catalogue:
    """The texts of one language: `t("status.compliant")`, `t("text.glance", n=3)`."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang

    def __call__(self, key: str, **fields: Any) -> str:
        text = _catalogue()[key][self.lang]
        return text.format(**fields) if fields else text

    def get(self, key: str, default: str) -> str:
        entry = _catalogue().get(key)
        return entry[self.lang] if entry else default
