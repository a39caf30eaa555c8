"""The OS2 governance view: a traffic light per product for the checklist criteria os2scan can
judge, with the evidence and the reason for each light.

The lights judge by the policy the scan was evaluated with (`ScanResult.policy_terms`): its
standard licence (the first of `licenses.declared_allowed`), the copyright holders it expects
(`owners.expected`) and the forge organisations that are its own (`owners.organisations`).

- F1, the code is public in a repository under OS2: green when every scanned repository is
  public on GitHub or GitLab in one of the policy's organisations, yellow when all are on a
  public forge but some live elsewhere, red when some are private or the forge says nothing of
  them; grey (unknown) when no repository came from a forge.
- F2, an OSI-approved licence, the policy's standard licence preferred: green when every
  scanned repository declares the standard licence, yellow when every one declares an
  OSI-approved licence, red when one declares none or a licence that is not OSI-approved.
- F6, handed over and under OS2's control: green when the repositories live in the policy's
  organisations and a holder the policy expects holds copyright in each (and no image, font,
  document or archive in them is owned by someone else without a licence), yellow when that
  is true of some of them, red when of none (for example only a vendor holds it); unknown
  when there is no forge information and no copyright holder.
- F11, public issue tracking: green when the forge says every repository has issues enabled,
  yellow when some do, red when none do; unknown when no repository came from a forge.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pandas as pd

from reports.i18n import Catalogue
from rules.policy import load_policy, matches_any
from scanner.kernel.errors import InputError
from scanner.kernel.licenses import choices, license_info
from scanner.kernel.models import PolicyTerms, ScanResult

GREEN, YELLOW, RED, UNKNOWN = "green", "yellow", "red", "unknown"
CRITERIA = ("F1", "F2", "F6", "F11")


def terms_of(result: ScanResult) -> PolicyTerms:
    """The policy terms the scan carries; a scan stored before scans carried them is judged
    by the built-in policy of the same name, if there is one."""
    if not result.policy_terms.empty or result.policy_source != "built-in":
        return result.policy_terms
    try:
        return load_policy(result.policy_name).terms
    except InputError:
        return result.policy_terms


def standard_license(terms: PolicyTerms) -> str | None:
    return terms.declared_allowed[0] if terms.declared_allowed else None


def owner_of(web_url: str | None) -> str | None:
    """The organisation or group of a forge URL ("OS2mo" in https://github.com/OS2mo/core)."""
    if not web_url or not isinstance(web_url, str):
        return None
    parts = [p for p in urlparse(web_url).path.split("/") if p]
    return parts[0] if parts else None


def _osi(expression: object) -> bool:
    if not isinstance(expression, str) or not expression:
        return False
    return any(
        alt and all(license_info(m).is_osi_approved for m in alt) for alt in choices(expression)
    )


def _light(all_ok: pd.Series, any_ok: pd.Series, unknown: pd.Series | None = None) -> pd.Series:
    light = pd.Series(RED, index=all_ok.index)
    light = light.mask(any_ok, YELLOW).mask(all_ok, GREEN)
    return light.mask(unknown, UNKNOWN) if unknown is not None else light


def _expected_holder(holders: object, terms: PolicyTerms) -> bool:
    names = [h.strip() for h in str(holders or "").split(";") if h.strip()]
    return any(matches_any(terms.owners, name) for name in names)


def governance_frame(repositories: pd.DataFrame, terms: PolicyTerms) -> pd.DataFrame:
    """One row per product and criterion: light, evidence (facts) and reason (which rule).

    `repositories` is `Summary.repositories`; only scanned repositories are judged, by the
    policy `terms`.
    """
    standard = standard_license(terms)
    repos = repositories[repositories["status"] != "failed"].copy()
    repos["owner"] = repos["web_url"].map(owner_of)
    repos["on_forge"] = repos["platform"].notna()
    repos["in_os2"] = repos["owner"].map(
        lambda o: isinstance(o, str) and matches_any(terms.organisations, o)
    )
    repos["public"] = repos["on_forge"] & ~repos["visibility"].isin(["private", "internal"])
    repos["mpl"] = repos["declared_license"].eq(standard) if standard else False
    repos["osi"] = repos["declared_license"].map(_osi)
    # a holder the policy expects holds the code, and no content in it belongs to someone
    # else unlicensed
    repos["member_holder"] = repos["copyright_holders"].map(
        lambda h: _expected_holder(h, terms)
    ) & repos["content_foreign"].fillna(0).eq(0)
    repos["issues"] = repos["has_issues"].eq(True)
    grouped = repos.groupby("product")
    per = grouped.agg(
        n=("repository", "size"),
        forge=("on_forge", "sum"),
        os2=("in_os2", "sum"),
        public=("public", "sum"),
        mpl=("mpl", "sum"),
        osi=("osi", "sum"),
        holders=("member_holder", "sum"),
        issues=("issues", "sum"),
        owners=("owner", lambda s: ", ".join(sorted(set(s.dropna())))),
        licenses=("declared_license", lambda s: ", ".join(sorted(set(s.dropna()))) or "-"),
        holder_names=("copyright_holders", lambda s: "; ".join(sorted(set(s.dropna()) - {""}))),
        content_foreign=("content_foreign", "sum"),
    )
    foreign = per["content_foreign"].fillna(0).astype(int)
    per["holder_detail"] = per["holder_names"].where(
        foreign == 0, per["holder_names"] + "; " + foreign.astype(str) + " content owned by others"
    )
    n = per["n"]
    f1 = _light((per["os2"] == n) & (per["public"] == n), per["public"] == n, per["forge"] == 0)
    f2 = _light(per["mpl"] == n, per["osi"] == n)
    f6 = _light(
        (per["os2"] == n) & (per["holders"] == n),
        (per["os2"] > 0) | (per["holders"] > 0),
        (per["forge"] == 0) & (per["holder_names"] == ""),
    )
    f11 = _light(per["issues"] == n, per["issues"] > 0, per["forge"] == 0)
    lights = {"F1": f1, "F2": f2, "F6": f6, "F11": f11}
    # the evidence of each criterion: two counts out of n, and the names behind them
    facts = {
        "F1": (per["public"], per["os2"], per["owners"]),
        "F2": (per["mpl"], per["osi"], per["licenses"]),
        "F6": (per["os2"], per["holders"], per["holder_detail"]),
        "F11": (per["issues"], per["forge"], per["owners"]),
    }
    frames = [
        pd.DataFrame(
            {
                "product": per.index,
                "criterion": criterion,
                "light": lights[criterion].to_numpy(),
                "n": n.to_numpy(),
                "a": facts[criterion][0].astype(int).to_numpy(),
                "b": facts[criterion][1].astype(int).to_numpy(),
                "detail": facts[criterion][2].to_numpy(),
            }
        )
        for criterion in CRITERIA
    ]
    columns = ["product", "criterion", "light", "evidence", "n", "a", "b", "detail", "standard"]
    if not frames or per.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(CRITERIA)}
    frame["_order"] = frame["criterion"].map(order)
    frame["standard"] = standard or "–"
    english = Catalogue("en")
    frame["evidence"] = [
        english(f"gov.evidence.{c}", n=n_, a=a, b=b, detail=d or "–", standard=standard or "–")
        for c, n_, a, b, d in frame[["criterion", "n", "a", "b", "detail"]].itertuples(index=False)
    ]
    return frame.sort_values(["product", "_order"], kind="stable")[columns].reset_index(drop=True)
