"""«Как цитировать»: an article's reference in GOST R 7.0.100-2018 and in APA 7.

Both return HTML (APA italicises the blog's name; GOST may carry the access
date as a `<time>` element for the page script to fill), escaped here once.
`plain_text` gives the same reference without markup.

GOST keeps its Russian connectives («URL», «дата обращения», «и др.») whatever
the interface language, as the standard does; APA is an English-language
style, so its dates are English.
"""

from __future__ import annotations

import datetime
import html
import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from vestnik.articles.citations.names import Person
from vestnik.articles.citations.records import CitationRecord
from vestnik.core.dates import MONTHS_EN

ACCESS_DATE_PLACEHOLDER = "дд.мм.гггг"
# GOST names every author in the heading up to three; four and more go after the title.
GOST_MAX_HEADING_AUTHORS = 3
APA_MAX_AUTHORS = 20
_TAGS = re.compile(r"<[^>]+>")


def plain_text(citation: str) -> str:
    return html.unescape(_TAGS.sub("", citation))


def _end(text: str, mark: str = ".") -> str:
    """Close a title or a name with a mark unless it already ends with one."""
    text = text.strip()
    return text if not text or text[-1] in ".?!…" else f"{text}{mark}"


def gost_date(date: datetime.date) -> str:
    return date.strftime("%d.%m.%Y")


def gost_citation(
    record: CitationRecord,
    *,
    accessed: datetime.date | None = None,
    access_placeholder: bool = False,
) -> SafeString:
    """«Жакупов А. Название // Блог Асана Жакупова. 28.11.2025. URL: … (дата обращения: …).»

    `accessed` writes a fixed access date (the print view); `access_placeholder`
    leaves a `<span data-cite-accessed>` for the reader's own today (cached
    pages); with neither, the access clause is left out (the PDF, which is the
    same file for every reader).
    """
    title = record.title.strip().rstrip(".")
    authors = record.authors
    if authors and len(authors) <= GOST_MAX_HEADING_AUTHORS:
        heading = ", ".join(person.family_initials for person in authors)
        parts: list[str] = [escape(f"{heading} {title}")]
    elif authors:
        named = ", ".join(person.initials_family for person in authors[:GOST_MAX_HEADING_AUTHORS])
        parts = [escape(f"{title} / {named} [и др.]")]
    else:
        parts = [escape(title)]
    source = record.container_title or record.publisher
    if source:
        parts.append(escape(f" // {source.strip().rstrip('.')}"))
    parts.append(escape(f". {gost_date(record.issued)}."))
    if record.url:
        parts.append(escape(f" URL: {record.url}"))
        if accessed is not None:
            parts.append(
                format_html(
                    ' (дата обращения: <time datetime="{}">{}</time>).',
                    accessed.isoformat(),
                    gost_date(accessed),
                )
            )
        elif access_placeholder:
            parts.append(
                format_html(
                    " (дата обращения: <span data-cite-accessed>{}</span>).",
                    ACCESS_DATE_PLACEHOLDER,
                )
            )
        else:
            parts.append(".")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)


def _apa_authors(authors: tuple[Person, ...]) -> str:
    names = [person.family_comma_initials for person in authors]
    if len(names) > APA_MAX_AUTHORS:
        return ", ".join(names[: APA_MAX_AUTHORS - 1]) + ", … " + names[-1]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]}, & {names[1]}"
    return ", ".join(names[:-1]) + f", & {names[-1]}"


def apa_date(date: datetime.date) -> str:
    return f"{date.year}, {MONTHS_EN[date.month - 1]} {date.day}"


def apa_citation(record: CitationRecord) -> SafeString:
    """«Жакупов, А. (2025, November 28). Название. <i>Блог Асана Жакупова</i>. https://…»"""
    date = f"({apa_date(record.issued)})."
    if record.authors:
        lead = f"{_end(_apa_authors(record.authors))} {date} {_end(record.title)}"
    else:
        # APA moves the title into the author position when there is no author.
        lead = f"{_end(record.title)} {date}"
    parts: list[str] = [escape(lead)]
    source = record.container_title or record.publisher
    if source:
        parts.append(format_html(" <i>{}</i>.", source.strip().rstrip(".")))
    if record.url:
        parts.append(escape(f" {record.url}"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)
