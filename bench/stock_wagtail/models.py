"""One page type as a Wagtail tutorial would write it: a title and a rich-text body."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class StockArticlePage(Page):
    template = "stock_wagtail/article_page.html"

    body = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body")]
