"""The texts rules show people, as gettext msgids with parameters.

A check never builds a finished sentence: it writes `msg("{path} is under {license}.",
path=..., license=...)`, the English wording with `{name}` fields and their values. The
engine stores the English sentence for the CI formats and the message itself, so each report
says it in its own language (the catalogues in `reports/i18n/locale`). `msg` is also the
keyword Babel extracts the rule texts by, which is how a test finds every text a rule can say
and checks that the Danish catalogue translates it.
"""

from __future__ import annotations

import re

from scanner.kernel.models import Message

#: the keywords Babel's extractor looks for in rules/: msg(text), msgn(singular, plural, n)
KEYWORDS = {"msg": None, "msgn": (1, 2)}


def msg(template: str, **params: object) -> Message:
    """A rule text: `template` is its English wording and msgid, `params` fill its fields
    (a Message as a value is a text of its own, translated first)."""
    return Message.of(template, **params)


def msgn(singular: str, plural: str, count: int, **params: object) -> Message:
    """A rule text whose wording depends on `count` (`{n}` in the text is the count)."""
    base = Message.of(singular, n=count, **params)
    return Message(base.template, base.params, plural=plural, count=count, parts=base.parts)


#: The words a skip reason (`FileFinding.skipped`, `Unchecked`) is made of.
_REASON_WORDS = {
    "symlink": msg("symlink"),
    "binary": msg("binary"),
    "too large": msg("too large"),
    "git-lfs pointer": msg("git-lfs pointer"),
    "os2scan database": msg("os2scan database"),
    "unreadable": msg("unreadable"),
    "timeout": msg("timeout"),
    "partial": msg("partial"),
    "error": msg("error"),
    "not fully checked": msg("not fully checked"),
    "symlink not followed": msg("symlink not followed"),
}
_TIMEOUT_AT = re.compile(r"timeout at (?P<seconds>[0-9.]+) s")


def unchecked_reason(reason: str) -> Message:
    """Why a file was not read in full, as a text to translate: "not fully checked: timeout
    at 120 s" is its words joined by ": "; a detail from the system (an OS error) stays as
    it is."""
    head, sep, rest = reason.partition(": ")
    if sep and head in _REASON_WORDS:
        return msg("{reason}: {detail}", reason=_REASON_WORDS[head], detail=unchecked_reason(rest))
    timeout = _TIMEOUT_AT.fullmatch(reason)
    if timeout:
        return msg("timeout at {seconds} s", seconds=timeout["seconds"])
    return _REASON_WORDS.get(reason) or Message(reason)
