"""Every visible text of the reports, in Danish and English, through gettext catalogues.

The catalogues are the gettext `.po` files in `locale/<lang>/LC_MESSAGES/os2scan.po`, shipped
in the package. Babel reads them and compiles them in memory into `gettext` translations (no
compiled `.mo` file has to be built or committed), and formats dates and numbers the way the
report's language writes them.

Two kinds of msgid share the catalogues:

- report texts use a dotted key (`status.compliant`, `col.product`) and are in both
  catalogues; a key missing from the English one is a programming error (KeyError);
- rule texts (titles, how-to-fix texts, violation messages) use their English wording as the
  msgid, with `{name}` fields for their parameters (`rules.texts`); the Danish catalogue
  translates them and English shows the msgid itself.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import cache
from importlib import resources
from typing import Any

from scanner.kernel.models import Message

LANGUAGES = ("da", "en")
#: the Babel locale that writes each language's dates and numbers (British English: day first)
LOCALES = {"da": "da_DK", "en": "en_GB"}
DOMAIN = "os2scan"
PLURAL_SUFFIX = ".plural"


def catalogue_path(lang: str) -> Any:
    return resources.files(__package__).joinpath("locale", lang, "LC_MESSAGES", f"{DOMAIN}.po")


@cache
def _translations(lang: str) -> tuple[gettext.GNUTranslations, frozenset[str]]:
    """The compiled translations of one language and the msgids its catalogue holds.

    Babel is imported here and in the formatting methods, not with the module: a `check`
    whose text output needs no translation does not pay for loading it."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as fp:
        catalog = read_po(fp, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    ids = frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)
    return gettext.GNUTranslations(buffer), ids


def keys() -> list[str]:
    """The report-text keys (the English catalogue's msgids)."""
    return sorted(_translations("en")[1])


def default_language(policy_name: str) -> str:
    """Danish for the OS2 policy (and policies extending it by name), English otherwise."""
    return "da" if policy_name.lower().startswith("os2") else "en"


class Catalogue:
    """The texts, numbers and dates of one language: `t("status.compliant")`,
    `t.n("count.files", 3)`, `t.text(message)`, `t.percent(0.5)`."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        self.locale = LOCALES[lang]
        self._gettext, self._ids = _translations(lang)

    def __call__(self, key: str, **fields: Any) -> str:
        if key not in _translations("en")[1]:
            raise KeyError(key)
        text = self._gettext.gettext(key)
        return text.format(**fields) if fields else text

    def get(self, key: str, default: str) -> str:
        """The text of `key`, or `default` when the catalogue has no such key."""
        return self(key) if key in _translations("en")[1] else default

    def n(self, key: str, count: int, **fields: Any) -> str:
        """A text with a count in it, in the plural form `count` takes (`{n}` is the count)."""
        if key not in _translations("en")[1]:
            raise KeyError(key)
        text = self._gettext.ngettext(key, key + PLURAL_SUFFIX, count)
        return text.format(n=self.number(count), **fields)

    def text(self, message: Message | None, fallback: str = "") -> str:
        """A rule text (its English wording is the msgid) in this language, with its fields."""
        if message is None:
            return fallback
        if message.plural is not None:
            template = self._gettext.ngettext(
                message.template, message.plural, message.count if message.count is not None else 2
            )
        else:
            template = self._gettext.gettext(message.template)
        fields = dict(message.params) | {k: self.text(part) for k, part in message.parts}
        try:
            return template.format(**fields) if fields else template
        except (KeyError, IndexError, ValueError):
            return message.english()

    # -- numbers and dates --------------------------------------------------------------------

    def number(self, value: float | int) -> str:
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def percent(self, share: float) -> str:
        from babel.numbers import format_percent

        return format_percent(share, locale=self.locale)

    def datetime(self, iso: str) -> str:
        """An ISO timestamp as the language writes a date and time (in UTC, and says so)."""
        from babel.dates import format_datetime

        try:
            when = dt.datetime.fromisoformat(iso)
        except ValueError:
            return iso
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        text = format_datetime(when, format="medium", tzinfo=dt.UTC, locale=self.locale)
        return f"{text} UTC"

    def date(self, iso: str) -> str:
        from babel.dates import format_date

        try:
            return format_date(dt.date.fromisoformat(iso[:10]), format="long", locale=self.locale)
        except ValueError:
            return iso
