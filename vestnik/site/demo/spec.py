"""The shapes demo content is written in: plain, hashable data with no database access."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Literal

from vestnik.articles.drafts import HeadingDraft, QuoteDraft, TableDraft

ImageKind = Literal["polar_route", "sea_routes", "river_basin", "network", "bars", "archipelago"]


@dataclass(frozen=True)
class DemoExpert:
    key: str
    full_name: str
    name_genitive: str
    gender: Literal["f", "m"]
    position: str
    affiliation: str
    bio: str  # rich-text HTML
    # How English texts write the name, where the transliteration would not do.
    full_name_en: str = ""
    # What the English site shows of the profile.
    position_en: str = ""
    affiliation_en: str = ""
    bio_en: str = ""  # rich-text HTML


@dataclass(frozen=True)
class DemoTerm:
    slug: str
    name_ru: str
    name_en: str


@dataclass(frozen=True)
class DemoCountry(DemoTerm):
    iso_code: str = ""
    aliases: str = ""


@dataclass(frozen=True)
class DemoImage:
    """An illustration drawn by `images.render`; the same kind and seed give the same bytes."""

    kind: ImageKind
    seed: int
    filename: str
    caption: str
    credit: str
    alt: str


# A body item: a bare string is one paragraph of inline HTML (it may cite [^key]).
BodyItem = str | HeadingDraft | QuoteDraft | TableDraft | DemoImage


@dataclass(frozen=True)
class DemoArticle:
    key: str
    title: str
    author: str  # DemoExpert.key
    publication_date: datetime.date
    lead: str
    body: tuple[BodyItem, ...]
    footnotes: tuple[tuple[str, str], ...]  # (key, HTML)
    co_authors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # ISO codes
    regions: tuple[str, ...] = ()  # slugs
    topics: tuple[str, ...] = ()  # slugs
    # "blogs": in the author's blog; "analysis": in the analysis section, by its
    # co-authors (`author` then only names the draft's writer).
    section: str = "blogs"

    @property
    def fingerprint(self) -> str:
        """SHA-256 of everything the article is made of, images by their recipe."""
        return _fingerprint(
            {
                "title": self.title,
                "author": self.author,
                "date": self.publication_date.isoformat(),
                "lead": self.lead,
                "body": [_body_item_data(item) for item in self.body],
                "footnotes": self.footnotes,
                "co_authors": self.co_authors,
                "countries": self.countries,
                "regions": self.regions,
                "topics": self.topics,
            }
        )


@dataclass(frozen=True)
class DemoTranslation:
    """An article written again in another language, published as its Wagtail translation.

    Author, date and tags are the source's; the footnotes keep the source's
    keys, so a reader comparing the two versions finds the same notes; an
    illustration is the source's picture (same kind, seed and file name) with
    its own caption, credit and alt text.
    """

    source: str  # DemoArticle.key
    language: str
    title: str
    lead: str
    body: tuple[BodyItem, ...]
    footnotes: tuple[tuple[str, str], ...]  # (key, HTML)

    @property
    def fingerprint(self) -> str:
        return _fingerprint(
            {
                "source": self.source,
                "language": self.language,
                "title": self.title,
                "lead": self.lead,
                "body": [_body_item_data(item) for item in self.body],
                "footnotes": self.footnotes,
            }
        )


def _fingerprint(payload: dict[str, object]) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _body_item_data(item: BodyItem) -> object:
    if isinstance(item, str):
        return item
    return {"type": type(item).__name__, **asdict(item)}


@dataclass(frozen=True)
class DemoSection:
    slug: str  # one of core.services.AUDIENCE_SECTIONS
    intro: str  # rich-text HTML
    articles: tuple[tuple[str, str], ...]  # (DemoArticle.key, why it is here)
    experts: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class DemoSectionTranslation:
    """An audience section in another language, featuring the translations of its articles."""

    slug: str  # the source DemoSection.slug; the translation keeps it
    language: str
    title: str
    intro: str  # rich-text HTML
    articles: tuple[tuple[str, str], ...]  # (source DemoArticle.key, why it is here)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    email: str
    group: str
    expert: str = ""  # DemoExpert.key the account signs in as


def heading(text: str) -> HeadingDraft:
    return HeadingDraft(text=text)


def prose(text: str) -> str:
    """One paragraph written across several source lines, whitespace collapsed."""
    return " ".join(text.split())
