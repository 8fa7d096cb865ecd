"""Word manuscripts built for tests (and the benchmark) with python-docx.

python-docx writes paragraphs, styles, tables, pictures and document
properties, but not footnotes, endnotes or hyperlinks; `Manuscript` adds
those as Word does: `word/footnotes.xml` and `word/endnotes.xml` with their
relationships and content types, reference runs in `word/document.xml`, and
`w:hyperlink` elements pointing at external relationships.

    manuscript = Manuscript(title="…", author="…")
    manuscript.paragraph("Text with a note", Note("The note."), " and ", Bold("bold"), ".")
    data = manuscript.to_bytes()
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from PIL import Image

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}s"
NOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"


@dataclass
class Bold:
    text: str


@dataclass
class Italic:
    text: str


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Note:
    """A footnote (or, with `kind="endnote"`, an endnote) referenced where it stands."""

    text: str
    kind: str = "footnote"


Part = str | Bold | Italic | Link | Note


def png_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (20, 120, 200)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


class Manuscript:
    def __init__(
        self,
        *,
        title: str | None = None,
        author: str | None = None,
        date: str | None = None,
        properties_title: str = "",
        properties_author: str = "",
    ) -> None:
        self.document: Any = docx.Document()
        core = self.document.core_properties
        core.title = properties_title
        # python-docx writes «python-docx» as the author unless told otherwise.
        core.author = properties_author
        self._notes: dict[str, list[tuple[int, str]]] = {"footnote": [], "endnote": []}
        self._unreferenced: dict[str, list[str]] = {"footnote": [], "endnote": []}
        if title is not None:
            self.document.add_paragraph(title, style="Title")
        if author is not None:
            self.styled(author, "Author")
        if date is not None:
            self.styled(date, "Date")

    # --- content ------------------------------------------------------------

    def styled(self, text: str, style: str) -> Any:
        """A paragraph in a style; a custom paragraph style is added when the template lacks it."""
        styles = self.document.styles
        if style not in [s.name for s in styles]:
            styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
        return self.document.add_paragraph(text, style=style)

    def heading(self, text: str, level: int = 1) -> None:
        self.document.add_heading(text, level=level)

    def paragraph(self, *parts: Part, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        for part in parts:
            self._add(paragraph, part)
        return paragraph

    def bullets(self, *items: str) -> None:
        for item in items:
            self.document.add_paragraph(item, style="List Bullet")

    def numbered(self, *items: str) -> None:
        for item in items:
            self.document.add_paragraph(item, style="List Number")

    def quote(self, *parts: Part) -> None:
        self.paragraph(*parts, style="Quote")

    def table(self, rows: list[list[str]], *, header: bool = True) -> None:
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for row_index, row in enumerate(rows):
            for column, text in enumerate(row):
                table.cell(row_index, column).text = text
        if header:
            # «Repeat as header row»: mammoth writes such rows with <th>.
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))

    def image(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        credit: str | None = None,
        alt: str = "",
        caption_style: str = "Caption",
    ) -> None:
        self.document.add_picture(io.BytesIO(data), width=Cm(8))
        if alt:
            doc_pr = self.document.paragraphs[-1]._p.xpath(".//wp:docPr")[0]
            doc_pr.set("descr", alt)
        if caption is not None:
            self.styled(caption, caption_style)
        if credit is not None:
            self.document.add_paragraph(credit)

    def linked_image(self, target: str) -> None:
        """A picture linked to a file outside the document (Insert → Link to File)."""
        self.document.add_picture(io.BytesIO(png_bytes()), width=Cm(4))
        blip = self.document.paragraphs[-1]._p.xpath(".//a:blip")[0]
        part = self.document.part
        rel_id = part.relate_to(target, RELATIONSHIP_TYPE.IMAGE, is_external=True)
        del blip.attrib[qn("r:embed")]
        blip.set(qn("r:link"), rel_id)

    def unreferenced_note(self, text: str, kind: str = "footnote") -> None:
        self._unreferenced[kind].append(text)

    def _add(self, paragraph: Any, part: Part) -> None:
        if isinstance(part, str):
            paragraph.add_run(part)
        elif isinstance(part, Bold):
            paragraph.add_run(part.text).bold = True
        elif isinstance(part, Italic):
            paragraph.add_run(part.text).italic = True
        elif isinstance(part, Link):
            rel_id = self.document.part.relate_to(
                part.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            paragraph._p.append(
                parse_xml(
                    f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel_id}"><w:r><w:t xml:space='
                    f'"preserve">{escape(part.text)}</w:t></w:r></w:hyperlink>'
                )
            )
        elif isinstance(part, Note):
            notes = self._notes[part.kind]
            note_id = len(notes) + 1
            notes.append((note_id, part.text))
            paragraph._p.append(
                parse_xml(
                    f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                    f'<w:{part.kind}Reference w:id="{note_id}"/></w:r>'
                )
            )

    # --- the package --------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        kinds = [
            kind
            for kind in ("footnote", "endnote")
            if self._notes[kind] or self._unreferenced[kind]
        ]
        if not kinds:
            return buffer.getvalue()
        return _with_notes(buffer.getvalue(), {kind: self._notes_xml(kind) for kind in kinds})

    def _notes_xml(self, kind: str) -> bytes:
        notes = [
            f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            f"</w:{kind}>",
            f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            f"<w:continuationSeparator/></w:r></w:p></w:{kind}>",
        ]
        referenced = self._notes[kind]
        extra = [(len(referenced) + 1 + n, text) for n, text in enumerate(self._unreferenced[kind])]
        for note_id, text in [*referenced, *extra]:
            notes.append(
                f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/>'
                f'</w:rPr><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}'
                f"</w:t></w:r></w:p></w:{kind}>"
            )
        return (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:{kind}s xmlns:w="{W_NS}" xmlns:r="{R_NS}">{"".join(notes)}</w:{kind}s>'
        ).encode()


def _with_notes(package: bytes, parts: dict[str, bytes]) -> bytes:
    """The package with notes parts, their relationships and content types added."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                overrides = "".join(
                    f'<Override PartName="/word/{kind}s.xml" '
                    f'ContentType="{NOTES_TYPE.format(kind=kind)}"/>'
                    for kind in parts
                )
                data = data.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif item.filename == "word/_rels/document.xml.rels":
                relationships = "".join(
                    f'<Relationship Id="rIdVestnik{kind}" Type="{NOTES_REL.format(kind=kind)}" '
                    f'Target="{kind}s.xml"/>'
                    for kind in parts
                )
                data = data.replace(
                    b"</Relationships>", relationships.encode() + b"</Relationships>"
                )
            target.writestr(item, data)
        for kind, xml in parts.items():
            target.writestr(f"word/{kind}s.xml", xml)
    return output.getvalue()


def package_rewrite(package: bytes, changes: dict[str, bytes | None]) -> bytes:
    """A copy of a .docx with members replaced (bytes), added, or removed (None)."""
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename in changes:
                replacement = changes[item.filename]
                if replacement is not None:
                    target.writestr(item.filename, replacement)
                continue
            target.writestr(item, source.read(item.filename))
        names = set(source.namelist())
        for name, data in changes.items():
            if name not in names and data is not None:
                target.writestr(name, data)
    return output.getvalue()
