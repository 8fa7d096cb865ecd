"""Controlled vocabularies that articles are tagged with: countries, regions, topics."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class VocabularyTerm(index.Indexed, models.Model):
    """A term with a Russian and an English name; the interface language picks one."""

    name_ru = models.CharField(_("name (Russian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)

    panels = [FieldPanel("name_ru"), FieldPanel("name_en"), FieldPanel("slug")]
    search_fields = [
        index.SearchField("name_ru"),
        index.AutocompleteField("name_ru"),
        index.SearchField("name_en"),
        index.AutocompleteField("name_en"),
    ]

    class Meta:
        abstract = True
        ordering = ["name_ru"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_ru


class Country(VocabularyTerm):
    iso_code = models.CharField(
        _("ISO 3166-1 alpha-2 code"), max_length=2, unique=True, help_text=_("KZ, TR, RU …")
    )
    aliases = models.CharField(
        _("other names"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated forms used in texts: «РФ», «США», «КНР»."),
    )

    panels = [*VocabularyTerm.panels, FieldPanel("iso_code"), FieldPanel("aliases")]

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Region(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Topic(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class SearchDocument(models.Model):
    """What search knows about one live article; written only by `search.services`.

    The full-text index belongs to the database: on PostgreSQL it is `vector`
    with a GIN index, on SQLite an FTS5 table keyed by page id (and `vector`
    stays empty); `search.backends` writes both, see docs/search.md.
    """

    page = models.OneToOneField(
        "articles.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    language = models.CharField(max_length=8)
    # Plain text of the lead, body and footnotes, for snippets.
    text = models.TextField()
    publication_date = models.DateField(db_index=True)
    # The owner of the blog the article is in; co-authors are read from the page.
    expert = models.ForeignKey(
        "authors.Expert", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    indexed_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only: the terms of the title (weight A) and the text (weight D).
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document of page {self.page_id}"
