"""A Word manuscript (.docx) → `ArticleDraft`. The only module that imports mammoth.

mammoth turns the document into HTML with a style map that says what our
manuscripts' styles mean (`Title` → the title, `Author` → the author, `Quote`
→ a quote, `Caption` → an image caption …); the shared walker
(`importers.parsers.html_blocks`) reads that HTML like any other. What mammoth does
not give, this module reads from the package itself: the document properties
(title and author when the text has none) and Word notes that nothing in the
text refers to.

Untrusted input: `parse_docx_checked` runs the archive checks of
`importers.safety` first and is what the services run in the sandbox. mammoth
is called with external file access off (a linked picture is never read from
disk or the network) and without the document's embedded style map (which
the document's author, not us, would control). Everything it returns is
sanitised by the walker. XML this module reads itself goes through an lxml
parser that resolves no entities and loads nothing.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Final
from xml.parsers.expat import ExpatError

import mammoth
from lxml import etree
from mammoth.docx.files import InvalidFileReferenceError

from vestnik.articles.drafts import ArticleDraft, FootnoteDraft, ImageDraft
from vestnik.core.text import latin_slug
from vestnik.importers.errors import ImportFailed
from vestnik.importers.images import image_draft_checked
from vestnik.importers.parsers.html_blocks import (
    TITLE_MAX_CHARS,
    html_walk,
)
from vestnik.importers.parsers.html_text import escape_text
from vestnik.importers.safety import Limits, docx_archive_check
from vestnik.importers.sanitize import NOTE_TAGS, rich_text_clean

# What the styles of a manuscript mean. Names match case-insensitively; Word
# stores built-in styles under their English names whatever the interface language.
STYLE_MAP: Final = "\n".join(
    [
        "p[style-name='Title'] => h1.title:fresh",
        "p[style-name='Заголовок статьи'] => h1.title:fresh",
        "p[style-name='Author'] => p.author:fresh",
        "p[style-name='Автор'] => p.author:fresh",
        "p[style-name='Date'] => p.date:fresh",
        "p[style-name='Дата'] => p.date:fresh",
        "p[style-name='Subtitle'] => p.lead:fresh",
        "p[style-name='Lead'] => p.lead:fresh",
        "p[style-name='Лид'] => p.lead:fresh",
        "p[style-name='Caption'] => p.caption:fresh",
        "p[style-name='Подпись'] => p.caption:fresh",
        "p[style-name='Quote'] => blockquote > p:fresh",
        "p[style-name='Intense Quote'] => blockquote > p:fresh",
        "p[style-name='Block Text'] => blockquote > p:fresh",
        "p[style-name='Цитата'] => blockquote > p:fresh",
        # Ordinary text under other names: no warning for these.
        "p[style-name='Body Text'] => p:fresh",
        "p[style-name='Body Text 2'] => p:fresh",
        "p[style-name='Body Text 3'] => p:fresh",
        "p[style-name='Normal (Web)'] => p:fresh",
        "p[style-name='No Spacing'] => p:fresh",
        "p[style-name='List Paragraph'] => p:fresh",
        "p[style-name='Plain Text'] => p:fresh",
        "r[style-name='Hyperlink'] => ",
        "r[style-name='Strong'] => strong",
        "r[style-name='Emphasis'] => em",
    ]
)
# Word writes these as the author of documents made on shared or fresh machines.
_PLACEHOLDER_AUTHORS: Final = frozenset(
    {
        "admin",
        "administrator",
        "user",
        "пользователь",
        "python-docx",
        "microsoft office user",
        "microsoft office",
        "windows user",
        "автор",
        "author",
        "unknown",
    }
)
_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DC: Final = "http://purl.org/dc/elements/1.1/"
_XML_PARSER: Final = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_docx_checked(
    data: bytes, *, filename: str, author: str | None = None, limits: Limits
) -> ArticleDraft:
    """Check the archive against the limits, then parse it: what the sandbox runs."""
    docx_archive_check(data, limits)
    return parse_docx(data, filename=filename, author=author)


def parse_docx(data: bytes, *, filename: str, author: str | None = None) -> ArticleDraft:
    """Parse a manuscript whose archive has been checked. `author` overrides the document's."""
    images = _Images(filename)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(images.convert),
            include_embedded_style_map=False,
            external_file_access=False,
            ignore_empty_paragraphs=True,
        )
    except (zipfile.BadZipFile, zlib.error, KeyError, ExpatError) as exc:
        raise ImportFailed(
            f"The .docx is damaged or incomplete ({exc}). Open it in Word, save it again "
            "and upload the new file."
        ) from exc
    walked = html_walk(result.value, images=images.resolve)
    warnings = _mammoth_warnings(result.messages) + walked.warnings

    properties = _core_properties(data)
    title = walked.title or properties.get("title", "")
    if not title:
        raise ImportFailed(
            "The manuscript has no title: give its first line the Title style (or make it a "
            "heading), or fill in Title in the document's properties."
        )
    if len(title) > TITLE_MAX_CHARS:
        raise ImportFailed(
            f"The title is too long ({len(title)} characters, at most {TITLE_MAX_CHARS}): "
            f"«{title[:60]}…». Is the Title style on a whole paragraph of text?"
        )
    author_name = _author(author, walked.author, properties.get("creator", ""), warnings)
    footnotes = walked.footnotes + _unreferenced_notes(data, len(walked.footnotes), warnings)
    if not walked.lead and not walked.blocks:
        raise ImportFailed(f"«{title[:60]}» has no text: nothing follows the title.")
    if walked.publication_date is None:
        warnings.append("The manuscript has no date (a Date-styled line): the import date is used.")

    return ArticleDraft(
        title=title,
        author_name=author_name,
        publication_date=walked.publication_date,
        lead=walked.lead,
        blocks=walked.blocks,
        footnotes=footnotes,
        warnings=warnings,
    )


# --- images -----------------------------------------------------------------


@dataclass
class _Images:
    """Collects the pictures mammoth meets; the walker looks them up by the src given here."""

    filename: str
    found: list[ImageDraft | str] = field(default_factory=list)

    def convert(self, image: Any) -> dict[str, str]:
        index = len(self.found)
        self.found.append(self._read(image, index + 1))
        return {"src": f"#vestnik-image-{index}"}

    def resolve(self, src: str, alt: str) -> ImageDraft | str:
        prefix = "#vestnik-image-"
        if src.startswith(prefix) and src[len(prefix) :].isdigit():
            index = int(src[len(prefix) :])
            if index < len(self.found):
                found = self.found[index]
                if isinstance(found, ImageDraft):
                    found.alt = alt
                return found
        return "it is not part of the document."

    def _read(self, image: Any, number: int) -> ImageDraft | str:
        try:
            with image.open() as stream:
                data = stream.read()
        except InvalidFileReferenceError:
            return (
                "it is linked to a file outside the document, not embedded in it, and the "
                "importer never reads files outside the upload. Insert the picture itself "
                "(Insert → Pictures → This Device) and import again."
            )
        except (KeyError, OSError, zipfile.BadZipFile):
            return "the picture is missing from the .docx."
        return image_draft_checked(data, self._name(number))

    def _name(self, number: int) -> str:
        stem = latin_slug(PurePath(self.filename).stem, max_length=60) or "manuscript"
        return f"{stem}-{number}"


# --- metadata ---------------------------------------------------------------


def _core_properties(data: bytes) -> dict[str, str]:
    """Title and creator from docProps/core.xml, when present."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read("docProps/core.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    try:
        root = etree.fromstring(raw, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return {}
    properties: dict[str, str] = {}
    for name in ("title", "creator"):
        element = root.find(f"{{{_DC}}}{name}")
        if element is not None and element.text and element.text.strip():
            properties[name] = " ".join(element.text.split())
    return properties


def _author(override: str | None, styled: str, creator: str, warnings: list[str]) -> str:
    if override and override.strip():
        return " ".join(override.split())
    if styled:
        return _name_only(styled)
    if creator and _is_person_name(creator):
        warnings.append(
            f"No Author-styled line: the author «{creator}» is taken from the document's "
            "properties."
        )
        return creator
    reason = f" (its properties name «{creator}», which is not a person's name)" if creator else ""
    raise ImportFailed(
        f"The manuscript does not name its author{reason}: give the author's name a line in "
        "the Author style, or name the author when importing (--author, or the Author field)."
    )


def _name_only(text: str) -> str:
    """«Асан Жакупов, ведущий научный сотрудник» → «Асан Жакупов»."""
    text = text.strip().removeprefix("Автор:").removeprefix("Author:").strip()
    for separator in (",", ";", "("):
        head = text.split(separator, 1)[0].strip()
        if len(head.split()) >= 2:
            text = head
    return " ".join(text.split())[:200]


def _is_person_name(text: str) -> bool:
    words = text.split()
    return (
        text.casefold() not in _PLACEHOLDER_AUTHORS
        and 2 <= len(words) <= 4
        and all(word.replace("-", "").replace(".", "").isalpha() for word in words)
    )


# --- notes nothing refers to ------------------------------------------------


def _unreferenced_notes(data: bytes, numbered: int, warnings: list[str]) -> list[FootnoteDraft]:
    """Word footnotes and endnotes that no reference in the text cites (mammoth skips them)."""
    notes: list[FootnoteDraft] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        cited = {kind: set(_references(archive, kind)) for kind in ("footnote", "endnote")}
        for kind in ("footnote", "endnote"):
            part = f"word/{kind}s.xml"
            if part not in names:
                continue
            for note_id, text in _notes(archive.read(part), kind):
                if note_id in cited[kind] or not text:
                    continue
                key = str(numbered + len(notes) + 1)
                notes.append(
                    FootnoteDraft(key=key, html=rich_text_clean(escape_text(text), tags=NOTE_TAGS))
                )
                warnings.append(
                    f"Word {kind} «{text[:60]}» is referenced nowhere in the text; it is kept "
                    "at the end of the notes."
                )
    return notes


def _references(archive: zipfile.ZipFile, kind: str) -> Iterator[str]:
    tag = f"{{{_W}}}{kind}Reference"
    with archive.open("word/document.xml") as stream:
        for _event, element in etree.iterparse(
            stream,
            events=("end",),
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            note_id = element.get(f"{{{_W}}}id")
            if note_id is not None:
                yield note_id
            element.clear()


def _notes(xml: bytes, kind: str) -> Iterator[tuple[str, str]]:
    try:
        root = etree.fromstring(xml, parser=_XML_PARSER)
    except etree.XMLSyntaxError:
        return
    for note in root.iter(f"{{{_W}}}{kind}"):
        # Separators and continuation notices carry a type; real notes have none.
        if note.get(f"{{{_W}}}type") not in (None, "normal"):
            continue
        paragraphs = [
            "".join(text.text or "" for text in paragraph.iter(f"{{{_W}}}t"))
            for paragraph in note.iter(f"{{{_W}}}p")
        ]
        yield note.get(f"{{{_W}}}id", ""), " ".join(" ".join(paragraphs).split())


def _mammoth_warnings(messages: list[Any]) -> list[str]:
    warnings: list[str] = []
    for message in messages:
        text = str(getattr(message, "message", message))
        if text.startswith(("Unrecognised paragraph style: ", "Unrecognised run style: ")):
            kind = "paragraph" if "paragraph" in text else "character"
            name = text.split(": ", 1)[1].split(" (Style ID:", 1)[0]
            text = f"Unknown {kind} style «{name}»: imported as ordinary text."
        elif text.startswith("Image of type"):
            continue  # the image check says what happens to such a picture
        if text not in warnings:
            warnings.append(text)
    return warnings
