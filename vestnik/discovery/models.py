"""Controlled vocabularies that articles are tagged with: countries, regions, topics."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # The article's countries, topics and co-authors (lists of ids) as they
    # were published: facets are counted from the matches' own rows rather
    # than by looking every match up in three tag tables.
    countries = models.JSONField(default=list, editable=False)
    topics = models.JSONField(default=list, editable=False)
    co_authors = models.JSONField(default=list, editable=False)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"search document of page {self.page_id}"
