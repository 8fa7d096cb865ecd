"""Experts, their profiles and their blogs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from vestnik.core import front_cache
from vestnik.core.models import CachedPageMixin


class Expert(index.Indexed, ClusterableModel):
    """A person who writes for the portal; the blog and every byline point here."""

    full_name = models.CharField(_("full name"), max_length=200, help_text=_("«Асан Жакупов»"))
    name_genitive = models.CharField(
        _("name in the genitive"),
        max_length=200,
        blank=True,
        help_text=_("«Асана Жакупова», for «Блог Асана Жакупова». Computed when left empty."),
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    position = models.CharField(_("position"), max_length=255, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("photo"),
    )
    bio = RichTextField(_("biography"), blank=True, features=["bold", "italic", "link", "ul"])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert",
        verbose_name=_("user account"),
        help_text=_("The account this expert signs in with, if any."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("full_name"), FieldPanel("name_genitive"), FieldPanel("slug")],
            heading=_("Name"),
        ),
        FieldPanel("position"),
        FieldPanel("affiliation"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        InlinePanel("links", label=_("links")),
        FieldPanel("user"),
    ]
    search_fields = [
        index.SearchField("full_name"),
        index.AutocompleteField("full_name"),
        index.SearchField("affiliation"),
    ]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self) -> str:
        return self.full_name

    @property
    def surname(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""

    @property
    def blog_title(self) -> str:
        return f"Блог {self.name_genitive or self.full_name}"

    def get_profile_url(self) -> str | None:
        from vestnik.authors.selectors import expert_profile_url

        return expert_profile_url(self)


class ExpertLink(Orderable):
    expert = ParentalKey(Expert, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100)
    url = models.URLField(_("URL"))

    panels = [FieldPanel("label"), FieldPanel("url")]


class ExpertIndexPage(CachedPageMixin, RoutablePageMixin, Page):
    """/experts/: the directory of experts, and each expert's profile at /experts/<slug>/."""

    template = "pages/authors/expert_index_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("experts directory")

    def front_cache_keys(self) -> set[str]:
        return {*super().front_cache_keys(), front_cache.EXPERT_DIRECTORY, front_cache.ALL_LISTS}

    @path("")
    def directory(self, request: HttpRequest) -> TemplateResponse:
        """All experts, or those who wrote about `?country=<slug>` and/or `?topic=<slug>`."""
        from vestnik.authors.selectors import experts_with_article_counts
        from vestnik.discovery.models import Country, Topic
        from vestnik.discovery.selectors import terms_with_articles

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
        from vestnik.articles.selectors import articles_by_expert, with_bylines
        from vestnik.authors.selectors import blog_for_expert

        expert = get_object_or_404(Expert.objects.select_related("photo"), slug=slug)
        front_cache.depends_on(front_cache.expert_key(expert.pk))
        return self.render(
            request,
            template="pages/authors/expert_profile.html",
            context_overrides={
                "expert": expert,
                "blog": blog_for_expert(expert),
                "articles": with_bylines(articles_by_expert(expert)[:20]),
            },
        )


class BlogIndexPage(CachedPageMixin, Page):
    """/blogs/: every expert's blog."""

    template = "pages/authors/blog_index_page.html"

    parent_page_types = ["core.HomePage"]
    subpage_types = ["authors.BlogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("blogs index")

    def front_cache_keys(self) -> set[str]:
        return {
            *super().front_cache_keys(),
            front_cache.under_key(self.pk),
            front_cache.EXPERT_DIRECTORY,
        }

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["blogs"] = (
            BlogPage.objects.child_of(self).live().select_related("expert", "expert__photo")
        )
        return context


class BlogPage(CachedPageMixin, RoutablePageMixin, Page):
    """One expert's blog: «Блог Асана Жакупова», their articles newest first."""

    template = "pages/authors/blog_page.html"

    expert = models.OneToOneField(
        Expert, on_delete=models.PROTECT, related_name="blog", verbose_name=_("expert")
    )
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("expert"), FieldPanel("intro")]
    parent_page_types = ["authors.BlogIndexPage"]
    subpage_types = ["articles.ArticlePage"]

    articles_per_page = 10

    class Meta:
        verbose_name = _("expert blog")

    def front_cache_keys(self) -> set[str]:
        return {
            *super().front_cache_keys(),
            front_cache.under_key(self.pk),
            front_cache.expert_key(self.expert_id),
        }

    def front_cache_purge_keys(self) -> set[str]:
        return {*super().front_cache_purge_keys(), front_cache.EXPERT_DIRECTORY}

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from vestnik.articles.selectors import articles_in_blog, with_bylines

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(articles_in_blog(self), self.articles_per_page)
        page_number = request.GET.get("page", "1")
        if not page_number.isdigit() or not 1 <= int(page_number) <= paginator.num_pages:
            raise Http404
        articles_page = paginator.page(int(page_number))
        articles_page.object_list = with_bylines(articles_page.object_list)
        context["articles_page"] = articles_page
        return context

    @path("")
    def index(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    # The blog's feeds («{% pageurl blog %}feed/»); `discovery.feeds` builds them.

    @path("feed/")
    def feed(self, request: HttpRequest) -> HttpResponse:
        from vestnik.discovery.feeds import blog_feed

        return blog_feed(request, self)

    @path("feed/atom/")
    def atom_feed(self, request: HttpRequest) -> HttpResponse:
        from vestnik.discovery.feeds import blog_feed

        return blog_feed(request, self, atom=True)
