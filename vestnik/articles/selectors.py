"""Reads of articles that several pages share, with their prefetching in one place."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from wagtail.models import Locale, Page, Site
from wagtail.query import PageQuerySet
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)

from vestnik.articles.bylines import authors_in_order
from vestnik.articles.cache_keys import SHARE_LINKS
from vestnik.articles.models import (
    AnalysisIndexPage,
    ArticleFootnote,
    ArticlePage,
    BlogPage,
    ShareSettings,
    share_url_template_is_safe,
)
from vestnik.authors.cache_keys import expert_key
from vestnik.authors.models import Expert
from vestnik.core import fragments, front_cache
from vestnik.core.locales import in_language
from vestnik.core.page_cache import remember
from vestnik.core.selectors import visible_to_public
from vestnik.vocabulary.cache_keys import term_key

if TYPE_CHECKING:
    from vestnik.vocabulary.models import Country, Topic


def public_articles(*, language: str | None = None, any_language: bool = False) -> PageQuerySet:
    """Articles an anonymous reader may see (`core.selectors.visible_to_public`).

    In the language the reader reads (`core.locales`), or in `language`; every
    language only where a page says so and marks each article's language.
    """
    articles = ArticlePage.objects.all()
    if not any_language:
        articles = in_language(articles, language)
    return visible_to_public(articles)


def _listing(queryset: PageQuerySet) -> PageQuerySet:
    """Articles in the reader's language, newest first; pair with `with_bylines`."""
    return (
        visible_to_public(in_language(queryset))
        .order_by("-publication_date", "-first_published_at")
        .prefetch_related(Prefetch("co_authors"))
    )


def with_bylines(articles: Iterable[ArticlePage]) -> list[ArticlePage]:
    """Attach each article's blog (and its expert) in one query for the whole list.

    Articles live directly under their blog or the analysis section, so the
    parent's tree path is the article's path minus one step. `listing_authors`
    is the byline in order (`articles.models.authors_in_order`); an analysis
    piece has no `listing_blog`. Prefetch `co_authors` (as `_listing` does) to
    keep it to one query for the list (done here if it was not).
    """
    articles = list(articles)
    # One query for every card's co-authors; a no-op where the list prefetched them.
    prefetch_related_objects(articles, "co_authors")
    parent_paths = {a.path[: -ArticlePage.steplen] for a in articles}
    blogs = {
        blog.path: blog
        for blog in BlogPage.objects.filter(path__in=parent_paths).select_related("expert")
    }
    for article in articles:
        blog = blogs.get(article.path[: -ArticlePage.steplen])
        article.listing_blog = blog  # type: ignore[attr-defined]
        article.listing_authors = authors_in_order(  # type: ignore[attr-defined]
            blog.expert if blog is not None else None, article.co_authors.all()
        )
    # Every card is a view of its article and of its author's name.
    front_cache.depends_on(*(front_cache.page_key(article.pk) for article in articles))
    front_cache.depends_on(*(expert_key(blog.expert_id) for blog in blogs.values()))
    return articles


def latest_articles(*, limit: int = 10) -> list[ArticlePage]:
    return with_bylines(_listing(ArticlePage.objects.all())[:limit])


def articles_in_blog(blog: BlogPage) -> PageQuerySet:
    return _listing(ArticlePage.objects.child_of(blog))


def articles_in_analysis(index: AnalysisIndexPage) -> PageQuerySet:
    return _listing(ArticlePage.objects.child_of(index))


def _analysis_sections() -> list[tuple[str, int]]:
    """The tree path and depth of each analysis section (one per language).

    They change only with a publish or a move, so they are remembered per
    content generation rather than read for every list.
    """
    return remember(
        "analysis-sections", lambda: list(AnalysisIndexPage.objects.values_list("path", "depth"))
    )


def _in_analysis() -> Q:
    """Articles whose parent is an analysis section (in any language)."""
    match = Q(pk__in=[])
    for path, depth in _analysis_sections():
        match |= Q(path__startswith=path, depth=depth + 1)
    return match


def articles_by_expert(expert: Expert) -> PageQuerySet:
    """The expert's blog posts: in their blog or co-authored in another's, in the reader's language.

    Analysis pieces they wrote are `analysis_by_expert`'s: a profile lists them apart.
    """
    own = Q(pk__in=[])
    blog = in_language(BlogPage.objects.filter(expert=expert)).first()
    if blog is not None:
        own = Q(path__startswith=blog.path, depth=blog.depth + 1)
    return _listing(
        ArticlePage.objects.filter(own | Q(co_authors=expert)).exclude(_in_analysis()).distinct()
    )


def analysis_by_expert(expert: Expert) -> PageQuerySet:
    """Analysis pieces naming the expert as an author, in the reader's language."""
    return _listing(ArticlePage.objects.filter(_in_analysis(), co_authors=expert).distinct())


def related_articles(
    article: ArticlePage,
    *,
    country_ids: list[int],
    region_ids: list[int],
    topic_ids: list[int],
    limit: int = 3,
) -> list[ArticlePage]:
    """Other articles ranked by the number of countries, regions and topics they share."""
    vocabularies = {"countries": country_ids, "regions": region_ids, "topics": topic_ids}
    # An empty `__in` makes Django drop the whole query, so only used vocabularies count.
    used = {field: ids for field, ids in vocabularies.items() if ids}
    if not used:
        return []
    matches = Q()
    shared: Any = None
    for field, ids in used.items():
        matches |= Q(**{f"{field}__in": ids})
        count = Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        shared = count if shared is None else shared + count
    ranked = (
        _listing(ArticlePage.objects.exclude(pk=article.pk).filter(matches))
        .annotate(shared_tags=shared)
        .order_by("-shared_tags", "-publication_date")
    )
    return with_bylines(ranked[:limit])


def article_page_context(article: ArticlePage, request: HttpRequest) -> dict[str, Any]:
    """Everything the article template needs beyond the page itself.

    Each value is read on first use: the template keeps the parts that show
    them in the fragment cache (`core.fragments`), and a page assembled from
    cached fragments then makes none of these queries. The surrogate keys are
    noted where a value is read, so they are recorded with the fragment that
    shows it.
    """

    def analysis() -> AnalysisIndexPage | None:
        # Only an article without a blog is looked up here (`blog` first in templates).
        if lazy_blog:
            return None
        return AnalysisIndexPage.objects.filter(path=article.path[: -ArticlePage.steplen]).first()

    def blog() -> BlogPage | None:
        found: BlogPage | None = (
            BlogPage.objects.filter(path=article.path[: -ArticlePage.steplen])
            .select_related("expert", "expert__photo")
            .first()
        )
        if found is not None:
            front_cache.depends_on(expert_key(found.expert_id))
        return found

    lazy_blog = SimpleLazyObject(blog)

    def expert() -> Expert | None:
        return lazy_blog.expert if lazy_blog else None

    def authors() -> list[Expert]:
        co_authors = list(article.co_authors.all())
        front_cache.depends_on(*(expert_key(author.pk) for author in co_authors))
        owner = lazy_blog.expert if lazy_blog else None
        return authors_in_order(owner, co_authors)

    def terms(kind: str) -> Callable[[], list[Any]]:
        def read() -> list[Any]:
            found = list(getattr(article, kind).all())
            front_cache.depends_on(*(term_key(kind, term.pk) for term in found))
            return found

        return read

    lazy_expert = SimpleLazyObject(expert)
    countries = SimpleLazyObject(terms("countries"))
    regions = SimpleLazyObject(terms("regions"))
    topics = SimpleLazyObject(terms("topics"))
    return {
        "blog": lazy_blog,
        "analysis": SimpleLazyObject(analysis),
        "expert": lazy_expert,
        "authors": SimpleLazyObject(authors),
        "footnote_index": SimpleLazyObject(article.footnote_index),
        "countries": countries,
        "regions": regions,
        "topics": topics,
        "related_articles": SimpleLazyObject(
            lambda: related_articles(
                article,
                country_ids=[c.pk for c in countries],
                region_ids=[r.pk for r in regions],
                topic_ids=[t.pk for t in topics],
            )
        ),
        "share_links": SimpleLazyObject(lambda: share_links(article, request)),
    }


def footnotes_of(article: ArticlePage) -> QuerySet[ArticleFootnote]:
    return article.footnotes.all()


def blog_page_context(blog: BlogPage, request: HttpRequest) -> dict[str, Any]:
    """A blog's articles, newest first, ten to a page (`?page=2`), read when a fragment is built."""
    articles_page = fragments.listing_page(
        request,
        "blog",
        [blog.pk],
        lambda: articles_in_blog(blog),
        per_page=blog.articles_per_page,
        prepare=with_bylines,
    )
    return {"articles_page": articles_page}


def analysis_index_page_context(index: AnalysisIndexPage, request: HttpRequest) -> dict[str, Any]:
    """The section's pieces, newest first, ten to a page (`?page=2`), read with the fragment."""
    articles_page = fragments.listing_page(
        request,
        "analysis",
        [index.pk],
        lambda: articles_in_analysis(index),
        per_page=index.articles_per_page,
        prepare=with_bylines,
    )
    return {"articles_page": articles_page}


def blog_for_expert(expert: Expert, *, language: str | None = None) -> BlogPage | None:
    """The expert's blog in the reader's language (or `language`), unless it is not public."""
    blog: BlogPage | None = visible_to_public(
        in_language(BlogPage.objects.filter(expert=expert), language)
    ).first()
    return blog


def experts_with_article_counts(
    *, country: Country | None = None, topic: Topic | None = None
) -> list[Expert]:
    """Experts with `article_count` set; with a country or topic, only those who wrote on it.

    An expert's articles are those in their blog and those they co-authored, so
    the counting happens over tree paths and the co-author table in two
    queries, not one per expert.
    """
    articles = public_articles()
    if country is not None:
        articles = articles.filter(countries=country)
    if topic is not None:
        articles = articles.filter(topics=topic)
    paths = dict(articles.values_list("pk", "path"))
    blog_owners = dict(
        BlogPage.objects.filter(
            path__in={path[: -ArticlePage.steplen] for path in paths.values()}
        ).values_list("path", "expert_id")
    )
    written: dict[int, set[int]] = defaultdict(set)
    for article_id, path in paths.items():
        owner = blog_owners.get(path[: -ArticlePage.steplen])
        if owner is not None:
            written[owner].add(article_id)
    co_authorship = ArticlePage.co_authors.through.objects.filter(
        articlepage_id__in=list(paths)
    ).values_list("articlepage_id", "expert_id")
    for article_id, expert_id in co_authorship:
        written[expert_id].add(article_id)

    experts: QuerySet[Expert] = Expert.objects.select_related("photo").order_by("full_name")
    if country is not None or topic is not None:
        experts = experts.filter(pk__in=list(written))
    result = list(experts)
    for expert in result:
        expert.article_count = len(written.get(expert.pk, ()))  # type: ignore[attr-defined]
    return result


def share_links(page: Page, request: HttpRequest) -> list[dict[str, str]]:
    """Plain share links for a page: no scripts, no trackers, with their legal labels."""
    site = Site.find_for_request(request)
    if site is None:
        return []

    def networks() -> list[tuple[str, str, str]]:
        settings = ShareSettings.for_site(site)
        return [
            (network.name, network.url_template, network.legal_label)
            for network in settings.networks.filter(enabled=True).order_by("sort_order")
            # Rows saved before the model validated templates may still hold a
            # javascript: or data: template; a reader must never get it as a link.
            if share_url_template_is_safe(network.url_template)
        ]

    front_cache.depends_on(SHARE_LINKS)
    url = quote(page.get_full_url(request) or "", safe="")
    title = quote(page.title, safe="")
    return [
        {
            "name": name,
            "href": template.replace("{url}", url).replace("{title}", title),
            "legal_label": legal_label,
        }
        for name, template, legal_label in remember(f"share-networks:{site.pk}", networks)
    ]


# --- translations in the admin ----------------------------------------------
#
# One rule says when a translation is behind its source, for the article's
# panel and for the «Article translations» report (docs/translations.md,
# "Out-of-date translations").


class TranslationState(StrEnum):
    UP_TO_DATE = "up_to_date"
    # The source was published (or synced) after the translation last took it in.
    SOURCE_CHANGED = "source_changed"
    # wagtail-localize holds source segments nobody has translated yet.
    SEGMENTS_WAITING = "segments_waiting"


@dataclass(frozen=True)
class TranslationStatus:
    """One translation of an article, measured against its source."""

    page: ArticlePage
    source: ArticlePage
    language: str
    # Made segment by segment in wagtail-localize, rather than imported or typed in.
    managed: bool
    state: TranslationState
    # Source texts of the segments still to translate (managed translations only).
    waiting: tuple[str, ...] = ()

    @property
    def out_of_date(self) -> bool:
        return self.state is not TranslationState.UP_TO_DATE


def translation_status(article: ArticlePage) -> list[TranslationStatus]:
    """Every translation of the article's text (not the source itself), with its state.

    The source is the version wagtail-localize translates from, or else the
    version in the site's first language. A wagtail-localize translation is out
    of date when segments of its source wait for a translation, when its source
    page was published after wagtail-localize last read it ("Sync translated
    pages" not run yet), or when the source was read after the translation was
    last saved. Any other translation (imported, or written in the page editor)
    is out of date when its source was published after the translation's
    newest revision.
    """
    versions = {
        page.locale_id: page
        for page in ArticlePage.objects.filter(translation_key=article.translation_key)
        .select_related("locale")
        .order_by("pk")
    }
    sources = {
        source.locale_id: source
        for source in TranslationSource.objects.filter(
            object_id=article.translation_key,
            specific_content_type=ContentType.objects.get_for_model(ArticlePage),
        )
    }
    translations = {
        translation.target_locale_id: translation
        for translation in Translation.objects.filter(
            source__in=list(sources.values()), enabled=True
        ).select_related("source")
    }
    source_page = _translation_source_page(versions, translations)
    if source_page is None:
        return []
    result = []
    for locale_id, page in versions.items():
        if page.pk == source_page.pk:
            continue
        translation = translations.get(locale_id)
        if translation is not None:
            result.append(_managed_status(page, source_page, translation))
        else:
            result.append(
                TranslationStatus(
                    page=page,
                    source=source_page,
                    language=page.locale.language_code,
                    managed=False,
                    state=_state_by_dates(
                        source_page.last_published_at, page.latest_revision_created_at
                    ),
                )
            )
    return sorted(result, key=lambda status: status.language)


def _translation_source_page(
    versions: dict[int, ArticlePage], translations: dict[int, Translation]
) -> ArticlePage | None:
    for translation in translations.values():
        if translation.source.locale_id in versions:
            return versions[translation.source.locale_id]
    default = Locale.get_default()
    return versions.get(default.pk) or next(iter(versions.values()), None)


def _managed_status(
    page: ArticlePage, source_page: ArticlePage, translation: Translation
) -> TranslationStatus:
    source = translation.source
    waiting = tuple(
        StringSegment.objects.filter(source=source)
        .exclude(
            Exists(
                StringTranslation.objects.filter(
                    translation_of_id=OuterRef("string_id"),
                    context_id=OuterRef("context_id"),
                    locale_id=translation.target_locale_id,
                    has_error=False,
                )
            )
        )
        .order_by("order")
        .values_list("string__data", flat=True)
    )
    last_saved = (
        TranslationLog.objects.filter(source=source, locale_id=translation.target_locale_id)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if waiting:
        state = TranslationState.SEGMENTS_WAITING
    elif _state_by_dates(source_page.last_published_at, source.last_updated_at) is not (
        TranslationState.UP_TO_DATE
    ):
        state = TranslationState.SOURCE_CHANGED
    else:
        state = _state_by_dates(source.last_updated_at, last_saved)
    return TranslationStatus(
        page=page,
        source=source_page,
        language=page.locale.language_code,
        managed=True,
        state=state,
        waiting=waiting,
    )


def _state_by_dates(
    source_changed_at: datetime.datetime | None, taken_in_at: datetime.datetime | None
) -> TranslationState:
    if source_changed_at is None:
        return TranslationState.UP_TO_DATE
    if taken_in_at is None or source_changed_at > taken_in_at:
        return TranslationState.SOURCE_CHANGED
    return TranslationState.UP_TO_DATE


def translated_articles() -> PageQuerySet:
    """Articles that exist in more than one language, for the translations report."""
    shared = (
        ArticlePage.objects.order_by()
        .values("translation_key")
        .annotate(versions=Count("pk"))
        .filter(versions__gt=1)
        .values("translation_key")
    )
    return ArticlePage.objects.filter(translation_key__in=shared)


def article_translations() -> PageQuerySet:
    """Translated versions, not their sources, by the rule of `translation_status`.

    The source is the version wagtail-localize translates from, else the version
    in the site's first language; every other version is a translation.
    """
    localize_sources = TranslationSource.objects.filter(
        object_id=OuterRef("translation_key"), translations__enabled=True
    )
    return translated_articles().exclude(
        Q(Exists(localize_sources.filter(locale_id=OuterRef("locale_id"))))
        | (Q(locale_id=Locale.get_default().pk) & ~Q(Exists(localize_sources)))
    )
