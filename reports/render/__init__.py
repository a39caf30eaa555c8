"""Output formats: an enum, the two renderer protocols and the one registry joining them.

Every format renders the named files it contributes to a report folder from a typed
`reports.report.Report` (a `FolderRenderer`); the formats that are one document (text, json,
sarif, codequality, markdown, spdx, cyclonedx) also render that document from a `ScanResult`
alone (a `DocumentRenderer`), which is what `os2scan check --format` prints.

`REGISTRY` maps every `OutputFormat` to a `Registration` naming both functions; a test checks
that the enum and the registry agree and that each function satisfies its protocol, so a new
format is one enum member, one registry line and one module. Renderers only return text or
bytes; `reports.write.write_reports` and the CLI write the files. Renderer modules are imported
on first use, so `check --format json` never imports pandas or matplotlib.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Protocol, cast

from scanner.kernel.errors import InputError

if TYPE_CHECKING:
    from reports.report import Report
    from scanner.kernel.models import ScanResult

#: relative file name in the report folder -> its content
Outputs = dict[str, str | bytes]


class FolderRenderer(Protocol):
    """Renders the files one format contributes to a report folder."""

    def __call__(self, report: Report, /) -> Outputs: ...


class DocumentRenderer(Protocol):
    """Renders one format as a single document of a scan (what `check --format` prints)."""

    def __call__(self, result: ScanResult, /) -> str: ...


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
    CYCLONEDX = "cyclonedx"
    BADGES = "badges"

    @classmethod
    def parse(cls, value: str) -> OutputFormat:
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(f.value for f in cls)
            raise InputError(f"unknown format {value!r} (choose from {names})") from None


@dataclass(frozen=True)
class Registration:
    """Where a format's renderers live, as "module:function" (imported on first use)."""

    folder: str
    document: str | None = None


#: Every format and its renderers: the one place a format is registered.
REGISTRY: Mapping[OutputFormat, Registration] = MappingProxyType(
    {
        OutputFormat.TEXT: Registration(
            "reports.render.text:text_files", "reports.render.text:render_text"
        ),
        OutputFormat.JSON: Registration(
            "reports.render.json:json_files", "reports.render.json:render_json"
        ),
        OutputFormat.SARIF: Registration(
            "reports.render.sarif:sarif_files", "reports.render.sarif:render_sarif"
        ),
        OutputFormat.CODEQUALITY: Registration(
            "reports.render.codequality:codequality_files",
            "reports.render.codequality:render_codequality",
        ),
        OutputFormat.MARKDOWN: Registration(
            "reports.render.markdown:markdown_files",
            "reports.render.markdown:render_markdown_result",
        ),
        OutputFormat.HTML: Registration("reports.render.html:html_files"),
        OutputFormat.CSV: Registration("reports.render.csv:csv_files"),
        OutputFormat.XLSX: Registration("reports.render.xlsx:xlsx_files"),
        OutputFormat.SPDX: Registration(
            "reports.render.spdx:spdx_files", "reports.render.spdx:render_spdx_document"
        ),
        OutputFormat.CYCLONEDX: Registration(
            "reports.render.cyclonedx:cyclonedx_files",
            "reports.render.cyclonedx:render_cyclonedx",
        ),
        OutputFormat.BADGES: Registration("reports.render.badges:badge_files"),
    }
)

#: Formats that are one document and can go to stdout (`check --format`).
DOCUMENT_FORMATS = tuple(fmt for fmt, entry in REGISTRY.items() if entry.document is not None)

#: What `scan --out` and `report` write when no --format is given.
DEFAULT_REPORT_FORMATS = (
    OutputFormat.HTML,
    OutputFormat.MARKDOWN,
    OutputFormat.JSON,
    OutputFormat.XLSX,
    OutputFormat.CSV,
    OutputFormat.SPDX,
    OutputFormat.CYCLONEDX,
    OutputFormat.BADGES,
)


def _load(target: str, fmt: OutputFormat) -> object:
    module_name, function = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise InputError(f"the {fmt.value} format is not available in this build") from None
    return getattr(module, function)


def _parse(fmt: OutputFormat | str) -> OutputFormat:
    return OutputFormat.parse(fmt) if isinstance(fmt, str) else fmt


def folder_renderer(fmt: OutputFormat | str) -> FolderRenderer:
    """The function rendering the files `fmt` adds to a report folder."""
    fmt = _parse(fmt)
    return cast("FolderRenderer", _load(REGISTRY[fmt].folder, fmt))


def document_renderer(fmt: OutputFormat | str) -> DocumentRenderer:
    """The function rendering `fmt` as one document from a ScanResult."""
    fmt = _parse(fmt)
    target = REGISTRY[fmt].document
    if target is None:
        raise InputError(f"the {fmt.value} format writes a folder, not one document")
    return cast("DocumentRenderer", _load(target, fmt))


def render_document(fmt: OutputFormat | str, result: ScanResult) -> str:
    """Render one document (text, json, sarif, codequality, markdown, spdx, cyclonedx)."""
    return document_renderer(fmt)(result)


def render_folder(fmt: OutputFormat | str, report: Report) -> Outputs:
    """Render the files `fmt` contributes to a report folder."""
    return folder_renderer(fmt)(report)
