"""«How to cite»: an article's reference in GOST R 7.0.100-2018, APA 7 and Chicago.

Each returns HTML (APA and Chicago italicise the blog's name; GOST may carry
the access date as a `<time>` element for the page script to fill), escaped
here once. `plain_text` gives the same reference without markup.

Which styles a version gets follows its language (`STYLES`): a Russian article
is cited by GOST (and APA, as before), an English translation by APA and
Chicago with its authors' English names. GOST keeps its Russian connectives
(«URL», «дата обращения», «и др.»), as the standard does; APA and Chicago are
English-language styles, so their dates are English.
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
# Chicago 18th ed.: a bibliography names up to six authors; with seven or more,
# the first three and «et al.».
CHICAGO_MAX_AUTHORS = 6
CHICAGO_ET_AL_AFTER = 3

# The styles of the «How to cite» block for each language of the version cited, in order.
STYLES: dict[str, tuple[str, ...]] = {"ru": ("gost", "apa"), "en": ("apa", "chicago")}
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
    if record.is_report:
        return _gost_report(record, accessed=accessed, access_placeholder=access_placeholder)
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


def _access_clause(
    record: CitationRecord, *, accessed: datetime.date | None, access_placeholder: bool
) -> str:
    if accessed is not None:
        return format_html(
            ' (дата обращения: <time datetime="{}">{}</time>)',
            accessed.isoformat(),
            gost_date(accessed),
        )
    if access_placeholder:
        return format_html(
            " (дата обращения: <span data-cite-accessed>{}</span>)", ACCESS_DATE_PLACEHOLDER
        )
    return ""


def _report_designation(record: CitationRecord, *, lowercase: bool = False) -> str:
    """«Рабочая тетрадь № 91/2025», "Working Paper No. 91/2025" (no-break space after the sign)."""
    genre = record.genre.strip()
    if lowercase and genre:
        genre = genre[0].lower() + genre[1:]
    if not record.number:
        return genre
    sign = "No." if record.language == "en" else "№"
    return f"{genre} {sign}\u00a0{record.number}".strip()


def _gost_report(
    record: CitationRecord, *, accessed: datetime.date | None, access_placeholder: bool
) -> SafeString:
    """A report or preprint as GOST R 7.0.100-2018 describes it, areas parted by «. – ».

    «Жакупов А. Каспийский транзит : рабочая тетрадь № 91/2025 / А. Жакупов,
    И. Соколова. – Москва : Вестник, 2025. – 48 с. – ISBN … – DOI … – URL: …
    (дата обращения: …).»
    """
    authors = record.authors
    title = record.title.strip().rstrip(".")
    text = f"{authors[0].family_initials} {title}" if 0 < len(authors) <= 3 else title
    designation = _report_designation(record, lowercase=True)
    if designation:
        text += f" : {designation}"
    if authors:
        named = ", ".join(p.initials_family for p in authors[:GOST_MAX_HEADING_AUTHORS])
        text += f" / {named}" + (" [и др.]" if len(authors) > GOST_MAX_HEADING_AUTHORS else "")
    publication = f"{record.place} : " if record.place else ""
    text += f". – {publication}{record.publisher.strip().rstrip('.')}, {record.issued.year}"
    if record.page_count:
        text += f". – {record.page_count}\u00a0с"
    if record.isbn:
        text += f". – ISBN {record.isbn}"
    if record.doi:
        text += f". – DOI: {record.doi}"
    parts: list[str] = [escape(text)]
    if record.url:
        parts.append(escape(f". – URL: {record.url}"))
        parts.append(
            _access_clause(record, accessed=accessed, access_placeholder=access_placeholder)
        )
    parts.append(".")
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)


def _apa_report(record: CitationRecord) -> SafeString:
    """«Жакупов, А. (2025). <i>Название</i> (Рабочая тетрадь № 91/2025). Вестник. https://doi.org/…»"""
    date = f"({record.issued.year})."
    title = record.title.strip().rstrip(".")
    designation = _report_designation(record)
    if record.authors:
        parts: list[str] = [
            escape(f"{_end(_apa_authors(record.authors))} {date} "),
            format_html("<i>{}</i>", title),
        ]
    else:
        parts = [format_html("<i>{}</i>", title)]
    if designation:
        parts.append(escape(f" ({designation})"))
    parts.append(".")
    if not record.authors:
        parts.append(escape(f" {date}"))
    if record.publisher:
        parts.append(escape(f" {_end(record.publisher.strip())}"))
    link = f"https://doi.org/{record.doi}" if record.doi else record.url
    if link:
        parts.append(escape(f" {link}"))
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
    if record.is_report:
        return _apa_report(record)
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


def styles_for(language: str) -> tuple[str, ...]:
    return STYLES.get(language, STYLES["ru"])


# --- Chicago (notes and bibliography) -------------------------------------------

# Words Chicago's headline style lowercases inside a title (CMOS 8.159): articles,
# the coordinating conjunctions and, but, for, or, nor, «to», «as», and
# prepositions. Prepositions that double as adverbs in phrasal verbs («Sets Up»,
# «Backs Down») are left out: capitalising them is the lesser error.
_CHICAGO_MINOR_WORDS = frozenset(
    (  # noqa: SIM905 (a word list, as text)
        "a an the and but for or nor to as about above across after against along amid "
        "among around at before behind below beneath beside besides between beyond by "
        "despite during except from in inside into of on onto outside per than through "
        "throughout toward towards under underneath until upon versus via vs. with within "
        "without"
    ).split()
)
_WORD = re.compile(r"\S+")
_LETTER = re.compile(r"[^\W\d_]")
_QUOTES_AND_PUNCTUATION = "\"'“”‘’«»()[],;:!?"


def _headline_word(word: str, *, first: bool, last: bool) -> str:
    """One word in headline style; `first`: the title's or a subtitle's first, `last`: its last.

    A hyphenated compound's first element is always capitalised, the others
    unless they are minor words (CMOS 8.161).
    """
    parts = word.split("-")
    styled = []
    for index, part in enumerate(parts):
        letter = _LETTER.search(part)
        if letter is None:
            styled.append(part)
            continue
        head, rest = part[: letter.start()], part[letter.start() :]
        bare = part.strip(_QUOTES_AND_PUNCTUATION).lower()
        minor = (
            bare in _CHICAGO_MINOR_WORDS
            and not (index == 0 and (first or len(parts) > 1))
            and not (last and index == len(parts) - 1)
        )
        if minor and rest[1:] == rest[1:].lower():
            styled.append(head + rest.lower())
        elif rest.islower():
            styled.append(head + rest[0].upper() + rest[1:])
        else:
            # «NATO», «iPhone», «McDonald»: a word with capitals of its own keeps them.
            styled.append(part)
    return "-".join(styled)


def headline_case(title: str) -> str:
    """«Caspian transit and the new routes» → «Caspian Transit and the New Routes».

    Chicago capitalises English titles headline-style whatever their own
    capitalisation. Only initial letters change: acronyms and names written
    with inner capitals stay as the editor wrote them.
    """
    words = _WORD.findall(title)
    styled = []
    for index, word in enumerate(words):
        first = index == 0 or words[index - 1].endswith((":", "?", "!", "—"))
        styled.append(_headline_word(word, first=first, last=index == len(words) - 1))
    return " ".join(styled)


def chicago_date(date: datetime.date) -> str:
    return f"{MONTHS_EN[date.month - 1]} {date.day}, {date.year}"


def _chicago_authors(authors: tuple[Person, ...]) -> str:
    """«Zhakupov, Asan», «Zhakupov, Asan, and Irina Sokolova», … «…, et al.»"""
    first, *others = authors
    if len(authors) > CHICAGO_MAX_AUTHORS:
        named = [first.family_given, *(p.full_name for p in others[: CHICAGO_ET_AL_AFTER - 1])]
        return ", ".join(named) + ", et al."
    if not others:
        return first.family_given
    if len(others) == 1:
        return f"{first.family_given}, and {others[0].full_name}"
    names = [first.family_given, *(p.full_name for p in others[:-1])]
    return ", ".join(names) + f", and {others[-1].full_name}"


def chicago_citation(record: CitationRecord) -> SafeString:
    """The bibliography entry of a blog post (Chicago 18th ed., notes and bibliography).

    «Zhakupov, Asan. “Caspian Transit and New Routes.” <i>Asan Zhakupov's Blog</i>,
    Vestnik, November 28, 2025. https://…». The blog is italic; «(blog)» follows
    its name unless the name says so; the site, a website rather than a
    periodical, stays roman.
    """
    if record.is_report:
        return _chicago_report(record)
    title = headline_case(record.title.strip())
    quoted = f"“{_end(title)}”"
    parts: list[str] = []
    if record.authors:
        parts.append(escape(f"{_end(_chicago_authors(record.authors))} {quoted}"))
    else:
        parts.append(escape(quoted))
    if record.container_title:
        blog = record.container_title.strip().rstrip(".")
        marker = "" if "blog" in blog.lower() else " (blog)"
        parts.append(format_html(" <i>{}</i>{},", blog, marker))
    site = record.publisher.strip().rstrip(".")
    if site and site != record.container_title.strip():
        parts.append(escape(f" {site},"))
    parts.append(escape(f" {chicago_date(record.issued)}."))
    if record.url:
        parts.append(escape(f" {record.url}"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)


def _chicago_report(record: CitationRecord) -> SafeString:
    """«Zhakupov, Asan. <i>Caspian Transit</i>. Working Paper No. 91/2025. Moscow: Vestnik, 2025. https://…»"""
    title = headline_case(record.title.strip()).rstrip(".")
    parts: list[str] = []
    if record.authors:
        parts.append(escape(f"{_end(_chicago_authors(record.authors))} "))
    parts.append(format_html("<i>{}</i>.", title))
    designation = _report_designation(record)
    if designation:
        parts.append(escape(f" {_end(designation)}"))
    place = f"{record.place}: " if record.place else ""
    parts.append(escape(f" {place}{record.publisher.strip().rstrip('.')}, {record.issued.year}."))
    link = f"https://doi.org/{record.doi}" if record.doi else record.url
    if link:
        parts.append(escape(f" {link}"))
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308 (every part escaped above)
