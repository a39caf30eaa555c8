"""The typed report every folder renderer reads: one scan, what it is compared with, the
language, and the summaries computed once from them.

`Report` is what crosses the render boundary (`reports.render.FolderRenderer`): renderers
read its fields and its cached summaries and never reach back into the store or the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from reports.i18n import LANGUAGES, Catalogue
from reports.links import SiteLinks
from scanner.kernel.errors import InputError
from scanner.kernel.models import PolicyTerms, ScanResult

if TYPE_CHECKING:
    import pandas as pd

    from reports.summary import Summary


@dataclass(frozen=True)
class Report:
    """A scan to render: `previous` is the scan before it (for the changes), `history` the
    older scans of the same portfolio (for the trend), `lang` the language of every text."""

    result: ScanResult
    previous: ScanResult | None = None
    lang: str = "en"
    history: Sequence[ScanResult] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise InputError(
                f"unknown language {self.lang!r} (choose from {', '.join(LANGUAGES)})"
            )

    @cached_property
    def summary(self) -> Summary:
        from reports.summary import summarise

        return summarise(self.result, self.previous, self.history)

    @cached_property
    def policy_terms(self) -> PolicyTerms:
        from reports.governance import terms_of

        return terms_of(self.result)

    @cached_property
    def governance(self) -> pd.DataFrame:
        from reports.governance import governance_frame

        return governance_frame(self.summary.repositories, self.policy_terms)

    @cached_property
    def t(self) -> Catalogue:
        return Catalogue(self.lang)

    @cached_property
    def violations(self) -> pd.DataFrame:
        """`summary.violations` with the message and how-to-fix text in the report's language
        (`message_local`, `how_to_fix_local`)."""
        frame = self.summary.violations.copy()
        t = self.t
        frame["message_local"] = [
            t.text(v.message_text, v.message) for v in self.result.violations
        ]
        frame["how_to_fix_local"] = [
            t.text(v.how_to_fix_text, v.how_to_fix) for v in self.result.violations
        ]
        return frame

    @cached_property
    def links(self) -> SiteLinks:
        """Where each product's and repository's pages, badges and documents go."""
        repositories = self.summary.repositories
        return SiteLinks.of(
            zip(repositories["product"], repositories["repository"], strict=True),
            self.summary.products["product"],
        )

    def product_records(self) -> list[dict[str, object]]:
        return self.summary.product_records()
