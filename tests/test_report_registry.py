"""The render boundary: one registry of formats, each renderer a typed function of a Report
(and, for one-document formats, of a ScanResult)."""

from __future__ import annotations

import inspect
import typing

import pytest
from report_helpers import scan_result

from reports.render import (
    DOCUMENT_FORMATS,
    REGISTRY,
    OutputFormat,
    document_renderer,
    folder_renderer,
    render_document,
)
from reports.report import Report
from scanner.kernel.errors import InputError
from scanner.kernel.models import ScanResult

#: what renderer modules import only for type checking
_NAMES = {"Report": Report, "ScanResult": ScanResult}


def test_every_format_is_registered_exactly_once() -> None:
    assert set(REGISTRY) == set(OutputFormat)
    assert len({entry.folder for entry in REGISTRY.values()}) == len(OutputFormat)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_each_folder_renderer_takes_a_report_and_returns_named_files(fmt: OutputFormat) -> None:
    renderer = folder_renderer(fmt)
    hints = typing.get_type_hints(renderer, localns=_NAMES)
    (parameter,) = inspect.signature(renderer).parameters
    assert hints[parameter] is Report
    assert hints["return"] == dict[str, str | bytes]
    outputs = renderer(Report(result=scan_result(), lang="en"))
    assert outputs
    assert all(isinstance(name, str) and content for name, content in outputs.items())


@pytest.mark.parametrize("fmt", DOCUMENT_FORMATS)
def test_each_document_renderer_takes_a_scan_result(fmt: OutputFormat) -> None:
    renderer = document_renderer(fmt)
    hints = typing.get_type_hints(renderer, localns=_NAMES)
    assert hints[next(iter(inspect.signature(renderer).parameters))] is ScanResult
    assert hints["return"] is str


def test_folder_only_formats_refuse_to_print_one_document() -> None:
    with pytest.raises(InputError, match="writes a folder"):
        render_document(OutputFormat.HTML, scan_result())


def test_one_repository_sboms_refuse_a_portfolio() -> None:
    with pytest.raises(InputError, match="describes one repository"):
        render_document("cyclonedx", scan_result())
    with pytest.raises(InputError, match="describes one repository"):
        render_document("spdx", scan_result())


def test_the_markdown_renderer_does_not_reach_into_the_html_renderer() -> None:
    import reports.render.markdown as markdown

    source = inspect.getsource(markdown)
    assert "reports.render.html" not in source
