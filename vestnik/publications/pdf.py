"""A publication's PDF read with pypdf: its page count and its text. The one owner of both.

Whatever the file is, reading it never raises: an encrypted file (one that
needs a password to open) or a malformed one comes back with a `problem` and
no text, so the editor is told and the page is stored anyway; only a file that
is not a PDF at all (`not_pdf`) is refused by the admin form. Extraction stops
at `max_pages()` pages and `max_text_chars()` characters (settings
VESTNIK_PUBLICATIONS_PDF_MAX_PAGES, 1,000, and
VESTNIK_PUBLICATIONS_PDF_TEXT_MAX_CHARS, 500,000: a 200-page report): the text
feeds search and insights, which need the words, not a 2,000-page annex.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import IO, Literal

from django.conf import settings

logger = logging.getLogger(__name__)

Problem = Literal["", "not_pdf", "encrypted", "malformed"]

PDF_MAGIC = b"%PDF-"
# The header may follow some junk; PDF readers look within the first kilobyte.
HEADER_WINDOW = 1024
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def max_text_chars() -> int:
    return int(getattr(settings, "VESTNIK_PUBLICATIONS_PDF_TEXT_MAX_CHARS", 500_000))


def max_pages() -> int:
    return int(getattr(settings, "VESTNIK_PUBLICATIONS_PDF_MAX_PAGES", 1000))


@dataclass(frozen=True)
class PdfInfo:
    page_count: int | None
    text: str
    problem: Problem = ""


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def pdf_inspect(stream: IO[bytes]) -> PdfInfo:
    """The page count and text of the PDF in `stream` (read from its start)."""
    from pypdf import PdfReader  # heavy; only uploads and re-extractions need it

    stream.seek(0)
    if PDF_MAGIC not in stream.read(HEADER_WINDOW):
        return PdfInfo(page_count=None, text="", problem="not_pdf")
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            # Many «protected» PDFs only restrict printing and open with an empty
            # password; those are read as usual.
            try:
                opened = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 (pypdf raises many types, and a missing AES backend)
                opened = False
            if not opened:
                return PdfInfo(page_count=None, text="", problem="encrypted")
        page_count = len(reader.pages)
    except Exception:
        logger.warning("publications: unreadable PDF", exc_info=True)
        return PdfInfo(page_count=None, text="", problem="malformed")
    limit = max_text_chars()
    texts: list[str] = []
    size = 0
    try:
        for number, page in enumerate(reader.pages):
            if number >= max_pages() or size >= limit:
                break
            text = _tidy(page.extract_text() or "")
            texts.append(text)
            size += len(text) + 2
    except Exception:
        logger.warning("publications: PDF text not extracted", exc_info=True)
        return PdfInfo(page_count=page_count, text="", problem="malformed")
    return PdfInfo(page_count=page_count, text="\n\n".join(t for t in texts if t)[:limit])
