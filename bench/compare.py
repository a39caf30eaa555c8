"""Compare the per-file licence expressions of os2scan and of the scancode command.

Both sides are SPDX expressions. They are compared after normalising with license-expression:
parsed, nested AND/OR flattened, duplicate arguments removed and the arguments sorted, so "MIT
AND BSD-3-Clause" equals "BSD-3-Clause AND MIT AND MIT". Unlike boolean simplification this
never absorbs a term ("MIT AND (MIT OR Apache-2.0)" stays different from "MIT").

Only what was detected in the file counts on the os2scan side: a file whose licence was
inherited from the repository's declared licence is a file with no detection, as it is for
scancode.

Two views of os2scan's side are compared. `detected` is what its detector found in the file:
the file's own licence and the licences it named as mentions (a licence name in a docstring,
a string or a data file, which os2scan keeps beside the file's licence instead of counting it
as a grant; see docs/components.md). That is what the scancode command's per-file expression
holds, and the agreement target is measured on it. `granted` leaves the mentions out: it is
what os2scan's reports say of the file, and it is given as information.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commoncode.text import toascii
from license_expression import ExpressionError, Licensing

from scanner.kernel.models import FileFinding, LicenseSource
from scanner.kernel.ownership import clean_holders, holder_key

_licensing = Licensing()

#: Sources of a file's licence that come from the file itself.
OWN_SOURCES = {LicenseSource.HEADER, LicenseSource.DETECTED}


def normalise(expression: str | None) -> str | None:
    if not expression or not expression.strip():
        return None
    try:
        parsed = _licensing.parse(expression, simple=True)
    except ExpressionError:
        return " ".join(expression.split())
    if parsed is None:
        return None
    return _canonical(parsed)


def _canonical(node: object) -> str:
    args = getattr(node, "args", None)
    operator = getattr(node, "operator", None)
    if not args or not operator:
        return str(node)
    flat: list[object] = []
    for arg in args:
        # A nested operation of the same kind joins its parent: (A AND B) AND C = A AND B AND C.
        if getattr(arg, "operator", None) == operator and getattr(arg, "args", None):
            flat.extend(arg.args)  # type: ignore[attr-defined]
        else:
            flat.append(arg)
    parts = sorted({_canonical_arg(a) for a in flat})
    return parts[0] if len(parts) == 1 else f" {operator.strip()} ".join(parts)


def _canonical_arg(node: object) -> str:
    text = _canonical(node)
    return f"({text})" if getattr(node, "args", None) and " " in text else text


def _scancode_files(json_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path relative to the scanned folder, entry) for each file in the scancode command's
    JSON output."""
    data = json.loads(json_path.read_text(encoding="utf-8"))
    for entry in data.get("files", ()):
        if entry.get("type") == "file":
            path = entry["path"].split("/", 1)[1] if "/" in entry["path"] else entry["path"]
            yield path, entry


def scancode_expressions(json_path: Path) -> dict[str, str | None]:
    """path (relative to the scanned folder) -> detected_license_expression_spdx, files only."""
    return {
        path: entry.get("detected_license_expression_spdx")
        for path, entry in _scancode_files(json_path)
    }


def scancode_errors(json_path: Path) -> dict[str, str]:
    """path -> the first scan error scancode recorded for it (a timeout, mostly)."""
    return {
        path: " ".join(str(entry["scan_errors"][0]).split())[:120]
        for path, entry in _scancode_files(json_path)
        if entry.get("scan_errors")
    }


def scancode_copyrights(json_path: Path) -> dict[str, tuple[str, ...]]:
    return {
        path: tuple(sorted({c["copyright"] for c in entry.get("copyrights", ())}))
        for path, entry in _scancode_files(json_path)
    }


def scancode_holders(json_path: Path) -> dict[str, tuple[str, ...]]:
    """path -> the scancode command's holders, cleaned the way os2scan cleans every holder
    (years, contact details and a trailing SPDX tag cut; spellings differing in case merged)."""
    return {
        path: tuple(sorted(clean_holders(h["holder"] for h in entry.get("holders", ()))))
        for path, entry in _scancode_files(json_path)
    }


def compare_holders(
    ours: dict[str, FileFinding], theirs: dict[str, tuple[str, ...]]
) -> tuple[int, int, list[str]]:
    """(files, files with the same holders, differing paths); holders compared without regard
    to accents, since the scancode command writes "Kobenhavns" for "Københavns"."""
    paths = sorted(set(ours) | set(theirs))

    def plain(names: tuple[str, ...]) -> tuple[str, ...]:
        # The transliteration scancode applies itself ("ø" -> "o"), then os2scan's holder key.
        return tuple(sorted(holder_key(toascii(n, translit=True)) for n in names))

    differing = [
        p
        for p in paths
        if plain(tuple(clean_holders(ours[p].holders)) if p in ours else ())
        != plain(theirs.get(p, ()))
    ]
    return len(paths), len(paths) - len(differing), differing


def os2scan_expression(finding: FileFinding) -> str | None:
    """The licence os2scan gives the file from the file itself (None for inherited or none)."""
    if finding.license_source in OWN_SOURCES:
        return finding.license_expression
    return None


def os2scan_detected(finding: FileFinding) -> str | None:
    """Everything os2scan's detector found in the file: its own licence and its mentions."""
    parts = [os2scan_expression(finding)]
    parts += [d.expression for d in finding.detections if d.mention]
    present = [f"({p})" for p in parts if p]
    return " AND ".join(present) or None


@dataclass(frozen=True)
class Disagreement:
    path: str
    os2scan: str | None
    scancode: str | None
    note: str = ""


@dataclass(frozen=True)
class Agreement:
    files: int
    agreeing: int
    disagreements: tuple[Disagreement, ...]
    with_license: int  # files where scancode found a licence

    @property
    def share(self) -> float:
        return self.agreeing / self.files if self.files else 0.0


def compare(
    ours: dict[str, FileFinding],
    theirs: dict[str, str | None],
    view: Callable[[FileFinding], str | None] = os2scan_detected,
) -> Agreement:
    """Per-file agreement of `view` of os2scan's findings with the scancode command's."""
    paths = sorted(set(ours) | set(theirs))
    agreeing = 0
    disagreements = []
    for path in paths:
        finding = ours.get(path)
        mine = normalise(view(finding)) if finding else None
        other = normalise(theirs.get(path))
        if mine == other:
            agreeing += 1
            continue
        note = ""
        if finding is None:
            note = "not in os2scan's inventory"
        elif path not in theirs:
            note = "not in scancode's output"
        elif finding.skipped:
            note = f"os2scan skipped it: {finding.skipped}"
        disagreements.append(Disagreement(path, mine, other, note))
    return Agreement(
        files=len(paths),
        agreeing=agreeing,
        disagreements=tuple(disagreements),
        with_license=sum(1 for v in theirs.values() if normalise(v)),
    )


def compare_copyrights(
    ours: dict[str, FileFinding], theirs: dict[str, tuple[str, ...]]
) -> tuple[int, int, list[str]]:
    """(files, files with the same set of copyright statements, differing paths)."""
    paths = sorted(set(ours) | set(theirs))
    differing = [
        p
        for p in paths
        if tuple(sorted(set(ours[p].copyrights if p in ours else ()))) != theirs.get(p, ())
    ]
    return len(paths), len(paths) - len(differing), differing
