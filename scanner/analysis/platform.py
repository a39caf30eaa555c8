"""The forge's own licence detection (GitHub's and GitLab's) as one more declared source.

The collector only records what the forge said (`ForgeMetadata.platform_license`); judging it
is the analysis stage's job, with the same licence knowledge as every other declaration.
"""

from __future__ import annotations

from scanner.kernel.licenses import normalise
from scanner.kernel.models import DeclaredSource, ForgeMetadata

_PLATFORM_NAMES = {"github": "GitHub", "gitlab": "GitLab"}
_NO_LICENSE = frozenset({"noassertion", "other", "none", ""})


def platform_declaration(metadata: ForgeMetadata | None) -> DeclaredSource | None:
    """The forge's own licence detection as one more declared source, so the consistency
    check says where the forge agrees with the repository's own declarations and where not.

    None when the forge detected nothing usable (GitHub's NOASSERTION or "other").
    """
    if metadata is None or metadata.platform_license is None:
        return None
    raw = metadata.platform_license.strip()
    if raw.lower() in _NO_LICENSE:
        return None
    expression = normalise(raw)
    if expression is None:
        return None
    name = _PLATFORM_NAMES.get(metadata.platform, metadata.platform)
    return DeclaredSource(
        source=f"{name} licence detection", path="", expression=expression, raw=raw
    )
