"""XML parsed only through defusedxml, bounded in size: entity expansion, external entities
and DTDs are refused, and a refusal is a reason, never an exception that escapes a reader."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring


class UnsafeXml(ValueError):
    """The XML declared entities or a DTD, was too large, or did not parse."""


def parse(data: bytes, *, limit: int, what: str) -> Element:
    """The root element of `data`; raises UnsafeXml with a one-line reason."""
    if len(data) > limit:
        raise UnsafeXml(f"{what}: XML larger than {limit} bytes")
    try:
        root: Element = fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise UnsafeXml(f"{what}: XML refused ({type(error).__name__})") from error
    except (ParseError, ValueError) as error:
        raise UnsafeXml(f"{what}: malformed XML") from error
    return root


def local(tag: object) -> str:
    """The local name of a tag: "{http://purl.org/dc/elements/1.1/}rights" -> "rights"."""
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    text = str(tag)
    return text[1:].split("}", 1)[0] if text.startswith("{") else ""


def text_of(element: Element) -> str:
    """All text inside an element (an rdf:Alt's items, a cc:Agent's dc:title), joined."""
    return " ".join(" ".join(part.split()) for part in element.itertext() if part.strip())
