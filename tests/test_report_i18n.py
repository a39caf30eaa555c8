"""The catalogues: every text of the reports and the rules in Danish and English, plurals and
the fields of each text included, and reports that speak one language throughout."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from report_helpers import scan_result

from reports.i18n import Catalogue, catalogue_path
from reports.write import write_reports
from rules.engine import RULES, evaluate
from rules.policy import load_policy
from rules.texts import KEYWORDS
from scanner.kernel import evidence
from scanner.kernel.models import Message

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates"


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with catalogue_path(lang).open("rb") as fp:
        return read_po(fp, locale=lang)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _msgid(message) -> str:  # type: ignore[no-untyped-def]
    return message.id if isinstance(message.id, str) else message.id[0]


def rule_texts() -> dict[str, str | tuple[str, str]]:
    """Every text a rule can show: the msg()/msgn() texts Babel finds in rules/, each rule's
    title and how-to-fix text, and the evidence templates of components."""
    found: dict[str, str | tuple[str, str]] = {}
    for _, _, message, _, _ in extract_from_dir(
        str(RULES_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found[message if isinstance(message, str) else message[0]] = message
    for spec in RULES.values():
        found[spec.title] = spec.title
        found[spec.how_to_fix] = spec.how_to_fix
    for template in evidence.TEMPLATES:
        found[template] = template
    return found


def test_both_catalogues_hold_the_same_report_texts_all_translated() -> None:
    en, da = _catalog("en"), _catalog("da")
    keys = {_msgid(m) for m in en if m.id}
    assert keys
    assert keys <= {_msgid(m) for m in da if m.id}
    for key in keys:
        for lang, catalog in (("en", en), ("da", da)):
            entry = catalog[key]
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            assert all(strings), (lang, key)
            assert not entry.fuzzy, (lang, key)
        en_strings = en[key].string if en[key].pluralizable else (en[key].string,)
        da_strings = da[key].string if da[key].pluralizable else (da[key].string,)
        assert {frozenset(_fields(s)) for s in da_strings} == {
            frozenset(_fields(s)) for s in en_strings
        }, key


def test_plural_texts_have_both_forms_in_both_languages() -> None:
    for lang in ("en", "da"):
        catalog = _catalog(lang)
        assert catalog.num_plurals == 2
        plurals = [m for m in catalog if m.id and m.pluralizable]
        assert len(plurals) >= 5
        for message in plurals:
            assert len(message.string) == 2, (lang, message.id)
            assert all(message.string), (lang, message.id)


def test_every_rule_text_has_a_danish_translation_with_the_same_fields() -> None:
    da = _catalog("da")
    texts = rule_texts()
    assert len(texts) > 50
    for msgid, message in texts.items():
        entry = da[msgid]
        assert entry is not None, f"no Danish text for {msgid!r}"
        if isinstance(message, tuple):
            assert entry.pluralizable, msgid
            assert len(entry.string) == 2, msgid
            assert all(_fields(s) == _fields(message[1]) for s in entry.string), msgid
        else:
            assert entry.string, msgid
            assert _fields(entry.string) == _fields(msgid), msgid


def test_every_key_the_templates_use_is_in_the_catalogue() -> None:
    en = {_msgid(m) for m in _catalog("en") if m.id}
    used: set[str] = set()
    for template in TEMPLATES.rglob("*.j2"):
        used |= set(re.findall(r"""\bt(?:\.n)?\(\s*'([a-z_]+\.[a-zA-Z0-9_.-]+)'""",
                               template.read_text(encoding="utf-8")))  # fmt: skip
    assert used
    assert used <= en, sorted(used - en)


def test_plurals_numbers_and_dates_follow_the_language() -> None:
    da, en = Catalogue("da"), Catalogue("en")
    assert (da.n("count.files", 1), da.n("count.files", 2)) == ("1 fil", "2 filer")
    assert (en.n("count.products", 1) if False else en.n("count.files", 1)) == "1 file"
    assert da.number(12345) == "12.345"
    assert en.number(12345) == "12,345"
    assert da.percent(0.5) == "50\xa0%"
    assert en.percent(0.5) == "50%"
    assert da.datetime("2026-11-27T10:00:00+00:00") == "27. nov. 2026 10.00.00 UTC"
    assert en.datetime("2026-11-27T10:00:00+00:00") == "27 Nov 2026, 10:00:00 UTC"


def test_a_rule_message_is_said_in_the_report_language() -> None:
    message = Message.of(
        "{path} is under {license}: {reason}.",
        path="src/a.py",
        license="GPL-3.0-only",
        reason=Message.of(
            "{base} does not fit the declared licence {declared}",
            base="GPL-3.0-only",
            declared="MPL-2.0",
        ),
    )
    assert message.english() == (
        "src/a.py is under GPL-3.0-only: GPL-3.0-only does not fit the declared licence MPL-2.0."
    )
    assert Catalogue("da").text(message) == (
        "src/a.py er under GPL-3.0-only: GPL-3.0-only passer ikke med den erklærede licens "
        "MPL-2.0."
    )


def test_violations_carry_message_ids_and_parameters_not_only_sentences() -> None:
    from report_helpers import scan_result as base

    repo = base().repositories[0]
    violations = evaluate(repo, load_policy("os2"))
    assert violations
    for v in violations:
        assert v.message_text is not None
        assert v.how_to_fix_text is not None
        assert v.message == v.message_text.english()
        assert Catalogue("da").text(v.message_text) != v.message, v.message


@pytest.fixture(scope="module")
def danish_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("da")
    from dataclasses import replace

    result = scan_result()
    repo = result.repositories[0]
    result = replace(result, violations=tuple(evaluate(repo, load_policy("os2"))))
    write_reports(result, None, out, ["html", "markdown"], "da")
    return out


def test_the_danish_report_shows_no_english_rule_text(danish_site: Path) -> None:
    english = {m if isinstance(m, str) else m[0] for m in rule_texts()}
    literal = [t.split("{")[0].strip() for t in english]
    markers = [m for m in literal if len(m) > 12]
    for page in [*danish_site.rglob("*.html"), danish_site / "report.md"]:
        text = page.read_text(encoding="utf-8")
        leaked = [m for m in markers if m in text]
        assert not leaked, (page.name, leaked)
    pages = danish_site.glob("products/*/repositories/*/index.html")
    assert any("passer ikke med den erklærede licens" in p.read_text() for p in pages)


def test_the_danish_chart_says_none_as_the_tables_do(danish_site: Path) -> None:
    index = (danish_site / "index.html").read_text(encoding="utf-8")
    chart = index.split('id="chart-licenses"')[1].split("</figure>")[0]
    assert "(ingen)" in chart
    assert ">none<" not in chart


def test_the_rules_table_shows_each_rules_title_in_the_report_language(danish_site: Path) -> None:
    index = (danish_site / "index.html").read_text(encoding="utf-8")
    rules = index.split('id="rules"')[1].split("</section>")[0]
    assert "Hver fils licens er tilladt og passer med den erklærede licens" in rules


def test_skip_reasons_are_said_in_the_report_language_with_the_systems_detail_kept() -> None:
    from rules.texts import unchecked_reason

    da = Catalogue("da")
    reason = unchecked_reason("not fully checked: timeout at 120 s")
    assert reason.english() == "not fully checked: timeout at 120 s"
    assert da.text(reason) == "ikke fuldt kontrolleret: tidsgrænse nået efter 120 s"
    assert da.text(unchecked_reason("too large")) == "for stor"
    assert da.text(unchecked_reason("unreadable: Permission denied")) == (
        "ulæselig: Permission denied"
    )


def test_component_evidence_reads_back_into_its_template_and_is_said_in_danish() -> None:
    from reports.components import evidence_words

    da, en = Catalogue("da"), Catalogue("en")
    for template in evidence.TEMPLATES:
        fields = {name: f"x{i}" for i, name in enumerate(sorted(_fields(template)))}
        written = template.format(**fields)
        assert evidence.parse(written) == (template, fields)
        assert evidence_words(written, en) == written
    assert evidence_words("vendor folder web/vendor/", da) == "tredjepartsmappen web/vendor/"
    assert evidence_words("web/vendor/quill/LICENSE.md", da) == "web/vendor/quill/LICENSE.md"
