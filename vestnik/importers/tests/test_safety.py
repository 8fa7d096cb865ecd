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
    Limits,
    docx_archive_check,
    docx_sniff,
    html_sniff,
    limits,
    sandboxed,
)
from vestnik.importers.services import import_docx_bytes
from vestnik.importers.tests.manuscripts import Manuscript, package_rewrite
from vestnik.importers.tests.sandbox_targets import (
    allocate,
    answer,
    crash,
    fail,
    refuse,
    sleep_forever,
)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def small_docx() -> bytes:
    manuscript = Manuscript(title="Статья", author="Асан Жакупов")
    manuscript.paragraph("Лид.")
    manuscript.paragraph("Текст.")
    return manuscript.to_bytes()


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
