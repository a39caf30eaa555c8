"""Write a report folder: the one place that turns renderers' text and bytes into files.

`os2scan scan --out DIR` and `os2scan report --out DIR` both call `write_reports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from reports.i18n import default_language
from reports.render import DEFAULT_REPORT_FORMATS, OutputFormat, render_folder
from reports.report import Report
from scanner.kernel.errors import InputError
from scanner.kernel.models import ScanResult
from scanner.kernel.timing import timed


def _safe_relative(name: str) -> PurePosixPath:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"a renderer produced an unsafe file name: {name}")
    return relative


def write_reports(
    result: ScanResult,
    previous: ScanResult | None,
    out_dir: Path | str,
    formats: Iterable[OutputFormat | str] | None = None,
    lang: str | None = None,
    history: Sequence[ScanResult] = (),
) -> list[Path]:
    """Render `formats` (default: every report format) of a scan into `out_dir`.

    `previous` is the scan before (for the changes), `history` the older scans of the same
    portfolio (for the trend chart). `lang` defaults to Danish for the OS2 policy and English
    otherwise. Returns the paths written, in order.
    """
    chosen = [
        OutputFormat.parse(f) if isinstance(f, str) else f
        for f in (formats if formats is not None else DEFAULT_REPORT_FORMATS)
    ]
    language = lang or default_language(result.policy_name)
    report = Report(result=result, previous=previous, lang=language, history=tuple(history))
    outputs: dict[str, str | bytes] = {}
    for fmt in dict.fromkeys(chosen):
        with timed("render", fmt.value):
            outputs.update(render_folder(fmt, report))
    root = Path(out_dir)
    written: list[Path] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name, content in outputs.items():
            target = root.joinpath(*_safe_relative(name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
            written.append(target)
    except OSError as exc:
        raise InputError(
            f"cannot write the reports: {exc.strerror or exc}", source=str(root)
        ) from exc
    return written
