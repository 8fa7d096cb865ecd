"""Bibliographic footnotes → structured references.

Footnotes are written by people in whatever style they learnt: GOST
(«Иванов И.И. Название. М.: Наука, 2020. С. 15.», «Название // Журнал. 2021.
№ 3. С. 10–20.»), its 2018 edition with « — » areas and «Текст : электронный»,
APA («Smith, J. (2020). Title. Publisher.»), or just a report's title and its
publisher («The military balance 2024. International Institute of Strategic
Studies. P. 543.»). The parser reads the parts those styles share — authors
with initials, a title, «//» before the journal or site, place and publisher,
year, volume and issue, pages, URL and date of access — and gives up (None)
on notes that are comments rather than references.

Pure functions on text: no database, no Django models.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from vestnik.articles.citations.names import Person
from vestnik.core.dates import parse_date  # re-exported: references read access dates

KINDS = ("book", "article", "chapter", "web")


@dataclass(frozen=True)
class Reference:
    """One cited work; `pages` are what the note points to or the article's page range."""

    raw: str
    kind: str
    title: str
    authors: tuple[Person, ...] = ()
    publisher: str = ""  # the publisher, or the organisation that issued a report
    place: str = ""
    year: int | None = None
    pages: str = ""
    container: str = ""  # journal, newspaper, site or collection the work appeared in
    volume: str = ""
    issue: str = ""
    url: str = ""
    accessed: datetime.date | None = None

    @property
    def work_key(self) -> tuple[str, str, str, int | None]:
        """The same work cited twice has one key, whatever pages each note points to."""
        who = self.authors[0].family if self.authors else self.publisher
        return (_fold(self.title), _fold(self.container), _fold(who), self.year)


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold().replace("ё", "е")).strip()


# --- patterns ----------------------------------------------------------------

_UPPER = "A-ZА-ЯЁ"
_LOWER = "a-zа-яёß"
_INITIAL = rf"[{_UPPER}](?:[{_LOWER}]{{1,2}})?\."  # «И.», «Yu.», «Th.»
_INITIALS = rf"{_INITIAL}(?:\s?-?\s?{_INITIAL}){{0,2}}"
_FAMILY = rf"[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}]?[{_LOWER}'’]+)?"
_FAMILY_INITIALS = re.compile(rf"(?P<family>{_FAMILY}),?\s+(?P<initials>{_INITIALS})")
_INITIALS_FAMILY = re.compile(rf"(?P<initials>{_INITIALS})\s?(?P<family>{_FAMILY})")
_AUTHOR_SEPARATOR = re.compile(r"\s*(?:,|;|\s+и\s+|\s+and\s+|&)\s*")
_ET_AL = re.compile(r"^\s*(?:\[\s*и\s+др\.?\s*\]|и\s+др\.|et\s+al\.?)\s*,?")

_URL = re.compile(
    r"(?:(?:URL|Режим доступа|Available at|Available from|Retrieved from)\s*:?\s*)?"
    r"(?P<url>https?://[^\s<>\"«»]+)",
    re.IGNORECASE,
)
_DOI = re.compile(r"\b(?:DOI|doi)\s*:?\s*(?P<doi>10\.\d{4,9}/\S+)")
_ACCESSED = re.compile(
    r"\(\s*(?:дата\s+обращения|дата\s+доступа|accessed|retrieved|last\s+accessed|"
    r"date\s+of\s+access)\s*:?\s*(?P<date>[^)]*)\)",
    re.IGNORECASE,
)
_ELECTRONIC = re.compile(
    r"\s*\[(?:Электронный ресурс|Electronic resource)\]|"
    r"[.\s—–-]*Текст\s*:\s*(?:электронный|непосредственный)",
    re.IGNORECASE,
)
_PAGES = re.compile(
    r"(?<![\w.])(?:С|с|Сс|сс|Стр|стр|P|p|Pp|pp|PP|S)\.\s*"
    r"(?P<pages>\d+(?:\s*[–—-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–—-]\s*\d+)?)*)"
)
_PAGE_TOTAL = re.compile(r"(?<![\w.])\d+\s*(?:с|p|pp|S|стр)\.(?=\s|$|[;,])")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d{2}|20\d{2})(?!\d)")
_APA = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>\d{4})[a-z]?(?:,\s*[^)]*)?\)\.\s*(?P<rest>.+)$")
_IBID = re.compile(r"^(?:Там\s+же|Ibid(?:em)?\.?|Ibidem)", re.IGNORECASE)
_OP_CIT = re.compile(r"(?:Указ\.\s*соч\.?|Op\.\s*cit\.?|Цит\.\s*соч\.?)", re.IGNORECASE)
_LEAD_IN = re.compile(
    r"^(?:См\.(?:\s+также|\s+подробнее)?\s*:?|Подробнее\s+см\.\s*:?|Цит\.\s+по\s*:?|"
    r"See(?:\s+also)?\s*:?|Cited\s+in\s*:?|Quoted\s+in\s*:?|Cf\.\s*)\s*",
    re.IGNORECASE,
)
_CHAPTER_IN = re.compile(r"\s(?:In|В\s+кн\.|В\s+сб\.|В\s+книге)\s*:\s*", re.IGNORECASE)
_SEGMENT_BREAK = re.compile(r"(?<=[.?!])\s+(?![:;,])")
_AREA_DASH = re.compile(r"\.\s+[—–-]\s+")
# Abbreviations after which a full stop does not end a segment.
_ABBREVIATIONS = frozenset(
    "т г гг вып ред под пер сост св д ст ч кн рис др "  # noqa: SIM905 (a word list reads best as text)
    "vol no nos iss proc univ dept inc corp co ltd jr st".split()
)

_PLACE_PUBLISHER = re.compile(
    rf"^(?P<place>[{_UPPER}][^:;]{{0,40}}?)\s*:\s*(?P<publisher>[^,]+?)(?:,\s*(?P<year>\d{{4}}))?\.?$"
)
_PLACE_YEAR = re.compile(rf"^(?P<place>[{_UPPER}][\w .\-]{{0,30}}?),\s*(?P<year>\d{{4}})\.?$")
_YEAR_ONLY = re.compile(r"^(?P<year>\d{4})(?:\s*г)?\.?$")
_VOLUME = re.compile(r"^(?:Vol|Т|Том|V|Bd)\.?\s*(?P<volume>[\w\-]+)\.?$", re.IGNORECASE)
_ISSUE = re.compile(
    r"^(?:No|Nos|№|N|Iss|Issue|Вып|Выпуск)\.?\s*(?P<issue>[\w\-/]+(?:\s*\(\d+\))?)\.?$"
)
_EDITION = re.compile(r"^\d+(?:-?е|st|nd|rd|th)?\s*(?:изд|ed)\.?", re.IGNORECASE)
_DAY_MONTH = re.compile(
    r"^\d{1,2}\s+[a-zа-яё]+\.?$|^[A-Z][a-z]+\.?\s+\d{1,2}\.?$|^\d{1,2}\.\d{1,2}\.?$",
    re.IGNORECASE,
)
_DOCUMENT_TYPE = re.compile(
    r"\s*:\s*(?:коллективная\s+)?(?:монография|учебник|учеб(?:ное|\.)\s*пособие|"
    r"сборник(?:\s+[\w.]+){0,3}|(?:аналитический\s+|научный\s+)?доклад|справочник|"
    r"материалы(?:\s+[\w.]+){0,3}|report|monograph|textbook)\s*\.?$",
    re.IGNORECASE,
)
_SERIES = re.compile(r"^(?:Серия|Сер\.|Series|Ser\.)\s", re.IGNORECASE)
_EDITORS = re.compile(r"^(?:под\s+ред\.|ed\.|eds\.|edited\s+by|отв\.\s+ред\.)", re.IGNORECASE)

# --- small readers -------------------------------------------------------------


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def _person(family: str, initials: str) -> Person:
    initials = re.sub(r"\.\s*(?=[^\s\-])", ". ", initials.replace(" ", "")).strip()
    initials = initials.replace(". -", ".-")
    return Person(family=family, given=initials)


def _leading_authors(text: str) -> tuple[tuple[Person, ...], str]:
    """Authors at the start of a note («Иванов И.И., Петров П.П.», «J. Smith and A. Doe»)."""
    authors: list[Person] = []
    rest = text
    while True:
        match = _FAMILY_INITIALS.match(rest) or _INITIALS_FAMILY.match(rest)
        if match is None:
            break
        authors.append(_person(match.group("family"), match.group("initials")))
        rest = rest[match.end() :]
        separator = _AUTHOR_SEPARATOR.match(rest)
        following = rest[separator.end() :] if separator else ""
        if separator and (_FAMILY_INITIALS.match(following) or _INITIALS_FAMILY.match(following)):
            rest = following
            continue
        break
    if authors and (et_al := _ET_AL.match(rest)):
        return tuple(authors), rest[et_al.end() :].strip(" ,")
    if authors and rest and not rest[0].isspace() and rest[0] not in ",.:":
        # «Smith J.Title» is a misreading; the author run must end at a boundary.
        return (), text
    return tuple(authors), rest.strip(" ,")


def _responsibility_authors(statement: str) -> tuple[Person, ...]:
    """Authors named after « / » («/ И. И. Иванов, П. П. Петров»), if they are people."""
    if _EDITORS.match(statement.strip()):
        return ()
    authors, _rest = _leading_authors(statement.strip())
    return authors


def _segments(text: str) -> list[str]:
    """Split at full stops that end a bibliographic element, not at initials or «т.»."""
    pieces = _SEGMENT_BREAK.split(text)
    segments: list[str] = []
    for piece in pieces:
        if segments:
            previous = segments[-1]
            last_word = re.findall(r"([\w]+)\.$", previous)
            if last_word and (
                last_word[0].casefold() in _ABBREVIATIONS
                or (len(last_word[0]) == 1 and last_word[0].isupper())
            ):
                segments[-1] = f"{previous} {piece}"
                continue
        segments.append(piece)
    return [segment.strip() for segment in segments if segment.strip(" .")]


@dataclass
class _Fields:
    publisher: str = ""
    place: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    unclassified: list[str] = field(default_factory=list)


def _classify(segments: Iterable[str]) -> _Fields:
    """Read publication segments: «М.: Наука, 2020», «2021», «Vol. 5, No. 3», a publisher."""
    fields = _Fields()
    for segment in segments:
        for piece in _split_commas(segment):
            piece = piece.strip().rstrip(".").strip()
            if not piece:
                continue
            if match := _YEAR_ONLY.match(piece):
                fields.year = fields.year or int(match.group("year"))
            elif match := _VOLUME.match(piece):
                fields.volume = match.group("volume")
            elif match := _ISSUE.match(piece):
                fields.issue = match.group("issue")
            elif match := _PLACE_PUBLISHER.match(piece):
                fields.place = match.group("place").strip(" ,;:")
                fields.publisher = _clean(match.group("publisher"))
                if match.group("year"):
                    fields.year = int(match.group("year"))
            elif match := _PLACE_YEAR.match(piece):
                fields.place = fields.place or match.group("place").strip(" ,;:")
                fields.year = fields.year or int(match.group("year"))
            elif _EDITION.match(piece) or _DAY_MONTH.match(piece) or _EDITORS.match(piece):
                continue
            else:
                fields.unclassified.append(piece)
    return fields


def _split_commas(segment: str) -> list[str]:
    """«Vol. 5, No. 3» reads as two parts; «М.: Наука, 2020» and «Oxford, 2019» stay whole."""
    if _PLACE_PUBLISHER.match(segment.rstrip(".")) or _PLACE_YEAR.match(segment.rstrip(".")):
        return [segment]
    parts = [part for part in re.split(r",\s+", segment) if part]
    if all(_VOLUME.match(p) or _ISSUE.match(p) or _YEAR_ONLY.match(p) for p in parts):
        return parts
    return [segment]


# --- one reference -------------------------------------------------------------


def _extract_links(text: str) -> tuple[str, str, datetime.date | None]:
    accessed = None
    if match := _ACCESSED.search(text):
        accessed = parse_date(match.group("date"))
        text = text[: match.start()] + text[match.end() :]
    url = ""
    if match := _URL.search(text):
        url = match.group("url").rstrip(".,;:")
        if url.endswith(")") and url.count("(") < url.count(")"):
            url = url[:-1]
        text = text[: match.start()] + text[match.start() + len(match.group(0)) :]
    elif match := _DOI.search(text):
        url = "https://doi.org/" + match.group("doi").rstrip(".,;")
        text = text[: match.start()] + text[match.end() :]
    return text, url, accessed


def _extract_pages(text: str) -> tuple[str, str]:
    pages = ""
    if match := _PAGES.search(text):
        pages = re.sub(r"\s*[–—-]\s*", "–", match.group("pages"))
        text = text[: match.start()] + text[match.end() :]
    text = _PAGE_TOTAL.sub("", text)
    return text, pages


def _title_and_rest(text: str) -> tuple[str, list[str], str]:
    """The title (up to the first element break or « / ») and what follows it."""
    segments = _segments(text)
    if not segments:
        return "", [], ""
    title = segments[0]
    statement = ""
    if " / " in title:
        title, statement = title.split(" / ", 1)
    # «Название : монография»: the type of document is not part of the title.
    title = _DOCUMENT_TYPE.sub("", title)
    # A title that ends in «?» or «!» keeps it; a full stop is only the separator.
    title = re.sub(r"\s+:\s+", ": ", title).strip().rstrip(".").strip()
    return title, segments[1:], statement


def _apa(
    match: re.Match[str], raw: str, url: str, accessed: datetime.date | None, pages: str
) -> Reference:
    authors = tuple(
        _person(m.group("family"), m.group("initials"))
        for m in _FAMILY_INITIALS.finditer(match.group("authors"))
    )
    year = int(match.group("year"))
    rest = match.group("rest").strip()
    title, segments, _statement = _title_and_rest(rest)
    container = volume = issue = publisher = place = ""
    if segments:
        source = " ".join(segments).strip().rstrip(".")
        # «Journal of Peace Research, 58(3), 10–20»
        journal = re.match(
            r"^(?P<container>[^,]+),\s*(?P<volume>\d+)(?:\((?P<issue>[^)]+)\))?"
            r"(?:,\s*(?P<pages>\d+\s*[–—-]\s*\d+|\d+))?$",
            source,
        )
        if journal:
            container = journal.group("container").strip()
            volume = journal.group("volume")
            issue = journal.group("issue") or ""
            pages = pages or re.sub(r"\s*[–—-]\s*", "–", journal.group("pages") or "")
        else:
            fields = _classify([source])
            publisher = fields.publisher or ", ".join(fields.unclassified)
            place = fields.place
    kind = "article" if container else ("web" if url and not publisher else "book")
    return Reference(
        raw=raw,
        kind=kind,
        title=title,
        authors=authors,
        publisher=publisher,
        place=place,
        year=year,
        pages=pages,
        container=container,
        volume=volume,
        issue=issue,
        url=url,
        accessed=accessed,
    )


def parse_reference(text: str) -> Reference | None:
    """One reference from one citation, or None when the text is not a reference."""
    raw = re.sub(r"\s+", " ", html.unescape(text).replace("\xa0", " ")).strip()
    if not raw or _IBID.match(raw):
        return None
    text = _LEAD_IN.sub("", raw)
    text = _ELECTRONIC.sub("", text)
    text, url, accessed = _extract_links(text)
    text = _AREA_DASH.sub(". ", text)
    text, pages = _extract_pages(text)
    text = re.sub(r"\s+", " ", text).strip(" ,;")
    if not text and not url:
        return None

    apa = _APA.match(text)
    if apa is not None and _FAMILY_INITIALS.search(apa.group("authors")):
        return _apa(apa, raw, url, accessed, pages)

    head, container_part = text, ""
    if "//" in text:
        head, container_part = (part.strip() for part in text.split("//", 1))
    elif chapter := _CHAPTER_IN.search(text):
        head, container_part = text[: chapter.start()], text[chapter.end() :]

    authors, rest = _leading_authors(head)
    title, head_segments, statement = _title_and_rest(rest)
    if statement:
        # «Жаксылыков Р. Название / Р. Жаксылыков, А. Сейткали»: the statement names everyone.
        named = _responsibility_authors(statement)
        if len(named) > len(authors):
            authors = named

    container = ""
    fields = _classify(head_segments)
    if container_part:
        container_segments = _segments(container_part)
        while len(container_segments) > 1 and _SERIES.match(container_segments[1]):
            # «Вестник КазНУ. Серия международные отношения» is one journal title.
            container_segments[:2] = [f"{container_segments[0]} {container_segments[1]}"]
        container = (
            container_segments[0].split(" / ")[0].strip().rstrip(".") if container_segments else ""
        )
        container_fields = _classify(container_segments[1:])
        for name in ("publisher", "place", "volume", "issue"):
            if not getattr(fields, name):
                setattr(fields, name, getattr(container_fields, name))
        fields.year = fields.year or container_fields.year
        fields.unclassified.extend(container_fields.unclassified)

    publisher = fields.publisher
    unclassified = fields.unclassified
    if not publisher and not container and unclassified:
        # «The military balance 2024. International Institute of Strategic Studies.»
        publisher = unclassified[0]
    year = fields.year
    if year is None:
        for source in (container_part, " ".join(unclassified), title):
            if match := _YEAR.search(source or ""):
                year = int(match.group(1))
                break

    if not title and not url:
        return None
    has_markers = bool(
        authors
        or url
        or container
        or fields.place
        or fields.publisher
        or pages
        or fields.volume
        or fields.issue
    )
    if not has_markers:
        return None
    if len(title.split()) > 40:
        # A long sentence with a page number is a comment, not a title.
        return None

    if container:
        if fields.volume or fields.issue:
            kind = "article"
        elif fields.place or fields.publisher:
            kind = "chapter"
        elif url:
            kind = "web"
        else:
            kind = "article"
    elif url and not (publisher or fields.place):
        kind = "web"
    else:
        kind = "book"
    return Reference(
        raw=raw,
        kind=kind,
        title=title,
        authors=authors,
        publisher=publisher,
        place=fields.place,
        year=year,
        pages=pages,
        container=container,
        volume=fields.volume,
        issue=fields.issue,
        url=url,
        accessed=accessed,
    )


# --- notes -----------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")
_HREF = re.compile(r"""<a\b[^>]*\bhref=["'](?P<href>https?://[^"']+)["']""", re.IGNORECASE)


def note_text(note_html: str) -> str:
    """A footnote's rich text as plain text; a link's address is kept if the text lacks it."""
    text = html.unescape(_TAGS.sub(" ", note_html))
    for match in _HREF.finditer(note_html):
        href = html.unescape(match.group("href"))
        if href not in text:
            text = f"{text.rstrip()} URL: {href}"
    return re.sub(r"\s+", " ", text).strip()


def parse_note(text: str, previous: Sequence[Reference] = ()) -> list[Reference]:
    """The references one footnote cites; «Там же»/«Ibid.» and «Указ. соч.» reuse earlier ones."""
    text = re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()
    if not text:
        return []
    if _IBID.match(text):
        if not previous:
            return []
        _rest, pages = _extract_pages(text)
        return [replace(previous[-1], raw=text, pages=pages)]
    if _OP_CIT.search(text):
        authors, _rest = _leading_authors(text)
        if authors:
            for earlier in reversed(previous):
                if earlier.authors and earlier.authors[0].family == authors[0].family:
                    _rest, pages = _extract_pages(text)
                    return [replace(earlier, raw=text, pages=pages)]
        return []
    parts = re.split(r";\s+(?=[" + _UPPER + r"])", text)
    if len(parts) > 1:
        several = [parse_reference(part) for part in parts]
        if all(several):
            return [reference for reference in several if reference is not None]
    reference = parse_reference(text)
    return [reference] if reference is not None else []


def parse_notes(notes: Iterable[str]) -> list[list[Reference]]:
    """The references of each note, in order (so «Там же» finds the note before it)."""
    parsed: list[list[Reference]] = []
    seen: list[Reference] = []
    for text in notes:
        references = parse_note(text, seen)
        parsed.append(references)
        seen.extend(references)
    return parsed


def reference_list(notes: Iterable[str]) -> list[Reference]:
    """Each cited work once, in order of first citation.

    Three notes citing pages 543, 67 and 186 of the same report make one entry;
    its pages are kept only when every note agrees on them.
    """
    works: dict[tuple[str, str, str, int | None], Reference] = {}
    for references in parse_notes(notes):
        for reference in references:
            key = reference.work_key
            first = works.get(key)
            if first is None:
                works[key] = reference
            elif first.pages != reference.pages:
                works[key] = replace(first, pages="")
    return list(works.values())
