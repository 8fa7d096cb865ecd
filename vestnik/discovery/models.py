"""Controlled vocabularies that articles are tagged with: countries, regions, topics."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """What search knows about one live public page of a registered type
    (`core.indexing`: an article, a publication, an event); written only by
    `search.services`.

    The full-text index belongs to the database: on PostgreSQL it is `vector`
    with a GIN index, on SQLite an FTS5 table keyed by page id (and `vector`
    stays empty); `search.backends` writes both, see docs/search.md.
    """

    page = models.OneToOneField(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # The registered type's kind ("article", "publication", "event"): how a hit is shown.
    kind = models.CharField(max_length=32, default="article")
    language = models.CharField(max_length=8)
    # The describer's plain text (an article's lead, body and footnotes), for snippets.
    text = models.TextField()
    publication_date = models.DateField(db_index=True)
    # The main author (an article's blog owner); the others are in `co_authors`.
    expert = models.ForeignKey(
        "authors.Expert", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    indexed_at = models.DateTimeField(auto_now=True)
    # PostgreSQL only: the terms of the title (weight A) and the text (weight D).
    vector = SearchVectorField(null=True, editable=False)
    # The page's countries, topics and other authors (lists of ids) as they
    # were published: facets are counted and filters applied from the matches'
    # own rows, whatever the page type and its tag tables.
    countries = models.JSONField(default=list, editable=False)
    topics = models.JSONField(default=list, editable=False)
    # Not a facet: for listing a region's pages of every kind (`discovery.selectors`).
    regions = models.JSONField(default=list, editable=False)
    co_authors = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document of page {self.page_id}"
