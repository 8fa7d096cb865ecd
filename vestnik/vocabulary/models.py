"""Controlled vocabularies that experts, articles, search and insights are tagged with.

Countries, regions and topics sit on their own floor below `authors`: every app
above tags or reads them, and they know nothing of those apps. The tables keep
the names they were created with in `discovery` (moved here without a data
migration; see migrations/0001_initial.py).
"""

from __future__ import annotations

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
        db_table = "discovery_country"
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Region(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        db_table = "discovery_region"
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class Topic(VocabularyTerm):
    class Meta(VocabularyTerm.Meta):
        db_table = "discovery_topic"
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
