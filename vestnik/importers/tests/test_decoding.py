"""Bytes → text: the encodings saved pages arrive in, and the files we refuse."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from vestnik.importers.decoding import MAX_BYTES, text_decode, text_file_read
from vestnik.importers.errors import ImportFailed

FILES = Path(__file__).parent / "files"
SAMPLE = "Блог Дины Токаевой\n\nВода как ресурс влияния — «реки»\n\n3 марта 2025\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("cp1251"),
        SAMPLE.replace("\n", "\r\n").encode("cp1251"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
    ],
    ids=["utf-8", "utf-8 with BOM", "windows-1251", "windows-1251 crlf", "utf-16 with BOM"],
)
def test_the_encodings_pages_are_saved_in(data: bytes) -> None:
    assert text_decode(data).replace("\r\n", "\n").removeprefix("\ufeff") == SAMPLE


def test_every_sample_file_is_readable() -> None:
    for path in FILES.glob("*.txt"):
        first_line = text_file_read(path).lstrip("\ufeff").partition("\n")[0]
        assert first_line.startswith("Блог ") or first_line.endswith("'s Blog")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b" \r\n\t\n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary"),
        (b"text\x01\x02\x03\x04\x05\x06 with controls", "binary"),
        ("Блог Асана Жакупова\n".encode() + b"\x98\xff\xfe\x81\x83", "damaged UTF-8"),
        (b"\x98\x98\x98 abc", "neither UTF-8 nor Windows-1251"),
        (bytes(range(0x80, 0xC0)) * 4, "neither UTF-8 nor Windows-1251"),
    ],
    ids=["empty", "blank", "png", "zip", "control characters", "broken utf-8", "0x98", "symbols"],
)
def test_refused_bytes_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ImportFailed) as raised:
        text_decode(data)
    assert message in raised.value.message


def test_missing_directory_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match="No such file"):
        text_file_read(tmp_path / "missing.txt")
    with pytest.raises(ImportFailed, match="is a directory"):
        text_file_read(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_BYTES + 1))
    with pytest.raises(ImportFailed, match="too large"):
        text_file_read(big)
