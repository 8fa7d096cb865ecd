"""The intermediate form every importer produces and the article mapper consumes.

Plain dataclasses with no database access: a parser (saved page text, HTML,
.docx) fills an `ArticleDraft`; `articles.services.article_create_from_draft`
turns it into a Wagtail page revision. Rich text in drafts is sanitised HTML
in Wagtail's rich-text format; footnote references inside it are `[^key]`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Literal


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
    source_fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)
