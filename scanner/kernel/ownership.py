"""Copyright holders: telling a real owner from a licence template's placeholder.

Licence templates ship with fields to fill in ("Copyright [yyyy] [name of copyright owner]",
"Copyright (C) <year> <name of author>", "Copyright (c) <YEAR>, <OWNER>"). A repository whose
only holder is such a field names no owner. `is_placeholder` decides, `clean_holders` filters
and de-duplicates a list of holders, and `holder_from_statement` turns a copyright statement
("SPDX-FileCopyrightText: 2023 Aarhus Kommune <it@aarhus.dk>") into its holder. Statements in
metadata are often written with markup ("Foto*Nord* | <b>Nordlys Billeder ApS</b> 2021"): the
holder is read from the text without it, the statement itself stays as it was written.

What counts as a placeholder:
- a holder with a template field: text in [...], <...> or {...} that is not an e-mail address
  or a URL ("<OWNER>", "[name]", "{name of copyright owner}", "<year> <name>");
- a holder that, once "copyright", "(c)", years and "yyyy"/"year" are taken away, is empty or
  only generic words that name no one: "name", "name of author", "the copyright holder(s)",
  "copyright owner", "owner", "author(s)", "the authors", "contributors", "the authors and
  contributors", "your name", "full name", "organization", "company".
  "The Authors" names no one and is a placeholder; "The Go Authors" names a project and is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FIELD = re.compile(r"\[([^\]]*)\]|<([^>]*)>|\{([^}]*)\}")

_GENERIC_WORDS = (
    "name",
    "names",
    "name of author",
    "name of authors",
    "name of copyright owner",
    "name of copyright holder",
    "name of copyright holders",
    "copyright owner",
    "copyright owners",
    "copyright holder",
    "copyright holders",
    "copyright holder s",
    "copyright holders and contributors",
    "owner",
    "owners",
    "holder",
    "holders",
    "author",
    "authors",
    "authors and contributors",
    "contributors",
    "your name",
    "yourname",
    "full name",
    "fullname",
    "organization",
    "organisation",
    "company",
    "your company",
    "name of organization",
    "licensor",
    "copyright",
)


def _is_field(text: str) -> bool:
    """A bracketed template field, as opposed to an e-mail address or a URL in brackets."""
    return "@" not in text and "://" not in text and not re.search(r"\w\.\w{2,}", text)


def _core(holder: str) -> str:
    s = holder.lower()
    s = re.sub(r"\(s\)", "s", s)
    s = re.sub(r"spdx-filecopyrighttext:?|copyright|\(c\)|©", " ", s)
    s = re.sub(r"\b(?:\d{4}(?:\s*[-,]\s*\d{4})*|yyyy|year|years)\b", " ", s)
    s = re.sub(r"all rights reserved", " ", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"^\s*the\s+", " ", s)
    return " ".join(s.split())


_GENERIC = frozenset(_core(words) for words in _GENERIC_WORDS) - {""}


def is_placeholder(holder: str) -> bool:
    """True when a holder is a template field or generic words instead of a real owner."""
    if not holder or not holder.strip():
        return True
    for match in _FIELD.finditer(holder):
        if _is_field(next(g for g in match.groups() if g is not None)):
            return True
    core = _core(_FIELD.sub(" ", holder))
    return not core or core in _GENERIC


def holder_key(holder: str) -> str:
    """What two spellings of one holder share ("Magenta ApS" and "Magenta Aps")."""
    return " ".join(holder.casefold().split()).strip(" .,;:")


#: No real holder or copyright statement is this long. What a repository writes is cut to it
#: before the patterns here run, whose backtracking grows with the square of the length.
MAX_STATEMENT = 500

#: scancode reads an SPDX-FileCopyrightText line and the SPDX-License-Identifier line under it
#: as one statement; the licence tag is never part of the holder's name.
_TRAILING_TAG = re.compile(r"(?i)[\s,;:]*\bSPDX-(?:License-Identifier|FileContributor)\b.*$")


#: Contact details after a name: "Magenta ApS, Contact: info@...", "Jane Roe, e-mail ...".
_CONTACT_TAIL = re.compile(
    r"(?i)\s*[,;:(]\s*(?:contact|e-?mail|mail|tel|phone|telefon|web|www|url|homepage|website)"
    r"\b.*$"
)
_EMAIL = re.compile(r"\s*[<(\[]?\s*(?:mailto:)?[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*[>)\]]?")
_URL = re.compile(r"(?i)\s*[<(\[]?\s*(?:https?://|www\.)[^\s>)\]]*\s*[>)\]]?")
#: Years before or after a name: "2019-2023 Magenta ApS", "Magenta ApS 2021, 2022".
_YEARS = r"(?:19|20)\d{2}(?:\s*[-–,/]\s*(?:(?:19|20)\d{2}|present|today))*"
_LEADING_YEARS = re.compile(rf"(?i)^(?:\(c\)|©|copyright|\s)*{_YEARS}[\s,.]+")
_TRAILING_YEARS = re.compile(rf"(?i)[\s,]+{_YEARS}\s*$")
_RIGHTS = re.compile(r"(?i)[\s,;]*\ball rights reserved\.?\s*$")
#: Last words whose dot belongs to them: "Acme Inc.", "Foo Ltd.", "Jane Roe Jr.".
_ABBREVIATIONS = frozenset({"inc", "ltd", "co", "corp", "jr", "sr", "bros", "mfg", "assn", "dept"})


def _without_closing_dot(text: str) -> str:
    """"Magenta ApS." is "Magenta ApS": the full stop ends the sentence, not the name. An
    abbreviation keeps its dot ("Acme Inc.", "e.V.", "J. R."), which is part of the name."""
    if not text.endswith(".") or text.endswith(".."):
        return text
    last = text[:-1].rsplit(" ", 1)[-1]
    if "." in last or len(last) <= 1 or last.casefold() in _ABBREVIATIONS:
        return text
    return text[:-1]


def tidy_holder(holder: str) -> str:
    """A holder's name alone: whitespace normalised, and any SPDX tag scancode ran into it,
    contact details (e-mail address, URL, "Contact: ..."), years and "All rights reserved" cut
    off. Letters of any script are kept as they are."""
    text = _TRAILING_TAG.sub("", " ".join(holder[:MAX_STATEMENT].split()))
    text = _CONTACT_TAIL.sub("", text)
    text = _EMAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _RIGHTS.sub("", text)
    text = _LEADING_YEARS.sub("", text)
    text = _TRAILING_YEARS.sub("", text)
    return _without_closing_dot(" ".join(text.split()).strip(" ,;:-"))


def clean_holders(holders: Iterable[str]) -> tuple[str, ...]:
    """Holders without placeholders and contact details, each once: spellings that differ only
    in case ("Magenta ApS", "Magenta Aps") are one holder, in its first-seen spelling (callers
    pass the most frequent first)."""
    seen: dict[str, str] = {}
    for holder in holders:
        if not isinstance(holder, str):
            continue
        tidy = tidy_holder(holder)
        if is_placeholder(tidy):
            continue
        seen.setdefault(holder_key(tidy), tidy)
    return tuple(seen.values())


#: HTML's inline and paragraph tags, by name, so that a template field ("<OWNER>", "<name of
#: author>") or an e-mail address in brackets is never taken for one.
_HTML_TAG = re.compile(
    r"(?i)</?(?:a|abbr|b|big|br|cite|code|div|em|font|i|mark|p|s|small|span|strong|sub|sup|u)"
    r"(?:\s[^<>]*)?/?>"
)
#: Markdown emphasis: *x*, **x**, ***x*** anywhere (CommonMark allows it inside a word:
#: "Foto*Nord*"), _x_ and __x__ only around whole words ("snake_case_name" keeps its own).
_STAR_EMPHASIS = re.compile(r"(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*])\1")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<!\w)(_{1,3})(?=[^\s_])(.+?)(?<=[^\s_])\1(?!\w)")


def without_markup(text: str) -> str:
    """A statement's words without HTML tags and Markdown emphasis around them."""
    text = _HTML_TAG.sub(" ", text)
    text = _STAR_EMPHASIS.sub(r"\2", text)
    return _UNDERSCORE_EMPHASIS.sub(r"\2", text)


def holder_from_statement(statement: str) -> str | None:
    """The holder named in a copyright statement, or None when it names none.

    "SPDX-FileCopyrightText: 2019-2023 Magenta ApS <info@magenta.dk>" -> "Magenta ApS";
    "Foto*Nord* | <b>Nordlys Billeder ApS</b> 2021" -> "FotoNord | Nordlys Billeder ApS 2021"
    (whose years `tidy_holder` takes off).
    """
    s = " ".join(without_markup(statement[:MAX_STATEMENT]).split())
    s = re.sub(r"(?i)^\s*(spdx-filecopyrighttext:|spdx-copyrighttext:)\s*", "", s)
    s = re.sub(r"(?i)^(copyright\b|\(c\)|©|\s|,)+", "", s)
    s = re.sub(r"^(?:\d{4}(?:\s*[-–,]\s*\d{4})*[\s,.]*)+", "", s)
    s = re.sub(r"(?i)[.,]?\s*all rights reserved\.?$", "", s)
    # an e-mail address or URL after the name is contact data, not part of the name
    s = re.sub(r"\s*<[^>]*(@|://)[^>]*>\s*$", "", s).strip(" ,;")
    if not s or is_placeholder(s):
        return None
    return s
