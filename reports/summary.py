"""pandas summaries of a scan: per product, per repository, per file, per licence and per rule.

Every renderer of a report folder works from these frames, so the numbers agree between the
HTML site, the spreadsheet, the CSV files and report.json. The frames are built once from the
records of a `ScanResult` and every aggregate is a pandas operation (groupby, pivot, merge).

The score
---------
Each scanned repository gets a score from 0 to 100::

    score = 100 - 25 x (rules with an unwaived error)
                - 10 x (rules with an unwaived warning)
                - 20 x (share of files with no licence information)

floored at 0 and rounded. A rule counts once however many files break it, so one missing
header rule cannot drown everything else; info findings and waived violations cost nothing.
A product's score is the mean of the scores of its scanned repositories; a repository or a
product that could not be scanned has no score. `SCORE_FORMULA` holds the same text for the
reports, and the i18n catalogue translates it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

import numpy as np
import pandas as pd

from reports.content import content_frame
from reports.status import (
    COMPLIANT,
    FAILED,
    NON_COMPLIANT,
    NOT_SCANNED,
    STATUS_ORDER,
    WARNINGS,
    violation_dict,
)
from scanner.kernel.licenses import license_info, license_keys
from scanner.kernel.models import VIOLATION_KEY_FIELDS, ScanResult
from scanner.kernel.redact import unescaped_bytes

ERROR_RULE_COST = 25
WARNING_RULE_COST = 10
UNLICENSED_FILES_COST = 20

SCORE_FORMULA = (
    f"score = 100 - {ERROR_RULE_COST} x rules with an unwaived error"
    f" - {WARNING_RULE_COST} x rules with an unwaived warning"
    f" - {UNLICENSED_FILES_COST} x share of files without licence information (at least 0)"
)

FILE_COLUMNS = [
    "product",
    "repository",
    "path",
    "kind",
    "license",
    "holders",
    "license_source",
    "skipped",
]
VIOLATION_COLUMNS = [
    "product",
    "repository",
    "rule",
    "severity",
    "path",
    "line",
    "license",
    "message",
    "how_to_fix",
    "waived",
    "waiver_reason",
    "waiver_expires",
    "waiver_expired",
    "link",
]
REPOSITORY_COLUMNS = [
    "product",
    "repository",
    "source",
    "locator",
    "web_url",
    "platform",
    "commit",
    "declared_license",
    "copyright_holders",
    "has_issues",
    "files",
    "scanned",
    "with_license",
    "with_copyright",
    "license_share",
    "copyright_share",
    "errors",
    "warnings",
    "info",
    "waived",
    "score",
    "status",
    "error",
]
PRODUCT_COLUMNS = [
    "product",
    "repositories",
    "scanned_repositories",
    "files",
    "license_share",
    "copyright_share",
    "declared_licenses",
    "errors",
    "warnings",
    "info",
    "waived",
    "score",
    "status",
    "error_rules",
    "warning_rules",
]
# `products` in report.json: the contract's keys first, then the rest of the frame
PRODUCT_JSON_KEYS = [
    "product",
    "repositories",
    "status",
    "errors",
    "warnings",
    "score",
    "declared_licenses",
]

_SEVERITIES = ["error", "warning", "info"]
_KEY = ["product", "repository"]


# -- frames straight from the records --------------------------------------------------------


def files_frame(result: ScanResult) -> pd.DataFrame:
    """One row per file (the columns of files.csv), plus has_license and has_copyright."""
    rows = [
        {
            "product": repo.checkout.spec.product,
            "repository": repo.checkout.name,
            "path": f.path,
            "kind": f.kind.value,
            "license": f.license_expression,
            "holders": "; ".join(f.holders),
            "license_source": f.license_source.value if f.license_source else None,
            "skipped": f.skipped,
            "has_copyright": bool(f.holders or f.copyrights),
        }
        for repo in result.repositories
        for f in repo.files
    ]
    frame = pd.DataFrame(rows, columns=[*FILE_COLUMNS, "has_copyright"])
    frame["has_license"] = frame["license"].notna()
    frame["is_scanned"] = frame["skipped"].isna()
    frame["has_copyright"] = frame["has_copyright"].astype(bool)
    return frame


def _forge_links(frame: pd.DataFrame) -> pd.Series:
    """A link to the file (and line) on GitHub or GitLab, where the repository came from one."""
    ref = frame["commit"].fillna(frame["default_branch"]).fillna("HEAD")
    middle = np.where(frame["platform"] == "gitlab", "/-/blob/", "/blob/")
    anchor = ("#L" + frame["line"].astype("Int64").astype(str)).where(frame["line"].notna(), "")
    path = frame["path"].map(lambda p: quote(unescaped_bytes(p), safe="/"), na_action="ignore")
    web = frame["web_url"].where(frame["web_url"].str.match(r"https?://", na=False))
    link = web.str.rstrip("/") + middle + ref.map(quote) + "/" + path + anchor
    return link.where(frame["path"].notna(), web).where(web.notna(), None)


def _repository_records(result: ScanResult) -> pd.DataFrame:
    rows = []
    for repo in result.repositories:
        checkout, meta = repo.checkout, repo.checkout.metadata
        rows.append(
            {
                "product": checkout.spec.product,
                "repository": checkout.name,
                "source": checkout.spec.kind.value,
                "locator": checkout.spec.shown,
                "web_url": meta.web_url if meta else None,
                "platform": meta.platform if meta else None,
                "default_branch": meta.default_branch if meta else None,
                "has_issues": meta.has_issues if meta else None,
                "visibility": meta.visibility if meta else None,
                "commit": checkout.commit,
                "declared_license": repo.facts.declared_license,
                "copyright_holders": "; ".join(repo.facts.copyright_holders),
                "error": checkout.error,
            }
        )
    columns = [
        "product", "repository", "source", "locator", "web_url", "platform", "default_branch",
        "has_issues", "visibility", "commit", "declared_license", "copyright_holders", "error",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def violations_frame(result: ScanResult, repos: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per violation, with its waiver and a forge link where there is one."""
    rows = [
        {
            **violation_dict(v),
            "waiver_reason": v.waiver.reason if v.waiver else None,
            "waiver_expires": v.waiver.expires if v.waiver else None,
            "waiver_expired": bool(v.waiver and v.waiver.expired),
        }
        for v in result.violations
    ]
    frame = pd.DataFrame(rows, columns=[*VIOLATION_COLUMNS[:-1], "files"])
    frame["line"] = frame["line"].astype("Int64")
    frame["waived"] = frame["waived"].astype(bool)
    frame["waiver_expired"] = frame["waiver_expired"].astype(bool)
    repos = _repository_records(result) if repos is None else repos
    forge = repos[[*_KEY, "web_url", "platform", "commit", "default_branch"]].drop_duplicates(_KEY)
    merged = frame.merge(forge, on=_KEY, how="left")
    frame["link"] = _forge_links(merged).to_numpy() if len(merged) else pd.Series(dtype=object)
    return frame[[*VIOLATION_COLUMNS, "files"]]  # files: for the HTML detail, not the tables


# -- aggregates -------------------------------------------------------------------------------


def _severity_counts(violations: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Unwaived violations per severity, waived ones, and rules broken per severity."""
    active = violations[~violations["waived"]]
    grouped = active.groupby([*by, "severity"])
    counts = (
        grouped.size()
        .unstack("severity")
        .reindex(columns=_SEVERITIES)
        .rename(columns={"error": "errors", "warning": "warnings"})
    )
    rules = (
        grouped["rule"]
        .nunique()
        .unstack("severity")
        .reindex(columns=["error", "warning"])
        .rename(columns={"error": "error_rules", "warning": "warning_rules"})
    )
    waived = violations[violations["waived"]].groupby(by).size().rename("waived")
    joined = counts.join(rules, how="outer").join(waived, how="outer")
    return joined.fillna(0).astype(int).reset_index()


def _status(frame: pd.DataFrame, unscanned: pd.Series, unscanned_word: str) -> np.ndarray:
    return np.select(
        [unscanned, frame["errors"] > 0, frame["warnings"] > 0],
        [unscanned_word, NON_COMPLIANT, WARNINGS],
        default=COMPLIANT,
    )


def repositories_frame(
    result: ScanResult, files: pd.DataFrame, violations: pd.DataFrame
) -> pd.DataFrame:
    """One row per repository: file coverage, violation counts, score and status."""
    repos = _repository_records(result)
    coverage = files.groupby(_KEY).agg(
        files=("path", "size"),
        scanned=("is_scanned", "sum"),
        with_license=("has_license", "sum"),
        with_copyright=("has_copyright", "sum"),
    )
    frame = repos.merge(coverage.reset_index(), on=_KEY, how="left")
    frame = frame.merge(_severity_counts(violations, _KEY), on=_KEY, how="left")
    counts = ["files", "scanned", "with_license", "with_copyright", "errors", "warnings", "info",
              "waived", "error_rules", "warning_rules"]  # fmt: skip
    frame[counts] = frame.reindex(columns=counts).fillna(0).astype(int)
    total = frame["files"].where(frame["files"] > 0)
    frame["license_share"] = (frame["with_license"] / total).fillna(0.0)
    frame["copyright_share"] = (frame["with_copyright"] / total).fillna(0.0)
    failed = frame["error"].notna()
    unlicensed = (1 - frame["license_share"]).where(frame["files"] > 0, 0.0)
    raw = (
        100
        - ERROR_RULE_COST * frame["error_rules"]
        - WARNING_RULE_COST * frame["warning_rules"]
        - UNLICENSED_FILES_COST * unlicensed
    )
    frame["score"] = raw.clip(lower=0).round().astype("Int64").where(~failed, pd.NA)
    frame["status"] = _status(frame, failed, FAILED)
    frame["content_foreign"] = _content_foreign(frame, violations)
    return frame[[*REPOSITORY_COLUMNS, "default_branch", "visibility", "content_foreign"]]


def _content_foreign(frame: pd.DataFrame, violations: pd.DataFrame) -> pd.Series:
    """Per repository, the content files owned by someone the policy does not expect and
    under no licence (unwaived `content-owner` violations): governance's F6 counts them."""
    active = violations[~violations["waived"] & (violations["rule"] == "content-owner")]
    counts = active.groupby(_KEY).size().rename("n").reset_index()
    merged = frame[_KEY].merge(counts, on=_KEY, how="left")
    return merged["n"].fillna(0).astype(int).set_axis(frame.index)


def _rules_by_product(violations: pd.DataFrame, severity: str) -> pd.Series:
    """The rules each product breaks at this severity (unwaived), sorted."""
    active = violations[~violations["waived"] & (violations["severity"] == severity)]
    return (
        active.groupby("product")["rule"].agg(lambda s: sorted(set(s))).rename(f"{severity}_rules")
    )


def products_frame(
    repositories: pd.DataFrame, violations: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One row per product, from its repositories; status as reports.status defines it.

    With `violations`, error_rules and warning_rules list the rules behind the status."""
    scanned = repositories[repositories["status"] != FAILED]
    totals = repositories.groupby("product").agg(repositories=("repository", "size"))
    sums = scanned.groupby("product").agg(
        scanned_repositories=("repository", "size"),
        files=("files", "sum"),
        with_license=("with_license", "sum"),
        with_copyright=("with_copyright", "sum"),
        errors=("errors", "sum"),
        warnings=("warnings", "sum"),
        info=("info", "sum"),
        waived=("waived", "sum"),
        score=("score", "mean"),
        declared_licenses=(
            "declared_license",
            lambda s: sorted(set(s.dropna())),
        ),
    )
    frame = totals.join(sums, how="left")
    for severity in ("error", "warning"):
        if violations is not None:
            frame = frame.join(_rules_by_product(violations, severity), how="left")
        else:
            frame[f"{severity}_rules"] = None
        frame[f"{severity}_rules"] = frame[f"{severity}_rules"].apply(
            lambda v: v if isinstance(v, list) else []
        )
    frame = frame.reset_index()
    counts = ["scanned_repositories", "files", "with_license", "with_copyright", "errors",
              "warnings", "info", "waived"]  # fmt: skip
    frame[counts] = frame[counts].fillna(0).astype(int)
    frame["declared_licenses"] = frame["declared_licenses"].apply(
        lambda v: v if isinstance(v, list) else []
    )
    total = frame["files"].where(frame["files"] > 0)
    frame["license_share"] = (frame["with_license"] / total).fillna(0.0)
    frame["copyright_share"] = (frame["with_copyright"] / total).fillna(0.0)
    frame["score"] = frame["score"].astype("Float64").round().astype("Int64")
    frame["status"] = _status(frame, frame["scanned_repositories"] == 0, NOT_SCANNED)
    rank = frame["status"].map({s: i for i, s in enumerate(STATUS_ORDER)})
    frame = frame.assign(_rank=rank).sort_values(["_rank", "product"], kind="stable")
    return frame[PRODUCT_COLUMNS].reset_index(drop=True)


def _category(license_id: str) -> str:
    return "None" if license_id == "none" else license_info(license_id).category


def _osi_approved(license_id: str) -> bool:
    return license_id != "none" and license_info(license_id).is_osi_approved


def license_frames(files: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Licence distribution over the portfolio's files: by SPDX id and by category.

    A file under "MIT OR Apache-2.0" counts once for each id; files with no licence are
    counted under the id "none" (category "None").
    """
    ids = files["license"].map(license_keys, na_action="ignore")
    exploded = files.assign(license_id=ids).explode("license_id")
    exploded["license_id"] = exploded["license_id"].fillna("none")
    unique_ids = pd.Series(exploded["license_id"].unique())
    info = pd.DataFrame(
        {
            "license_id": unique_ids,
            "category": unique_ids.map(
                lambda i: "None" if i == "none" else license_info(i).category
            ),
            "osi_approved": unique_ids.map(
                lambda i: i != "none" and license_info(i).is_osi_approved
            ),
        }
    )
    exploded = exploded.merge(info, on="license_id", how="left")
    by_id = (
        exploded.groupby(["license_id", "category", "osi_approved"])
        .agg(files=("path", "size"), repositories=("repository", "nunique"))
        .reset_index()
        .sort_values(["files", "license_id"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    by_category = (
        exploded.groupby("category")
        .agg(files=("path", "size"), licenses=("license_id", "nunique"))
        .reset_index()
        .sort_values(["files", "category"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )
    return by_id, by_category


def rules_frame(violations: pd.DataFrame) -> pd.DataFrame:
    """Violations by rule: unwaived counts per severity, waived, and repositories affected."""
    counts = _severity_counts(violations, ["rule"]).drop(columns=["error_rules", "warning_rules"])
    spread = violations.groupby("rule").agg(repositories=("repository", "nunique")).reset_index()
    frame = counts.merge(spread, on="rule", how="outer").fillna(0)
    frame[["errors", "warnings", "info", "waived", "repositories"]] = frame[
        ["errors", "warnings", "info", "waived", "repositories"]
    ].astype(int)
    return frame.sort_values(["errors", "warnings", "rule"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)  # fmt: skip


#: A violation's identity across scans (Violation.scoped_key), as frame columns.
_CHANGE_KEY = ["product", "repository", *VIOLATION_KEY_FIELDS]


def changes_frames(
    violations: pd.DataFrame, products: pd.DataFrame,
    previous_violations: pd.DataFrame, previous_products: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """New then fixed violations (matched by product, repository, rule, path and licence; line
    numbers move too easily to take part), and each product's score then and now."""
    now = violations[~violations["waived"]]
    then = previous_violations[~previous_violations["waived"]]
    merged = now.drop_duplicates(_CHANGE_KEY).merge(
        then.drop_duplicates(_CHANGE_KEY)[[*_CHANGE_KEY, "severity", "message"]],
        on=_CHANGE_KEY,
        how="outer",
        suffixes=("", "_before"),
        indicator=True,
    )
    merged["change"] = merged["_merge"].map(
        {"left_only": "new", "right_only": "fixed", "both": "unchanged"}
    )
    merged["severity"] = merged["severity"].fillna(merged["severity_before"])
    merged["message"] = merged["message"].fillna(merged["message_before"])
    changed = merged[merged["change"] != "unchanged"][
        ["change", "product", "repository", "rule", "severity", "path", "license", "message"]
    ].sort_values(["change", "product", "repository", "rule"], kind="stable")
    scores = products[["product", "score", "status"]].merge(
        previous_products[["product", "score", "status"]],
        on="product",
        how="outer",
        suffixes=("", "_before"),
    )
    scores["score_delta"] = scores["score"] - scores["score_before"]
    return changed.reset_index(drop=True), scores.sort_values("product").reset_index(drop=True)


# -- everything together ---------------------------------------------------------------------


@dataclass
class Summary:
    """The frames of one scan (and of its change since the previous scan, if there was one)."""

    result: ScanResult
    files: pd.DataFrame
    violations: pd.DataFrame
    repositories: pd.DataFrame
    products: pd.DataFrame
    licenses: pd.DataFrame
    categories: pd.DataFrame
    rules: pd.DataFrame
    changes: pd.DataFrame | None = None  # new and fixed violations
    score_changes: pd.DataFrame | None = None  # per product: score, score_before, score_delta
    trend: pd.DataFrame = field(default_factory=pd.DataFrame)  # scan, started_at, product, score
    content: pd.DataFrame = field(default_factory=pd.DataFrame)  # see reports.content

    def product_records(self) -> list[dict[str, object]]:
        """`products` of report.json: plain Python values, the contract's keys first."""
        frame = self.products[
            PRODUCT_JSON_KEYS + [c for c in PRODUCT_COLUMNS if c not in PRODUCT_JSON_KEYS]
        ]
        return [plain_record(row) for row in frame.to_dict(orient="records")]


def plain_record(row: dict[str, object]) -> dict[str, object]:
    """A frame row as plain Python values (what json.dumps takes): NaN and NA become None."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if isinstance(value, list):
            out[key] = value
        elif value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            out[key] = None
        elif isinstance(value, np.integer):
            out[key] = int(value)
        elif isinstance(value, np.floating | float):
            out[key] = round(float(value), 4)
        else:
            out[key] = value
    return out


def summarise(
    result: ScanResult,
    previous: ScanResult | None = None,
    history: Sequence[ScanResult] = (),
) -> Summary:
    """All frames of a scan; `previous` adds the changes, `history` (older scans, any order)
    adds the score trend."""
    files = files_frame(result)
    violations = violations_frame(result)
    repositories = repositories_frame(result, files, violations)
    products = products_frame(repositories, violations)
    licenses, categories = license_frames(files)
    summary = Summary(
        result=result,
        files=files,
        violations=violations,
        repositories=repositories,
        products=products,
        licenses=licenses,
        categories=categories,
        rules=rules_frame(violations),
        content=content_frame(result),
    )
    if previous is not None:
        before = _products_only(previous)
        summary.changes, summary.score_changes = changes_frames(
            violations, products, before[0], before[1]
        )
    summary.trend = trend_frame(
        [*(r for r in history if r.scan_id != result.scan_id), result]
        if history or previous is None
        else [previous, result]
    )
    return summary


def _products_only(result: ScanResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    files = files_frame(result)
    violations = violations_frame(result)
    return violations, products_frame(repositories_frame(result, files, violations), violations)


def trend_frame(results: Sequence[ScanResult]) -> pd.DataFrame:
    """Each product's score in each scan, oldest scan first."""
    frames = [
        _products_only(r)[1][["product", "score"]].assign(
            scan=r.scan_id if r.scan_id is not None else i, started_at=r.started_at or ""
        )
        for i, r in enumerate(results)
    ]
    if not frames:
        return pd.DataFrame(columns=["scan", "started_at", "product", "score"])
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values(["scan", "product"], kind="stable")[
        ["scan", "started_at", "product", "score"]
    ].reset_index(drop=True)
