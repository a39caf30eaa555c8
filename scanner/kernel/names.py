"""Names that stay apart: slugs for files and URLs, and repository names unique in a product.

A slug keeps only lower-case letters and digits (runs of anything else become one dash), so
"x y", "x-y" and "x/y" all become "x-y". Where two different names would share a slug, each
of them gets a short hash of its full name appended ("x-y-1f3a9c2e"): the result depends only
on the names themselves, so the same portfolio gives the same file names and URLs on every scan,
and two products or repositories can never write over each other's pages, badges or SPDX
documents. Slugs hold no dots, so "<slug>.json" can never be another slug's folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
HASH_LENGTH = 8


def short_hash(text: str) -> str:
    """The first hex digits of the SHA-256 of `text`: stable across runs and machines."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def slug(text: str) -> str:
    """A name safe in a file name, a URL and an SPDX id: lower-case letters, digits, dashes."""
    return _NOT_SLUG.sub("-", text.lower()).strip("-") or "x"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A slug for each distinct name, with a hash of the name added wherever slugs collide."""
    distinct = list(dict.fromkeys(names))
    by_slug: dict[str, list[str]] = {}
    for name in distinct:
        by_slug.setdefault(slug(name), []).append(name)
    result: dict[str, str] = {}
    for plain, group in by_slug.items():
        for name in group:
            result[name] = plain if len(group) == 1 else f"{plain}-{short_hash(name)}"
    taken: dict[str, str] = {}
    for name in distinct:
        other = taken.get(result[name])
        if other is not None:  # a hashed slug met a name that is spelt like one: hash both
            result[other] = f"{slug(other)}-{short_hash(other)}"
            result[name] = f"{slug(name)}-{short_hash(name)}"
        taken[result[name]] = name
    return result


def qualified_name(name: str, identity: str) -> str:
    """`name` made distinct from another repository of the same name in the same product."""
    return f"{name}-{short_hash(identity)}"
