"""Reading the small files that declare a licence: bounded, never through a symlink.

Manifests, publiccode.yml, REUSE.toml, dep5 and `.license` sidecars are small; a file larger
than MAX_DECLARATION_BYTES is refused rather than read whole, and a link is never followed (it may
point out of the checkout). A parse failure becomes one line of text on the DeclaredSource, never
an exception.
"""

from __future__ import annotations

import os
from pathlib import Path

from scanner.kernel.limits import MAX_DECLARATION_BYTES

# Manifests and other declaration files are small; anything larger is not read whole.


def read_small_text(path: Path) -> str:
    if path.is_symlink():  # may point outside the checkout: never followed
        raise ValueError("is a symbolic link")
    if os.path.realpath(path.parent) != os.path.abspath(path.parent):
        raise ValueError("lies in a symbolically linked folder")  # checkouts are resolved paths
    with path.open("rb") as handle:
        data = handle.read(MAX_DECLARATION_BYTES + 1)
    if len(data) > MAX_DECLARATION_BYTES:
        raise ValueError(f"larger than {MAX_DECLARATION_BYTES} bytes")
    return data.decode("utf-8", errors="replace")


def parse_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"cannot be parsed: {text}"[:300]
