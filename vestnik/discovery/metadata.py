"""What a page tells machines about itself: canonical URL, language alternates, feeds,
Open Graph and Twitter cards, JSON-LD, and the `citation_*` tags scholarly indexers
and Zotero read.

`page_metadata(context)` reads the template context a page already has (the
article's authors, blog, tags and notes are loaded for the page itself) and
returns plain data; `templates/components/meta.html` only prints it.

Absolute URLs come from the Wagtail site's root URL, as `Page.full_url` does,
so canonical links never depend on the Host header of one request.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.models import Site

from vestnik.articles.citations.records import citation_record
from vestnik.articles.citations.references import note_text, reference_list
from vestnik.articles.models import AnalysisIndexPage, ArticlePage, BlogPage
from vestnik.core.selectors import LanguageVersion, language_versions
from vestnik.core.site_identity import absolute_url, site_name
from vestnik.discovery.selectors import term_feed_urls
from vestnik.events.models import EventIndexPage
from vestnik.publications.models import PublicationIndexPage

DESCRIPTION_WORDS = 60
OG_LOCALES = {"ru": "ru_RU", "en": "en_US"}


@dataclass(frozen=True)
class Link:
    href: str
    hreflang: str = ""
    title: str = ""
    type: str = ""


@dataclass
class PageMetadata:
    title: str
    description: str
    canonical: str
    site_name: str
    locale: str
    og_type: str = "website"
    image: str = ""
    image_alt: str = ""
    locale_alternates: list[str] = field(default_factory=list)
    alternates: list[Link] = field(default_factory=list)
    feeds: list[Link] = field(default_factory=list)
    # Open Graph `article:*` properties, in order.
    properties: list[tuple[str, str]] = field(default_factory=list)
    # `citation_*` meta tags, in order; names repeat (one `citation_author` per author).
    citation: list[tuple[str, str]] = field(default_factory=list)
    json_ld: dict[str, Any] | None = None

    @property
    def twitter_card(self) -> str:
        return "summary_large_image" if self.image else "summary"

    @property
    def json_ld_script(self) -> SafeString:
        """JSON-LD safe inside `<script>`: «<», «>» and «&» are escaped as in `json_script`."""
        if self.json_ld is None:
            return mark_safe("")
        text = json.dumps(self.json_ld, ensure_ascii=False, separators=(",", ":"))
        text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
        return mark_safe(text)  # noqa: S308 (escaped for a script element above)


# --- pieces shared by every page ------------------------------------------------------


def _describe(*candidates: str) -> str:
    for candidate in candidates:
        text = " ".join(strip_tags(candidate or "").split())
        if text:
            return Truncator(text).words(DESCRIPTION_WORDS)
    return _("Analysis and commentary on international affairs by the institute's experts.")


def _canonical(request: HttpRequest) -> str:
    url = absolute_url(request, request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return url


def _alternates(versions: list[LanguageVersion], request: HttpRequest) -> list[Link]:
    """`hreflang` links to the versions of this page that exist, and `x-default`.

    A page without a translation has none in the other language: pointing
    search engines at the nearest page instead would call that page its
    translation. `x-default` is the Russian version, where there is one.
    """
    existing = [version for version in versions if version.same_page]
    if len(existing) < 2:
        return []
    links = [
        Link(href=absolute_url(request, version.path), hreflang=version.language)
        for version in existing
    ]
    default = next((v for v in existing if v.language == settings.LANGUAGE_CODE), existing[0])
    links.append(Link(href=absolute_url(request, default.path), hreflang="x-default"))
    return links


def _site_feeds(request: HttpRequest) -> list[Link]:
    return [
        Link(
            href=absolute_url(request, reverse("discovery:articles_rss")),
            title=_("All articles (RSS)"),
            type="application/rss+xml",
        ),
        Link(
            href=absolute_url(request, reverse("discovery:articles_atom")),
            title=_("All articles (Atom)"),
            type="application/atom+xml",
        ),
    ]


def _blog_feeds(request: HttpRequest, blog: Any) -> list[Link]:
    """A blog's feeds, or a section's (`views.blog_feed` serves both)."""
    url = blog.get_full_url(request) or ""
    return [
        Link(href=f"{url}feed/", title=f"{blog.title} (RSS)", type="application/rss+xml"),
        Link(href=f"{url}feed/atom/", title=f"{blog.title} (Atom)", type="application/atom+xml"),
    ]


def _term_feeds(request: HttpRequest, term: Any) -> list[Link]:
    rss_url, atom_url = term_feed_urls(term)
    return [
        Link(
            href=absolute_url(request, rss_url),
            title=f"{term.name} (RSS)",
            type="application/rss+xml",
        ),
        Link(
            href=absolute_url(request, atom_url),
            title=f"{term.name} (Atom)",
            type="application/atom+xml",
        ),
    ]


def _image_url(request: HttpRequest, image: Any, spec: str) -> str:
    if image is None:
        return ""
    return absolute_url(request, image.get_rendition(spec).url)


def _organisation(request: HttpRequest, name: str) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": name,
        "url": absolute_url(request, "/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(request, static("img/favicon.svg"))},
    }


def _person(request: HttpRequest, expert: Any) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": expert.full_name}
    profile = expert.get_profile_url()
    if profile:
        person["url"] = absolute_url(request, profile)
    if expert.shown_position:
        person["jobTitle"] = expert.shown_position
    if expert.shown_affiliation:
        person["affiliation"] = {"@type": "Organization", "name": expert.shown_affiliation}
    return person


# --- the article ---------------------------------------------------------------------


def _first_image(article: Any) -> tuple[Any, str]:
    for block in article.body:
        if block.block_type == "image" and block.value.get("image") is not None:
            value = block.value
            return value["image"], value.get("alt") or value.get("caption") or ""
    return None, ""


def _citation_reference(reference: Any) -> str:
    """One `citation_reference` in the «citation_title=…; citation_author=…» form Scholar reads."""
    parts = [("citation_title", reference.title)]
    parts.extend(("citation_author", person.family_given) for person in reference.authors)
    if reference.year:
        parts.append(("citation_publication_date", str(reference.year)))
    if reference.container:
        parts.append(("citation_journal_title", reference.container))
    if reference.publisher:
        parts.append(("citation_publisher", reference.publisher))
    if reference.volume:
        parts.append(("citation_volume", reference.volume))
    if reference.issue:
        parts.append(("citation_issue", reference.issue))
    if reference.kind in ("article", "chapter") and reference.pages:
        first, _dash, last = reference.pages.partition("–")
        parts.append(("citation_firstpage", first))
        if last:
            parts.append(("citation_lastpage", last))
    if reference.url:
        parts.append(("citation_url", reference.url))
    return "; ".join(f"{name}={value.replace(';', ',')}" for name, value in parts if value)


def _reference_json_ld(reference: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@type": {"book": "Book", "article": "ScholarlyArticle", "chapter": "Chapter"}.get(
            reference.kind, "CreativeWork"
        ),
        "name": reference.title or reference.url,
    }
    if reference.authors:
        item["author"] = [
            {"@type": "Person", "name": person.family_given} for person in reference.authors
        ]
    if reference.year:
        item["datePublished"] = str(reference.year)
    if reference.publisher:
        item["publisher"] = {"@type": "Organization", "name": reference.publisher}
    if reference.container:
        item["isPartOf"] = {"@type": "CreativeWork", "name": reference.container}
    if reference.url:
        item["url"] = reference.url
    return item


def _terms(context: Mapping[str, Any]) -> list[Any]:
    return [
        term for name in ("countries", "regions", "topics") for term in (context.get(name) or [])
    ]


def _article(meta: PageMetadata, context: Mapping[str, Any], request: HttpRequest) -> None:
    article = context["page"]
    # A lazy object that may wrap None: an analysis piece has no blog (test its truth).
    blog = context.get("blog")
    analysis = None if blog else context.get("analysis")
    authors = list(context.get("authors") or [])
    terms = _terms(context)
    record = citation_record(
        article, blog=blog, authors=authors, keywords=[t.name for t in terms], request=request
    )
    index = context.get("footnote_index")
    references = reference_list(note_text(note.html) for note in index.notes) if index else []
    image, image_alt = _first_image(article)

    meta.og_type = "article"
    meta.image = _image_url(request, image, "width-1200")
    meta.image_alt = image_alt
    if blog:
        meta.feeds[:0] = _blog_feeds(request, blog)

    published = article.publication_date.isoformat()
    modified = article.last_published_at.isoformat() if article.last_published_at else published
    meta.properties = [("article:published_time", published), ("article:modified_time", modified)]
    meta.properties += [
        ("article:author", absolute_url(request, author.get_profile_url()))
        for author in authors
        if author.get_profile_url()
    ]
    section = blog or analysis
    if section:
        meta.properties.append(("article:section", section.title))
    meta.properties += [("article:tag", term.name) for term in terms]

    citation = [("citation_title", record.title)]
    citation += [("citation_author", person.family_given) for person in record.authors]
    citation += [
        ("citation_publication_date", record.issued.strftime("%Y/%m/%d")),
        ("citation_journal_title", record.publisher),
        ("citation_publisher", record.publisher),
        ("citation_language", record.language),
        ("citation_abstract_html_url", record.url),
        ("citation_fulltext_html_url", record.url),
        ("citation_pdf_url", record.pdf_url),
    ]
    if record.keywords:
        citation.append(("citation_keywords", "; ".join(record.keywords)))
    citation += [("citation_reference", _citation_reference(ref)) for ref in references]
    meta.citation = [(name, value) for name, value in citation if value]

    json_ld: dict[str, Any] = {
        "@context": "https://schema.org",
        # An article with a reference apparatus is scholarship; one without is a blog post.
        # An analysis piece without one is an article of the institution's.
        "@type": "ScholarlyArticle" if references else "BlogPosting" if blog else "Article",
        "headline": record.title[:110],
        "name": record.title,
        "url": record.url or meta.canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": meta.canonical},
        "datePublished": published,
        "dateModified": modified,
        "inLanguage": record.language,
        "author": [_person(request, author) for author in authors],
        "publisher": _organisation(request, record.publisher),
        "wordCount": len(article.plain_text.split()),
    }
    if record.abstract:
        json_ld["description"] = record.abstract
    if blog:
        json_ld["isPartOf"] = {
            "@type": "Blog",
            "name": blog.title,
            "url": blog.get_full_url(request) or "",
        }
    if meta.image:
        json_ld["image"] = [meta.image]
    if record.keywords:
        json_ld["keywords"] = list(record.keywords)
    if record.pdf_url:
        json_ld["encoding"] = {
            "@type": "MediaObject",
            "contentUrl": record.pdf_url,
            "encodingFormat": "application/pdf",
        }
    if references:
        json_ld["citation"] = [_reference_json_ld(reference) for reference in references]
    meta.json_ld = json_ld


# --- other pages ---------------------------------------------------------------------


def _blog(meta: PageMetadata, blog: Any, request: HttpRequest) -> None:
    meta.description = _describe(blog.search_description, blog.intro, blog.expert.shown_bio)
    meta.feeds[:0] = _blog_feeds(request, blog)
    meta.image = _image_url(request, blog.expert.photo, "fill-600x600")
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "Blog",
        "name": blog.title,
        "url": meta.canonical,
        "inLanguage": get_language(),
        "author": _person(request, blog.expert),
        "publisher": _organisation(request, meta.site_name),
    }


def _profile(meta: PageMetadata, expert: Any, request: HttpRequest) -> None:
    meta.og_type = "profile"
    meta.title = expert.full_name
    meta.image = _image_url(request, expert.photo, "fill-600x600")
    meta.properties = [("profile:last_name", expert.surname)]
    person = _person(request, expert)
    person.pop("url", None)
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": meta.canonical,
        "mainEntity": person,
    }


def _term(meta: PageMetadata, term: Any, request: HttpRequest) -> None:
    meta.title = term.name
    meta.feeds[:0] = _term_feeds(request, term)
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": term.name,
        "url": meta.canonical,
        "inLanguage": get_language(),
        "isPartOf": {"@type": "WebSite", "name": meta.site_name, "url": absolute_url(request, "/")},
    }


def _home(meta: PageMetadata, request: HttpRequest) -> None:
    meta.json_ld = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": meta.site_name,
        "url": meta.canonical,
        "inLanguage": get_language(),
        "publisher": _organisation(request, meta.site_name),
    }


def page_metadata(context: Mapping[str, Any]) -> PageMetadata | None:
    """Metadata for whatever page the template context describes.

    Page types of the floor above (home, the experts directory) are told apart
    by what they are, not by importing them: the site's root page, and the page
    that serves experts' profiles.
    """
    request = context.get("request")
    if request is None:
        return None
    page = context.get("page")
    language = get_language() or settings.LANGUAGE_CODE
    name = site_name(request)
    versions = language_versions(request, page)
    meta = PageMetadata(
        title=(getattr(page, "seo_title", "") or getattr(page, "title", "")) or name,
        description=_describe(
            getattr(page, "search_description", ""),
            getattr(page, "lead", ""),
            getattr(page, "abstract", ""),
            getattr(page, "intro", ""),
        ),
        canonical=_canonical(request),
        site_name=name,
        locale=OG_LOCALES.get(language, language),
        locale_alternates=[
            OG_LOCALES.get(v.language, v.language)
            for v in versions
            if v.same_page and not v.current
        ],
        alternates=_alternates(versions, request),
        feeds=_site_feeds(request),
    )
    term = context.get("term")
    expert = context.get("expert")
    if isinstance(page, ArticlePage):
        _article(meta, context, request)
    elif isinstance(page, BlogPage):
        _blog(meta, page, request)
    elif getattr(page, "serves_expert_profiles", False) and expert is not None:
        meta.description = _describe(
            expert.shown_bio, f"{expert.shown_position} {expert.shown_affiliation}"
        )
        _profile(meta, expert, request)
    elif term is not None:
        meta.description = _describe(_("Articles tagged “%(term)s”") % {"term": term.name})
        _term(meta, term, request)
    elif isinstance(page, _FEED_SECTIONS):
        # The analysis section, the publications library, the events: their own feed first.
        meta.feeds[:0] = _blog_feeds(request, page)
    elif page is not None and _is_site_root(page, request):
        _home(meta, request)
    return meta


_FEED_SECTIONS = (AnalysisIndexPage, PublicationIndexPage, EventIndexPage)


def _is_site_root(page: Any, request: HttpRequest) -> bool:
    site = Site.find_for_request(request)
    return site is not None and site.root_page_id == page.pk
