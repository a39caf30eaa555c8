"""Baselines: accept today's violations and fail only on new ones, for gradual adoption.

A baseline file records the violations of one checkout as keys of rule, path and licence.
Line numbers are left out, so editing a file does not make its old violation new; the
repository name is left out too, because `os2scan check` names the repository after its
folder, which differs between a developer's clone and a CI runner's checkout. The file is
JSON, sorted and without duplicates, so it diffs well in review::

    {
      "os2scan_baseline": 1,
      "violations": [
        {"rule": "file-license-conflict", "path": "src/gpl_helper.py", "license": "GPL-3.0-only"},
        {"rule": "publiccode", "path": null, "license": null}
      ]
    }

Only violations that count are recorded: those covered by an active policy waiver are left
out, so when such a waiver expires its violation is new and fails. `apply_baseline` marks each
violation found in the baseline as waived by it (a `Waiver` whose reason names the file), so
every report still shows it, marked, and the exit code ignores it like any waived violation.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scanner.kernel.errors import InputError
from scanner.kernel.inputs import refuse_special
from scanner.kernel.models import VIOLATION_KEY_FIELDS, Violation, ViolationKey, Waiver

FORMAT_KEY = "os2scan_baseline"
FORMAT_VERSION = 1
_ENTRY_KEYS = VIOLATION_KEY_FIELDS


@dataclass(frozen=True)
class Baseline:
    """The violation keys a baseline file accepts, and the file's name for messages."""

    keys: frozenset[ViolationKey]
    source: str = ""

    def __contains__(self, v: object) -> bool:
        return isinstance(v, Violation) and v.key in self.keys

    def unused(self, violations: Iterable[Violation]) -> frozenset[ViolationKey]:
        """The recorded keys no current violation matches (fixed since the baseline)."""
        return self.keys - {v.key for v in violations}

    def stale_note(self, violations: Iterable[Violation]) -> str | None:
        """A line saying how many recorded violations are gone, or None when none is."""
        count = len(self.unused(violations))
        if not count:
            return None
        what = "entry no longer occurs" if count == 1 else "entries no longer occur"
        return f"{count} baseline {what}; `--write-baseline {self.source}` shrinks the baseline"


def baseline_keys(violations: Iterable[Violation]) -> list[ViolationKey]:
    """The sorted, distinct keys of the violations a baseline records (the unwaived ones)."""
    keys = {v.key for v in violations if not v.waived}
    return sorted(keys, key=lambda k: (k[1] or "", k[0], k[2] or ""))


def render_baseline(violations: Iterable[Violation]) -> str:
    """The baseline file's text: one entry per line inside a JSON object."""
    entries = [
        json.dumps(dict(zip(_ENTRY_KEYS, key, strict=True)), ensure_ascii=False)
        for key in baseline_keys(violations)
    ]
    body = ",\n    ".join(entries)
    violations_text = f"[\n    {body}\n  ]" if entries else "[]"
    return f'{{\n  "{FORMAT_KEY}": {FORMAT_VERSION},\n  "violations": {violations_text}\n}}\n'


def write_baseline(path: Path, violations: Iterable[Violation]) -> int:
    """Write the baseline of `violations` to `path`; returns how many keys it holds."""
    text = render_baseline(violations)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the baseline ({exc.strerror})", str(path)) from None
    return len(json.loads(text)["violations"])


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; raises InputError with the file and line when it is not valid."""
    source = str(path)
    refuse_special(path, "baseline")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("the baseline file does not exist", source) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise InputError(f"cannot read the baseline ({reason})", source) from None
    return parse_baseline(text, source)


def parse_baseline(text: str, source: str) -> Baseline:
    try:
        data = _LineDecoder().decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"the baseline is not valid JSON ({exc.msg})", source, exc.lineno
        ) from None
    except RecursionError:
        raise InputError("the baseline is nested too deeply", source) from None
    except _NumberTooLong as exc:
        raise InputError(str(exc), source, exc.line) from None
    version = data.get(FORMAT_KEY) if isinstance(data, _Object) else None
    if type(version) is not int or version != FORMAT_VERSION:
        raise InputError(
            f'not an os2scan baseline (expected an object with "{FORMAT_KEY}": {FORMAT_VERSION}, '
            "as `os2scan check --write-baseline` writes)",
            source,
            _line_of(data),
        )
    unknown = sorted(set(data) - {FORMAT_KEY, "violations"})
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} in the baseline", source, data.line)
    entries = data.get("violations")
    if not isinstance(entries, list):
        raise InputError('"violations" must be a list', source, data.line)
    return Baseline(frozenset(_entry_key(e, source) for e in entries), source)


def _entry_key(entry: Any, source: str) -> ViolationKey:
    if not isinstance(entry, _Object):
        raise InputError(
            'each baseline violation must be an object with "rule", "path" and "license"', source
        )
    unknown = sorted(set(entry) - set(_ENTRY_KEYS))
    if unknown:
        raise InputError(f"unknown key {unknown[0]!r} in a baseline violation", source, entry.line)
    rule = entry.get("rule")
    if not isinstance(rule, str) or not rule:
        raise InputError('a baseline violation needs a "rule" (a rule id)', source, entry.line)
    for name in ("path", "license"):
        if not isinstance(entry.get(name), str | None):
            raise InputError(f'"{name}" must be a string or null', source, entry.line)
    return ViolationKey(rule, entry.get("path"), entry.get("license"))


def apply_baseline(violations: Sequence[Violation], baseline: Baseline) -> tuple[Violation, ...]:
    """Mark the unwaived violations the baseline holds as waived by it; keep the rest as is."""
    name = Path(baseline.source).name or "the baseline"
    marked = []
    for v in violations:
        if not v.waived and v in baseline:
            reason = f"in the baseline {name}"
            if v.waiver is not None and v.waiver.expired:
                reason += f" (its policy waiver expired {v.waiver.expires})"
            v = replace(
                v, waiver=Waiver(rule=v.rule, repository=v.repository, path=v.path, reason=reason)
            )
        marked.append(v)
    return tuple(marked)


def without_own_files(
    violations: Sequence[Violation], root: Path, files: Iterable[Path | None]
) -> tuple[Violation, ...]:
    """Leave out violations about os2scan's own files inside the checkout at `root`.

    A baseline committed to the repository names licences, so scancode finds licence
    references in it; it is os2scan's record, not the project's content, and so are the
    reports `check --output` writes there."""
    own = set()
    for file in files:
        if file is None:
            continue
        try:
            own.add(file.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            continue  # outside the checkout
    return tuple(v for v in violations if v.path is None or v.path not in own)


class _Object(dict[str, Any]):
    """A JSON object that knows the line it starts on."""

    line: int | None = None


def _line_of(value: Any) -> int | None:
    return value.line if isinstance(value, _Object) else 1


#: The longest number a baseline may hold (its format version); longer is not a baseline.
MAX_NUMBER_DIGITS = 18


class _NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(f"the baseline holds a number of {digits} digits; it is not a baseline")
        self.line: int | None = None


def _bounded_int(text: str) -> int:
    """json's int(), refusing numbers long enough to cost time (or hit Python's digit limit)."""
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(len(text.lstrip("-")))
    return int(text)


class _LineDecoder(json.JSONDecoder):
    """json's decoder, with each object remembering its line (for error messages)."""

    def __init__(self) -> None:
        super().__init__(parse_int=_bounded_int)

        def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[_Object, int]:
            text, start = s_and_end
            pairs, end = json.decoder.JSONObject(s_and_end, *args)  # type: ignore[attr-defined]
            obj = _Object(pairs)
            obj.line = text.count("\n", 0, start) + 1
            return obj, end

        self.parse_object = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]
