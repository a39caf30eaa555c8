"""Output formats: an enum and a registry from each format to its renderer.

Two kinds of renderer share the registry:

- *document* formats (text, json, sarif, codequality, markdown) render one document from a
  `ScanResult`; `os2scan check` prints them with `render_document(fmt, result) -> str`;
- every format, documents included, also renders the named files it contributes to a report
  folder: `RENDERERS[fmt](report) -> {relative path: str | bytes}`, where `report` is a
  `reports.site.Report` (the scan, the previous scan, the language, the pandas frames).

Renderers only return text or bytes; `reports.write_reports` and the CLI write the files.
Renderer modules are imported on first use, so `check --format json` never imports pandas or
matplotlib.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scanner.kernel.errors import InputError

if TYPE_CHECKING:
    from scanner.kernel.models import ScanResult

Outputs = dict[str, str | bytes]


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    CODEQUALITY = "codequality"
    MARKDOWN = "markdown"
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"
    SPDX = "spdx"
    BADGES = "badges"

    @classmethod
    def parse(cls, value: str) -> OutputFormat:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(f.value for f in cls)
            raise InputError(f"unknown format {value!r} (choose from {names})") from None


#: Formats that are one document and can go to stdout (`check --format`).
DOCUMENT_FORMATS = (
    OutputFormat.TEXT,
    OutputFormat.JSON,
    OutputFormat.SARIF,
    OutputFormat.CODEQUALITY,
    OutputFormat.MARKDOWN,
)

#: What `scan --out` and `report` write when no --format is given (docs/architecture.md).
DEFAULT_REPORT_FORMATS = (
    OutputFormat.HTML,
    OutputFormat.MARKDOWN,
    OutputFormat.JSON,
    OutputFormat.XLSX,
    OutputFormat.CSV,
    OutputFormat.SPDX,
    OutputFormat.BADGES,
)

# format -> (module, function) rendering one document from a ScanResult
_DOCUMENTS: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.TEXT: ("reports.render.text", "render_text"),
    OutputFormat.JSON: ("reports.render.json", "render_json"),
    OutputFormat.SARIF: ("reports.render.sarif", "render_sarif"),
    OutputFormat.CODEQUALITY: ("reports.render.codequality", "render_codequality"),
    OutputFormat.MARKDOWN: ("reports.render.markdown", "render_markdown_result"),
}

# format -> (module, function) rendering the files of a report folder from a Report
_FILES: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.TEXT: ("reports.render.text", "text_files"),
    OutputFormat.JSON: ("reports.render.json", "json_files"),
    OutputFormat.SARIF: ("reports.render.ci", "sarif_files"),
    OutputFormat.CODEQUALITY: ("reports.render.ci", "codequality_files"),
    OutputFormat.MARKDOWN: ("reports.render.markdown", "markdown_files"),
    OutputFormat.HTML: ("reports.render.html", "html_files"),
    OutputFormat.CSV: ("reports.render.csv", "csv_files"),
    OutputFormat.XLSX: ("reports.render.xlsx", "xlsx_files"),
    OutputFormat.SPDX: ("reports.render.spdx", "spdx_files"),
    OutputFormat.BADGES: ("reports.render.badges", "badge_files"),
}


def _load(target: tuple[str, str], fmt: OutputFormat) -> Callable[..., Any]:
    module_name, function = target
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise InputError(f"the {fmt.value} format is not available in this build") from None
    return getattr(module, function)  # type: ignore[no-any-return]


def document_renderer(fmt: OutputFormat) -> Callable[[ScanResult], str]:
    """The function rendering `fmt` as one document from a ScanResult."""
    if fmt not in _DOCUMENTS:
        raise InputError(f"the {fmt.value} format writes a folder, not one document")
    return _load(_DOCUMENTS[fmt], fmt)


def render_document(fmt: OutputFormat | str, result: ScanResult) -> str:
    """Render one document (text, json, sarif, codequality, markdown) of a scan."""
    fmt = OutputFormat.parse(fmt) if isinstance(fmt, str) else fmt
    return document_renderer(fmt)(result)


class _LazyRenderer:
    """A registry entry: imports its module when first called."""

    def __init__(self, fmt: OutputFormat, target: tuple[str, str]) -> None:
        self.fmt = fmt
        self.target = target

    def __call__(self, report: Any) -> Outputs:
        return _load(self.target, self.fmt)(report)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<renderer {self.fmt.value}: {self.target[0]}.{self.target[1]}>"


#: Every format and the renderer of the files it writes into a report folder.
RENDERERS: dict[OutputFormat, Callable[[Any], Outputs]] = {
    fmt: _LazyRenderer(fmt, target) for fmt, target in _FILES.items()
}
