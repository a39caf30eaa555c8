"""The plain-text report of `os2scan check`: one line per finding, like a compiler.

Each violation is ``path:line: severity rule message``; a repository-level violation uses the
repository name as its path, and a file-level one without a line number leaves the line out.
Waived violations end in ``[waived: reason]``, those whose waiver expired in
``[waiver expired YYYY-MM-DD]``. Repositories that could not be scanned are listed as
``name: failed: why``. The last line sums up, counting only unwaived violations:
``3 errors, 1 warning, 0 info (1 waived) in 2 repositories``. `os2scan check` lists info
findings only with ``--show-info`` (they are counted in the summary either way). A finding
that stands for many files (a component, the documentation without a licence) is one line;
its files are in the JSON and HTML reports. Control characters from file
names, policies or manifests are shown as ``\\xNN``: one finding is always one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner.kernel.models import ScanResult, Severity, Violation
from scanner.kernel.redact import printable

if TYPE_CHECKING:
    from reports.report import Report

_PLURALS = {"error": "errors", "warning": "warnings", "info": "info", "repository": "repositories"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else _PLURALS[word]}"


def _location(v: Violation) -> str:
    if v.path is None:
        return v.repository
    return f"{v.path}:{v.line}" if v.line is not None else v.path


def violation_line(v: Violation) -> str:
    line = f"{_location(v)}: {v.severity.value} {v.rule} {v.message}"
    if v.waived and v.waiver is not None:
        reason = v.waiver.reason or "no reason given"
        line += f" [waived: {reason}]"
    elif v.waiver is not None and v.waiver.expired:
        line += f" [waiver expired {v.waiver.expires}]"
    return line


def summary_line(result: ScanResult) -> str:
    counts = {s: 0 for s in Severity}
    waived = 0
    for v in result.violations:
        if v.waived:
            waived += 1
        else:
            counts[v.severity] += 1
    repos = len(result.repositories)
    text = ", ".join(
        _plural(counts[s], s.value) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    )
    text += f" ({waived} waived) in {_plural(repos, 'repository')}"
    failed = len(result.failed)
    if failed:
        text += f", {failed} could not be scanned"
    return text


def render_text(result: ScanResult, *, show_info: bool = True) -> str:
    """The report; without `show_info` the info findings are only counted in the summary."""
    shown = [v for v in result.violations if show_info or v.severity is not Severity.INFO]
    lines = [violation_line(v) for v in shown]
    lines += [f"{r.checkout.name}: failed: {r.checkout.error}" for r in result.failed]
    lines.append(summary_line(result))
    return "\n".join(printable(line) for line in lines) + "\n"


def text_files(report: Report) -> dict[str, str | bytes]:
    """The text report as a file of a report folder."""
    return {"report.txt": render_text(report.result)}
