"""`importers.safety`: files that are not manuscripts, archives that explode, conversions that hang.

Each refusal is one clear message, raised before anything is written; the
command-level tests (`test_import_docx`) check that nothing is created and the
exit status is 1.
"""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile

from django.test import SimpleTestCase, override_settings

from vestnik.importers.errors import ImportFailed
from vestnik.importers.safety import (
    DEFAULT_MAX_XML_BYTES,
    Limits,
    docx_archive_check,
    docx_sniff,
    html_sniff,
    limits,
    sandboxed,
)
from vestnik.importers.services import import_docx_bytes
from vestnik.importers.tests.manuscripts import Manuscript, Note, package_rewrite, part_reencode
from vestnik.importers.tests.sandbox_targets import (
    allocate,
    answer,
    crash,
    fail,
    refuse,
    sleep_forever,
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Document type declarations, each with the reference that uses it ("" if none).
INTERNAL_ENTITY = ('<!DOCTYPE w:document [<!ENTITY e "ENTITY-EXPANDED">]>', "&e;")
BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY l0 "ha">'
    + "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    + "]>",
    "&l9;",
)
EXTERNAL_ENTITY = ('<!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;")
EXTERNAL_DTD = ('<!DOCTYPE w:document SYSTEM "http://127.0.0.1:9/word.dtd">', "")
DOCTYPES = (INTERNAL_ENTITY, BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD)
# Every encoding an XML parser detects by itself: UTF-8 with and without a
# byte-order mark, UTF-16 little-endian with and without one, big-endian with one.
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be-bom")


def small_docx() -> bytes:
    manuscript = Manuscript(title="Статья", author="Асан Жакупов")
    manuscript.paragraph("Лид.")
    manuscript.paragraph("Текст.")
    return manuscript.to_bytes()


def noted_docx() -> bytes:
    """A small manuscript with a footnote, so that it has every part Word writes for text."""
    manuscript = Manuscript(title="Статья", author="Асан Жакупов")
    manuscript.paragraph("Лид.")
    manuscript.paragraph("Текст", Note("Сноска."), ".")
    return manuscript.to_bytes()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def ole2_file(*stream_names: str) -> bytes:
    """The start of a Compound File, with directory entries named like Word's streams.

    Enough for sniffing, which is all the importer does with such files: a real
    .doc or an encrypted .docx is refused by what its container holds.
    """
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\x00") for name in stream_names)
    return OLE2 + b"\x00" * 504 + entries + b"\x00" * 1024


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class SniffingTests(SimpleTestCase):
    def test_what_a_renamed_file_really_is(self) -> None:
        cases = {
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj": "This is a PDF renamed .docx",
            ole2_file("Root Entry", "WordDocument", "1Table"): "old Word 97–2003 document (.doc)",
            ole2_file(
                "Root Entry", "EncryptionInfo", "EncryptedPackage"
            ): "protected with a password",
            b"{\\rtf1\\ansi\\deff0 {\\fonttbl}": "This is an RTF file",
            b"PK\x05\x06" + b"\x00" * 18: "archive is empty",
            b"Just some text pretending to be Word": "does not start like one",
            b"   \n": "The file is empty.",
        }
        for data, message in cases.items():
            with self.subTest(message), self.assertRaisesMessage(ImportFailed, message):
                docx_sniff(data)

    def test_a_docx_is_not_a_saved_page(self) -> None:
        for data, message in (
            (small_docx(), "This is a ZIP archive (a .docx?)"),
            (b"%PDF-1.4", "This is a PDF"),
            (OLE2 + b"\x00" * 100, "This is an Office document"),
        ):
            with self.subTest(message), self.assertRaisesMessage(ImportFailed, message):
                html_sniff(data)


class ArchiveTests(SimpleTestCase):
    limits = Limits()

    def test_a_good_manuscript_passes(self) -> None:
        docx_archive_check(small_docx(), self.limits)

    def test_truncated(self) -> None:
        data = small_docx()
        for cut in (len(data) // 2, len(data) - 30, 200):
            with self.subTest(cut), self.assertRaisesMessage(ImportFailed, "damaged or incomplete"):
                docx_archive_check(data[:cut], self.limits)

    def test_corrupt_member(self) -> None:
        data = bytearray(small_docx())
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
            info = archive.getinfo("word/document.xml")
        # The member's compressed data starts after its local header.
        name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
        start = info.header_offset + 30 + name_length + extra_length
        for offset in range(start + 10, start + min(info.compress_size, 200)):
            data[offset] ^= 0xA5
        with self.assertRaisesMessage(ImportFailed, "damaged"):
            docx_archive_check(bytes(data), self.limits)

    def test_zip_that_is_not_a_word_document(self) -> None:
        data = zip_of({"xl/workbook.xml": b"<workbook/>", "[Content_Types].xml": b"<Types/>"})
        with self.assertRaisesMessage(ImportFailed, "no word/document.xml"):
            docx_archive_check(data, self.limits)

    def test_zip_bomb_by_compression_ratio(self) -> None:
        bomb = package_rewrite(small_docx(), {"word/document.xml": b" " * (30 * 1024 * 1024)})
        self.assertLess(len(bomb), 200_000)
        with self.assertRaisesMessage(ImportFailed, "refused as a possible zip bomb"):
            docx_archive_check(bomb, self.limits)

    def test_zip_bomb_by_total_size(self) -> None:
        many = {f"word/media/padding{n}.bin": os.urandom(300_000) for n in range(4)}
        data = package_rewrite(small_docx(), many)
        with self.assertRaisesMessage(ImportFailed, "would unpack to more than 1.0 MB"):
            docx_archive_check(data, Limits(max_unpacked_bytes=1024 * 1024))

    def test_a_member_that_inflates_past_what_it_declares(self) -> None:
        # Make the central directory declare 10 bytes for document.xml.
        data = bytearray(small_docx())
        position = data.find(b"PK\x01\x02")
        while True:
            name_length = struct.unpack_from("<H", data, position + 28)[0]
            if data[position + 46 : position + 46 + name_length] == b"word/document.xml":
                break
            position = data.find(b"PK\x01\x02", position + 4)
        struct.pack_into("<I", data, position + 24, 10)
        with self.assertRaisesMessage(ImportFailed, "word/document.xml"):
            docx_archive_check(bytes(data), self.limits)

    def test_too_many_members(self) -> None:
        data = package_rewrite(small_docx(), {f"word/x{n}.xml": b"<x/>" for n in range(30)})
        with self.assertRaisesMessage(ImportFailed, "holds"):
            docx_archive_check(data, Limits(max_members=20))

    def test_a_dtd_is_refused(self) -> None:
        data = small_docx()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = archive.read("word/document.xml")
        declaration, _, rest = document.partition(b"?>")
        bomb = (
            declaration
            + b'?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            + rest
        )
        external = declaration + b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + rest
        for forged in (bomb, external):
            package = package_rewrite(data, {"word/document.xml": forged})
            with self.assertRaisesMessage(ImportFailed, "declares a DTD or entities"):
                docx_archive_check(package, self.limits)


class XmlPartTests(SimpleTestCase):
    """Every XML part is parsed with defusedxml: no DTD gets through, in any encoding or name."""

    limits = Limits()

    def test_a_dtd_in_the_document_is_refused_in_every_encoding(self) -> None:
        data = noted_docx()
        document = members_of(data)["word/document.xml"]
        for encoding in ENCODINGS:
            for doctype, reference in DOCTYPES:
                forged = part_reencode(
                    document, encoding, doctype=doctype, replace=("Лид.", f"Лид {reference}.")
                )
                package = package_rewrite(data, {"word/document.xml": forged})
                with (
                    self.subTest(encoding=encoding, doctype=doctype[:40]),
                    self.assertRaisesMessage(
                        ImportFailed, "word/document.xml declares a DTD or entities"
                    ),
                ):
                    docx_archive_check(package, self.limits)

    def test_a_dtd_in_any_part_is_refused(self) -> None:
        data = noted_docx()
        members = members_of(data)
        parts = [name for name in members if name.endswith((".xml", ".rels"))]
        for part in (
            "word/footnotes.xml",
            "word/styles.xml",
            "word/_rels/document.xml.rels",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "[Content_Types].xml",
        ):
            self.assertIn(part, parts)
        for part in parts:
            for encoding in ("utf-16", "utf-8-sig"):
                forged = part_reencode(members[part], encoding, doctype=INTERNAL_ENTITY[0])
                package = package_rewrite(data, {part: forged})
                with (
                    self.subTest(part=part, encoding=encoding),
                    self.assertRaisesMessage(ImportFailed, f"{part} declares a DTD or entities"),
                ):
                    docx_archive_check(package, self.limits)

    def test_the_same_parts_without_a_dtd_pass_in_every_encoding(self) -> None:
        data = noted_docx()
        members = members_of(data)
        for encoding in ENCODINGS:
            changes: dict[str, bytes | None] = {
                name: part_reencode(xml, encoding)
                for name, xml in members.items()
                if name.endswith((".xml", ".rels"))
            }
            with self.subTest(encoding):
                docx_archive_check(package_rewrite(data, changes), self.limits)

    def test_parts_mammoth_reads_under_other_names_are_parsed_too(self) -> None:
        # mammoth follows the relationships to the document and its styles, whatever
        # their names: a DTD hidden in word/main.dat or word/looks.bin is still found.
        data = noted_docx()
        members = members_of(data)
        package_rels = members["_rels/.rels"].replace(
            b'Target="word/document.xml"', b'Target="/word/main.dat"'
        )
        document_rels = members["word/_rels/document.xml.rels"]
        self.assertIn(b'Target="styles.xml"', document_rels)
        cases = {
            "word/main.dat": {
                "_rels/.rels": package_rels,
                "word/main.dat": part_reencode(
                    members["word/document.xml"], "utf-16", doctype=INTERNAL_ENTITY[0]
                ),
                "word/_rels/main.dat.rels": document_rels,
            },
            "word/looks.bin": {
                "word/_rels/document.xml.rels": document_rels.replace(
                    b'Target="styles.xml"', b'Target="looks.bin"'
                ),
                "word/looks.bin": part_reencode(
                    members["word/styles.xml"], "utf-16-le", doctype=BILLION_LAUGHS[0]
                ),
                "word/styles.xml": None,
            },
        }
        for part, changes in cases.items():
            with (
                self.subTest(part),
                self.assertRaisesMessage(ImportFailed, f"{part} declares a DTD or entities"),
            ):
                docx_archive_check(package_rewrite(data, changes), self.limits)

    def test_an_svg_picture_may_carry_its_own_dtd(self) -> None:
        # Pictures are not parsed as XML (an SVG's DTD is the drawing program's, and
        # the importer leaves drawings out), so a manuscript with one is not refused.
        svg = (
            b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
        )
        docx_archive_check(
            package_rewrite(noted_docx(), {"word/media/image9.svg": svg}), self.limits
        )

    def test_a_part_that_is_not_xml_is_refused(self) -> None:
        for broken in (b"<w:settings", b"", b"\x89PNG\r\n"):
            package = package_rewrite(noted_docx(), {"word/settings.xml": broken})
            with (
                self.subTest(broken),
                self.assertRaisesMessage(ImportFailed, "its word/settings.xml is not well-formed"),
            ):
                docx_archive_check(package, self.limits)


# The parts of `small_docx()` that mammoth converts, which the XML limit counts.
CONVERTED = (
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/numbering.xml",
)


def with_large_document(data: bytes, xml_bytes: int) -> bytes:
    """The package with its document padded so that the XML mammoth converts is `xml_bytes`.

    The padding is a paragraph of random hexadecimal text, which compresses
    about 2:1 (as ordinary text does), so no zip-bomb check refuses it first.
    """
    members = members_of(data)
    others = sum(len(members[name]) for name in CONVERTED if name != "word/document.xml")
    document = members["word/document.xml"]
    head, body_end, tail = document.rpartition(b"<w:sectPr")
    paragraph = b"<w:p><w:r><w:t>%s</w:t></w:r></w:p>"
    padding = xml_bytes - others - len(document) - len(paragraph) + 2
    text = os.urandom(padding // 2 + 1).hex()[:padding].encode()
    padded = head + paragraph % text + body_end + tail
    assert others + len(padded) == xml_bytes
    return package_rewrite(data, {"word/document.xml": padded})


class XmlLimitTests(SimpleTestCase):
    def test_the_xml_parts_may_come_to_the_limit_and_not_a_byte_more(self) -> None:
        limit = 1024 * 1024
        with self.assertRaisesMessage(
            ImportFailed, "of XML, over the 1.0 MB a manuscript may have. Split it"
        ):
            docx_archive_check(
                with_large_document(small_docx(), limit + 1), Limits(max_xml_bytes=limit)
            )
        docx_archive_check(with_large_document(small_docx(), limit), Limits(max_xml_bytes=limit))

    def test_xml_that_is_not_converted_does_not_count(self) -> None:
        # A report's charts, its theme and custom XML are parsed for DTDs, but
        # mammoth never converts them: they count only towards the archive limits.
        chart = b"<c:chartSpace>" + os.urandom(600_000).hex().encode() + b"</c:chartSpace>"
        data = package_rewrite(small_docx(), {"word/charts/chart1.xml": chart})
        docx_archive_check(data, Limits(max_xml_bytes=1024 * 1024))

    @override_settings(VESTNIK_IMPORTERS_MAX_XML_BYTES=123_456)
    def test_the_limit_is_a_setting(self) -> None:
        self.assertEqual(limits().max_xml_bytes, 123_456)

    def test_a_document_just_over_the_default_is_refused_before_conversion(self) -> None:
        # Converting 10 MB of XML would keep mammoth busy for about ten seconds.
        data = with_large_document(small_docx(), DEFAULT_MAX_XML_BYTES + 1)
        started = time.monotonic()
        with self.assertRaisesMessage(ImportFailed, "over the 10.0 MB a manuscript may have"):
            import_docx_bytes(data=data, filename="large.docx")
        self.assertLess(time.monotonic() - started, 5)


@override_settings(VESTNIK_IMPORTERS_MAX_BYTES=10_000)
class SizeLimitTests(SimpleTestCase):
    def test_the_limit_is_a_setting(self) -> None:
        self.assertEqual(limits().max_bytes, 10_000)
        data = b"PK\x03\x04" + b"\x00" * 20_000
        with self.assertRaisesMessage(ImportFailed, "The file is too large (0.0 MB; the limit"):
            import_docx_bytes(data=data, filename="big.docx")


class SandboxTests(SimpleTestCase):
    def test_returns_what_the_function_returns(self) -> None:
        self.assertEqual(sandboxed(answer, 40, plus=2, within=Limits()), 42)

    def test_a_hanging_conversion_is_stopped(self) -> None:
        started = time.monotonic()
        with self.assertRaisesMessage(ImportFailed, "took longer than 1 seconds and was stopped"):
            sandboxed(sleep_forever, within=Limits(timeout_seconds=1))
        self.assertLess(time.monotonic() - started, 10)

    def test_memory_is_capped(self) -> None:
        with self.assertRaisesMessage(ImportFailed, "needed more than 64 MB of memory"):
            sandboxed(allocate, 512, within=Limits(memory_mb=64))
        self.assertEqual(sandboxed(allocate, 16, within=Limits(memory_mb=64)), 16)

    def test_a_crash_is_reported(self) -> None:
        with self.assertRaisesMessage(ImportFailed, "Reading the file was stopped"):
            sandboxed(crash, within=Limits())

    def test_failures_come_back_as_import_failed(self) -> None:
        with self.assertRaisesMessage(ImportFailed, "A message from the child."):
            sandboxed(refuse, within=Limits())
        with (
            self.assertLogs("vestnik.importers.safety", "WARNING") as logs,
            self.assertRaisesMessage(ImportFailed, "The document could not be read"),
        ):
            sandboxed(fail, within=Limits())
        self.assertIn("KeyError", logs.output[0])
