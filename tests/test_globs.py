"""REUSE.toml path globs as the REUSE specification defines them, and one answer for the
analysis and the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rules_helpers import file, licence_file, scan

from rules.engine import evaluate, waiver_path_match
from rules.policy import load_policy
from scanner.analysis.declared import read_facts
from scanner.analysis.reuse import apply_reuse
from scanner.kernel.globs import reuse_glob_match
from scanner.kernel.models import FileKind


def test_a_star_stays_within_a_folder() -> None:
    assert reuse_glob_match("*.md", "README.md")
    assert not reuse_glob_match("*.md", "docs/a.md")
    assert reuse_glob_match("docs/*.md", "docs/a.md")
    assert not reuse_glob_match("docs/*.md", "docs/sub/a.md")
    assert reuse_glob_match("*", ".gitignore")  # `.` prefixes included


def test_a_double_star_crosses_folders_and_double_star_slash_may_match_nothing() -> None:
    assert reuse_glob_match("docs/**", "docs/a/b.md")
    assert reuse_glob_match("**/*.md", "docs/a.md")
    assert reuse_glob_match("**/*.md", "README.md")  # `**/` matches everything, even nothing
    assert reuse_glob_match("**", "a/b/c")
    assert not reuse_glob_match("**/*.md", "docs/a.py")


def test_backslash_escapes() -> None:
    assert reuse_glob_match("src/\\*.py", "src/*.py")
    assert not reuse_glob_match("src/\\*.py", "src/a.py")
    assert reuse_glob_match("a\\\\b", "a\\b")  # an escaped backslash is one backslash
    assert reuse_glob_match("\\a.md", "a.md")  # any other escaped character is itself


def test_a_question_mark_is_itself() -> None:
    """The specification names no `?` wildcard, and the REUSE tool matches it literally."""
    assert reuse_glob_match("what?.md", "what?.md")
    assert not reuse_glob_match("what?.md", "whats.md")


def test_dep5_globs_keep_their_meaning(tmp_path: Path) -> None:
    (tmp_path / ".reuse").mkdir()
    (tmp_path / ".reuse" / "dep5").write_text(
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
        "Files: docs/*\nCopyright: 2024 OS2\nLicense: CC-BY-SA-4.0\n",
        encoding="utf-8",
    )
    facts = read_facts(tmp_path, ())
    ((glob, _),) = facts.reuse_annotations
    assert reuse_glob_match(glob, "docs/deep/a.md")  # dep5's * crosses folders


def test_the_analysis_and_the_docs_rule_agree_on_what_a_star_covers(tmp_path: Path) -> None:
    """`*.md` in REUSE.toml covers README.md but not docs/guide.md: the analysis gives only the
    first the annotated licence, and the docs-license rule finds only the second uncovered."""
    (tmp_path / "REUSE.toml").write_text(
        'version = 1\n\n[[annotations]]\npath = "*.md"\n'
        'SPDX-License-Identifier = "CC-BY-SA-4.0"\n',
        encoding="utf-8",
    )
    docs = [file("README.md", FileKind.DOCS), file("docs/guide.md", FileKind.DOCS)]
    facts = read_facts(tmp_path, docs)
    licensed = {f.path: f.license_expression for f in apply_reuse(docs, facts, tmp_path)}
    assert licensed == {"README.md": "CC-BY-SA-4.0", "docs/guide.md": None}

    repo = scan(
        [licence_file(), *docs],
        documentation_license=None,
        reuse_annotations=facts.reuse_annotations,
    )
    uncovered = [
        v.path
        for v in evaluate(repo, load_policy("os2"), date(2026, 6, 1))
        if v.rule == "docs-license"
    ]
    assert uncovered == ["docs/guide.md"]


def test_waiver_paths_keep_the_policy_syntax_where_a_star_crosses_folders() -> None:
    """docs/policy.md documents waiver paths with `*` crossing folders; that stays so."""
    assert waiver_path_match("vendor/chart/*", "vendor/chart/js/chart.min.js")
    assert not waiver_path_match("vendor/chart/*", "src/app.js")
