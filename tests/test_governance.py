"""The OS2 governance lights (F1, F2, F6, F11) and the evidence behind them."""

from __future__ import annotations

from dataclasses import replace

from report_helpers import scan_result, violation

from reports.governance import governance_frame, owner_of, terms_of
from reports.summary import summarise
from rules.policy import load_policy
from scanner.kernel.models import ForgeMetadata, PolicyTerms, RepoFacts, Severity

OS2 = load_policy("os2").terms


def lights(result, terms: PolicyTerms = OS2) -> dict[tuple[str, str], str]:  # type: ignore[no-untyped-def]
    frame = governance_frame(summarise(result).repositories, terms)
    return {(p, c): light for p, c, light in frame[["product", "criterion", "light"]].values}


def test_lights_of_the_test_portfolio() -> None:
    assert lights(scan_result()) == {
        ("OS2mo", "F1"): "yellow",  # both public, only core under an OS2 organisation
        ("OS2mo", "F2"): "red",  # docs declares CC-BY-4.0, not OSI-approved
        ("OS2mo", "F6"): "yellow",  # core: OS2 org and OS2 holds copyright; docs: neither
        ("OS2mo", "F11"): "yellow",  # issues on GitHub, not on the GitLab docs project
        ("OS2web", "F1"): "unknown",  # a local path: nothing to judge by
        ("OS2web", "F2"): "yellow",  # GPL-3.0-only: OSI-approved but not MPL-2.0
        ("OS2web", "F6"): "yellow",  # OS2 holds copyright, but no OS2 organisation
        ("OS2web", "F11"): "unknown",
    }


def test_the_evidence_counts() -> None:
    frame = governance_frame(summarise(scan_result()).repositories, OS2).set_index(
        ["product", "criterion"]
    )
    f1 = frame.loc[("OS2mo", "F1")]
    assert (f1["n"], f1["a"], f1["b"]) == (2, 2, 1)
    assert f1["evidence"] == "2/2 public on a forge, 1/2 under OS2 (OS2mo, magenta)"
    assert frame.loc[("OS2mo", "F2"), "detail"] == "CC-BY-4.0, MPL-2.0"


def _os2_repo(repo, **meta):  # type: ignore[no-untyped-def]
    metadata = ForgeMetadata(
        platform="github",
        web_url=f"https://github.com/OS2mo/{repo.checkout.name}",
        has_issues=True,
        visibility="public",
    )
    return replace(
        repo,
        checkout=replace(repo.checkout, metadata=replace(metadata, **meta)),
        facts=RepoFacts(declared_license="MPL-2.0", copyright_holders=("Aarhus Kommune",)),
    )


def test_an_os2_product_is_green_everywhere() -> None:
    base = scan_result()
    core, docs = (_os2_repo(r) for r in base.repositories[:2])
    result = scan_result(repositories=(core, docs), violations=())
    assert {c: light for (_, c), light in lights(result).items()} == {
        "F1": "green", "F2": "green", "F6": "green", "F11": "green",
    }  # fmt: skip


def test_content_owned_by_others_keeps_f6_from_green() -> None:
    base = scan_result()
    core, docs = (_os2_repo(r) for r in base.repositories[:2])
    photo = violation(
        "content-owner", Severity.WARNING, "OS2mo", core.checkout.name, "img/photo.jpg"
    )
    result = scan_result(repositories=(core, docs), violations=(photo,))
    assert lights(result)[("OS2mo", "F6")] == "yellow"
    frame = governance_frame(summarise(result).repositories, OS2)
    frame = frame.set_index(["product", "criterion"])
    assert frame.loc[("OS2mo", "F6"), "detail"] == "Aarhus Kommune; 1 content owned by others"


def test_a_private_repository_or_a_vendor_holder_turns_lights_red() -> None:
    base = scan_result()
    core = _os2_repo(base.repositories[0])
    core = replace(core, facts=replace(core.facts, copyright_holders=("Vendor ApS",)))
    vendor = replace(
        core,
        checkout=replace(
            core.checkout,
            metadata=ForgeMetadata(
                platform="github",
                web_url="https://github.com/vendor/x",
                visibility="private",
                has_issues=False,
            ),
        ),
    )
    result = scan_result(repositories=(vendor,), violations=())
    found = {c: light for (_, c), light in lights(result).items()}
    assert found == {"F1": "red", "F2": "green", "F6": "red", "F11": "red"}
    public_vendor = replace(
        vendor,
        checkout=replace(
            vendor.checkout,
            metadata=replace(vendor.checkout.metadata, visibility="public", has_issues=True),
        ),
    )
    found = {
        c: light for (_, c), light in lights(scan_result(repositories=(public_vendor,))).items()
    }
    assert (found["F1"], found["F11"]) == ("yellow", "green")


def test_owner_of_forge_urls() -> None:
    assert owner_of("https://github.com/OS2mo/core") == "OS2mo"
    assert owner_of("https://gitlab.example.org/group/sub/project") == "group"
    assert owner_of(None) is None


def test_the_lights_judge_by_the_policy_the_scan_carries() -> None:
    """Another community's policy: Apache-2.0 as standard, its own holders and organisation."""
    base = scan_result()
    core = _os2_repo(base.repositories[0])
    apache = replace(
        core,
        checkout=replace(
            core.checkout,
            metadata=replace(core.checkout.metadata, web_url="https://github.com/acme-gov/core"),
        ),
        facts=RepoFacts(declared_license="Apache-2.0", copyright_holders=("Acme Council",)),
    )
    terms = PolicyTerms(
        declared_allowed=("Apache-2.0",), owners=("* Council",), organisations=("acme-*",)
    )
    result = replace(scan_result(repositories=(apache,), violations=()), policy_terms=terms)
    assert terms_of(result) == terms
    found = {c: light for (_, c), light in lights(result, terms).items()}
    assert found == {"F1": "green", "F2": "green", "F6": "green", "F11": "green"}
    # judged by OS2's policy the same repository is neither under OS2 nor MPL-2.0
    os2 = {c: light for (_, c), light in lights(result, OS2).items()}
    assert (os2["F1"], os2["F2"], os2["F6"]) == ("yellow", "yellow", "red")


def test_a_stored_scan_without_terms_is_judged_by_its_built_in_policy() -> None:
    assert terms_of(scan_result()) == OS2
    assert OS2.declared_allowed[0] == "MPL-2.0"
    assert "os2*" in OS2.organisations
