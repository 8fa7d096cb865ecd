"""Articles: the expert's post, its body, footnotes and tags."""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from vestnik.articles.blocks import ArticleBodyBlock, heading_anchor
from vestnik.articles.footnotes import KEY_MAX_CHARS, MARKER, FootnoteIndex, marker
from vestnik.core import front_cache
from vestnik.core.models import CachedPageMixin
from vestnik.core.text import strip_tags, word_count
from vestnik.discovery.widgets import VocabularyTagWidget

# Silent reading speed of Russian analytical prose, words per minute.
READING_WORDS_PER_MINUTE = 180


class ArticlePage(CachedPageMixin, RoutablePageMixin, Page):
    template = "pages/articles/article_page.html"

    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    language = models.CharField(
        _("language of the text"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ru",
        help_text=_("Sets hyphenation and search rules for this article."),
    )
    lead = models.TextField(
        _("lead"),
        blank=True,
        help_text=_("One or two sentences shown under the title and in lists."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    co_authors = ParentalManyToManyField(
        "authors.Expert",
        blank=True,
        related_name="co_authored_articles",
        verbose_name=_("co-authors"),
    )
    countries = ParentalManyToManyField(
        "discovery.Country", blank=True, related_name="articles", verbose_name=_("countries")
    )
    regions = ParentalManyToManyField(
        "discovery.Region", blank=True, related_name="articles", verbose_name=_("regions")
    )
    topics = ParentalManyToManyField(
        "discovery.Topic", blank=True, related_name="articles", verbose_name=_("topics")
    )
    source_fingerprint = models.CharField(
        _("source fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("SHA-256 of the file this article was imported from; re-imports compare it."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("publication_date"),
        FieldPanel("language"),
        FieldPanel("lead"),
        FieldPanel("body"),
        InlinePanel(
            "footnotes",
            label=_("footnote"),
            heading=_("Footnotes"),
            help_text=_(
                "Give each note a short key and write [^key] in the text where it is cited."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("co_authors"),
                # Tags come from the controlled vocabulary, suggested while typing.
                FieldPanel(
                    "countries",
                    widget=VocabularyTagWidget("countries"),
                    help_text=_("Type a name, «РФ», «США» or an ISO code and pick a suggestion."),
                ),
                FieldPanel("regions", widget=VocabularyTagWidget("regions")),
                FieldPanel("topics", widget=VocabularyTagWidget("topics")),
            ],
            heading=_("Authors and tags"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("publication_date"),
    ]
    parent_page_types = ["authors.BlogPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    # --- cheap single-object reads -------------------------------------------

    @property
    def blog(self) -> Any:
        from vestnik.authors.models import BlogPage

        parent = self.get_parent()
        return parent.specific if parent is not None and parent.specific_class is BlogPage else None

    def _texts_in_order(self) -> list[str]:
        texts: list[str] = []
        for block in self.body:
            if block.block_type == "paragraph":
                texts.append(block.value.source)
            elif block.block_type == "quote":
                texts.append(block.value["text"].source)
        return texts

    @cached_property
    def plain_text(self) -> str:
        parts = [self.lead]
        for block in self.body:
            if block.block_type == "heading":
                parts.append(block.value["text"])
            elif block.block_type == "image":
                parts.append(block.value["caption"] or "")
        parts.extend(strip_tags(MARKER.sub("", text)) for text in self._texts_in_order())
        return "\n".join(part for part in parts if part)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(word_count(self.plain_text) / READING_WORDS_PER_MINUTE))

    @property
    def table_of_contents(self) -> list[dict[str, str]]:
        return [
            {
                "anchor": heading_anchor(block.value["text"]),
                "text": block.value["text"],
                "level": block.value["level"],
            }
            for block in self.body
            if block.block_type == "heading"
        ]

    def footnote_index(self) -> FootnoteIndex:
        notes = [(note.key, note.text) for note in self.footnotes.all()]
        return FootnoteIndex(notes, self._texts_in_order())

    # --- front cache ---------------------------------------------------------

    def front_cache_keys(self) -> set[str]:
        keys = super().front_cache_keys()
        for block in self.body or []:
            if block.block_type == "poll" and block.value.get("poll") is not None:
                keys.add(front_cache.poll_key(block.value["poll"].pk))
        return keys

    def front_cache_purge_keys(self) -> set[str]:
        """Also its authors' pages, its countries' and topics' pages, its entities' pages.

        Articles sharing a term list this one as related: they carry the term's key.
        """
        from vestnik.insights.models import Mention

        keys = super().front_cache_purge_keys()
        keys.update({front_cache.TERM_INDEXES, front_cache.ENTITY_INDEX})
        blog = self.blog
        if blog is not None:
            keys.add(front_cache.expert_key(blog.expert_id))
        keys.update(
            front_cache.expert_key(pk) for pk in self.co_authors.values_list("pk", flat=True)
        )
        for kind in ("countries", "regions", "topics"):
            keys.update(
                front_cache.term_key(kind, pk)
                for pk in getattr(self, kind).values_list("pk", flat=True)
            )
        keys.update(
            front_cache.entity_key(pk)
            for pk in Mention.objects.filter(page=self).values_list("entity_id", flat=True)
        )
        return keys

    # --- views ---------------------------------------------------------------

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from vestnik.articles.selectors import article_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_page_context(self, request))
        return context

    @path("")
    def article(self, request: HttpRequest) -> TemplateResponse:
        return self.render(request)

    @path("print/")
    def print_version(self, request: HttpRequest) -> TemplateResponse:
        response = self.render(
            request,
            template="pages/articles/article_print.html",
            context_overrides={"accessed_on": timezone.localdate()},
        )
        # The print view carries today's date of access, so it is never cached.
        response.vestnik_page_cache = False  # type: ignore[attr-defined]
        return response

    # Citation downloads and the PDF: thin routes over `articles.citations` and
    # `articles.pdf`. «cite.bib» and the like reach here through the discovery
    # URLconf, as Wagtail's own patterns take no dots (see citations.views).

    @path("cite.bib/")
    def cite_bibtex(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.citations.views import citation_download

        return citation_download(self, request, "bib")

    @path("cite.ris/")
    def cite_ris(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.citations.views import citation_download

        return citation_download(self, request, "ris")

    @path("cite.json/")
    def cite_csl_json(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.citations.views import citation_download

        return citation_download(self, request, "json")

    @path("references.bib/")
    def references_bibtex(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.citations.views import references_download

        return references_download(self, request, "bib")

    @path("references.ris/")
    def references_ris(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.citations.views import references_download

        return references_download(self, request, "ris")

    @path("pdf/")
    def pdf(self, request: HttpRequest) -> HttpResponse:
        from vestnik.articles.pdf import article_pdf_response

        return article_pdf_response(self, request)


class ArticleFootnote(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="footnotes")
    key = models.CharField(
        _("key"),
        max_length=KEY_MAX_CHARS,
        help_text=_("Short and unique within the article, e.g. 1 or imf-2024; cite it as [^key]."),
    )
    text = RichTextField(_("note"), features=["bold", "italic", "link"])

    panels = [FieldPanel("key"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("footnote")
        verbose_name_plural = _("footnotes")
        constraints = [
            models.UniqueConstraint(fields=["page", "key"], name="unique_footnote_key_per_article")
        ]

    def __str__(self) -> str:
        return marker(self.key)
