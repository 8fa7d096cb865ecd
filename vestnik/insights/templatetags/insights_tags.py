"""The insights panel's data for an article, and dates as precise as the text was."""

from __future__ import annotations

import datetime

from django import template
from django.utils.formats import date_format

from wagtail.models import Page

from vestnik.core.indexing import indexed_type_of
from vestnik.core.page_cache import remember
from vestnik.insights.extractors.base import PartialDate
from vestnik.insights.models import Entity
from vestnik.insights.selectors import PageInsights, page_insights

register = template.Library()


@register.simple_tag
def article_insights(page: Page) -> PageInsights:
    """The panel of `page` (any registered type): three small queries, then none
    until content changes.

    Kept with the site's content generation, which every publish and every
    extraction bumps, so the panel is never staler than the page around it.
    """
    if indexed_type_of(page) is None or page.pk is None:
        return PageInsights()
    return remember(f"insights:panel:{page.pk}", lambda: page_insights(page))


@register.filter
def name_in(entity: Entity, language: str) -> str:
    """`{{ entity|name_in:LANGUAGE_CODE }}`: the entity's name in the page's language."""
    return entity.name_in(language)


def _one(date: PartialDate) -> str:
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return date_format(datetime.date(date.year, date.month, 1), "F Y")
    return date_format(datetime.date(date.year, date.month, date.day))


@register.filter
def partial_date(date: PartialDate, end: PartialDate | None = None) -> str:
    """«1993», «Март 1992», «28 ноября 2025», «2021–2022»."""
    if end is None:
        return _one(date)
    if date.month is None and end.month is None:
        return f"{date.year}–{end.year}"
    return f"{_one(date)} – {_one(end)}"
