"""The pages that list everything: home, audience sections, the blogs and experts directories.

They stand on the top floor because they show every other app's content; the
tables keep the names they had in `core` and `authors` (moved here without a
data migration; see migrations/0001_initial.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from vestnik.articles.models import BlogPage
from vestnik.articles.selectors import (
    analysis_by_expert,
    articles_by_expert,
    blog_for_expert,
    experts_with_article_counts,
    latest_articles,
    public_articles,
    with_bylines,
)
from vestnik.authors import cache_keys as author_keys
from vestnik.authors.models import Expert
from vestnik.core import front_cache
from vestnik.core.pages import CachedPageMixin
from vestnik.core.routing import CachedRoutingMixin
from vestnik.core.selectors import visible_to_public
from vestnik.discovery.selectors import terms_with_articles
from vestnik.events.selectors import events_with_expert
from vestnik.publications.selectors import publications_by_expert
from vestnik.publications.selectors import with_authors as with_publication_authors
from vestnik.readership.most_read import most_read_context
from vestnik.vocabulary.models import Country, Topic


class HomePage(CachedRoutingMixin, CachedPageMixin, Page):
    """The site's root: routes every page URL through the routing cache (core.routing)."""

    template = "pages/site/home_page.html"
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = [
        "site.SectionPage",
        "site.BlogIndexPage",
        "site.ExpertIndexPage",
        "articles.AnalysisIndexPage",
        "publications.PublicationIndexPage",
        "events.EventIndexPage",
    ]
    # One home per content language: the English home is the Russian one's translation.
    max_count = len(settings.WAGTAIL_CONTENT_LANGUAGES)

    class Meta:
        db_table = "core_homepage"
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        front_cache.depends_on(front_cache.ALL_LISTS)
        # Read only when the template's fragment is built (`core.fragments`).
        context["latest_articles"] = SimpleLazyObject(lambda: latest_articles(limit=7))
        context["sections"] = SimpleLazyObject(
            # This home's own sections: the English home lists the English ones.
            lambda: list(
                visible_to_public(SectionPage.objects.child_of(self).in_menu()).order_by("path")
            )
        )
        # «Самое читаемое» in this home's language, from the readership's snapshot.
        context.update(most_read_context(self, request))
        return context


class SectionPage(CachedPageMixin, Page):
    """An audience landing page («Бизнесу», «Исследователям», «Учащимся») curated by editors."""

    template = "pages/site/section_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link", "ul"])
    show_in_menus_default = True

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_articles", label=_("featured articles")),
        InlinePanel("featured_experts", label=_("featured experts")),
    ]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        db_table = "core_sectionpage"
        verbose_name = _("audience section")
        verbose_name_plural = _("audience sections")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)

        def featured_articles() -> list[Any]:
            featured = (
                self.featured_articles.filter(article__in=public_articles())
                .select_related("article")
                .order_by("sort_order")
            )
            return with_bylines(item.article for item in featured)

        def featured_experts() -> list[Expert]:
            experts = [
                item.expert
                for item in self.featured_experts.select_related(
                    "expert", "expert__photo"
                ).order_by("sort_order")
            ]
            front_cache.depends_on(*(author_keys.expert_key(expert.pk) for expert in experts))
            return experts

        # Read only when the template's fragment is built (`core.fragments`).
        context["featured_articles"] = SimpleLazyObject(featured_articles)
        context["featured_experts"] = SimpleLazyObject(featured_experts)
        return context


class SectionFeaturedArticle(Orderable):
    section = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="featured_articles")
    article = models.ForeignKey(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )
    note = models.CharField(_("why it is here"), max_length=255, blank=True)

    panels = [FieldPanel("article"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        db_table = "core_sectionfeaturedarticle"


class SectionFeaturedExpert(Orderable):
    section = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="featured_experts")
    expert = models.ForeignKey(
        "authors.Expert", on_delete=models.CASCADE, related_name="+", verbose_name=_("expert")
    )

    panels = [FieldPanel("expert")]

    class Meta(Orderable.Meta):
        db_table = "core_sectionfeaturedexpert"


class ExpertIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    """/experts/: the directory of experts, and each expert's profile at /experts/<slug>/."""

    template = "pages/site/expert_index_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["site.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    # Experts' profile links resolve through this page (`authors.selectors`).
    serves_expert_profiles = True

    class Meta:
        db_table = "authors_expertindexpage"
        verbose_name = _("experts directory")

    def front_cache_keys(self) -> set[str]:
        return {*super().front_cache_keys(), author_keys.EXPERT_DIRECTORY, front_cache.ALL_LISTS}

    @path("")
    def directory(self, request: HttpRequest) -> TemplateResponse:
        """All experts, or those who wrote about `?country=<slug>` and/or `?topic=<slug>`."""
        country = topic = None
        if request.GET.get("country"):
            country = get_object_or_404(Country, slug=request.GET["country"])
        if request.GET.get("topic"):
            topic = get_object_or_404(Topic, slug=request.GET["topic"])
        return self.render(
            request,
            context_overrides={
                "experts": experts_with_article_counts(country=country, topic=topic),
                "country": country,
                "topic": topic,
                "country_choices": terms_with_articles("countries"),
                "topic_choices": terms_with_articles("topics"),
            },
        )

    @path("<slug:slug>/")
    def profile(self, request: HttpRequest, slug: str) -> TemplateResponse:
        expert = get_object_or_404(Expert.objects.select_related("photo"), slug=slug)
        front_cache.depends_on(author_keys.expert_key(expert.pk))
        return self.render(
            request,
            template="pages/site/expert_profile.html",
            context_overrides={
                "expert": expert,
                "blog": blog_for_expert(expert),
                "articles": with_bylines(articles_by_expert(expert)[:20]),
                # Institutional pieces they wrote, listed apart from their own blog's.
                "analysis": with_bylines(analysis_by_expert(expert)[:20]),
                "publications": with_publication_authors(publications_by_expert(expert)[:20]),
                "events": list(events_with_expert(expert)[:20]),
            },
        )


class BlogIndexPage(CachedPageMixin, Page):
    """/blogs/: every expert's blog."""

    template = "pages/site/blog_index_page.html"

    parent_page_types = ["site.HomePage"]
    subpage_types = ["articles.BlogPage"]
    max_count_per_parent = 1

    class Meta:
        db_table = "authors_blogindexpage"
        verbose_name = _("blogs index")

    def front_cache_keys(self) -> set[str]:
        return {
            *super().front_cache_keys(),
            front_cache.under_key(self.pk),
            author_keys.EXPERT_DIRECTORY,
        }

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        # Read only when the template's fragment is built (`core.fragments`).
        context["blogs"] = SimpleLazyObject(
            lambda: list(
                visible_to_public(BlogPage.objects.child_of(self)).select_related(
                    "expert", "expert__photo"
                )
            )
        )
        return context
