"""The rules as data: each rule's stable id, default severity and texts for people.

The policy checks rule ids against this catalogue (a waiver or a severity for an unknown rule
is an error) and the engine pairs each entry with its check; neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from scanner.kernel.models import Severity


@dataclass(frozen=True)
class RuleInfo:
    """One rule as people see it: its id, default severity, title and how to fix it."""

    id: str
    default_severity: Severity
    title: str
    how_to_fix: str


#: Every rule, in the order reports list them.
CATALOGUE: tuple[RuleInfo, ...] = (
    RuleInfo(
        "license-file",
        Severity.ERROR,
        "The repository has a licence file at its root",
        "Add the licence text as LICENSE at the repository root (for OS2: the MPL-2.0 text), "
        "or lay the licences out REUSE style in LICENSES/<ID>.txt.",
    ),
    RuleInfo(
        "declared-license-open",
        Severity.ERROR,
        "The declared licence is an open-source licence",
        "Declare an OSI-approved licence (OS2's standard is MPL-2.0) in a LICENSE file and "
        "in the package manifest.",
    ),
    RuleInfo(
        "declared-license-allowed",
        Severity.WARNING,
        "The declared licence is one the policy lists for products",
        "Relicense to a licence the policy allows (OS2: MPL-2.0), or ask the steering group "
        "for an exception and record it as a waiver.",
    ),
    RuleInfo(
        "declared-license-consistent",
        Severity.WARNING,
        "Licence file, manifests, publiccode.yml and REUSE.toml agree",
        "Make every place that declares the licence (LICENSE, package.json, pyproject.toml, "
        "composer.json, publiccode.yml, REUSE.toml) state the same SPDX expression.",
    ),
    RuleInfo(
        "file-license-conflict",
        Severity.ERROR,
        "Every file's licence is allowed and fits the declared licence",
        "Replace or remove the file, or keep it as a separately licensed component; an "
        "approved exception belongs in the policy as a waiver.",
    ),
    RuleInfo(
        "component-license",
        Severity.ERROR,
        "Every component's licence is allowed and fits the declared licence",
        "Replace the component, ship it apart from the product, or record an approved "
        "exception as a waiver for the component's folder.",
    ),
    RuleInfo(
        "test-data-license",
        Severity.WARNING,
        "Test data's licences fit the declared licence",
        "Replace the test data with data under a licence that fits, generate it, or waive it "
        "in the policy; test data is not shipped, so this is a warning by default.",
    ),
    RuleInfo(
        "copyright-holder",
        Severity.ERROR,
        "The repository names a real copyright holder",
        "Name the copyright holder in the licence file and in the file headers, e.g. "
        "`SPDX-FileCopyrightText: 2024 OS2 - Offentligt digitaliseringsfællesskab`.",
    ),
    RuleInfo(
        "copyright-holder-expected",
        Severity.WARNING,
        "The copyright holders include OS2 or a member organisation",
        "Transfer or share the copyright with OS2 or the commissioning member organisation "
        "as the OS2 contract says, and name it in the licence file and headers.",
    ),
    RuleInfo(
        "docs-license",
        Severity.WARNING,
        "Documentation and content are covered by a documentation licence",
        "Declare CC-BY-SA-4.0 for documentation and content: add LICENSES/CC-BY-SA-4.0.txt "
        "and a REUSE.toml annotation for docs/** and *.md (or SPDX headers in the files).",
    ),
    RuleInfo(
        "file-header",
        Severity.INFO,
        "Source files carry SPDX licence and copyright headers",
        "Add `SPDX-FileCopyrightText: <year> <holder>` and `SPDX-License-Identifier: <id>` "
        "comment lines at the top of the file (`reuse annotate` does this).",
    ),
    RuleInfo(
        "restrictive-notice",
        Severity.WARNING,
        "Own files carry no restrictive notices",
        'Remove notices such as "all rights reserved", "proprietary" or "confidential" '
        "from files released under an open licence, or move the file out of the repository.",
    ),
    RuleInfo(
        "unchecked-file",
        Severity.WARNING,
        "Every file was read in full",
        "Keep large data, binaries and LFS objects out of the source repository, or state "
        "their licence in a REUSE.toml annotation or a `.license` file; rerun with a longer "
        "--timeout when the reason is a timeout.",
    ),
    RuleInfo(
        "scan-database-in-tree",
        Severity.ERROR,
        "The repository holds no os2scan database",
        "Remove the database from the repository and ignore it (`git rm --cached` it, add "
        "it to .gitignore); os2scan keeps its database outside the checkout by default.",
    ),
    RuleInfo(
        "content-owner",
        Severity.WARNING,
        "Content owned by someone the policy does not expect states a licence",
        "Get the owner's licence for the image, font, document or archive (for OS2 content: "
        "CC-BY-SA-4.0) and record it in the file's metadata or a `.license` file, or replace "
        "it with content under an open licence or of your own.",
    ),
    RuleInfo(
        "publiccode",
        Severity.INFO,
        "publiccode.yml exists and its legal section matches",
        "Add or correct publiccode.yml: legal.license must be the declared licence.",
    ),
)

#: The rule ids, in catalogue order.
RULE_IDS: tuple[str, ...] = tuple(rule.id for rule in CATALOGUE)
