"""From what metadata says to SPDX ids and holders, in one place for every reader.

Licence statements in metadata are SPDX ids, licence names, licence URLs (Creative Commons,
the OFL's, Apache's) or a sentence that names one. They are mapped, in this order: a Creative
Commons URL by its path, a known licence URL, the licence knowledge of `scanner.analysis
.licenses` (ids, names, scancode's short rules), and last the detector itself on the text.
Copyright statements give their holder through the same holder cleaning the rest of the scan
uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from scanner.kernel import licenses, ownership
from scanner.kernel.models import Evidence, EvidenceKind, FileDetections

#: Runs the scan's detector on a small text or inner file: (file name, bytes) -> detections.
TextDetector = Callable[[str, bytes], FileDetections]

#: Longest statement value kept as evidence.
MAX_VALUE = 500

_CC_URL = re.compile(
    r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)", re.IGNORECASE
)
#: A web address in parentheses after a name: "The Fjord Foundry (https://fjord.example)".
_PAREN_URL = re.compile(r"\s*\((?:https?://|www\.)[^()]*\)")
_URL = re.compile(r"https?://[^\s<>\"')]+", re.IGNORECASE)

#: Licence URLs other than Creative Commons', by a fragment of the URL (lower-cased).
_KNOWN_URLS: tuple[tuple[str, str], ...] = (
    ("scripts.sil.org/ofl", "OFL-1.1"),
    ("openfontlicense.org", "OFL-1.1"),
    ("apache.org/licenses/license-2.0", "Apache-2.0"),
    ("ubuntu.com/legal/terms-and-policies/font-licence", "Ubuntu-font-1.0"),
    ("font.ubuntu.com/licence", "Ubuntu-font-1.0"),
    ("mozilla.org/mpl/2.0", "MPL-2.0"),
    ("gnu.org/licenses/gpl-3.0", "GPL-3.0-only"),
    ("opensource.org/licenses/mit", "MIT"),
)


def creative_commons_id(url: str) -> str | None:
    """The SPDX id of a Creative Commons licence or dedication URL, e.g.
    https://creativecommons.org/licenses/by-sa/4.0/ -> CC-BY-SA-4.0."""
    match = _CC_URL.search(url)
    if match is None:
        return None
    family, name, version = match.group(1).lower(), match.group(2).lower(), match.group(3)
    if family == "publicdomain":
        return "CC0-1.0" if name == "zero" else None
    candidate = f"CC-{name.upper()}-{version}"
    return candidate if licenses.is_known_id(candidate) else None


def licence_from_url(url: str) -> str | None:
    """The SPDX id a licence URL stands for, None when it is not one we know."""
    found = creative_commons_id(url)
    if found:
        return found
    lowered = url.lower()
    for fragment, spdx in _KNOWN_URLS:
        if fragment in lowered:
            return spdx
    return None


def licence_from_statement(text: str, detect: TextDetector | None = None) -> str | None:
    """The SPDX expression a licence statement (an id, a name, a URL, a sentence) makes."""
    text = text.strip()
    if not text:
        return None
    for url in _URL.findall(text):
        found = licence_from_url(url)
        if found:
            return found
    found = licence_from_url(text) if "/" in text else None
    found = found or licenses.normalise(text)
    if found:
        return found
    if detect is not None:
        detected = detect("licence-statement.txt", text.encode("utf-8"))
        return detected.license_expression
    return None


def holder_from_copyright(statement: str) -> str | None:
    """The holder a copyright statement names, cleaned like every other holder."""
    holder = ownership.holder_from_statement(_PAREN_URL.sub("", statement))
    if holder is None:
        return None
    cleaned = ownership.clean_holders([holder])
    return cleaned[0] if cleaned else None


def clip(value: str) -> str:
    """A metadata value as evidence: whitespace collapsed, control characters dropped."""
    text = " ".join(str(value).split())
    return "".join(ch for ch in text if ch.isprintable())[:MAX_VALUE]


def licence_evidence(field: str, value: str, detect: TextDetector | None = None) -> Evidence:
    value = clip(value)
    return Evidence(
        EvidenceKind.LICENSE, field, value, expression=licence_from_statement(value, detect)
    )


def copyright_evidence(field: str, value: str) -> Evidence:
    value = clip(value)
    return Evidence(EvidenceKind.COPYRIGHT, field, value, holder=holder_from_copyright(value))


def conclude(evidence: Iterable[Evidence]) -> tuple[str | None, tuple[str, ...]]:
    """(licence expression, holders) that LICENSE and COPYRIGHT evidence support together.

    Several licence statements that agree give one id; different ones are joined with AND
    (each applies as far as anyone can tell); creators and organisations are left out.
    """
    items = list(evidence)
    expressions = list(
        dict.fromkeys(
            e.expression for e in items if e.kind is EvidenceKind.LICENSE and e.expression
        )
    )
    expression = None
    if expressions:
        joined = " AND ".join(f"({x})" if " " in x else x for x in expressions)
        expression = licenses.simplify(joined) or joined
    holders = ownership.clean_holders(
        e.holder for e in items if e.kind is EvidenceKind.COPYRIGHT and e.holder
    )
    return expression, holders
