"""Write a report folder: the one place that turns renderers' text and bytes into files.

`os2scan scan --out DIR` and `os2scan report --out DIR` both call `write_reports`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

import pandas as pd

from reports.governance import governance_frame
from reports.i18n import LANGUAGES, Catalogue, default_language
from reports.links import SiteLinks
from reports.render import DEFAULT_REPORT_FORMATS, RENDERERS, OutputFormat
from reports.summary import Summary, summarise
from scanner.kernel.errors import InputError
from scanner.kernel.models import ScanResult


@dataclass
class Report:
    """What every renderer of a report folder reads: the scan, its summary and the language."""

    result: ScanResult
    previous: ScanResult | None = None
    lang: str = "en"
    history: Sequence[ScanResult] = field(default_factory=tuple)

    @cached_property
    def summary(self) -> Summary:
        return summarise(self.result, self.previous, self.history)

    @cached_property
    def governance(self) -> pd.DataFrame:
        return governance_frame(self.summary.repositories)

    @cached_property
    def t(self) -> Catalogue:
        return Catalogue(self.lang)

    @cached_property
    def links(self) -> SiteLinks:
        repositories = self.summary.repositories
        return SiteLinks.of(
            zip(repositories["product"], repositories["repository"], strict=True),
            self.summary.products["product"],
        )

    def product_records(self) -> list[dict[str, object]]:
        return self.summary.product_records()


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
    if language not in LANGUAGES:
        raise InputError(f"unknown language {language!r} (choose from {', '.join(LANGUAGES)})")
    report = Report(result=result, previous=previous, lang=language, history=history)
    outputs: dict[str, str | bytes] = {}
    for fmt in dict.fromkeys(chosen):
        outputs.update(RENDERERS[fmt](report))
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
