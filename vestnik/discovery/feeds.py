"""RSS 2.0 and Atom feeds: the site's articles, each blog, each country, region and topic,
and each section (the analysis section, the publications library, events).

Each feed is in one language, the URL's: /feeds/articles.rss lists Russian
articles, /en/feeds/articles.rss English ones, with the site's name, the
`<language>` and the authors' names in that language; a blog's feed lists its
own articles, which are all in the blog's language.

Built on `django.contrib.syndication`. Each item carries the article in full —
body, image captions with their credits, and the notes — in `content:encoded`
(RSS) or `<content type="html">` (Atom), with the lead as its summary. Links
inside that HTML are made absolute: a feed reader has no page to resolve them
against. A publication's item carries its PDF as an enclosure (through the
counted download URL); an event's says when and where it takes place.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from wagtail.query import PageQuerySet

from vestnik.articles.models import ArticlePage
from vestnik.articles.selectors import articles_in_blog, public_articles, with_bylines
from vestnik.core.locales import content_language
from vestnik.core.site_identity import absolute_url, site_name, site_root_url
from vestnik.discovery.selectors import (
    articles_tagged,
    term_feed_urls,
    term_url,
)
from vestnik.events.models import EventPage
from vestnik.events.presentation import event_when
from vestnik.events.selectors import public_events
from vestnik.publications.models import PublicationPage
from vestnik.publications.selectors import public_publications
from vestnik.publications.selectors import with_authors as with_publication_authors
from vestnik.vocabulary.models import VocabularyTerm

FEED_ITEMS = 20


class ContentRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the full article in `content:encoded` (the RSS content module)."""

    def rss_attributes(self) -> dict[str, str]:
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class ContentAtomFeed(Atom1Feed):
    """Atom with the full article in `<content type="html">` beside its `<summary>`."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class FeedSource:
    """What one feed mirrors: its pages (`articles`, or publications or events) and where
    it lives."""

    title: str
    link: str
    description: str
    articles: PageQuerySet
    feed_url: str


_LOCAL_LINK = re.compile(
    r"""(?P<attr>\b(?:href|src))=(?P<quote>["'])(?P<url>[/#][^"']*)(?P=quote)"""
)


def absolutize(html: str, *, root_url: str, page_url: str) -> str:
    """Make `href`/`src` absolute: «/media/…» against the site, «#fn-1» against the page."""

    def replace(match: re.Match[str]) -> str:
        url = match.group("url")
        if url.startswith("//"):
            return match.group(0)
        absolute = f"{page_url}{url}" if url.startswith("#") else f"{root_url}{url}"
        return f"{match.group('attr')}={match.group('quote')}{absolute}{match.group('quote')}"

    return _LOCAL_LINK.sub(replace, html)


def article_feed_content(article: ArticlePage, request: HttpRequest) -> str:
    """The whole article as HTML for a feed reader."""
    html = render_to_string(
        "components/feed_content.html",
        {"article": article, "footnote_index": article.footnote_index(), "request": request},
    )
    return absolutize(
        html, root_url=site_root_url(request), page_url=article.get_full_url(request) or ""
    )


def _published_at(article: ArticlePage) -> datetime.datetime:
    """The publication date, at the hour it went live when that was the same day.

    Otherwise (imported and back-dated articles) noon: midnight in Moscow is
    the previous day in UTC, and feed readers would show the wrong date.
    """
    first = article.first_published_at
    if first is not None and timezone.localtime(first).date() == article.publication_date:
        return first
    return timezone.make_aware(
        datetime.datetime.combine(article.publication_date, datetime.time(12))
    )


class ArticleFeed(Feed):
    feed_type: type[SyndicationFeed] = ContentRssFeed

    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        self.request = request

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedSource:
        source: FeedSource = kwargs["source"]
        return source

    def as_text(self, text: str) -> str:
        """Plain text for an RSS `<title>` or `<description>`.

        RSS has no way to say "this is text": readers render those fields as HTML,
        so a title typed as «<b onmouseover=…>» must reach them escaped.
        """
        return escape(text)

    def title(self, source: FeedSource) -> str:
        return self.as_text(source.title)

    def link(self, source: FeedSource) -> str:
        return source.link

    def feed_url(self, source: FeedSource) -> str:
        return source.feed_url

    def description(self, source: FeedSource) -> str:
        # Only RSS writes it; Atom writes the `<subtitle>` below, a text element.
        return self.as_text(source.description)

    def subtitle(self, source: FeedSource) -> str:
        return source.description

    def items(self, source: FeedSource) -> list[ArticlePage]:
        articles = source.articles.prefetch_related("footnotes", "countries", "regions", "topics")
        return with_bylines(articles[:FEED_ITEMS])

    def item_title(self, item: ArticlePage) -> str:
        return self.as_text(item.title)

    def item_link(self, item: ArticlePage) -> str:
        return item.get_full_url(self.request) or ""

    def item_guid(self, item: ArticlePage) -> str:
        return self.item_link(item)

    def item_description(self, item: ArticlePage) -> str:
        # The lead is plain text, but both formats carry the summary as HTML (RSS
        # `<description>`, Atom `<summary type="html">` as Django writes it): unescaped,
        # a lead typed as «<img onerror=…>» would become live markup in the reader.
        return escape(item.lead)

    def item_author_name(self, item: ArticlePage) -> str:
        # The byline in order (`articles.selectors.with_bylines`); an analysis piece has no blog.
        return ", ".join(author.display_name for author in getattr(item, "listing_authors", ()))

    def item_author_link(self, item: ArticlePage) -> str:
        blog = getattr(item, "listing_blog", None)
        return (blog.get_full_url(self.request) or "") if blog is not None else ""

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        return _published_at(item)

    def item_updateddate(self, item: ArticlePage) -> datetime.datetime:
        published = _published_at(item)
        last = item.last_published_at
        return max(published, last) if last is not None else published

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [
            term.name
            for terms in (item.countries.all(), item.regions.all(), item.topics.all())
            for term in terms
        ]

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        return {"content": article_feed_content(item, self.request)}


class AtomArticleFeed(ArticleFeed):
    feed_type = ContentAtomFeed

    def as_text(self, text: str) -> str:
        # Atom titles without a type attribute are text (RFC 4287 §3.1.1): no escaping,
        # or readers would show «&amp;».
        return text


def _noon(day: datetime.date) -> datetime.datetime:
    # Noon, not midnight: midnight in Moscow is the previous day in UTC.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


class PublicationFeed(ArticleFeed):
    """The publications library: each item a report with its abstract and its PDF."""

    def items(self, source: FeedSource) -> list[Any]:
        publications = with_publication_authors(source.articles[:FEED_ITEMS])
        # The enclosure's file and the categories, for all items at once.
        prefetch_related_objects(publications, "pdf", "countries", "regions", "topics")
        return publications

    def item_description(self, item: PublicationPage) -> str:  # type: ignore[override]
        return escape(item.abstract)

    def item_author_name(self, item: PublicationPage) -> str:  # type: ignore[override]
        return str(getattr(item, "byline", ""))

    def item_author_link(self, item: PublicationPage) -> str:  # type: ignore[override]
        return ""

    def item_pubdate(self, item: PublicationPage) -> datetime.datetime:  # type: ignore[override]
        return _noon(item.publication_date)

    def item_updateddate(self, item: PublicationPage) -> datetime.datetime:  # type: ignore[override]
        published = _noon(item.publication_date)
        last = item.last_published_at
        return max(published, last) if last is not None else published

    def item_enclosures(self, item: PublicationPage) -> list[Enclosure]:
        if item.pdf is None:
            return []
        url = absolute_url(self.request, reverse("publications:download", args=[item.pk]))
        # The size the upload recorded: a feed request never writes (0 where unknown).
        return [Enclosure(url, str(item.pdf.file_size or 0), "application/pdf")]

    def item_extra_kwargs(self, item: PublicationPage) -> dict[str, Any]:  # type: ignore[override]
        return {}


class AtomPublicationFeed(PublicationFeed):
    feed_type = ContentAtomFeed

    def as_text(self, text: str) -> str:
        return text


class EventFeed(ArticleFeed):
    """Events, the latest announced first: each item says when and where."""

    def items(self, source: FeedSource) -> list[Any]:
        return list(source.articles.prefetch_related("countries", "topics")[:FEED_ITEMS])

    def item_description(self, item: EventPage) -> str:  # type: ignore[override]
        when = event_when(item.start, item.end, content_language())
        facts = [when, item.place or item.online_url, item.lead]
        return escape(". ".join(fact.strip().rstrip(".") for fact in facts if fact.strip()) + ".")

    def item_author_name(self, item: EventPage) -> str:  # type: ignore[override]
        return ""

    def item_author_link(self, item: EventPage) -> str:  # type: ignore[override]
        return ""

    def item_pubdate(self, item: EventPage) -> datetime.datetime:  # type: ignore[override]
        return item.first_published_at or item.start

    def item_updateddate(self, item: EventPage) -> datetime.datetime:  # type: ignore[override]
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item: EventPage) -> list[str]:  # type: ignore[override]
        return [term.name for terms in (item.countries.all(), item.topics.all()) for term in terms]

    def item_extra_kwargs(self, item: EventPage) -> dict[str, Any]:  # type: ignore[override]
        return {}


class AtomEventFeed(EventFeed):
    feed_type = ContentAtomFeed

    def as_text(self, text: str) -> str:
        return text


def _serve(
    request: HttpRequest,
    source: FeedSource,
    *,
    atom: bool,
    kinds: tuple[type[ArticleFeed], type[ArticleFeed]] = (ArticleFeed, AtomArticleFeed),
) -> HttpResponse:
    feed_class = kinds[1] if atom else kinds[0]
    response: HttpResponse = feed_class(request)(request, source=source)
    return response


def _home_url(request: HttpRequest) -> str:
    """The home page in the feed's language: «/» or «/en/» (Wagtail's route, no query)."""
    return absolute_url(request, reverse("wagtail_serve", args=[""]))


# --- the feeds ---------------------------------------------------------------------


def articles_feed(request: HttpRequest, *, atom: bool = False) -> HttpResponse:
    feed_name = "discovery:articles_atom" if atom else "discovery:articles_rss"
    source = FeedSource(
        title=_("%(site)s: articles") % {"site": site_name(request)},
        link=_home_url(request),
        description=_(
            "Analysis and commentary on international affairs by the institute's experts."
        ),
        articles=public_articles().order_by("-publication_date", "-first_published_at"),
        feed_url=absolute_url(request, reverse(feed_name)),
    )
    return _serve(request, source, atom=atom)


def blog_feed(request: HttpRequest, blog: Any, *, atom: bool = False) -> HttpResponse:
    link = blog.get_full_url(request) or ""
    source = FeedSource(
        title=f"{blog.title} — {site_name(request)}",
        link=link,
        description=_("Articles by %(name)s") % {"name": blog.expert.display_name},
        articles=articles_in_blog(blog),
        feed_url=f"{link}feed/atom/" if atom else f"{link}feed/",
    )
    return _serve(request, source, atom=atom)


def section_feed(request: HttpRequest, section: Any, *, atom: bool = False) -> HttpResponse:
    """The feed of a section page: the analysis section's articles, the publications
    library's publications, or the events; which one by what the section holds."""
    link = section.get_full_url(request) or ""
    source_fields = {
        "title": f"{section.title} — {site_name(request)}",
        "link": link,
        "feed_url": f"{link}feed/atom/" if atom else f"{link}feed/",
    }
    if PublicationPage in section.specific_class.allowed_subpage_models():
        source = FeedSource(
            description=_("Reports and working papers"),
            articles=public_publications()
            .child_of(section)
            .order_by("-publication_date", "-first_published_at"),
            **source_fields,
        )
        return _serve(request, source, atom=atom, kinds=(PublicationFeed, AtomPublicationFeed))
    if EventPage in section.specific_class.allowed_subpage_models():
        source = FeedSource(
            description=_("Round tables, conferences, lectures and presentations"),
            articles=public_events().child_of(section).order_by("-first_published_at", "-pk"),
            **source_fields,
        )
        return _serve(request, source, atom=atom, kinds=(EventFeed, AtomEventFeed))
    source = FeedSource(
        description=_("Analysis by the institute's experts"),
        articles=public_articles()
        .child_of(section)
        .order_by("-publication_date", "-first_published_at"),
        **source_fields,
    )
    return _serve(request, source, atom=atom)


def term_feed(request: HttpRequest, term: VocabularyTerm, *, atom: bool = False) -> HttpResponse:
    rss_url, atom_url = term_feed_urls(term)
    source = FeedSource(
        title=_("%(site)s: %(term)s") % {"site": site_name(request), "term": term.name},
        link=absolute_url(request, term_url(term)),
        description=_("Articles tagged “%(term)s”") % {"term": term.name},
        articles=articles_tagged(term),
        feed_url=absolute_url(request, atom_url if atom else rss_url),
    )
    return _serve(request, source, atom=atom)
