"""Word manuscripts built for tests (and the benchmark) with python-docx.

python-docx writes paragraphs, styles, tables, pictures and document
properties, but not footnotes, endnotes or hyperlinks; `Manuscript` adds
those as Word does: `word/footnotes.xml` and `word/endnotes.xml` with their
relationships and content types, reference runs in `word/document.xml`, and
`w:hyperlink` elements pointing at external relationships.

    manuscript = Manuscript(title="…", author="…")
    manuscript.paragraph("Text with a note", Note("The note."), " and ", Bold("bold"), ".")
    data = manuscript.to_bytes()

`word_resave` rewrites a package the way Word does when the author opens it
and saves it again, so re-import tests compare what a real re-save changes.
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
from lxml import etree
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


def part_reencode(
    xml: bytes, encoding: str, *, doctype: str = "", replace: tuple[str, str] = ("", "")
) -> bytes:
    """An XML part (UTF-8, as python-docx writes it) in another encoding, maybe with a DTD.

    `encoding` is a Python codec: "utf-16" writes a byte-order mark, "utf-16-le"
    none, "utf-8-sig" a UTF-8 one; "utf-16-be-bom" is big-endian with a mark.
    The declaration names the encoding as Word would; `doctype` goes after it,
    and `replace` swaps a piece of text (to use an entity the DTD declares).
    """
    text = xml.decode("utf-8")
    if replace[0]:
        assert replace[0] in text, replace[0]
        text = text.replace(*replace)
    declaration, _, rest = text.partition("?>")
    assert declaration.startswith("<?xml"), "the part has no XML declaration"
    name = "UTF-8" if encoding.startswith("utf-8") else "UTF-16"
    text = f'<?xml version="1.0" encoding="{name}" standalone="yes"?>{doctype}{rest}'
    if encoding == "utf-16-be-bom":
        return "\ufeff".encode("utf-16-be") + text.encode("utf-16-be")
    return text.encode(encoding)


# The order Word writes a package's members in; python-docx writes another.
WORD_MEMBER_ORDER = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
    "word/media/image1.png",
    "word/theme/theme1.xml",
    "word/settings.xml",
    "word/styles.xml",
    "word/stylesWithEffects.xml",
    "word/numbering.xml",
    "customXml/item1.xml",
    "customXml/_rels/item1.xml.rels",
    "customXml/itemProps1.xml",
    "docProps/thumbnail.jpeg",
    "docProps/core.xml",
    "word/fontTable.xml",
    "word/webSettings.xml",
    "docProps/app.xml",
)
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS_NS = "http://purl.org/dc/terms/"
APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def word_resave(
    package: bytes, *, session: str = "00A41F7C", edits: dict[str, str] | None = None
) -> bytes:
    """The package as Word writes it after the author opens it and saves it again.

    What a re-save changes without changing the text: the members' order and
    timestamps (Word stamps 1980-01-01), a revision-save id (`w:rsid…`) on
    every paragraph and run and in `settings.xml`, a run split where the
    author's cursor rested, spelling marks (`w:proofErr`), the `_GoBack`
    bookmark, and the modified date, revision count, editing time and
    application in the document properties. `edits` replaces text in the
    document's runs: an author's real change, for the contrast.
    """
    source = zipfile.ZipFile(io.BytesIO(package))
    members = {name: source.read(name) for name in source.namelist()}
    members["word/document.xml"] = _resaved_document(
        members["word/document.xml"], session, edits or {}
    )
    members["word/settings.xml"] = _resaved_settings(members["word/settings.xml"], session)
    members["docProps/core.xml"] = _resaved_core(members["docProps/core.xml"])
    members["docProps/app.xml"] = _resaved_app(members["docProps/app.xml"])
    order = [name for name in WORD_MEMBER_ORDER if name in members]
    order += sorted(set(members) - set(order))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, members[name], compresslevel=6)
    return output.getvalue()


def _w(name: str) -> str:
    return f"{{{W_NS}}}{name}"


def _resaved_document(xml: bytes, session: str, edits: dict[str, str]) -> bytes:
    root = etree.fromstring(xml)
    for text in root.iter(_w("t")):
        for old, new in edits.items():
            if text.text and old in text.text:
                text.text = text.text.replace(old, new)
    paragraphs = list(root.iter(_w("p")))
    for paragraph in paragraphs:
        for name in ("rsidR", "rsidRDefault", "rsidP"):
            paragraph.set(_w(name), session)
        for run in paragraph.iter(_w("r")):
            run.set(_w("rsidR"), session)
            run.set(_w("rsidRPr"), session)
    # The author's cursor split a run in two: the same text and formatting, two revision ids.
    for paragraph in paragraphs:
        runs = [run for run in paragraph if run.tag == _w("r")]
        texts = runs[0].findall(_w("t")) if len(runs) == 1 else []
        if len(texts) == 1 and " " in (texts[0].text or "") and paragraph.find(_w("pPr")) is None:
            head, tail = texts[0].text.split(" ", 1)
            texts[0].text = head + " "
            texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            second = etree.SubElement(paragraph, _w("r"))
            second.set(_w("rsidR"), "00C3D2E1")
            etree.SubElement(second, _w("t")).text = tail
            # Word's spelling check marks a word it does not know.
            runs[0].addprevious(etree.Element(_w("proofErr"), {_w("type"): "spellStart"}))
            runs[0].addnext(etree.Element(_w("proofErr"), {_w("type"): "spellEnd"}))
            break
    last = paragraphs[-1]
    last.append(etree.Element(_w("bookmarkStart"), {_w("id"): "0", _w("name"): "_GoBack"}))
    last.append(etree.Element(_w("bookmarkEnd"), {_w("id"): "0"}))
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _resaved_settings(xml: bytes, session: str) -> bytes:
    root = etree.fromstring(xml)
    rsids = etree.Element(_w("rsids"))
    etree.SubElement(rsids, _w("rsidRoot"), {_w("val"): "00C3D2E1"})
    for value in sorted({"00C3D2E1", session}):
        etree.SubElement(rsids, _w("rsid"), {_w("val"): value})
    anchor = root.find(_w("clrSchemeMapping"))
    if anchor is not None:
        anchor.addprevious(rsids)
    else:
        root.append(rsids)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _resaved_core(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    changes = {
        f"{{{CP_NS}}}lastModifiedBy": "Дина Токаева",
        f"{{{CP_NS}}}revision": "2",
        f"{{{DCTERMS_NS}}}modified": "2025-03-04T09:12:00Z",
    }
    for tag, value in changes.items():
        element = root.find(tag)
        if element is not None:
            element.text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _resaved_app(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for tag, value in {
        "TotalTime": "14",
        "Application": "Microsoft Office Word",
        "Words": "96",
        "Characters": "612",
    }.items():
        element = root.find(f"{{{APP_NS}}}{tag}")
        if element is not None:
            element.text = value
    app_version = root.find(f"{{{APP_NS}}}AppVersion")
    if app_version is not None:
        app_version.text = "16.0000"
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
