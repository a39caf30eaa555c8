"""Keep secrets out of everything os2scan prints, logs, stores or writes.

Any text that may carry a URL or a message from git or a forge passes through `redact()` before
it reaches a user, a log or the database. Credentials in URLs are removed, and anything that looks
like a GitHub or GitLab token (or equals the value of a token variable) is replaced by `***`.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit, urlunsplit

MASK = "***"

# Environment variables whose values are secrets wherever they appear.
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN", "GITLAB_TOKEN", "CI_JOB_TOKEN")

# Schemes where any user part of a URL is a credential (https://TOKEN@host/...).
_HTTP_SCHEMES = frozenset({"http", "https", "ftp", "ftps"})

_TOKEN_PATTERNS = (
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}"),  # GitHub classic and app tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),  # GitHub fine-grained tokens
    re.compile(r"\bgl(?:pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat|ffct)-[A-Za-z0-9_\-]{20,}"),
    re.compile(r"(?i)(?<=authorization: )(?:basic|bearer|token) \S+"),
    re.compile(r"(?i)(?<=private-token: )\S+"),
)

# scheme://userinfo@rest, anywhere in a text. Userinfo stops at the first character a URL's
# authority cannot hold; the last "@" before the host wins, as in URL parsing.
_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^\s/?#@]+)@")

_MIN_SECRET_LENGTH = 6  # shorter "tokens" would mask ordinary words; real ones are far longer


def strip_url_credentials(url: str) -> str:
    """Return `url` without a password, and without any user part for http(s).

    `ssh://git@host/x` and `git@host:x` keep their user name, which is not a secret.
    Text that is not a URL is returned unchanged.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return _URL_USERINFO.sub(_userinfo_replacement, url)
    if not parts.scheme or "@" not in parts.netloc:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, has_password, _ = userinfo.partition(":")
    if parts.scheme.lower() in _HTTP_SCHEMES or not user:
        netloc = hostport
    elif has_password:
        netloc = f"{user}@{hostport}"
    else:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _userinfo_replacement(match: re.Match[str]) -> str:
    scheme = match.group("scheme")
    user, has_password, _ = match.group("userinfo").partition(":")
    if scheme[:-3].lower() in _HTTP_SCHEMES or (has_password and not user):
        return scheme
    if has_password:
        return f"{scheme}{user}@"
    return match.group(0)


def _secret_values() -> list[str]:
    values = []
    for name in TOKEN_VARIABLES:
        value = os.environ.get(name, "").strip()
        if len(value) >= _MIN_SECRET_LENGTH:
            values.append(value)
    return sorted(values, key=len, reverse=True)


def redact(text: str) -> str:
    """Remove credentials and token-like strings from `text`, for printing or storing it."""
    if not text:
        return text
    for value in _secret_values():
        text = text.replace(value, MASK)
    text = _URL_USERINFO.sub(_userinfo_replacement, text)
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(MASK, text)
    return text


def one_line(text: str, *, limit: int = 500) -> str:
    """Redact `text` and fold it into a single line of at most `limit` characters."""
    line = " ".join(redact(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


#: Control characters: terminal escape sequences, carriage returns and newlines that would let
#: a file name or a manifest's text forge or restyle the lines os2scan prints.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character shown as \\xNN, safe to print on one line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


_ESCAPE = re.compile(r"\\x([0-9a-f]{2})")


def unescaped_bytes(text: str) -> bytes:
    """The bytes of a name stored with \\xNN escapes (control characters and bytes that are
    not UTF-8, see `printable`): what the file is really called on disk, for a link or URI."""
    parts = _ESCAPE.split(text)
    out = bytearray()
    for index, part in enumerate(parts):
        out += bytes([int(part, 16)]) if index % 2 else part.encode("utf-8", "surrogateescape")
    return bytes(out)
