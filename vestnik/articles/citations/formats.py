"""Machine-readable citations: BibTeX (biblatex fields), RIS and CSL-JSON.

Written by hand rather than through a library: each format is a few lines of
well-specified text, and the tests read the output back with the real parsers
(bibtexparser, rispy) that reference managers' importers resemble.

BibTeX values are UTF-8 and braced; LaTeX's special characters are escaped
except in `url`, which biblatex reads verbatim. RIS values are one line each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from vestnik.articles.citations.records import CitationRecord
from vestnik.articles.citations.references import Reference
from vestnik.core.text import latin_slug

# Character → its LaTeX form inside a braced BibTeX value.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _LATEX_ESCAPES))
_VERBATIM_FIELDS = frozenset({"url", "doi"})
_WHITESPACE = re.compile(r"\s+")

# ISO 639-1 → the language names biblatex (babel/polyglossia) understands.
BIBLATEX_LANGUAGES = {"ru": "russian", "en": "english"}


def _one_line(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip()


def bibtex_value(name: str, value: str) -> str:
    value = _one_line(value)
    if name in _VERBATIM_FIELDS:
        # Braces cannot be escaped in a verbatim field; percent-encode them instead.
        return value.replace("{", "%7B").replace("}", "%7D")
    return _LATEX_SPECIAL.sub(lambda match: _LATEX_ESCAPES[match.group(0)], value)


def bibtex_entry(entry_type: str, key: str, fields: Sequence[tuple[str, str]]) -> str:
    lines = [f"@{entry_type}{{{key},"]
    lines.extend(
        f"  {name} = {{{bibtex_value(name, value)}}}," for name, value in fields if value.strip()
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris_record(fields: Iterable[tuple[str, str]]) -> str:
    lines = [f"{tag}  - {_one_line(value)}" for tag, value in fields if value.strip()]
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


# --- the article itself ------------------------------------------------------


def article_bibtex(record: CitationRecord) -> str:
    """An `@online` entry: biblatex's type for a dated web publication such as a blog post.

    A report's record (`kind="report"`) gets `report_bibtex`'s `@techreport`.
    """
    if record.is_report:
        return report_bibtex(record)
    fields = [
        ("author", " and ".join(person.family_given for person in record.authors)),
        ("title", record.title),
        ("titleaddon", record.container_title),
        ("organization", record.publisher),
        ("date", record.issued.isoformat()),
        ("year", str(record.issued.year)),
        ("url", record.url),
        ("langid", BIBLATEX_LANGUAGES.get(record.language, record.language)),
        ("abstract", record.abstract),
        ("keywords", ", ".join(record.keywords)),
    ]
    return bibtex_entry("online", record.key, fields)


def article_ris(record: CitationRecord) -> str:
    if record.is_report:
        return report_ris(record)
    # A piece of the analysis section is in no blog: a web page of the institution's.
    fields: list[tuple[str, str]] = [("TY", "BLOG" if record.container_title else "ELEC")]
    fields.extend(("AU", person.family_given) for person in record.authors)
    fields += [
        ("TI", record.title),
        ("T2", record.container_title),
        ("PB", record.publisher),
        ("PY", str(record.issued.year)),
        ("DA", record.issued.strftime("%Y/%m/%d")),
        ("UR", record.url),
        ("LA", record.language),
        ("AB", record.abstract),
    ]
    fields.extend(("KW", keyword) for keyword in record.keywords)
    fields.append(("L1", record.pdf_url))
    fields.append(("ID", record.key))
    return ris_record(fields)


def article_csl(record: CitationRecord) -> dict[str, Any]:
    if record.is_report:
        return report_csl(record)
    item: dict[str, Any] = {
        "id": record.key,
        "type": "post-weblog" if record.container_title else "webpage",
        "title": record.title,
        "author": [
            {"family": person.family, "given": person.given}
            if person.given
            else {"literal": person.family}
            for person in record.authors
        ],
        "issued": {"date-parts": [[record.issued.year, record.issued.month, record.issued.day]]},
        "container-title": record.container_title,
        "publisher": record.publisher,
        "URL": record.url,
        "language": record.language,
    }
    if record.abstract:
        item["abstract"] = record.abstract
    if record.keywords:
        item["keyword"] = ", ".join(record.keywords)
    return item


def article_csl_json(record: CitationRecord) -> str:
    """CSL-JSON is a list of items, even for one."""
    return json.dumps([article_csl(record)], ensure_ascii=False, indent=2) + "\n"


# --- a report (a numbered issue of a series) ----------------------------------


def _csl_authors(record: CitationRecord) -> list[dict[str, str]]:
    return [
        {"family": person.family, "given": person.given}
        if person.given
        else {"literal": person.family}
        for person in record.authors
    ]


def report_bibtex(record: CitationRecord) -> str:
    """A `@techreport` (BibTeX's and biblatex's alias of `@report`): type, number, institution."""
    fields = [
        ("author", " and ".join(person.family_given for person in record.authors)),
        ("title", record.title),
        ("type", record.genre),
        ("number", record.number),
        ("series", record.series),
        ("institution", record.publisher),
        ("address", record.place),
        ("date", record.issued.isoformat()),
        ("year", str(record.issued.year)),
        ("pagetotal", str(record.page_count) if record.page_count else ""),
        ("isbn", record.isbn),
        ("doi", record.doi),
        ("url", record.url),
        ("langid", BIBLATEX_LANGUAGES.get(record.language, record.language)),
        ("abstract", record.abstract),
        ("keywords", ", ".join(record.keywords)),
    ]
    return bibtex_entry("techreport", record.key, fields)


def report_ris(record: CitationRecord) -> str:
    """`TY  - RPRT`; the report's number goes in IS, the series in T3, the ISBN in SN."""
    fields: list[tuple[str, str]] = [("TY", "RPRT")]
    fields.extend(("AU", person.family_given) for person in record.authors)
    fields += [
        ("TI", record.title),
        ("T3", record.series),
        ("M3", record.genre),
        ("IS", record.number),
        ("PB", record.publisher),
        ("CY", record.place),
        ("PY", str(record.issued.year)),
        ("DA", record.issued.strftime("%Y/%m/%d")),
        ("SP", str(record.page_count) if record.page_count else ""),
        ("SN", record.isbn),
        ("DO", record.doi),
        ("UR", record.url),
        ("LA", record.language),
        ("AB", record.abstract),
    ]
    fields.extend(("KW", keyword) for keyword in record.keywords)
    fields.append(("L1", record.pdf_url))
    fields.append(("ID", record.key))
    return ris_record(fields)


def report_csl(record: CitationRecord) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": record.key,
        "type": "report",
        "title": record.title,
        "author": _csl_authors(record),
        "issued": {"date-parts": [[record.issued.year, record.issued.month, record.issued.day]]},
        "genre": record.genre,
        "number": record.number,
        "collection-title": record.series,
        "publisher": record.publisher,
        "publisher-place": record.place,
        "number-of-pages": str(record.page_count) if record.page_count else "",
        "ISBN": record.isbn,
        "DOI": record.doi,
        "URL": record.url,
        "language": record.language,
        "abstract": record.abstract,
        "keyword": ", ".join(record.keywords),
    }
    return {name: value for name, value in item.items() if value}


# --- the article's references ------------------------------------------------

_BIBTEX_TYPES = {"book": "book", "article": "article", "chapter": "incollection", "web": "online"}
_RIS_TYPES = {"book": "BOOK", "article": "JOUR", "chapter": "CHAP", "web": "ELEC"}


def _reference_pages(reference: Reference) -> str:
    """Page ranges belong to articles and chapters; a book's pages were where a note pointed."""
    return reference.pages if reference.kind in ("article", "chapter") else ""


def reference_bibtex(reference: Reference, key: str) -> str:
    container_field = {
        "article": "journaltitle",
        "chapter": "booktitle",
        "web": "organization",
    }.get(reference.kind, "")
    fields = [
        ("author", " and ".join(person.family_given for person in reference.authors)),
        ("title", reference.title),
        (container_field, reference.container) if container_field else ("", ""),
        ("volume", reference.volume),
        ("number", reference.issue),
        ("pages", _reference_pages(reference)),
        ("publisher", reference.publisher),
        ("location", reference.place),
        ("year", str(reference.year) if reference.year else ""),
        ("url", reference.url),
        ("urldate", reference.accessed.isoformat() if reference.accessed else ""),
    ]
    return bibtex_entry(
        _BIBTEX_TYPES.get(reference.kind, "misc"), key, [(n, v) for n, v in fields if n]
    )


def references_bibtex(references: Sequence[Reference]) -> str:
    return "\n".join(
        reference_bibtex(reference, key)
        for reference, key in zip(references, reference_keys(references), strict=True)
    )


def reference_ris(reference: Reference) -> str:
    fields: list[tuple[str, str]] = [("TY", _RIS_TYPES.get(reference.kind, "GEN"))]
    fields.extend(("AU", person.family_given) for person in reference.authors)
    fields.append(("TI", reference.title))
    fields.append(("T2", reference.container))
    fields.append(("VL", reference.volume))
    fields.append(("IS", reference.issue))
    pages = _reference_pages(reference)
    if pages:
        start, _dash, end = pages.partition("–")
        fields.append(("SP", start))
        fields.append(("EP", end))
    fields.append(("PB", reference.publisher))
    fields.append(("CY", reference.place))
    fields.append(("PY", str(reference.year) if reference.year else ""))
    fields.append(("UR", reference.url))
    fields.append(("Y2", reference.accessed.strftime("%Y/%m/%d") if reference.accessed else ""))
    return ris_record(fields)


def references_ris(references: Sequence[Reference]) -> str:
    return "".join(reference_ris(reference) for reference in references)


def reference_keys(references: Sequence[Reference]) -> list[str]:
    """Unique keys: «iiss2024»-like stems, with a, b, c… where two works share one."""
    stems = []
    for reference in references:
        name = (
            reference.authors[0].family
            if reference.authors
            else (reference.publisher or reference.title)
        )
        word = latin_slug(name, max_length=30).split("-")[0] or "ref"
        stems.append(f"{word}{reference.year or ''}")
    keys: list[str] = []
    for index, stem in enumerate(stems):
        if stems.count(stem) > 1:
            keys.append(f"{stem}{chr(ord('a') + stems[:index].count(stem))}")
        else:
            keys.append(stem)
    return keys
