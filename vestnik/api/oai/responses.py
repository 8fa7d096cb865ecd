"""The OAI-PMH response document, built with lxml: every text is a node, never a string pasted.

`envelope` makes the root with `responseDate` and `request`; the verbs' views
fill in their element. `dublin_core` writes an `oai_dc:dc` from a citation record.
"""

from __future__ import annotations

import datetime
import re

from lxml import etree

from vestnik.api.oai.protocol import format_datestamp
from vestnik.articles.citations.records import CitationRecord

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"

OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

# Characters XML 1.0 cannot carry at all (a stray control character pasted into a lead).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def sub(
    parent: etree._Element, namespace: str, name: str, text: str | None = None
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        element.text = clean(text)
    return element


def oai(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    return sub(parent, OAI, name, text)


def envelope(
    *, base_url: str, verb: str | None, arguments: dict[str, str], now: datetime.datetime
) -> etree._Element:
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    oai(root, "responseDate", format_datestamp(now))
    request = oai(root, "request", base_url)
    if verb is not None:
        request.set("verb", verb)
        for name, value in arguments.items():
            request.set(name, clean(value))
    return root


def error(root: etree._Element, code: str, message: str) -> None:
    oai(root, "error", message).set("code", code)


def header(
    parent: etree._Element,
    *,
    identifier: str,
    datestamp: datetime.datetime,
    set_specs: tuple[str, ...],
    deleted: bool,
) -> None:
    element = oai(parent, "header")
    if deleted:
        element.set("status", "deleted")
    oai(element, "identifier", identifier)
    oai(element, "datestamp", format_datestamp(datestamp))
    for spec in set_specs:
        oai(element, "setSpec", spec)


def dublin_core_fields(record: CitationRecord, *, rights: str = "") -> list[tuple[str, str]]:
    """The 15 elements' values for a record, in the order `oai_dc` lists them."""
    fields = [("title", record.title)]
    fields += [("creator", person.family_given) for person in record.authors]
    fields += [("subject", keyword) for keyword in record.keywords]
    fields += [
        ("description", record.abstract),
        ("publisher", record.publisher),
        ("date", record.issued.isoformat()),
        ("type", "Text"),
        ("format", "text/html"),
        ("identifier", record.url),
    ]
    if record.doi:
        fields.append(("identifier", f"https://doi.org/{record.doi}"))
    if record.isbn:
        fields.append(("identifier", f"urn:isbn:{record.isbn}"))
    fields += [
        ("language", record.language),
        ("relation", record.pdf_url),
        ("rights", rights),
    ]
    return [(name, value) for name, value in fields if value and value.strip()]


def dublin_core(parent: etree._Element, record: CitationRecord, *, rights: str = "") -> None:
    dc = etree.SubElement(parent, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_SCHEMA}")
    for name, value in dublin_core_fields(record, rights=rights):
        sub(dc, DC, name, value)


def oai_identifier_description(
    parent: etree._Element, *, repository_identifier: str, sample: str
) -> None:
    description = oai(parent, "description")
    element = etree.SubElement(
        description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER, "xsi": XSI}
    )
    element.set(f"{{{XSI}}}schemaLocation", f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository_identifier),
        ("delimiter", ":"),
        ("sampleIdentifier", sample),
    ):
        sub(element, OAI_IDENTIFIER, name, value)


def serialize(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
