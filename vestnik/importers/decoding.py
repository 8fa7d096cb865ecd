"""Bytes of an uploaded or saved text file → str, or a clear reason why not.

Pages saved from legacy portals arrive as UTF-8 (sometimes with a BOM, from
Windows editors), as Windows-1251 (older Russian sites and Notepad), and now
and then as UTF-16 with a BOM. Almost any byte string "decodes" as
Windows-1251, so that guess is accepted only when the result reads like
Russian text; anything else is refused rather than imported as mojibake.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from vestnik.importers.errors import ImportFailed

# Larger files are not saved pages; refusing them early keeps memory bounded.
MAX_BYTES = 5 * 1024 * 1024

# Control characters other than tab, newline, form feed and carriage return.
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}
# Share of control bytes above which a file is taken for binary.
_MAX_CONTROL_RATIO = 0.01
# A UTF-8 encoded Cyrillic letter: lead byte D0/D1 and a continuation byte.
_UTF8_CYRILLIC = re.compile(rb"[\xd0\xd1][\x80-\xbf]")
# What Windows-1251 Russian text is made of beyond ASCII: letters and typography.
_RUSSIAN_NON_ASCII = re.compile(r"[А-Яа-яЁё«»—–…№“”„‘’\u00a0•°©]")
# Share of non-ASCII characters that must be such for a Windows-1251 guess to stand.
_MIN_RUSSIAN_RATIO = 0.95


def text_file_read(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFailed(
                f"The file is too large for a saved page ({size:,} bytes; "
                f"the limit is {MAX_BYTES:,})."
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"No such file: {path}") from exc
    except IsADirectoryError as exc:
        raise ImportFailed(f"{path} is a directory, not a text file.") from exc
    except OSError as exc:
        raise ImportFailed(f"Cannot read {path}: {exc.strerror or exc}") from exc
    return text_decode(data)


def text_decode(data: bytes) -> str:
    if not data.strip():
        raise ImportFailed("The file is empty.")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return _non_empty(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise ImportFailed(
                    f"The file starts like UTF-16 text but is not: {exc.reason}."
                ) from exc
    if b"\x00" in data or _control_ratio(data) > _MAX_CONTROL_RATIO:
        raise ImportFailed(
            "The file is binary (an image, a PDF, a .docx?), not a saved page's text."
        )
    try:
        return _non_empty(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _looks_like_utf8(data):
        raise ImportFailed(
            "The file is damaged UTF-8: the byte at position "
            f"{utf8_error.start} ({data[utf8_error.start]:#04x}) is not valid UTF-8. "
            "Save the page again, as UTF-8."
        )
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise ImportFailed(_undecodable_message(exc.start, data)) from exc
    if not _reads_as_russian(text):
        raise ImportFailed(_undecodable_message(utf8_error.start, data))
    return _non_empty(text)


def _non_empty(text: str) -> str:
    if not text.strip():
        raise ImportFailed("The file is empty.")
    return text


def _control_ratio(data: bytes) -> float:
    sample = data[:65536]
    return sum(1 for byte in sample if byte in _CONTROL_BYTES) / len(sample)


def _looks_like_utf8(data: bytes) -> bool:
    """Mostly well-formed UTF-8 Cyrillic with a few broken bytes (a truncated copy)."""
    high_bytes = sum(1 for byte in data if byte >= 0x80)
    return high_bytes > 0 and 2 * len(_UTF8_CYRILLIC.findall(data)) / high_bytes > 0.5


def _reads_as_russian(text: str) -> bool:
    non_ascii = [char for char in text if ord(char) > 0x7F]
    if not non_ascii:
        return True
    russian = sum(1 for char in non_ascii if _RUSSIAN_NON_ASCII.match(char))
    return russian / len(non_ascii) >= _MIN_RUSSIAN_RATIO


def _undecodable_message(position: int, data: bytes) -> str:
    return (
        "The file's encoding is neither UTF-8 nor Windows-1251 "
        f"(first unreadable byte {data[position]:#04x} at position {position}). "
        "Save the page as UTF-8 text and try again."
    )
