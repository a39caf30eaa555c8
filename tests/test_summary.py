"""The pandas summaries, checked value by value on a small portfolio."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from report_helpers import scan_result, violation

from reports.status import repository_status
from reports.summary import SCORE_FORMULA, summarise
from scanner.kernel.models import Severity
from scanner.store import Store


def _by(frame: pd.DataFrame, *key: str) -> dict[tuple[str, ...] | str, dict[str, object]]:
    indexed = frame.set_index(list(key))
    return indexed.to_dict(orient="index")  # type: ignore[return-value]


def test_repositories_frame_values() -> None:
    repos = _by(summarise(scan_result()).repositories, "product", "repository")
    core = repos[("OS2mo", "core")]
    assert (core["files"], core["scanned"], core["with_license"], core["with_copyright"]) == (
        4,
        4,
        3,
        2,
    )
    assert core["license_share"] == 0.75
    assert (core["errors"], core["warnings"], core["info"], core["waived"]) == (1, 0, 1, 1)
    # 100 - 25 x 1 error rule - 20 x 0.25 without licence
    assert core["score"] == 70
    assert core["status"] == "non-compliant"
    docs = repos[("OS2mo", "docs")]
    assert (docs["files"], docs["scanned"], docs["score"], docs["status"]) == (2, 1, 80, "warnings")
    assert repos[("OS2web", "site")]["score"] == 100
    legacy = repos[("OS2web", "legacy")]
    assert legacy["status"] == "failed"
    assert pd.isna(legacy["score"])
    assert legacy["error"] == "git clone failed: repository not found"


def test_repository_statuses_agree_with_the_plain_function() -> None:
    result = scan_result()
    frame = summarise(result).repositories
    expected = [repository_status(r, result.violations) for r in result.repositories]
    assert frame["status"].tolist() == expected


def test_products_frame_values_and_order() -> None:
    products = summarise(scan_result()).products
    assert products["product"].tolist() == ["OS2mo", "OS2web", "OS2gone"]
    assert products["status"].tolist() == ["non-compliant", "compliant", "not-scanned"]
    mo = products.iloc[0]
    assert (mo["repositories"], mo["scanned_repositories"], mo["files"]) == (2, 2, 6)
    assert (mo["errors"], mo["warnings"], mo["info"], mo["waived"]) == (1, 1, 1, 1)
    assert mo["score"] == 75  # mean of 70 and 80
    assert mo["declared_licenses"] == ["CC-BY-4.0", "MPL-2.0"]
    assert round(mo["license_share"], 4) == round(4 / 6, 4)
    web = products.iloc[1]
    # the failed repository counts as a repository, but not in the score or the shares
    assert (web["repositories"], web["scanned_repositories"], web["score"]) == (2, 1, 100)
    assert pd.isna(products.iloc[2]["score"])


def test_product_status_follows_the_design_rules() -> None:
    base = scan_result()
    only_info = scan_result(
        violations=(violation("file-header", Severity.INFO, "OS2mo", "core", "a.py"),)
    )
    assert summarise(only_info).products.set_index("product").loc["OS2mo", "status"] == (
        "compliant"
    )
    from report_helpers import WAIVER

    waived_error = scan_result(
        violations=(violation("license-file", Severity.ERROR, "OS2mo", "core", waiver=WAIVER),)
    )
    row = summarise(waived_error).products.set_index("product").loc["OS2mo"]
    assert (row["status"], row["errors"], row["waived"]) == ("compliant", 0, 1)
    assert summarise(base).products.set_index("product").loc["OS2gone", "status"] == ("not-scanned")


def test_licence_distribution_by_id_and_category() -> None:
    summary = summarise(scan_result())
    by_id = _by(summary.licenses, "license_id")
    assert by_id["GPL-3.0-only"]["files"] == 3
    assert by_id["GPL-3.0-only"]["repositories"] == 2
    assert by_id["GPL-3.0-only"]["category"] == "Copyleft"
    assert by_id["MPL-2.0"] == {
        "category": "Copyleft Limited",
        "osi_approved": True,
        "files": 2,
        "repositories": 1,
    }
    assert by_id["none"]["files"] == 2
    assert summary.licenses["license_id"].tolist()[0] == "GPL-3.0-only"  # most files first
    by_category = _by(summary.categories, "category")
    assert {k: v["files"] for k, v in by_category.items()} == {
        "Copyleft": 3,
        "Copyleft Limited": 2,
        "None": 2,
        "Permissive": 1,
    }


def test_a_file_under_a_choice_counts_for_each_licence() -> None:
    from dataclasses import replace

    result = scan_result()
    core = result.repositories[0]
    dual = replace(core.files[3], license_expression="MIT OR Apache-2.0")
    result = scan_result(
        repositories=(replace(core, files=(*core.files[:3], dual)), *result.repositories[1:])
    )
    by_id = _by(summarise(result).licenses, "license_id")
    assert by_id["MIT"]["files"] == 1
    assert by_id["Apache-2.0"]["files"] == 1
    assert by_id["MIT"]["category"] == "Permissive"


def test_violations_by_rule() -> None:
    rules = _by(summarise(scan_result()).rules, "rule")
    assert rules["file-license-conflict"] == {
        "errors": 1,
        "warnings": 0,
        "info": 0,
        "waived": 0,
        "repositories": 1,
    }
    assert rules["copyright-holder-expected"]["waived"] == 1
    assert rules["copyright-holder-expected"]["warnings"] == 0
    assert summarise(scan_result()).rules["rule"].iloc[0] == "file-license-conflict"


def test_forge_links_point_at_the_file_and_line() -> None:
    links = summarise(scan_result()).violations["link"].tolist()
    assert links[0] == "https://github.com/OS2mo/core/blob/" + "c" * 40 + "/src/lib.py#L1"
    assert links[1] == "https://github.com/OS2mo/core"  # repository-level
    assert links[2] == "https://github.com/OS2mo/core/blob/" + "c" * 40 + "/src/util.py"
    assert links[3] == (
        "https://gitlab.example.org/magenta/os2mo-docs/-/blob/" + "c" * 40 + "/README.md#L3"
    )


def test_changes_since_the_previous_scan() -> None:
    current = scan_result()
    previous = scan_result(
        scan_id=1,
        violations=(
            current.violations[0],
            violation("license-file", Severity.ERROR, "OS2web", "site"),
        ),
    )
    summary = summarise(current, previous)
    assert summary.changes is not None
    assert summary.score_changes is not None
    changes = summary.changes[["change", "repository", "rule"]].values.tolist()
    assert changes == [
        ["new", "core", "file-header"],
        ["new", "docs", "docs-license"],
        ["fixed", "site", "license-file"],
    ]
    scores = _by(summary.score_changes, "product")
    assert scores["OS2web"]["score_before"] == 75
    assert scores["OS2web"]["score_delta"] == 25
    assert scores["OS2mo"]["score_delta"] == -5  # docs gained a warning rule: 90 -> 80
    assert summary.trend["scan"].tolist() == [1, 1, 1, 2, 2, 2]


def test_product_records_are_plain_json_values() -> None:
    import json

    records = summarise(scan_result()).product_records()
    assert list(records[0])[:7] == [
        "product",
        "repositories",
        "status",
        "errors",
        "warnings",
        "score",
        "declared_licenses",
    ]
    assert records[2]["score"] is None
    json.dumps(records)  # no numpy or pandas values left


def test_frames_from_a_scan_stored_and_loaded_back(tmp_path: Path) -> None:
    original = scan_result()
    with Store.open(tmp_path / "db.sqlite") as store:
        scan_id = store.begin_scan("portfolio.yaml", "os2", "built-in", "0.1.0")
        for repo in original.repositories:
            store.save_repository(scan_id, repo, detector_version="v1")
        store.save_violations(scan_id, original.violations)
        store.finish_scan(scan_id)
        loaded = store.load_result(scan_id)
    a, b = summarise(original), summarise(loaded)
    pd.testing.assert_frame_equal(a.products, b.products)
    pd.testing.assert_frame_equal(a.repositories, b.repositories)
    pd.testing.assert_frame_equal(a.violations, b.violations)
    pd.testing.assert_frame_equal(a.licenses, b.licenses)


def test_the_score_formula_is_written_down() -> None:
    assert "25" in SCORE_FORMULA
    assert "10" in SCORE_FORMULA
    assert "20" in SCORE_FORMULA


def test_products_list_the_rules_behind_their_status() -> None:
    products = summarise(scan_result()).products.set_index("product")
    assert products.loc["OS2mo", "error_rules"] == ["file-license-conflict"]
    # the waived copyright-holder-expected warning is not among the reasons
    assert products.loc["OS2mo", "warning_rules"] == ["docs-license"]
    assert products.loc["OS2web", "error_rules"] == []
