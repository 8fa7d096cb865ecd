"""Entity pages: every article that mentions a country, organisation or person.

The same for every anonymous reader, so offered to the page cache; extraction
and editors' corrections bump the content generation that keys it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject

from vestnik.core import fragments, front_cache
from vestnik.insights.cache_keys import ENTITY_INDEX, entity_key
from vestnik.insights.models import Entity
from vestnik.insights.selectors import (
    MonthBar,
    entities_with_articles,
    entity_materials,
    entity_months,
    entity_neighbours,
    entity_timeline,
    final_entity,
    specific_materials,
)

ARTICLES_PER_PAGE = 20
# The month chart's drawing units: one bar per month, in a 100-unit-tall viewBox.
BAR_STEP = 24
BAR_WIDTH = 16
CHART_HEIGHT = 100
PLOT_HEIGHT = 80
# Up to a year of bars each get their month's name; more get the year at each January.
FEW_MONTHS = 12
MIN_SLOTS = 6


def _cacheable(response: HttpResponse, *keys: str) -> HttpResponse:
    front_cache.depends_on(front_cache.NAVIGATION, *keys)
    response.vestnik_page_cache = True  # type: ignore[attr-defined]
    return response


def entity_index(request: HttpRequest) -> HttpResponse:
    return _cacheable(
        TemplateResponse(
            request, "pages/insights/entity_index.html", {"groups": entities_with_articles()}
        ),
        ENTITY_INDEX,
    )


def entity_page(request: HttpRequest, slug: str) -> HttpResponse:
    entity = get_object_or_404(Entity.objects.select_related("country"), slug=slug)
    if entity.merged_into_id is not None:
        target = final_entity(entity)
        if target.pk != entity.pk:
            return HttpResponsePermanentRedirect(reverse("insights:entity", args=[target.slug]))
    if entity.hidden:
        raise Http404
    articles_page = fragments.listing_page(
        request,
        "entity",
        [entity.pk],
        lambda: entity_materials(entity),
        per_page=ARTICLES_PER_PAGE,
        prepare=specific_materials,
    )
    # Read only when the page's fragment is built (`core.fragments`).
    return _cacheable(
        TemplateResponse(
            request,
            "pages/insights/entity_page.html",
            {
                "entity": entity,
                "articles_page": articles_page,
                "timeline": SimpleLazyObject(lambda: entity_timeline(entity)),
                "neighbours": SimpleLazyObject(lambda: entity_neighbours(entity)),
                "chart": SimpleLazyObject(lambda: _chart(entity_months(entity))),
                # Its <head> is the same for every reader of the URL (base.html).
                "head_by_url": True,
            },
        ),
        entity_key(entity.pk),
    )


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: float
    height: float
    label: str  # «Март 2025»
    mentions: int
    articles: int
    tick: str  # under the bar: the month when there are few, else the year at January
    value_y: float  # where the count is written, just above the bar


@dataclass(frozen=True)
class Chart:
    bars: list[ChartBar]
    width: int
    height: int
    baseline: int
    total: int
    max_width: int  # CSS pixels: bars stay bars, not slabs, when there are few months


def _chart(months: list[MonthBar]) -> Chart | None:
    """Bar geometry for the month chart, drawn as SVG by the template."""
    if not months:
        return None
    bars = []
    few = len(months) <= FEW_MONTHS
    for index, month in enumerate(months):
        height = round(month.height * PLOT_HEIGHT, 1)
        if few:
            tick = date_format(month.month, "b")
        else:
            tick = str(month.month.year) if index == 0 or month.month.month == 1 else ""
        bars.append(
            ChartBar(
                x=index * BAR_STEP + (BAR_STEP - BAR_WIDTH) // 2,
                y=PLOT_HEIGHT - height,
                height=height,
                label=date_format(month.month, "F Y"),
                mentions=month.mentions,
                articles=month.articles,
                tick=tick,
                value_y=PLOT_HEIGHT - height - 3,
            )
        )
    # At least a few slots wide and two CSS pixels per unit, so one bar is a bar, not a wall.
    width = max(len(months), MIN_SLOTS) * BAR_STEP
    return Chart(
        bars=bars,
        width=width,
        height=CHART_HEIGHT,
        baseline=PLOT_HEIGHT,
        total=sum(month.mentions for month in months),
        max_width=width * 2,
    )
