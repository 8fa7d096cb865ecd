"""The shapes the API answers with (its OpenAPI components)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str


class Error(Schema):
    error: ErrorBody


class Term(Schema):
    slug: str
    name: str
    name_en: str
    url: str


class Person(Schema):
    slug: str
    name: str
    name_en: str
    url: str | None
    api_url: str


class Section(Schema):
    kind: str  # "blog" or "analysis"
    slug: str
    title: str
    url: str | None


class ArticleSummary(Schema):
    id: int
    api_url: str
    url: str | None
    language: str
    title: str
    lead: str
    publication_date: datetime.date
    authors: list[Person]
    section: Section | None
    countries: list[Term]
    regions: list[Term]
    topics: list[Term]


class ArticleList(Schema):
    results: list[ArticleSummary]
    next: str | None


class Block(Schema):
    type: str
    id: str | None
    value: Any


class Footnote(Schema):
    number: int
    key: str
    html: str


class Reference(Schema):
    raw: str
    kind: str
    title: str
    authors: list[str]
    publisher: str
    place: str
    year: int | None
    pages: str
    container: str
    volume: str
    issue: str
    url: str
    accessed: datetime.date | None


class EntityMention(Schema):
    slug: str
    name: str
    kind: str
    count: int
    api_url: str


class TimelineEvent(Schema):
    date: str
    text: str


class Figure(Schema):
    display: str
    label: str
    year: int | None
    sentence: str


class Translation(Schema):
    id: int
    language: str
    api_url: str
    url: str | None


class Citation(Schema):
    style: str
    text: str
    html: str


class CitationLink(Schema):
    format: str
    url: str


class ArticleDetail(ArticleSummary):
    body: list[Block]
    body_html: str
    footnotes: list[Footnote]
    references: list[Reference]
    entities: list[EntityMention]
    timeline: list[TimelineEvent]
    figures: list[Figure]
    translations: list[Translation]
    citations: list[Citation]
    citation_files: list[CitationLink]


class ExpertSummary(Person):
    position: str
    position_en: str
    affiliation: str
    affiliation_en: str


class ExpertDetail(ExpertSummary):
    bio: str
    bio_en: str
    links: list[dict[str, str]]
    articles_api_url: str


class ExpertList(Schema):
    results: list[ExpertSummary]
    next: str | None


class PublicationAuthor(Schema):
    name: str
    slug: str | None


class PublicationSummary(Schema):
    id: int
    api_url: str
    url: str | None
    language: str
    title: str
    label: str
    series: str
    number: str
    year: int
    publication_date: datetime.date
    abstract: str
    authors: list[PublicationAuthor]


class PublicationDetail(PublicationSummary):
    pdf_url: str | None
    page_count: int | None
    isbn: str
    doi: str
    place: str
    countries: list[Term]
    regions: list[Term]
    topics: list[Term]


class PublicationList(Schema):
    results: list[PublicationSummary]
    next: str | None


class EventSummary(Schema):
    id: int
    api_url: str
    url: str | None
    language: str
    title: str
    kind: str
    lead: str
    start: datetime.datetime
    end: datetime.datetime
    place: str


class Participant(Schema):
    role: str
    name: str
    affiliation: str
    expert: str | None


class EventDetail(EventSummary):
    description: str
    online_url: str
    video_url: str
    write_up: str
    participants: list[Participant]
    countries: list[Term]
    topics: list[Term]


class EventList(Schema):
    results: list[EventSummary]
    next: str | None


class EntitySummary(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    api_url: str
    url: str
    articles: int


class EntityMaterial(Schema):
    id: int
    kind: str
    title: str
    language: str
    url: str | None
    api_url: str | None
    mentions: int


class EntityDetail(EntitySummary):
    mentions: int
    materials: list[EntityMaterial]


class EntityList(Schema):
    results: list[EntitySummary]
    next: str | None


class TermList(Schema):
    results: list[Term]


class PollOption(Schema):
    id: int
    text: str
    count: int | None
    percent: float | None


class Poll(Schema):
    id: int
    number: int
    api_url: str
    url: str
    language: str
    question: str
    kind: str
    max_choices: int
    open: bool
    closed: bool
    results_visible: bool
    respondents: int | None
    votes: int | None
    options: list[PollOption]


class PollList(Schema):
    results: list[Poll]
    next: str | None


class Vote(Schema):
    options: list[int]
    audience: str | None = None


class VoteAccepted(Schema):
    ok: bool
    poll: Poll
