"""Which licence a file may carry inside a repository that declares another.

The judgement has three layers, applied to each licence id of a file's expression:

1. the policy: an id it denies, or whose scancode category it denies, is `DENIED`;
2. knowledge: an id scancode marks unknown (an "unknown licence reference") or that neither
   SPDX nor scancode knows is `REVIEW` (a warning, not an error);
3. the table in `compatibility.yaml`: whether the id fits the declared licence (`FITS`) or not
   (`CONFLICT`); documentation and content also fit when the id is a documentation licence
   of the policy.

Expressions are judged by meaning, through their disjunctive normal form: a file expression
fits when one of its choices fits, and a choice (`A AND B`) fits when each of its ids fits. A
file id must fit every choice of the declared licence, and fits a declared choice when it fits
one of its ids.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from rules.texts import msg
from scanner.kernel import licenses
from scanner.kernel.models import Message

TABLE_PATH = Path(__file__).with_name("compatibility.yaml")

_CATEGORY_VERDICTS = ("fits", "listed", "review", "conflict")


class Fit(enum.IntEnum):
    """How a file's licence stands, from best to worst."""

    FITS = 0
    REVIEW = 1  # unknown or restricted terms: someone has to look (warning)
    CONFLICT = 2  # does not fit the declared licence (error)
    DENIED = 3  # the policy denies it everywhere (error)


#: Verdict.code of a GNU licence named without a version that some version would fit.
VERSION_NOT_STATED = "version-not-stated"


@dataclass(frozen=True)
class Verdict:
    """The judgement of one expression: how it fits, the id that decided, and why."""

    fit: Fit
    license: str | None = None
    why: Message | None = None  # the reason, as a text to translate
    code: str = ""  # a kind of verdict findings are grouped by (VERSION_NOT_STATED)

    @property
    def reason(self) -> str:
        return self.why.english() if self.why else ""


@dataclass(frozen=True)
class CompatibilityTable:
    """The data of compatibility.yaml."""

    categories: Mapping[str, str]  # scancode category -> fits | listed | review | conflict
    inbound: Mapping[str, frozenset[str]]  # licence -> the declared licences it fits in
    not_into: Mapping[str, frozenset[str]]  # licence -> declared licences it does not fit
    version_not_stated: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType({})
    )  # a GNU licence named without a version -> the versions it may stand for
    documentation: frozenset[str] = frozenset()  # documentation licences

    def id_fits(self, inbound: str, declared: str) -> Fit:
        """How one licence id fits inside one declared licence id (the table alone)."""
        inbound, declared = _base(inbound), _base(declared)
        if _same(inbound, declared):
            return Fit.FITS
        if inbound in self.inbound:
            return Fit.FITS if declared in self.inbound[inbound] else Fit.CONFLICT
        if declared in self.not_into.get(inbound, frozenset()):
            return Fit.CONFLICT
        info = licenses.license_info(inbound)
        if info.is_unknown:
            return Fit.REVIEW
        verdict = self.categories.get(info.category, "review")
        if verdict == "fits":
            return Fit.FITS
        if verdict == "review":
            return Fit.REVIEW
        return Fit.CONFLICT  # "listed" (and not listed for this licence) or "conflict"


@lru_cache(maxsize=4)
def load_table(path: Path = TABLE_PATH) -> CompatibilityTable:
    """Read and check a compatibility table (the packaged one by default)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = {str(k): str(v) for k, v in (data.get("categories") or {}).items()}
    for category, verdict in categories.items():
        if verdict not in _CATEGORY_VERDICTS:
            raise ValueError(f"{path.name}: category {category!r} has unknown verdict {verdict!r}")

    def ids(section: str) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for key, values in (data.get(section) or {}).items():
            for ident in (key, *values):
                if not licenses.is_known_id(str(ident)):
                    raise ValueError(f"{path.name}: {section} names unknown licence {ident!r}")
            out[_canon(str(key))] = frozenset(_canon(str(v)) for v in values)
        return out

    documentation = [str(i) for i in data.get("documentation") or ()]
    for ident in documentation:
        if not licenses.is_known_id(ident):
            raise ValueError(f"{path.name}: documentation names unknown licence {ident!r}")
    return CompatibilityTable(
        categories,
        ids("inbound"),
        ids("not_into"),
        MappingProxyType(ids("version_not_stated")),
        frozenset(_canon(i) for i in documentation),
    )


def fits(inbound: str, declared: str, table: CompatibilityTable | None = None) -> bool:
    """True when a file under `inbound` fits a repository declaring `declared`.

    Both are licence expressions; no policy is applied (see `judge` for that).
    """
    return judge(inbound, declared, table=table).fit is Fit.FITS


def judge(
    expression: str,
    declared: str | None,
    *,
    denied: Iterable[str] = (),
    denied_categories: Iterable[str] = (),
    documentation: Iterable[str] | None = None,
    table: CompatibilityTable | None = None,
) -> Verdict:
    """Judge a file's licence expression against the repository's declared licence.

    `denied` and `denied_categories` come from the policy. `documentation`, when given, marks
    the file as documentation or content and lists the documentation licences it may carry.
    Without a declared licence only the policy and the knowledge layers apply.
    """
    table = table or load_table()
    denied_ids = {_canon(d) for d in denied}
    denied_cats = set(denied_categories)
    doc_ids = None if documentation is None else {_canon(d) for d in documentation}
    file_choices = licenses.choices(expression)
    if not file_choices:
        return Verdict(
            Fit.REVIEW,
            expression,
            msg("'{expression}' is not a licence expression", expression=expression),
        )
    declared_choices = licenses.choices(declared) if declared else []

    best: Verdict | None = None
    for choice in file_choices:
        worst = Verdict(Fit.FITS)
        for ident in sorted(choice):
            verdict = _judge_id(
                ident, declared, declared_choices, table, denied_ids, denied_cats, doc_ids
            )
            if verdict.fit > worst.fit:
                worst = verdict
        if best is None or worst.fit < best.fit:
            best = worst
        if best.fit is Fit.FITS:
            break
    assert best is not None
    return best


def _judge_id(
    ident: str,
    declared: str | None,
    declared_choices: list[frozenset[str]],
    table: CompatibilityTable,
    denied_ids: set[str],
    denied_cats: set[str],
    doc_ids: set[str] | None,
) -> Verdict:
    base = _base(ident)
    info = licenses.license_info(base)
    if base in denied_ids or _canon(info.spdx_id) in denied_ids:
        return Verdict(Fit.DENIED, base, msg("{base} is denied by the policy", base=base))
    if info.category in denied_cats:
        return Verdict(
            Fit.DENIED,
            base,
            msg("{base} is denied by the policy (a {category} licence)", base=base,
                category=info.category),
        )
    if info.is_unknown:
        return Verdict(Fit.REVIEW, base, msg("{base} is an unknown licence reference", base=base))
    if doc_ids is not None and (base in doc_ids or base in table.documentation):
        return Verdict(Fit.FITS, base)  # which documentation licence: docs-license's matter
    if not declared_choices:
        # Nothing declared to fit into: only licences that fit nothing are reported.
        verdict = table.categories.get(info.category, "review")
        if base not in table.inbound and verdict == "conflict":
            why = msg("{base} is not an open-source licence", base=base)
            return Verdict(Fit.CONFLICT, base, why)
        if base not in table.inbound and verdict == "review":
            return Verdict(
                Fit.REVIEW,
                base,
                msg("{base} ({category}) needs review", base=base, category=info.category),
            )
        return Verdict(Fit.FITS, base)
    worst = _worst_fit(base, declared_choices, table)
    versions = table.version_not_stated.get(base, frozenset())
    if versions and any(_worst_fit(v, declared_choices, table) is Fit.FITS for v in versions):
        return Verdict(
            Fit.REVIEW,
            base,
            msg(
                "licence version not stated ({base} is how a GNU licence named without a "
                "version is read; state the version, e.g. {example})",
                base=base,
                example=sorted(versions)[-1],
            ),
            code=VERSION_NOT_STATED,
        )
    if worst is Fit.FITS:
        return Verdict(Fit.FITS, base)
    if worst is Fit.REVIEW:
        return Verdict(
            Fit.REVIEW,
            base,
            msg("{base} ({category}) needs review before it can join {declared}", base=base,
                category=info.category, declared=declared),
        )
    return Verdict(
        Fit.CONFLICT,
        base,
        msg("{base} does not fit the declared licence {declared}", base=base, declared=declared),
    )


def _worst_fit(
    ident: str, declared_choices: list[frozenset[str]], table: CompatibilityTable
) -> Fit:
    """How an id fits every choice of the declared licence (it must fit one id of each)."""
    worst = Fit.FITS
    for declared_choice in declared_choices:
        worst = max(worst, min(table.id_fits(ident, member) for member in declared_choice))
    return worst


def _base(ident: str) -> str:
    """The licence of `X WITH exception` (the exception only adds permissions)."""
    return _canon(re.split(r"\s+WITH\s+", ident.strip(), flags=re.IGNORECASE)[0])


def _canon(ident: str) -> str:
    """One spelling per licence: the SPDX id (or LicenseRef-scancode-*) when it is known."""
    if licenses.is_known_id(ident):
        return licenses.license_info(ident).spdx_id
    return ident.strip()


def _same(a: str, b: str) -> bool:
    return a.lower() == b.lower()
