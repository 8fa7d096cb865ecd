"""The intermediate form every importer produces and the article mapper consumes.

Plain dataclasses with no database access: a parser (saved page text, HTML,
.docx) fills an `ArticleDraft`; `articles.services.article_create_from_draft`
turns it into a Wagtail page revision. Rich text in drafts is sanitised HTML
in Wagtail's rich-text format; footnote references inside it are `[^key]`.

`draft_fingerprint` is the one rule for "is a re-imported file unchanged":
every source is compared by what its draft says, never by its bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class ImageDraft:
    filename: str
    caption: str = ""
    credit: str = ""
    alt: str = ""
    # Raw bytes of the image when the source carries them (.docx); None means
    # "not available": the mapper stores a generated placeholder and warns.
    data: bytes | None = None


@dataclass
class HeadingDraft:
    text: str
    level: Literal["h2", "h3"] = "h2"


@dataclass
class ParagraphDraft:
    html: str


@dataclass
class QuoteDraft:
    html: str
    attribution: str = ""


@dataclass
class TableDraft:
    rows: list[list[str]]
    has_header_row: bool = True
    caption: str = ""


BlockDraft = HeadingDraft | ParagraphDraft | ImageDraft | QuoteDraft | TableDraft


@dataclass
class FootnoteDraft:
    key: str
    html: str


@dataclass
class PollOptionDraft:
    text: str
    votes: int
    percent: float | None = None


@dataclass
class PollDraft:
    question: str
    number: int | None = None
    max_choices: int = 1
    closed: bool = True
    options: list[PollOptionDraft] = field(default_factory=list)


@dataclass
class ArticleDraft:
    title: str
    author_name: str  # nominative: «Асан Жакупов»
    author_name_genitive: str = ""  # «Асана Жакупова», when the source gives it
    publication_date: datetime.date | None = None
    lead: str = ""
    blocks: list[BlockDraft] = field(default_factory=list)
    footnotes: list[FootnoteDraft] = field(default_factory=list)
    poll: PollDraft | None = None
    # Empty from every importer (the mapper applies `draft_fingerprint`); a source
    # with an identity of its own, like the demo content, may set it.
    source_fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)


def draft_fingerprint(draft: ArticleDraft) -> str:
    """SHA-256 of what the draft says: not of the file, whose bytes change on every save.

    Word rewrites a document's archive, revision ids and dates whenever it is
    saved, and a page saved again may differ in line endings, encoding or
    site furniture; none of that is a new revision. Warnings and a fingerprint
    the draft already carries are not part of what it says.
    """

    def default(value: Any) -> Any:
        if isinstance(value, bytes):
            return hashlib.sha1(value, usedforsecurity=False).hexdigest()
        if isinstance(value, datetime.date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    content = dataclasses.asdict(draft)
    content.pop("warnings", None)
    content.pop("source_fingerprint", None)
    # The block's type is content too: a heading and a paragraph may hold the same text.
    content["blocks"] = [
        {"type": type(block).__name__, **dataclasses.asdict(block)} for block in draft.blocks
    ]
    encoded = json.dumps(content, default=default, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
