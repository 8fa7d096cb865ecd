"""Site-wide models: users, images with credits, home and audience sections, share settings."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page

from vestnik.core import front_cache


class User(AbstractUser):
    """The project's user model, in place from the first migration so it can grow."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"


class VestnikImage(AbstractImage):
    """A Wagtail image that knows where it came from.

    `credit` is the default «Источник: …» line; an image block may override it
    for one use, because the same photo can be credited differently in print.
    """

    credit = models.CharField(_("credit / source"), max_length=255, blank=True)

    admin_form_fields = (*Image.admin_form_fields, "credit")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")


class VestnikRendition(AbstractRendition):
    image = models.ForeignKey(VestnikImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CachedPageMixin:
    """Marks a page's public responses as safe for the anonymous page cache.

    Only pages whose HTML is the same for every anonymous reader use it; anything
    per-reader (a ballot, a session) comes from uncached endpoints.
    """

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        front_cache.depends_on(*self.front_cache_keys())
        response: HttpResponse = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if not hasattr(response, "vestnik_page_cache"):
            response.vestnik_page_cache = True  # type: ignore[attr-defined]
        return response

    def front_cache_keys(self) -> set[str]:
        """What this page shows besides the cards on it (cards note themselves)."""
        page = cast(Page, self)
        return {front_cache.page_key(page.pk), front_cache.NAVIGATION, front_cache.SITE_POLL}

    def front_cache_purge_keys(self) -> set[str]:
        """Where this page appears, so that a change to it purges exactly those pages.

        The page itself, every listing above it (its blog, section, home, feeds),
        and the menu when the page is in it. Subclasses add what they know:
        authors, vocabulary terms, entities.
        """
        page = cast(Page, self)
        keys = {front_cache.page_key(page.pk), front_cache.ALL_LISTS}
        keys.update(front_cache.under_key(pk) for pk in _ancestor_ids(page))
        if page.show_in_menus:
            keys.add(front_cache.NAVIGATION)
        return keys


def _ancestor_ids(page: Page) -> list[int]:
    steps = Page.steplen
    paths = [page.path[:length] for length in range(steps, len(page.path), steps)]
    return list(Page.objects.filter(path__in=paths).values_list("pk", flat=True))


class CachedUrlKey(models.Model):
    """One surrogate key of one URL held by the front cache (see `front_cache`)."""

    URL_MAX_LENGTH = 1000
    KEY_MAX_LENGTH = 100

    url = models.CharField(max_length=URL_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["url", "key"], name="cached_url_key_once")]

    def __str__(self) -> str:
        return f"{self.url} ← {self.key}"


class HomePage(CachedPageMixin, Page):
    template = "pages/core/home_page.html"
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = [
        "core.SectionPage",
        "authors.BlogIndexPage",
        "authors.ExpertIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        """Find the deepest page on the path in one query instead of two per level.

        Wagtail walks the tree one slug at a time (a query for the child and one
        for its specific row at every level: eight queries for an article). The
        URL path of every page is stored, so the longest prefix that is a page is
        one lookup; that page then routes the rest (print/, profiles, 404s) the
        usual way.
        """
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:length]) + "/"
            for length in range(1, len(path_components) + 1)
        ]
        deepest = (
            Page.objects.filter(url_path__in=prefixes, path__startswith=self.path)
            .order_by("-depth")
            .first()
        )
        if deepest is None:
            return super().route(request, path_components)
        remaining = path_components[deepest.depth - self.depth :]
        return deepest.specific.route(request, remaining)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from vestnik.articles.selectors import latest_articles
        from vestnik.core.selectors import navigation_sections

        context = super().get_context(request, *args, **kwargs)
        front_cache.depends_on(front_cache.ALL_LISTS)
        context["latest_articles"] = latest_articles(limit=7)
        context["sections"] = navigation_sections()
        return context


class SectionPage(CachedPageMixin, Page):
    """An audience landing page («Бизнесу», «Исследователям», «Учащимся») curated by editors."""

    template = "pages/core/section_page.html"

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link", "ul"])
    show_in_menus_default = True

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_articles", label=_("featured articles")),
        InlinePanel("featured_experts", label=_("featured experts")),
    ]
    parent_page_types = ["core.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("audience section")
        verbose_name_plural = _("audience sections")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from vestnik.core.selectors import section_featured

        context = super().get_context(request, *args, **kwargs)
        context.update(section_featured(self))
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


class SectionFeaturedExpert(Orderable):
    section = ParentalKey(SectionPage, on_delete=models.CASCADE, related_name="featured_experts")
    expert = models.ForeignKey(
        "authors.Expert", on_delete=models.CASCADE, related_name="+", verbose_name=_("expert")
    )

    panels = [FieldPanel("expert")]


@register_setting(icon="link")
class ShareSettings(ClusterableModel, BaseSiteSetting):
    """Share links an editor manages: plain links, no third-party scripts or trackers."""

    panels = [
        MultiFieldPanel(
            [InlinePanel("networks", label=_("network"))],
            heading=_("Share networks"),
            help_text=_(
                "URL templates may use {url} and {title}; both are URL-encoded. "
                "A legal label is shown beside the link, e.g. where a network is banned."
            ),
        )
    ]

    class Meta:
        verbose_name = _("share links")


class ShareNetwork(Orderable):
    settings = ParentalKey(ShareSettings, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField(_("name"), max_length=60)
    url_template = models.CharField(
        _("URL template"),
        max_length=500,
        help_text=_("For example https://t.me/share/url?url={url}&text={title}"),
    )
    legal_label = models.CharField(
        _("legal label"),
        max_length=255,
        blank=True,
        help_text=_("Shown beside the link, e.g. «Социальная сеть запрещена в РФ»."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("url_template"),
        FieldPanel("legal_label"),
        FieldPanel("enabled"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("share network")

    def __str__(self) -> str:
        return self.name


from vestnik.core.workflows import PeerReviewTask  # noqa: E402, F401  (models must be importable from models.py)
